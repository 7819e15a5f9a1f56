"""The servers of the load benchmark: `sandbox serve` instances on free ports, which it can kill
outright and start again, what they cost (CPU) and stored (the actions' keys), and a throwaway
PostgreSQL server started as the tests start theirs (tests/postgres.py uses the same code)."""

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """One `sandbox serve` of this checkout (PYTHONPATH) on its own port."""

    def __init__(self, url: str, folder: Path, *, workers: int = 2, threads: int | None = None):
        self.url, self.folder, self.port = url, folder, free_port()
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen | None = None
        self.log = folder / f"server-{self.port}.log"

    def start(self, timeout: float = 120) -> None:
        self.launch()
        self.wait_ready(timeout)

    def launch(self) -> None:
        env = {**os.environ, "DATABASE_URL": self.url, "SECRET_KEY": "load-test",
               "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "sandbox.cli", "serve", "--port", str(self.port),
                   "--workers", str(self.workers)]
        if self.threads:
            command += ["--threads", str(self.threads)]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log,
                                            stderr=subprocess.STDOUT)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit(f"the server did not start (log: {self.log})") from None
                time.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no graceful stop, requests in flight are cut (its workers die with it)."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        deadline = time.monotonic() + 10  # the workers follow their master (PDEATHSIG)
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    time.sleep(0.05)
            except OSError:
                return

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def stored_keys(url: str) -> dict[str, int]:
    """How many times each idempotency key is stored (per run: keys are random, runs apart)."""
    from sqlalchemy import text

    from sandbox.db import make_engine

    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT key, count(*) FROM run_action GROUP BY run_id, key"))
        stored = {key: count for key, count in rows}
    engine.dispose()
    return stored


def server_cpu(servers: list[AppServer]) -> float:
    """CPU seconds used so far by the servers' processes (Linux /proc; 0 elsewhere): the app's
    cost per request whatever else runs on the machine."""
    total = 0.0
    for server in servers:
        pids = [server.process.pid]
        with contextlib.suppress(OSError):
            pids += [int(pid) for pid in Path(f"/proc/{server.process.pid}/task/"
                                              f"{server.process.pid}/children").read_text().split()]
        for pid in pids:
            with contextlib.suppress(OSError, IndexError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


_DATA_FOLDERS: dict[str, Path] = {}  # a throwaway server's URL: its data folder


def postgres_cpu(url: str) -> float:
    """CPU seconds used so far by a throwaway PostgreSQL server (throwaway_postgres): its
    processes (to the nanosecond, /proc/PID/schedstat) and the backends ended since (reaped:
    the postmaster's children's time, in clock ticks). Linux /proc; 0 elsewhere."""
    total = 0.0
    with contextlib.suppress(OSError, ValueError, KeyError):
        postmaster = int((_DATA_FOLDERS[url] / "postmaster.pid").read_text().split()[0])
        fields = Path(f"/proc/{postmaster}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
        for pid in (postmaster, *children):
            with contextlib.suppress(OSError, ValueError):
                total += int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    return total


def postgres_binaries() -> tuple[str, str] | None:
    """initdb and pg_ctl from PATH or Debian's /usr/lib/postgresql/<version>/bin, if any."""
    found = []
    for name in ("initdb", "pg_ctl"):
        path = shutil.which(name) or next(
            iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
        if path is None:
            return None
        found.append(path)
    return found[0], found[1]


def _as_postgres_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--", *command] if runuser else ["su", "postgres", "-c",
                                                                       " ".join(command)]


@contextlib.contextmanager
def throwaway_postgres(*, durable: bool = False) -> Iterator[str]:
    """A PostgreSQL server on a free port for as long as the block runs (initdb/pg_ctl, as
    the `postgres` user when running as root): its URL, without a database name.

    The tests' server skips fsync (its data is thrown away). `durable`: a commit is on disk
    before it is acknowledged (fsync and synchronous_commit on, PostgreSQL's defaults), as in
    production: the load benchmark measures with it."""
    binaries = postgres_binaries()
    if binaries is None:
        raise RuntimeError("no initdb/pg_ctl on this machine")
    initdb, pg_ctl = binaries
    root = Path(tempfile.mkdtemp(prefix="sandbox-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        root.chmod(0o700)
    port = free_port()
    subprocess.run(
        _as_postgres_user([initdb, "-D", str(data), "-U", "postgres", "-A", "trust",
                           "-E", "UTF8", "--no-sync"]),
        check=True, capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1"
    options += " -c fsync=on -c synchronous_commit=on" if durable else " -c fsync=off"
    subprocess.run(
        # -w: pg_ctl returns once the server accepts connections (its own readiness poll).
        _as_postgres_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"),
                           "-w", "-t", "60", "start"]),
        check=True, capture_output=True,
    )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    _DATA_FOLDERS[url] = data
    try:
        yield url
    finally:
        _DATA_FOLDERS.pop(url, None)
        subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
