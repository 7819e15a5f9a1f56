"""Load on the live practice page: N trainees against a real `sandbox serve` (2 workers, SQLite).

Each simulated trainee signs in, starts one of three shipped scenarios at 10x and opens its run
page, a few trainees at a time as a team arrives (not measured; the mix includes the largest,
tandemy-outage-crisis), then, all of them at once, fetches the live fragment every 2 s
and acts every 20 s (a reply or a like, with its own idempotency key) for 60 s; every fifth beat
it also fetches a static file from the same server.
Prints p50 / p95 latency of the live fragment and of actions, errors, the acknowledged actions
missing from the database afterwards and those stored twice (both must be 0), the cost of a
"nothing new" poll (a live fragment that adds no item and changes no item's state) against the
static file, as the ratio of their medians in the same run, and the servers' CPU per request.

    .venv/bin/python benchmarks/feed_load.py [--trainees 200 500 1000] [--seconds 60]
    .venv/bin/python benchmarks/feed_load.py --follow-schedule  # poll when the page asks to
    .venv/bin/python benchmarks/feed_load.py --database postgresql  # two servers, one database
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
# A fragment that adds an item (out of band, at the top or the end of a list) or redraws an
# item's actions has something new; one that only moves the clock and counters does not.
SOMETHING_NEW = re.compile(r'hx-swap-oob="(afterbegin|beforeend):|id="state-')


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

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: dict | None = None, headers=None):
        """Send once; on a broken connection send again (the server closed an idle keep-alive
        connection, or it was killed: then the same request, with the same idempotency key,
        goes to the next server, or to this one once it is back, for `patience` seconds)."""
        data = urllib.parse.urlencode(body).encode() if body is not None else b""
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

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        self.results[kind].append(seconds)
        if not ok:
            self.results["errors"].append(kind)

    async def sign_in_and_start(self) -> bool:
        """Not measured: a morning's sign-ins are not the live page's load."""
        slug, self.event = SCENARIOS[self.number % len(SCENARIOS)]
        _, _, page = await self.request("GET", "/sign-in")
        await self.request("POST", "/sign-in", {"email": f"load{self.number}@example.com",
                                                "password": PASSWORD,
                                                "csrf_token": self.token(page)})
        _, _, page = await self.request("GET", f"/practice/{slug}")
        status, headers, _ = await self.request("POST", f"/practice/{slug}/start",
                                                {"mode": "practice", "speed": "10",
                                                 "csrf_token": self.token(page)})
        if "location" not in headers:
            self.results["errors"].append(f"start failed with {status}")
            return False
        self.run_path = urllib.parse.urlsplit(headers["location"]).path
        # the browser follows the redirect at once: the page is loaded as each trainee starts,
        # not by all of them in the same two seconds when the measured play begins
        _, _, page = await self.request("GET", self.run_path)
        self.csrf = self.token(page)
        self.live = re.search(r'hx-get="([^"]*/live[^"]*)"', page).group(1).replace("&amp;", "&")
        return True

    async def poll(self, live: str, beat: int) -> tuple[float, str]:
        """One poll of the live fragment (and every fifth beat the static file): the seconds
        from its start to the next, as the page's poller says (--follow-schedule) or 2, and
        the next poll's address."""
        began = time.perf_counter()
        status, _, fragment = await self.request("GET", live, headers={"HX-Request": "true"})
        took = time.perf_counter() - began
        self.record("live", took, status == 200)
        if status == 200 and not SOMETHING_NEW.search(fragment):
            self.results["idle"].append(took)
        if beat % 5 == 0:
            sent = time.perf_counter()
            status, _, _ = await self.request("GET", STATIC)
            self.record("static", time.perf_counter() - sent, status == 200)
        found = re.search(r'hx-get="([^"]*/live[^"]*)"', fragment)
        every = re.search(r'hx-trigger="every (\d+)s', fragment)
        return (int(every.group(1)) if self.follow and every else 2,
                found.group(1).replace("&amp;", "&") if found else live)

    async def play(self, seconds: float) -> None:
        run_path, token, live = self.run_path, self.csrf, self.live
        start = time.monotonic()
        # the events are shown by 1m (6 s at 10x); a short run acts before its end
        next_action = start + min(8 + (self.number % 15), seconds - 2)
        beat, next_poll = 0, start
        while time.monotonic() < start + seconds:
            if time.monotonic() >= next_poll:
                polled = time.monotonic()
                wait, live = await self.poll(live, beat)
                next_poll, beat = polled + wait, beat + 1
            if time.monotonic() >= next_action:
                key = uuid.uuid4().hex
                fields = ({"action": "reply", "text": REPLY} if self.number % 2
                          else {"action": "like"})
                sent = time.perf_counter()
                status, _, _ = await self.request(
                    "POST", run_path + "/actions", {"key": key, "event": self.event, **fields},
                    headers={"HX-Request": "true", "X-CSRFToken": token})
                self.record("action", time.perf_counter() - sent, status in (200, 422))
                if status == 200:
                    self.results["acknowledged"].append(key)
                next_action += 20
                if self.follow:  # the page asks at once after an action (feed-changed)
                    next_poll = time.monotonic()
            # With --follow-schedule the trainee acts on time and the poller keeps its own
            # schedule, as in a browser: waking up to act is no reason to poll.
            wake = min(next_poll, next_action) if self.follow else next_poll
            await asyncio.sleep(max(0.0, wake - time.monotonic()))
        await self.disconnect()


