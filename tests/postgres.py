"""A PostgreSQL server for the database tests.

Uses SANDBOX_TEST_POSTGRES_URL when set. Otherwise starts a throwaway server from the machine's
PostgreSQL binaries (initdb/pg_ctl, as the `postgres` user when running as root) on a free port,
and stops it at the end (benchmarks.load_servers, as the load benchmark does). Without binaries
the PostgreSQL tests are skipped, saying why.
"""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from benchmarks.load_servers import postgres_binaries, throwaway_postgres


@pytest.fixture(scope="session")
def postgres_server_url():
    """A URL (without database name) of a PostgreSQL server we may create databases on."""
    given = os.environ.get("SANDBOX_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    if postgres_binaries() is None:
        pytest.skip("PostgreSQL tests skipped: no initdb/pg_ctl on this machine and "
                    "SANDBOX_TEST_POSTGRES_URL is not set")
    with throwaway_postgres() as url:
        yield url


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
