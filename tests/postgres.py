"""A PostgreSQL server for the database tests.

Uses SANDBOX_TEST_POSTGRES_URL when set. Otherwise starts a throwaway server from the machine's
PostgreSQL binaries (initdb/pg_ctl, as the `postgres` user when running as root) on a free port,
and stops it at the end. Without binaries the PostgreSQL tests are skipped, saying why.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    return [runuser, "-u", "postgres", "--", *command] if runuser else ["su", "postgres", "-c",
                                                                       " ".join(command)]


@pytest.fixture(scope="session")
def postgres_server_url():
    """A URL (without database name) of a PostgreSQL server we may create databases on."""
    given = os.environ.get("SANDBOX_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL tests skipped: no initdb/pg_ctl on this machine and "
                    "SANDBOX_TEST_POSTGRES_URL is not set")
    root = Path(tempfile.mkdtemp(prefix="sandbox-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        root.chmod(0o700)
    port = _free_port()
    subprocess.run(
        _as_postgres_user([initdb, "-D", str(data), "-U", "postgres", "-A", "trust",
                           "-E", "UTF8", "--no-sync"]),
        check=True, capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        # -w: pg_ctl returns once the server accepts connections (its own readiness poll).
        _as_postgres_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"),
                           "-w", "-t", "60", "start"]),
        check=True, capture_output=True,
    )
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    try:
        yield url
    finally:
        subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server_url):
    """A fresh, empty database for one test, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(f"{postgres_server_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{postgres_server_url}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    """The same test on SQLite and on PostgreSQL: an empty database's URL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")