async def play_all(servers: list[AppServer], trainees: int, seconds: float, results: dict,
                   follow: bool = False, kill: bool = False) -> None:
    ports = [server.port for server in servers]
    # with --kill, a trainee waits for a restarted server as long as a busy machine may take
    players = [Trainee(ports, number, results, follow, patience=RESTART if kill else 0)
               for number in range(trainees)]
    gate = asyncio.Semaphore(8)  # sign in as a team would over a few minutes, not all at once

    async def ready(player: Trainee) -> bool:
        async with gate:
            return await player.sign_in_and_start()

    started = await finish_within([ready(player) for player in players], 600, results,
                                  "no sign-in within 10 minutes")

    async def one(number: int, player: Trainee) -> None:
        await asyncio.sleep(2 * number / trainees)  # spread the polls over the 2-second beat
        try:
            await player.play(seconds)
        except Exception as error:  # a broken connection is a result, not a crash
            results["errors"].append(type(error).__name__)

    results["cpu_from"] = server_cpu(servers)  # the play, not the sign-ins
    results["generator_from"] = time.process_time()
    work = [one(n, p) for n, p in enumerate(players) if started[n] is True]
    if kill:
        work.append(kill_midway(servers, seconds / 2, results))
    await finish_within(work, seconds + 120 + (RESTART if kill else 0), results,
                        "still waiting minutes after the end")


async def kill_midway(servers: list[AppServer], after: float, results: dict) -> None:
    """SIGKILL the first server halfway; the only one (SQLite) is started again at once."""
    await asyncio.sleep(after)
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
              kill: bool = False, workers: int = 2, threads: int | None = None) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="feed-load-"))
    with contextlib.ExitStack() as stack:
        if database == "postgresql":
            url = stack.enter_context(throwaway_postgres()) + "/postgres"
        else:
            url = f"sqlite:///{folder / 'load.db'}"
        prepare_database(url, trainees)
        servers = [AppServer(url, folder, workers=workers, threads=threads)
                   for _ in range(2 if database == "postgresql" else 1)]
        results = {"live": [], "idle": [], "static": [], "action": [], "errors": [],
                   "acknowledged": [], "retried": [], "killed": [], "restarted": []}
        try:
            for server in servers:  # both at once: each parses every scenario first
                server.launch()
            for server in servers:
                server.wait_ready()
            asyncio.run(play_all(servers, trainees, seconds, results, follow, kill))
            if "generator_from" in results:  # the play began
                results["generator_cpu"] = time.process_time() - results["generator_from"]
            if not kill:  # a killed server's processes take their CPU time with them
                results["server_cpu"] = server_cpu(servers) - results["cpu_from"]
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
    requests = len(results["live"]) + len(results["action"]) + len(results["static"])
    print(f"N={trainees:>3}: live p50 {percentile(results['live'], 50):6.1f} ms, "
          f"p95 {percentile(results['live'], 95):6.1f} ms ({len(results['live'])} requests) | "
          f"actions p50 {percentile(results['action'], 50):6.1f} ms, "
          f"p95 {percentile(results['action'], 95):6.1f} ms ({len(results['action'])}) | "
          f"errors {len(results['errors'])} | acknowledged but missing "
          f"{len(results['missing'])} | stored twice {len(results['duplicates'])}", flush=True)
    print(f"       nothing-new poll p50 {idle:6.1f} ms ({len(results['idle'])}), "
          f"static file p50 {static:6.1f} ms ({len(results['static'])}): "
          f"ratio {idle / static:4.1f}x"
          + (f" | servers' CPU {1000 * results['server_cpu'] / max(requests, 1):.2f} ms per "
             "request played" if "server_cpu" in results else "")
          + (f", the load generator's {1000 * results['generator_cpu'] / max(requests, 1):.2f}"
             if "generator_cpu" in results else ""), flush=True)
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
    parser.add_argument("--smoke", action="store_true",
                        help="3 trainees for 8 s: checks the benchmark and the server still work")
    options = parser.parse_args(argv)
    if options.smoke:
        options.trainees, options.seconds = [3], 8
    shape = f"{options.workers} workers" + (f" x {options.threads} threads" if options.threads
                                            else "")
    servers = (f"two sandbox serve, {shape} each, PostgreSQL" if options.database == "postgresql"
               else f"sandbox serve, {shape}, SQLite (WAL)")
    print(f"feed load: {servers}; {options.seconds:.0f} s per level; "
          f"scenarios {', '.join(slug for slug, _ in SCENARIOS)}"
          + ("; one server killed halfway" if options.kill else ""))
    return [run_level(trainees, options.seconds, options.follow_schedule, options.database,
                      options.kill, options.workers, options.threads)
            for trainees in options.trainees]


if __name__ == "__main__":
    main()
