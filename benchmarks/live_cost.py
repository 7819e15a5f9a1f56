"""What one request of the live practice page costs in-process (Flask's test client, SQLite
or PostgreSQL): a "nothing new" poll, a poll that builds the feed, an action, and a static file,
each as microseconds per request (median of rounds) and database queries per request, on the
three scenarios of benchmarks/feed_load.py. Then what a trainee reads when a run ends: the
debrief page of each scenario's finished run, and the replay it loads when opened (if the page
loads it on demand), in CPU and bytes. With PostgreSQL (a throwaway server, as the tests
start theirs) the database server's own CPU per request is printed too.

    .venv/bin/python benchmarks/live_cost.py [--rounds 5] [--profile quiet|full|action]
    .venv/bin/python benchmarks/live_cost.py --database postgresql [--statements]
    .venv/bin/python benchmarks/live_cost.py --only debrief [--profile debrief|replay]

Figures are the server's own work only: no network, no gunicorn, no load generator.
`--statements` prints the SQL sent by one request of each kind (of the last round).
"""

import argparse
import contextlib
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.feed_load import PASSWORD, REPLY, SCENARIOS, STATIC  # noqa: E402

PER_ROUND = 50
HX = {"HX-Request": "true"}


class Queries:
    """Counts the statements sent to the database while it is open (and keeps them)."""

    def __init__(self, engine):
        self.engine, self.count, self.statements = engine, 0, []

    def seen(self, _connection, _cursor, statement, *_):
        self.count += 1
        self.statements.append(" ".join(statement.split()))

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self.seen)
        return self

    def __exit__(self, *_):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self.seen)


def make_app(folder: Path, url: str | None = None):
    os.environ.setdefault("PASSWORD_HASH_METHOD", "pbkdf2:sha256:1")
    from sqlmodel import Session

    from sandbox import accounts, create_app, db

    url = url or f"sqlite:///{folder / 'cost.db'}"
    db.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "cost", "INSTANCE_PATH": str(folder)})
    with Session(app.extensions["sandbox.engine"]) as session:
        accounts.create_user(session=session, email="cost@example.com", name="Cost Trainee",
                             password=PASSWORD, roles=["trainee"])
        session.commit()
    return app


def token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def start(client, slug: str, rewind_seconds: float) -> tuple[int, str]:
    """A run at 1x started `rewind_seconds` ago: its run id and its page's CSRF token."""
    page = client.get(f"/practice/{slug}").get_data(as_text=True)
    answer = client.post(f"/practice/{slug}/start",
                         data={"mode": "practice", "speed": "1", "csrf_token": token(page)})
    run_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    rewind(client, run_id, rewind_seconds)
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    return run_id, token(page)


def rewind(client, run_id: int, seconds: float) -> None:
    """Move the run's start `seconds` earlier: its clock jumps ahead, its actions stay put."""
    from sqlmodel import Session

    from sandbox.models import Run

    with Session(client.application.extensions["sandbox.engine"]) as session:
        run = session.get(Run, run_id)
        run.started_at -= timedelta(seconds=seconds)
        session.add(run)
        session.commit()


def act(client, run_id: int, event: str, csrf: str, key: str, action: str = "reply"):
    fields = {"text": REPLY} if action == "reply" else {}
    return client.post(f"/runs/{run_id}/actions",
                       data={"key": key, "event": event, "action": action, **fields},
                       headers={**HX, "X-CSRFToken": csrf})


def finished(client, slug: str, event: str) -> int:
    """A run of `slug` played to its end, with a reply and a like on `event`, then finished
    (Finish is a POST): the run a trainee reads the debrief of."""
    run_id, csrf = start(client, slug, 200)
    for action in ("reply", "like"):
        assert act(client, run_id, event, csrf, f"done-{action}", action).status_code == 200
    rewind(client, run_id, 24 * 3600)  # the clock past the end: the whole run is on the feed
    answer = client.post(f"/runs/{run_id}/finish", data={"csrf_token": csrf})
    assert answer.status_code == 302, answer.status_code
    return run_id


