"""`sandbox serve`: several instances on one host, and a restart right after a crash."""

import os
import re
import signal
import subprocess
import sys
import time
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
