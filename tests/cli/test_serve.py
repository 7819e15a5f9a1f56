"""`sandbox serve`: several instances on one host, and a restart right after a crash."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sandbox import db
from tests.e2e.conftest import _free_port, _wait_until_serving

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in {"Z", "X"}


class Instance:
    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.env = {**os.environ, "HOME": str(folder), "INSTANCE_PATH": str(folder),
                    "DATABASE_URL": f"sqlite:///{folder / 'sandbox.db'}", "SECRET_KEY": "x"}
        self.log = folder / f"server-{time.monotonic_ns()}.log"
        self.process = None

    def start(self):
        self.log = self.folder / f"server-{time.monotonic_ns()}.log"
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sandbox.cli", "serve", "--port", str(self.port),
                 "--workers", "2"], env=self.env, stdout=output, stderr=subprocess.STDOUT)
        _wait_until_serving(self.process, f"http://127.0.0.1:{self.port}/sign-in", self.log,
                            seconds=60)
        return self

    def workers(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"Booting worker with pid: (\d+)",
                                               self.log.read_text())]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def instances(tmp_path):
    made = []

    def make(name: str) -> Instance:
        folder = tmp_path / name
        folder.mkdir()
        db.upgrade(f"sqlite:///{folder / 'sandbox.db'}")
        made.append(Instance(folder, _free_port()))
        return made[-1]

    yield make
    for instance in made:
        instance.stop()
        for pid in instance.workers():
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def test_two_instances_run_side_by_side_and_one_restarts_at_once_after_a_crash(instances):
    first, second = instances("first").start(), instances("second").start()
    for instance in (first, second):
        assert "Control socket listening" not in instance.log.read_text()
    old_workers = first.workers()
    first.process.kill()  # the master dies outright (OOM killer, kill -9)
    first.process.wait()
    deadline = time.monotonic() + 2
    while any(map(_running, old_workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_running, old_workers)), "workers outlived their master"
    first.start()  # at once, on the same port
    assert "Connection in use" not in first.log.read_text()
    _wait_until_serving(second.process, f"http://127.0.0.1:{second.port}/sign-in", second.log)


def test_served_metrics_add_up_every_worker_and_each_request_logs_one_json_line(instances):
    server = instances("metrics").start()
    base = f"http://127.0.0.1:{server.port}"
    for _ in range(12):  # spread over both workers by the kernel
        urllib.request.urlopen(f"{base}/sign-in").read()
    with urllib.request.urlopen(f"{base}/healthz") as answer:
        assert json.load(answer)["status"] == "ok"
    scraped = urllib.request.urlopen(f"{base}/metrics").read().decode()
    counts = re.findall(r'^sandbox_request_seconds_count\{endpoint="auth.login"\} (\S+)$',
                        scraped, re.M)
    # the readiness poll's sign-in pages too: at least the twelve, whichever worker answered
    assert counts and float(counts[0]) >= 12
    lines = [json.loads(line) for line in server.log.read_text().splitlines()
             if line.startswith("{")]
    assert sum(1 for line in lines if line["endpoint"] == "auth.login") >= 12
    assert {line["endpoint"] for line in lines} >= {"auth.login", "operations.healthz"}


def test_sigterm_stops_the_server_gracefully(instances):
    server = instances("graceful").start()
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=40) == 0
    assert "Shutting down: Master" in server.log.read_text()


def test_a_page_polling_every_few_seconds_keeps_its_connection(instances):
    """gunicorn closes an idle connection after 2 s by default: a page polling every 2 to 10 s
    would open a new one for almost every poll."""
    server = instances("keepalive").start()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
        for _ in range(2):
            connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = connection.recv(4096)
                assert chunk, "the server closed the connection"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200")
            time.sleep(3)  # a page's quiet moment between two polls