def replay_url(html: str) -> str | None:
    """The address the debrief loads its replay from, when it loads it on demand."""
    found = re.search(r'hx-get="([^"]*/replay[^"]*)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def poller(client, run_id: int) -> str:
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    return re.search(r'hx-get="([^"]*/live[^"]*)"', page).group(1).replace("&amp;", "&")


def earlier(url: str, seconds: int) -> str:
    return re.sub(r"since=(\d+)", lambda m: f"since={max(0, int(m.group(1)) - seconds)}", url)


class Due(Exception):
    """A "nothing new" poll found something new: the schedule moved on during the round."""


SEEN: dict[str, list[str]] = {}  # a round's statements per kind of request (--statements)


def timed(engine, requests, check, profiler=None, name="", database_cpu=None):
    """(CPU µs per request, queries per request, database CPU µs per request) of one round of
    `requests` (callables)."""
    with Queries(engine) as queries:
        if profiler:
            profiler.enable()
        database_from = database_cpu() if database_cpu else 0.0
        began = time.process_time()  # this process's CPU: others' load on the machine aside
        try:
            for send in requests:
                check(send())
        finally:
            took = time.process_time() - began
            database = (database_cpu() - database_from) if database_cpu else 0.0
            if profiler:
                profiler.disable()
    SEEN[name] = queries.statements[:len(queries.statements) // len(requests)]
    return (took / len(requests) * 1e6, queries.count / len(requests),
            database / len(requests) * 1e6)


def signed_in(app):
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    client.post("/sign-in", data={"email": "cost@example.com", "password": PASSWORD,
                                  "csrf_token": token(page)})
    return client


def measure_debriefs(app, rounds: int, profile: str | None,
                     database_cpu=None) -> dict[str, tuple]:
    """(CPU µs median, best, queries, database µs, bytes) of each scenario's debrief page and,
    when the page loads its replay on demand, of that replay."""
    engine = app.extensions["sandbox.engine"]
    client = signed_in(app)
    sizes: dict[str, int] = {}

    def sized(name):
        def check(response):
            assert response.status_code == 200, response.status_code
            sizes[name] = len(response.get_data())
        return check

    requests = {}
    for slug, event in SCENARIOS:
        run_id = finished(client, slug, event)
        page = f"/runs/{run_id}/debrief"
        requests[f"debrief {slug}"] = lambda page=page: client.get(page)
        fragment = replay_url(client.get(page).get_data(as_text=True))
        if fragment:
            requests[f"replay {slug}"] = lambda url=fragment: client.get(url, headers=HX)
    figures: dict[str, list] = {name: [] for name in requests}
    profiler = cProfile.Profile(time.process_time) if profile else None
    for number in range(rounds + 1):  # the first round warms up
        for name, send in requests.items():
            chosen = (profiler if profile and number and name.startswith(profile)
                      and "outage" in name else None)
            figures[name].append(timed(engine, [send] * 10, sized(name), chosen, name,
                                       database_cpu))
    if profiler:
        _print_profile(profiler)
    return {name: (statistics.median(us for us, _, _ in values[1:]),
                   min(us for us, _, _ in values[1:]),
                   statistics.median(q for _, q, _ in values[1:]),
                   statistics.median(d for _, _, d in values[1:]), sizes[name])
            for name, values in figures.items()}


def _print_profile(profiler) -> None:
    if os.environ.get("PROFILE_OUT"):
        profiler.dump_stats(os.environ["PROFILE_OUT"])
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
        int(os.environ.get("LINES", 45)))


def measure(app, rounds: int, profile: str | None, database_cpu=None) -> dict[str, tuple]:
    engine = app.extensions["sandbox.engine"]
    client = signed_in(app)
    # 200 s into each scenario: its first events are on the feed, more are due later. The
    # polled runs have a reply and a like from 30 s ago (the page has shown them since); the
    # measured actions go to runs of their own, so the polls stay alike round after round.
    started = [(slug, event, *start(client, slug, 200)) for slug, event in SCENARIOS]
    for _, event, run_id, csrf in started:
        for action in ("reply", "like"):
            assert act(client, run_id, event, csrf, f"seen-{action}", action).status_code == 200
        rewind(client, run_id, 30)
    acting = [(slug, event, *start(client, slug, 200)) for slug, event in SCENARIOS]

    def ok(response):
        assert response.status_code in (200, 204), response.status_code

    def quiet_ok(response):
        ok(response)
        if "hx-swap-oob" in response.get_data(as_text=True):
            raise Due  # something fell due during the round: measure it again

    figures: dict[str, list] = {"static": [], "quiet": [], "full": [], "action": [], "page": []}
    profiler = cProfile.Profile(time.process_time) if profile else None
    keys = iter(range(10**9))
    for number in range(rounds + 1):  # the first round warms up
        round_figures = {}
        round_figures["static"] = timed(engine, [lambda: client.get(STATIC)] * PER_ROUND, ok,
                                        name="static", database_cpu=database_cpu)
        for _attempt in range(5):
            urls = [poller(client, run_id) for _, _, run_id, _ in started]
            quiet = [lambda url=url: client.get(url, headers=HX) for url in urls]
            try:
                round_figures["quiet"] = timed(engine, quiet * (PER_ROUND // len(quiet)),
                                               quiet_ok, profiler if profile == "quiet" and number
                                               else None, "quiet", database_cpu)
                break
            except Due:
                continue
        # a page last updated 20 s ago (two polls apart at 10x): an item or two new, counters
        # moved
        full = [lambda url=url: client.get(url, headers=HX)
                for url in [earlier(url, 20) for url in urls]]
        pages = [lambda run_id=run_id: client.get(f"/runs/{run_id}")
                 for _, _, run_id, _ in started]
        actions = [lambda run_id=run_id, event=event, csrf=csrf: act(
                       client, run_id, event, csrf, f"cost-{next(keys)}")
                   for _, event, run_id, csrf in acting]
        for name, requests, check in (("full", full, ok), ("page", pages, ok),
                                      ("action", actions, ok)):
            repeat = PER_ROUND // len(requests) if name != "action" else 2
            round_figures[name] = timed(engine, requests * repeat, check,
                                        profiler if profile == name and number else None,
                                        name, database_cpu)
        for name, value in round_figures.items():
            figures[name].append(value)
    if profiler:
        _print_profile(profiler)
    return {name: (statistics.median(us for us, _, _ in values[1:]),
                   min(us for us, _, _ in values[1:]),
                   statistics.median(q for _, q, _ in values[1:]),
                   statistics.median(d for _, _, d in values[1:]))
            for name, values in figures.items()}


LABELS = {"static": "static file", "quiet": "nothing-new poll", "full": "poll building the feed",
          "page": "practice page", "action": "action (reply)"}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", choices=("quiet", "full", "action", "page", "debrief",
                                              "replay"),
                        help="debrief, replay: of the outage crisis")
    parser.add_argument("--only", choices=("live", "debrief"),
                        help="measure only the live page or only the debrief")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="postgresql: a throwaway PostgreSQL server (as the tests start)")
    parser.add_argument("--statements", action="store_true",
                        help="print the SQL one request of each kind sends")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="live-cost-") as folder, \
            contextlib.ExitStack() as stack:
        url, database_cpu = None, None
        if options.database == "postgresql":
            from benchmarks.load_servers import postgres_cpu, throwaway_postgres

            server = stack.enter_context(throwaway_postgres(durable=True))
            url, database_cpu = server + "/postgres", lambda: postgres_cpu(server)
        app = make_app(Path(folder), url)
        result = ({} if options.only == "debrief" else
                  measure(app, options.rounds, options.profile, database_cpu))
        debriefs = ({} if options.only == "live" else
                    measure_debriefs(app, options.rounds, options.profile, database_cpu))
        app.extensions["sandbox.engine"].dispose()
    if result:
        print_live(result, options, database_cpu)
    if debriefs:
        print(f"debrief in-process ({options.database}), CPU µs per request: median of "
              f"{options.rounds} rounds (best round), a finished run with a reply and a like")
        for name, (median, best, queries, database, size) in debriefs.items():
            print(f"  {name:<32} {median:6.0f} µs ({best:5.0f})  {queries:4.1f} queries  "
                  f"{size / 1000:6.1f} KB"
                  + (f"  database {database:5.0f} µs" if database_cpu else ""))
    return {**result, **debriefs}


def print_live(result: dict, options, database_cpu) -> None:
    print(f"live page in-process ({options.database}), CPU µs per request: median of "
          f"{options.rounds} rounds (best round); scenarios "
          f"{', '.join(slug for slug, _ in SCENARIOS)}")
    for name, (median, best, queries, database) in result.items():
        print(f"  {LABELS[name]:<24} {median:6.0f} µs ({best:5.0f})  {queries:4.1f} queries"
              + (f"  database {database:5.0f} µs" if database_cpu else ""))
    if options.statements:
        for name, statements in SEEN.items():
            print(f"\n{LABELS[name]}:")
            for statement in statements:
                print(f"  {statement[:300]}")
    print(f"  nothing-new poll / static file: {result['quiet'][0] / result['static'][0]:.1f}x "
          f"({result['quiet'][1] / result['static'][1]:.1f}x)")


if __name__ == "__main__":
    main()
