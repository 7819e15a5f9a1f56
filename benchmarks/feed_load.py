"""Load on the live practice page: N trainees against a real `sandbox serve` (2 workers, SQLite).

Each simulated trainee signs in and starts the recall scenario at 10x (not measured), then
fetches the live fragment every 2 s and acts every 20 s (a reply or a like, with its own
idempotency key) for 60 s.
Prints p50 / p95 latency of the live fragment and of actions, errors, and the acknowledged
actions missing from the database afterwards (must be 0).

    .venv/bin/python benchmarks/feed_load.py [--trainees 50 100 200] [--seconds 60]
"""

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "load-test-password"
REPLY = ("Hi Maria, we're so sorry your little one is unwell. Batch 22B is part of this "
         "morning's recall - please DM us so we can arrange a refund today.")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database(url: str, trainees: int) -> None:
    """Accounts are created directly (password hashing for hundreds of people is not the point)."""
    from sqlmodel import Session

    from sandbox import accounts, db

    db.upgrade(url)
    engine = db.make_engine(url)
    with Session(engine) as session:
        for number in range(trainees):
            accounts.create_user(session=session, email=f"load{number}@example.com",
                                 name=f"Load Trainee {number}", password=PASSWORD,
                                 roles=["trainee"])
        session.commit()
    engine.dispose()


class Trainee:
    """One simulated trainee on its own keep-alive connection (asyncio: the load generator must
    not be the bottleneck on a 2-core machine it shares with the server)."""

    def __init__(self, port: int, number: int, results: dict):
        self.port, self.number, self.results = port, number, results
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: dict | None = None, headers=None):
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        data = urllib.parse.urlencode(body).encode() if body is not None else b""
        if body is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(data)}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        for attempt in range(2):
            try:
                if self.writer is None:
                    await self.connect()
                self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
                await self.writer.drain()
                head = await self.reader.readuntil(b"\r\n\r\n")
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                self.writer = None
                if attempt:
                    raise
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        response_headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                response_headers[name.strip().lower()] = value.strip()
                if name.strip().lower() == "set-cookie":
                    cookie, _, rest = value.strip().partition("=")
                    self.cookies[cookie] = rest.split(";", 1)[0]
        length = int(response_headers.get("content-length", 0))
        text = (await self.reader.readexactly(length)).decode() if length else ""
        if response_headers.get("connection", "").lower() == "close":
            self.writer.close()
            self.writer = None
        return status, response_headers, text

    @staticmethod
    def token(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        self.results[kind].append(seconds)
        if not ok:
            self.results["errors"].append(kind)

    async def sign_in_and_start(self) -> bool:
        """Not measured: a morning's sign-ins are not the live page's load."""
        _, _, page = await self.request("GET", "/sign-in")
        await self.request("POST", "/sign-in", {"email": f"load{self.number}@example.com",
                                                "password": PASSWORD,
                                                "csrf_token": self.token(page)})
        _, _, page = await self.request("GET", "/practice/sunnyfoods-recall")
        status, headers, _ = await self.request("POST", "/practice/sunnyfoods-recall/start",
                                                {"mode": "practice", "speed": "10",
                                                 "csrf_token": self.token(page)})
        if "location" not in headers:
            self.results["errors"].append(f"start failed with {status}")
            return False
        self.run_path = urllib.parse.urlsplit(headers["location"]).path
        return True

    async def play(self, seconds: float) -> None:
        run_path = self.run_path
        _, _, page = await self.request("GET", run_path)
        token = self.token(page)
        live = re.search(r'hx-get="([^"]*/live[^"]*)"', page).group(1).replace("&amp;", "&")
        start = time.monotonic()
        next_action = start + 5 + (self.number % 15)
        while time.monotonic() < start + seconds:
            began = time.perf_counter()
            status, _, fragment = await self.request("GET", live, headers={"HX-Request": "true"})
            self.record("live", time.perf_counter() - began, status == 200)
            found = re.search(r'hx-get="([^"]*/live[^"]*)"', fragment)
            if found:
                live = found.group(1).replace("&amp;", "&")
            if time.monotonic() >= next_action:
                key = uuid.uuid4().hex
                fields = ({"action": "reply", "text": REPLY} if self.number % 2
                          else {"action": "like"})
                sent = time.perf_counter()
                status, _, _ = await self.request(
                    "POST", run_path + "/actions", {"key": key, "event": "first_post", **fields},
                    headers={"HX-Request": "true", "X-CSRFToken": token})
                self.record("action", time.perf_counter() - sent, status in (200, 422))
                if status == 200:
                    self.results["acknowledged"].append(key)
                next_action += 20
            await asyncio.sleep(max(0.0, 2 - (time.perf_counter() - began)))
        if self.writer is not None:
            self.writer.close()


async def play_all(port: int, trainees: int, seconds: float, results: dict) -> None:
    players = [Trainee(port, number, results) for number in range(trainees)]
    gate = asyncio.Semaphore(8)  # sign in as a team would over a few minutes, not all at once

    async def ready(player: Trainee) -> bool:
        async with gate:
            return await player.sign_in_and_start()

    started = await asyncio.gather(*(ready(player) for player in players))

    async def one(number: int, player: Trainee) -> None:
        await asyncio.sleep(2 * number / trainees)  # spread the polls over the 2-second beat
        try:
            await player.play(seconds)
        except Exception as error:  # a broken connection is a result, not a crash
            results["errors"].append(type(error).__name__)

    await asyncio.gather(*(one(n, p) for n, p in enumerate(players) if started[n]))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def run_level(trainees: int, seconds: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="feed-load-"))
    url = f"sqlite:///{folder / 'load.db'}"
    prepare_database(url, trainees)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-test"}
    log = (folder / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "sandbox.cli", "serve", "--port", str(port),
                               "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        results = {"live": [], "action": [], "errors": [], "acknowledged": []}
        asyncio.run(asyncio.wait_for(play_all(port, trainees, seconds, results),
                                     timeout=seconds + 180))
    finally:
        server.terminate()
        server.wait(timeout=30)

    from sqlalchemy import text

    from sandbox.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        stored = {row[0] for row in connection.execute(text("SELECT key FROM run_action"))}
    engine.dispose()
    missing = [key for key in results["acknowledged"] if key not in stored]
    print(f"N={trainees:>3}: live p50 {percentile(results['live'], 50):6.1f} ms, "
          f"p95 {percentile(results['live'], 95):6.1f} ms ({len(results['live'])} requests) | "
          f"actions p50 {percentile(results['action'], 50):6.1f} ms, "
          f"p95 {percentile(results['action'], 95):6.1f} ms ({len(results['action'])}) | "
          f"errors {len(results['errors'])} | acknowledged but missing {len(missing)}",
          flush=True)
    if results["errors"]:
        from collections import Counter

        print("       errors: " + ", ".join(f"{kind} x{count}" for kind, count
                                           in Counter(results["errors"]).most_common())
              + f" (server log: {folder / 'server.log'})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args()
    print(f"feed load: sandbox serve, 2 workers, SQLite (WAL); {options.seconds:.0f} s per level")
    for trainees in options.trainees:
        run_level(trainees, options.seconds)


if __name__ == "__main__":
    main()
