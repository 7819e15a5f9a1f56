"""Load on the live practice page: N trainees against a real `sandbox serve` (2 workers, SQLite).

Each simulated trainee signs in, starts one of three shipped scenarios at 10x and opens its run
page, 8 trainees a second as a company arrives (--arrivals; the mix includes the largest,
tandemy-outage-crisis); from then on it fetches the live fragment every 2 s and acts every 20 s
(a reply or a like, with its own idempotency key); every fifth beat it also fetches a static
file from the same server. When its run is over (3 to 4.5 minutes at 10x) it finishes it, sees
its debrief and starts the next, as through a training morning. Measured: the 60 s that follow
the moment all N are on their run page, i.e. N trainees at once.
Prints p50 / p95 latency of the live fragment and of actions, errors, the acknowledged actions
missing from the database afterwards and those stored twice (both must be 0), the cost of a
"nothing new" poll (the next poller alone: nothing on the page moves, no feed built) against the
static file, as the ratio of their medians in the same run, and the servers' CPU per request.

    .venv/bin/python benchmarks/feed_load.py [--trainees 200 500 1000] [--seconds 60]
    .venv/bin/python benchmarks/feed_load.py --follow-schedule  # poll when the page asks to
    .venv/bin/python benchmarks/feed_load.py --database postgresql  # two servers, one database
                                  # (a throwaway PostgreSQL, durable: fsync and synchronous_commit)
    .venv/bin/python benchmarks/feed_load.py --kill     # SIGKILL a server halfway
    .venv/bin/python benchmarks/feed_load.py --workers 3 --threads 2  # the server's shape
    .venv/bin/python benchmarks/feed_load.py --smoke [--kill] [--database postgresql]
                                                        # 3 trainees for 8 s: the test suite's

With --kill, a trainee whose server stops answering sends the same request again (an action
with the same idempotency key) to the other server, or to the same one once it is back.

The server runs this file's own checkout (PYTHONPATH), so a copy of this file in an older
checkout measures that checkout.
"""

import argparse
import asyncio
import contextlib
import itertools
import re
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load_servers import (  # noqa: E402
    AppServer,
    postgres_cpu,
    server_cpu,
    stored_keys,
    throwaway_postgres,
)

PASSWORD = "load-test-password"
REPLY = ("Hi Maria, we're so sorry your little one is unwell. Batch 22B is part of this "
         "morning's recall - please DM us so we can arrange a refund today.")
# (scenario, an early public event to answer or like): tandemy-outage-crisis is the largest feed.
SCENARIOS = (("sunnyfoods-recall", "first_post"), ("tandemy-outage-crisis", "no_signal"),
             ("verveline-mica-crise", "rapport"))
STATIC = "/static/favicon.svg"
RESTART = 180  # seconds: the longest a killed server may take to start again (--kill)
# A "nothing new" answer is the next poller alone, answered without building the feed
# (sandbox.practice_view.poll); anything swapped out of band (an item, a state, a count, the
# clock) means the feed was built and something on the page moves.
SOMETHING_NEW = re.compile(r"hx-swap-oob")


def prepare_database(url: str, trainees: int) -> None:
    """Accounts are created directly, sharing one cheap password hash: hashing passwords for
    hundreds of people (here and at sign-in) is not the point."""
    from sqlmodel import Session
    from werkzeug.security import generate_password_hash

    from sandbox import db
    from sandbox.models import User, UserRole

    db.upgrade(url)
    engine = db.make_engine(url)
    shared = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    with Session(engine) as session:
        for number in range(trainees):
            user = User(email=f"load{number}@example.com", name=f"Load Trainee {number}",
                        password_hash=shared)
            user.roles.append(UserRole(role="trainee"))
            session.add(user)
        session.commit()
    engine.dispose()


