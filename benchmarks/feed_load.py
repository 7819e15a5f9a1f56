"""Load on the live practice page: N trainees against a real `sandbox serve` (2 workers, SQLite).

Each simulated trainee signs in, starts the recall scenario at 10x, fetches the live fragment
every 2 s and acts every 20 s (a reply or a like, with its own idempotency key) for 60 s.
Prints p50 / p95 latency of the live fragment and of actions, errors, and the acknowledged
actions missing from the database afterwards (must be 0).

    .venv/bin/python benchmarks/feed_load.py [--trainees 50 100 200] [--seconds 60]
"""

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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
    def __init__(self, port: int, number: int, results: dict, lock: threading.Lock):
        self.port, self.number, self.results, self.lock = port, number, results, lock
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode()
                break
            except (ConnectionError, http.client.HTTPException, TimeoutError):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def token(self, html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    def record(self, kind: str, seconds: float, ok: bool) -> None:
        with self.lock:
            self.results[kind].append(seconds)
            if not ok:
                self.results["errors"].append(kind)

    def play(self, seconds: float, stop_at: float) -> None:
        _, _, page = self.request("GET", "/sign-in")
        self.request("POST", "/sign-in", {"email": f"load{self.number}@example.com",
                                          "password": PASSWORD, "csrf_token": self.token(page)})
        _, _, page = self.request("GET", "/practice/sunnyfoods-recall")
        status, headers, _ = self.request("POST", "/practice/sunnyfoods-recall/start",
                                          {"mode": "practice", "speed": "10",
                                           "csrf_token": self.token(page)})
        if "Location" not in headers:
            with self.lock:
                self.results["errors"].append(f"start failed with {status}")
            return
        run_path = urllib.parse.urlsplit(headers["Location"]).path
        _, _, page = self.request("GET", run_path)
        token = self.token(page)
        live = re.search(r'hx-get="([^"]*/live[^"]*)"', page).group(1).replace("&amp;", "&")
        start = time.monotonic()
        next_action = start + 5 + (self.number % 15)
        while time.monotonic() < min(start + seconds, stop_at):
            began = time.perf_counter()
            status, _, fragment = self.request("GET", live, headers={"HX-Request": "true"})
            self.record("live", time.perf_counter() - began, status == 200)
            found = re.search(r'hx-get="([^"]*/live[^"]*)"', fragment)
            if found:
                live = found.group(1).replace("&amp;", "&")
            if time.monotonic() >= next_action:
                key = uuid.uuid4().hex
                fields = ({"action": "reply", "text": REPLY} if self.number % 2
                          else {"action": "like"})
                began = time.perf_counter()
                status, _, _ = self.request(
                    "POST", run_path + "/actions", {"key": key, "event": "first_post", **fields},
                    headers={"HX-Request": "true", "X-CSRFToken": token})
                self.record("action", time.perf_counter() - began, status in (200, 422))
                if status == 200:
                    with self.lock:
                        self.results["acknowledged"].append(key)
                next_action += 20
            time.sleep(max(0.0, 2 - (time.perf_counter() - began)))


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
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds + 60
        threads = []
        for number in range(trainees):
            player = Trainee(port, number, results, lock)
            thread = threading.Thread(target=player.play, args=(seconds, stop_at), daemon=True)
            threads.append(thread)
            thread.start()
            time.sleep(2 / trainees)  # spread the polls over the 2-second beat
        for thread in threads:
            thread.join(timeout=seconds + 120)
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