class Trainee:
    """One simulated trainee on its own keep-alive connection (asyncio: the load generator must
    not be the bottleneck on a 2-core machine it shares with the server). With several servers
    it starts on one and moves to the next when its server stops answering (--kill)."""

    def __init__(self, ports: list[int], number: int, results: dict, follow: bool = False,
                 patience: float = 0):
        self.ports, self.number, self.results = ports, number, results
        self.port = ports[number % len(ports)]
        self.follow = follow  # poll when the page's poller says (hx-trigger), not every 2 s
        self.patience = patience  # seconds to keep retrying a server that is down (--kill)
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None
        self.window = Window()

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: dict | None = None, headers=None):
        """Send once; on a broken connection send again (the server closed an idle keep-alive
        connection, or it was killed: then the same request, with the same idempotency key,
        goes to the next server, or to this one once it is back, for `patience` seconds)."""
        data = urllib.parse.urlencode(body).encode() if body is not None else b""
        if self.window.holds(time.perf_counter()):
            self.results["sent"] += 1
        given = time.monotonic() + self.patience
        for attempt in itertools.count():
            try:
                if self.writer is None:
                    await self.connect()
                self.writer.write(self._head(method, path, data, headers) + data)
                await self.writer.drain()
                head = await self.reader.readuntil(b"\r\n\r\n")
                status, response_headers = self._read_head(head)
                length = int(response_headers.get("content-length", 0))
                text = (await self.reader.readexactly(length)).decode() if length else ""
                break
            except (OSError, asyncio.IncompleteReadError):
                await self.disconnect()
                if attempt and time.monotonic() > given:
                    raise
                if attempt:  # not a mere idle connection closed: this server is down
                    self.results["retried"].append(method)
                    self.port = self.ports[(self.ports.index(self.port) + 1) % len(self.ports)]
                    await asyncio.sleep(0.2)
        if response_headers.get("connection", "").lower() == "close":
            await self.disconnect()
        return status, response_headers, text

    def _head(self, method: str, path: str, data: bytes, headers) -> bytes:
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(data)}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def _read_head(self, head: bytes) -> tuple[int, dict[str, str]]:
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        response_headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                response_headers[name.strip().lower()] = value.strip()
                if name.strip().lower() == "set-cookie":
                    cookie, _, rest = value.strip().partition("=")
                    self.cookies[cookie] = rest.split(";", 1)[0]
        return int(status_line.split()[1]), response_headers

    async def disconnect(self) -> None:
        """Close the connection and wait until it is (an unclosed one is a ResourceWarning)."""
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):  # the server closed it first: closed all the same
                await writer.wait_closed()

    @staticmethod
    def token(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def record(self, kind: str, sent: float, ok: bool) -> None:
        """A request sent at `sent` (perf_counter) and answered now: its latency counts when it
        was sent in the measured window; an error counts whenever it happens."""
        if self.window.holds(sent):
            self.results[kind].append(time.perf_counter() - sent)
        if not ok:
            self.results["errors"].append(kind)

    async def sign_in_and_start(self) -> bool:
        """Sign in, start a run and open its page."""
        _, _, page = await self.request("GET", "/sign-in")
        await self.request("POST", "/sign-in", {"email": f"load{self.number}@example.com",
                                                "password": PASSWORD,
                                                "csrf_token": self.token(page)})
        return await self.start_run()

    async def start_run(self) -> bool:
        """Start a run of this trainee's scenario at 10x (a 30-minute scenario lasts 3 minutes,
        as the briefing page proposes) and open its page, as the browser does after the start's
        redirect."""
        slug, self.event = SCENARIOS[self.number % len(SCENARIOS)]
        _, _, page = await self.request("GET", f"/practice/{slug}")
        status, headers, _ = await self.request("POST", f"/practice/{slug}/start",
                                                {"mode": "practice", "speed": "10",
                                                 "csrf_token": self.token(page)})
        if "location" not in headers:
            self.results["errors"].append(f"start failed with {status}")
            return False
        self.run_path = urllib.parse.urlsplit(headers["location"]).path
        _, _, page = await self.request("GET", self.run_path)
        self.csrf = self.token(page)
        self.live = re.search(r'hx-get="([^"]*/live[^"]*)"', page).group(1).replace("&amp;", "&")
        return True

    async def poll(self, live: str, beat: int) -> tuple[float, str | None]:
        """One poll of the live fragment (and every fifth beat the static file): the seconds
        from its start to the next, as the page's poller says (--follow-schedule) or 2, and
        the next poll's address (None once the run is over)."""
        began = time.perf_counter()
        status, _, fragment = await self.request("GET", live, headers={"HX-Request": "true"})
        if status == 200 and not SOMETHING_NEW.search(fragment) and self.window.holds(began):
            self.results["idle"].append(time.perf_counter() - began)
        self.record("live", began, status == 200)
        if (beat + self.number) % 5 == 0:  # each trainee on its own beat
            sent = time.perf_counter()
            status, _, _ = await self.request("GET", STATIC)
            self.record("static", sent, status == 200)
        if status == 200 and 'class="run-over"' in fragment:
            return 0, None
        found = re.search(r'hx-get="([^"]*/live[^"]*)"', fragment)
        every = re.search(r'hx-trigger="every (\d+)s', fragment)
        return (int(every.group(1)) if self.follow and every else 2,
                found.group(1).replace("&amp;", "&") if found else live)

    async def next_run(self) -> bool:
        """Time is up: see the debrief (Finish grades the run), then start the next run, as a
        trainee does through a training morning of 3-minute runs."""
        sent = time.perf_counter()
        status, headers, _ = await self.request("POST", self.run_path + "/finish",
                                                {"csrf_token": self.csrf})
        ok = status in (302, 303) and "location" in headers
        if ok:
            status, _, _ = await self.request(
                "GET", urllib.parse.urlsplit(headers["location"]).path)
            ok = status == 200
        self.record("turnover", sent, ok)
        if not ok:
            return False
        sent = time.perf_counter()
        started = await self.start_run()
        self.record("turnover", sent, started)
        return started

    async def play(self, window: "Window") -> None:
        """Poll and act from the moment the run page is open until the window closes; when a
        run is over, on to the next one."""
        self.window = window
        start = time.monotonic()
        # the events are shown by 1m (6 s at 10x); a short window sees an action too
        first_action = min(8 + (self.number % 15), window.length - 2)
        next_action = start + first_action
        beat, next_poll, live = 0, start, self.live
        while time.perf_counter() < window.closes:
            if time.monotonic() >= next_poll:
                polled = time.monotonic()
                wait, live = await self.poll(live, beat)
                next_poll, beat = polled + wait, beat + 1
                if live is None:
                    if not await self.next_run():
                        return
                    live, next_poll = self.live, time.monotonic()
                    next_action = next_poll + first_action
            run_path, token = self.run_path, self.csrf
            if time.monotonic() >= next_action:
                key = uuid.uuid4().hex
                fields = ({"action": "reply", "text": REPLY} if self.number % 2
                          else {"action": "like"})
                sent = time.perf_counter()
                status, _, _ = await self.request(
                    "POST", run_path + "/actions", {"key": key, "event": self.event, **fields},
                    headers={"HX-Request": "true", "X-CSRFToken": token})
                self.record("action", sent, status in (200, 422))
                if status == 200:
                    self.results["acknowledged"].append(key)
                next_action += 20
                if self.follow:  # the page asks at once after an action (feed-changed)
                    next_poll = time.monotonic()
            # With --follow-schedule the trainee acts on time and the poller keeps its own
            # schedule, as in a browser: waking up to act is no reason to poll.
            wake = min(next_poll, next_action) if self.follow else next_poll
            await asyncio.sleep(max(0.0, min(wake - time.monotonic(), 1.0)))
        await self.disconnect()


class Window:
    """The measured stretch of a level: it opens once every trainee is on the run page (plus
    one poll period, so the last to arrive are polling too) and lasts `seconds` (perf_counter)."""

    def __init__(self, length: float = 0) -> None:
        self.length = length
        self.opens = self.closes = float("inf")

    def open(self, after: float = 2.0) -> None:
        self.opens = time.perf_counter() + after
        self.closes = self.opens + self.length

    def holds(self, moment: float) -> bool:
        return self.opens <= moment < self.closes


async def play_all(servers: list[AppServer], trainees: int, seconds: float, results: dict,
                   follow: bool = False, kill: bool = False, arrivals: float = 8) -> None:
    """Trainees arrive `arrivals` a second, as a company does over a few minutes, and each
    polls and acts from the moment its run page is open; the measured window opens once all of
    them are there, so it sees the steady load of N trainees at once (neither the arrivals nor
    the catching-up of pages left idle), their runs ending and the next ones starting about as
    spread out as they arrived."""
    ports = [server.port for server in servers]
    # with --kill, a trainee waits for a restarted server as long as a busy machine may take
    players = [Trainee(ports, number, results, follow, patience=RESTART if kill else 0)
               for number in range(trainees)]
    gate = asyncio.Semaphore(16)  # signing in and starting: a few at a time
    window, arrived, began = Window(seconds), [], time.perf_counter()

    async def one(player: Trainee) -> None:
        await asyncio.sleep(player.number / arrivals)
        try:
            async with gate:
                ready = await player.sign_in_and_start()
        except Exception as error:  # a broken connection is a result, not a crash
            ready = False
            results["errors"].append(f"sign-in: {type(error).__name__}")
        arrived.append(player)
        if len(arrived) == trainees:
            results["arrivals"] = time.perf_counter() - began
            window.open()
            asyncio.ensure_future(measure_cpu(servers, window, results))
            if kill:
                asyncio.ensure_future(kill_midway(servers, window, seconds / 2, results))
        if not ready:
            return
        try:
            await player.play(window)
        except Exception as error:
            results["errors"].append(type(error).__name__)

    await finish_within([one(player) for player in players], 600 + seconds + 120
                        + (RESTART if kill else 0), results, "not done minutes after the end")


async def measure_cpu(servers: list[AppServer], window: Window, results: dict) -> None:
    """The servers', the database server's (a throwaway PostgreSQL) and this generator's CPU
    time over the window (a killed server's processes take theirs with them: not measured with
    --kill)."""
    database = servers[0].url.rsplit("/", 1)[0]
    await asyncio.sleep(window.opens - time.perf_counter())
    server_from, generator_from = server_cpu(servers), time.process_time()
    database_from = postgres_cpu(database)
    await asyncio.sleep(window.closes - time.perf_counter())
    results["generator_cpu"] = time.process_time() - generator_from
    results["database_cpu"] = postgres_cpu(database) - database_from
    if not results["killed"]:
        results["server_cpu"] = server_cpu(servers) - server_from


async def kill_midway(servers: list[AppServer], window: Window, after: float,
                      results: dict) -> None:
    """SIGKILL the first server halfway; the only one (SQLite) is started again at once."""
    await asyncio.sleep(window.opens + after - time.perf_counter())
    victim = servers[0]
    began = time.monotonic()
    await asyncio.to_thread(victim.kill)
    if len(servers) == 1:
        await asyncio.to_thread(victim.start, RESTART)
        results["restarted"].append(time.monotonic() - began)
    results["killed"].append(victim.port)


async def finish_within(work: list, seconds: float, results: dict, late: str) -> list:
    """Each coroutine's result, or None for those not done in time (each counted as an error:
    an overloaded server is a result too)."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in work]
    if not tasks:
        return []
    _, pending = await asyncio.wait(tasks, timeout=seconds)
    outcomes = []
    for task in tasks:
        if task in pending:
            task.cancel()
            results["errors"].append(late)
            outcomes.append(None)
        elif task.exception() is not None:
            results["errors"].append(type(task.exception()).__name__)
            outcomes.append(None)
        else:
            outcomes.append(task.result())
    return outcomes


def percentile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def run_level(trainees: int, seconds: float, follow: bool = False, database: str = "sqlite",
              kill: bool = False, workers: int = 2, threads: int | None = None,
              arrivals: float = 8) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="feed-load-"))
    with contextlib.ExitStack() as stack:
        if database == "postgresql":
            url = stack.enter_context(throwaway_postgres(durable=True)) + "/postgres"
        else:
            url = f"sqlite:///{folder / 'load.db'}"
        prepare_database(url, trainees)
        servers = [AppServer(url, folder, workers=workers, threads=threads)
                   for _ in range(2 if database == "postgresql" else 1)]
        results = {"live": [], "idle": [], "static": [], "action": [], "turnover": [],
                   "sent": 0, "errors": [],
                   "acknowledged": [], "retried": [], "killed": [], "restarted": []}
        try:
            for server in servers:  # both at once: each parses every scenario first
                server.launch()
            for server in servers:
                server.wait_ready()
            asyncio.run(play_all(servers, trainees, seconds, results, follow, kill, arrivals))
        finally:
            for server in servers:
                server.stop()
        stored = stored_keys(url)
    results["missing"] = [key for key in results["acknowledged"] if key not in stored]
    results["duplicates"] = [key for key, count in stored.items() if count > 1]
    report(trainees, results, [server.log for server in servers])
    return results


def report(trainees: int, results: dict, logs: list[Path]) -> None:
    idle, static = percentile(results["idle"], 50), percentile(results["static"], 50)
    requests = results["sent"]  # every request sent in the window, turnovers' too
    print(f"N={trainees:>3}: live p50 {percentile(results['live'], 50):6.1f} ms, "
          f"p95 {percentile(results['live'], 95):6.1f} ms ({len(results['live'])} requests) | "
          f"actions p50 {percentile(results['action'], 50):6.1f} ms, "
          f"p95 {percentile(results['action'], 95):6.1f} ms ({len(results['action'])}) | "
          f"errors {len(results['errors'])} | acknowledged but missing "
          f"{len(results['missing'])} | stored twice {len(results['duplicates'])}", flush=True)
    compared = (f"nothing-new poll p50 {idle:6.1f} ms ({len(results['idle'])}), "
                f"static file p50 {static:6.1f} ms ({len(results['static'])}): "
                f"ratio {idle / static:4.1f}x" if results["idle"] else
                "no nothing-new poll (the page asked only when something was due)")
    costs = [f"{who} {1000 * results[key] / max(requests, 1):.2f}"
             for who, key in (("servers'", "server_cpu"), ("the database's", "database_cpu"),
                              ("the load generator's", "generator_cpu")) if results.get(key)]
    print(f"       {compared}"
          + (f" | CPU per request played, ms: {', '.join(costs)}" if costs else ""), flush=True)
    if results["turnover"]:
        print(f"       runs over and the next begun: {len(results['turnover']) // 2} (finish and "
              f"debrief, then briefing, start and run page: p50 "
              f"{percentile(results['turnover'], 50):.1f} ms, p95 "
              f"{percentile(results['turnover'], 95):.1f} ms a step)", flush=True)
    if "arrivals" in results:
        print(f"       all {trainees} trainees were on their run page {results['arrivals']:.0f} s "
              "after the first signed in; measured from then on", flush=True)
    if results["killed"]:
        restarted = (f", restarted in {results['restarted'][0]:.1f} s"
                     if results["restarted"] else "")
        print(f"       killed the server on port {results['killed'][0]} (SIGKILL) halfway"
              f"{restarted}; {len(results['retried'])} requests sent again", flush=True)
    if results["errors"]:
        from collections import Counter

        print("       errors: " + ", ".join(f"{kind} x{count}" for kind, count
                                           in Counter(results["errors"]).most_common())
              + f" (server logs: {', '.join(str(log) for log in logs)})")


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, nargs="+", default=[200, 500, 1000])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--follow-schedule", action="store_true",
                        help="poll when the page's poller asks to (as a browser does), "
                             "not every 2 s")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="postgresql: a throwaway PostgreSQL server and two app servers, "
                             "the trainees spread over both")
    parser.add_argument("--kill", action="store_true",
                        help="SIGKILL a server halfway: with PostgreSQL the first of two (its "
                             "trainees go on with the other), with SQLite the only one, "
                             "started again at once")
    parser.add_argument("--workers", type=int, default=2, help="worker processes per server")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads per worker (default: sandbox serve's)")
    parser.add_argument("--arrivals", type=float, default=8,
                        help="trainees arriving a second (8: a thousand in about two minutes)")
    parser.add_argument("--smoke", action="store_true",
                        help="3 trainees for 8 s: checks the benchmark and the server still work")
    options = parser.parse_args(argv)
    if options.smoke:
        options.trainees, options.seconds = [3], 8
    shape = f"{options.workers} workers" + (f" x {options.threads} threads" if options.threads
                                            else "")
    servers = (f"two sandbox serve, {shape} each, PostgreSQL" if options.database == "postgresql"
               else f"sandbox serve, {shape}, SQLite (WAL)")
    print(f"feed load: {servers}; {options.arrivals:g} trainees arriving a second, then "
          f"{options.seconds:.0f} s measured per level; "
          f"scenarios {', '.join(slug for slug, _ in SCENARIOS)}"
          + ("; one server killed halfway" if options.kill else ""))
    return [run_level(trainees, options.seconds, options.follow_schedule, options.database,
                      options.kill, options.workers, options.threads, options.arrivals)
            for trainees in options.trainees]


if __name__ == "__main__":
    main()
