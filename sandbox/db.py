"""The database engine and the request's session.

`init_app` builds one engine per application from `DATABASE_URL`; `get_session()` gives the
request a session, closed when the request ends. SQLite runs in WAL mode with foreign keys on,
synchronous=FULL unless SQLITE_SYNCHRONOUS says otherwise.

On PostgreSQL a GET (or HEAD) request reads in autocommit: GET never writes, and each statement
sees what was committed before it, as in the READ COMMITTED transaction it would otherwise open;
without the BEGIN and ROLLBACK around it a poll is one round trip instead of three, and psycopg
keeps its prepared statements (a ROLLBACK discards them), so the server stops planning the
same statements again on every request.
"""

import hashlib
import os
import time
from contextlib import suppress
from pathlib import Path

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event, exc, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine, select

from sandbox import sqlite_writer
from sandbox.config import SettingError

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


SYNCHRONOUS_LEVELS = ("OFF", "NORMAL", "FULL", "EXTRA")
IDLE_PING = 10  # seconds: a PostgreSQL connection idle longer is checked before it is used
READS = frozenset({"GET", "HEAD"})


def make_engine(url: str, *, sqlite_synchronous: str = "FULL", pool_size: int = 5) -> Engine:
    """An engine for `url`; `postgresql://` URLs use psycopg 3.

    Statement parameters never appear in errors or logs (hide_parameters): they include
    password hashes and whatever people typed. A new SQLite file is created readable by its
    owner only; `sqlite_synchronous` is SQLite's PRAGMA synchronous (docs/administration.md).
    `pool_size`: the PostgreSQL connections kept open (DATABASE_POOL_SIZE).
    """
    level = sqlite_synchronous.strip().upper()
    if level not in SYNCHRONOUS_LEVELS:
        raise SettingError(f"SQLITE_SYNCHRONOUS is {sqlite_synchronous!r}; use one of "
                         f"{', '.join(SYNCHRONOUS_LEVELS)} (FULL unless you measured otherwise)")
    if not event.contains(Session, "before_flush", check_limits):
        event.listen(Session, "before_flush", check_limits)
    parsed = make_url(url)
    if parsed.drivername in {"postgresql", "postgres"}:
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, hide_parameters=True, pool_size=pool_size)
        event.listen(engine, "checkout", _ping_when_idle)
        event.listen(engine, "checkin", _note_checkin)
        return engine
    if parsed.database and parsed.database != ":memory:":
        _create_private(Path(parsed.database))
    engine = create_engine(parsed, connect_args={"check_same_thread": False, "timeout": 30},
                           hide_parameters=True)
    event.listen(engine, "connect", lambda connection, _: _tune_sqlite(connection, level))
    return engine


def _ping_when_idle(dbapi_connection, record, _proxy) -> None:
    """Check a connection that sat idle in the pool (the server restarted, a firewall dropped
    it) before a request uses it; a busy connection is not checked, unlike pool_pre_ping's
    round trip on every checkout. A dead one is replaced (DisconnectionError: the pool
    connects again). One that dies while in use fails its request with a clear page
    (sandbox.web.errors) and the pool drops every connection as old."""
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < IDLE_PING:
        return
    try:
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        dbapi_connection.rollback()  # psycopg opened a transaction for it
    except Exception as error:
        raise exc.DisconnectionError(str(error)) from error


def _note_checkin(_dbapi_connection, record) -> None:
    if record is not None:
        record.info["idle_since"] = time.monotonic()


def out_of_reach(error: exc.DBAPIError) -> bool:
    """The database could not be reached or let go of the connection (restarted, shut down,
    the network), or stayed locked longer than we wait (SQLite): trying again may work.
    Not a mistake in a statement, which trying again cannot fix."""
    if error.connection_invalidated:  # the pool replaces its connections
        return True
    if not isinstance(error, exc.OperationalError):
        return False
    found = error.orig
    if hasattr(found, "sqlite_errorcode") or "database is locked" in str(found):  # SQLite
        return "database is locked" in str(found)
    state = getattr(found, "sqlstate", None)  # PostgreSQL; none: no connection at all
    return state is None or state.startswith(("08", "53", "57P"))  # connection, resources,
    # operator intervention (shut down, restarting)


def _create_private(path: Path) -> None:
    """Create the database file for its owner only (it holds password hashes), as the secret
    key is; SQLite gives its -wal and -shm files the same mode. An existing file is left."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class LimitExceeded(ValueError):
    """A value the database would refuse (PostgreSQL) or silently keep (SQLite): too long for
    its column, or holding a NUL character. The message is for a person."""


_LABELS = {"email": "e-mail address", "to": "expert", "key": "submission key"}


def check_limits(session, _flush_context, _instances) -> None:
    """Apply the columns' lengths on every database, before anything is written.

    Forms check their own fields with a message in place; this is the rule underneath, so
    SQLite (which ignores VARCHAR lengths) keeps exactly what PostgreSQL would.
    """
    for row in (*session.new, *session.dirty):
        state = inspect(row)
        for attribute in state.mapper.column_attrs:
            value = state.dict.get(attribute.key)  # only values set or loaded: nothing fetched
            if not isinstance(value, str):
                continue
            if "\x00" in value:
                raise LimitExceeded(f"The {_label(state, attribute)} contains a NUL character; "
                                    "remove it and try again.")
            length = getattr(attribute.columns[0].type, "length", None)
            if length and len(value) > length:
                raise LimitExceeded(f"The {_label(state, attribute)} is {len(value):,} "
                                    f"characters long; at most {length:,} fit. Shorten it and "
                                    "try again.")


def _label(state, attribute) -> str:
    """A column as a person calls it: "run action submission key"."""
    return f"{state.mapper.local_table.name.replace('_', ' ')} " + _LABELS.get(
        attribute.key, attribute.key.replace("_", " "))


def _tune_sqlite(dbapi_connection, synchronous: str) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA synchronous={synchronous}")  # one of SYNCHRONOUS_LEVELS
    cursor.execute(f"PRAGMA busy_timeout={sqlite_writer.BUSY_TIMEOUT_MS}")
    cursor.close()


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"],
                         sqlite_synchronous=app.config["SQLITE_SYNCHRONOUS"],
                         pool_size=app.config["DATABASE_POOL_SIZE"])
    app.extensions["sandbox.engine"] = engine
    app.extensions["sandbox.reader"] = reader_of(engine)
    app.teardown_appcontext(_close_session)


def reader_of(engine: Engine) -> Engine:
    """The engine GET requests read with: PostgreSQL in autocommit (module docstring); SQLite
    as it is (its transactions cost no round trip)."""
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


def get_engine() -> Engine:
    return current_app.extensions["sandbox.engine"]


def get_session() -> Session:
    """The session of the current request (or CLI command), created on first use; a GET
    request's reads without a transaction on PostgreSQL (reader_of)."""
    if "db_session" not in g:
        reads = has_request_context() and request.method in READS
        engine = current_app.extensions["sandbox.reader" if reads else "sandbox.engine"]
        g.db_session = Session(engine, expire_on_commit=False)
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def lock_for_writing(session: Session, name: str) -> None:
    """Make the rest of the session's transaction exclusive among those locking `name`, so a
    count and the insert that depends on it cannot interleave with another request's.

    PostgreSQL: a transaction-level advisory lock on `name`. SQLite has one writer at a time:
    the transaction starts with BEGIN IMMEDIATE, which takes the database's write lock before
    anything is read, after the writers of this process queued before it (sandbox.sqlite_writer).
    Both are released by the commit or rollback that ends the transaction.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        if not connection.connection.dbapi_connection.in_transaction:
            sqlite_writer.queue_of(connection.engine).begin_immediate(connection)
        # else: this transaction has written already, so it holds the write lock
    else:
        key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def lock_row(session: Session, row, reread=None, params: dict | None = None) -> None:
    """Hold `row` for the rest of the session's transaction and re-read it (with its eagerly
    loaded relationships), so what other requests committed meanwhile is seen.

    PostgreSQL: SELECT ... FOR UPDATE on that row. SQLite locks whole databases: BEGIN
    IMMEDIATE (see lock_for_writing). Released by the commit or rollback ending the transaction.
    `reread`, a statement selecting the row with what to load (and its `params`), makes the
    lock and the re-read one statement: its FOR UPDATE OF the row's table (populate_existing).
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        lock_for_writing(session, "")
    elif reread is None:
        model = type(row)
        session.exec(select(model.id).where(model.id == row.id).with_for_update()).one()
    if reread is None:
        session.refresh(row)
        return
    model = type(row)
    session.exec(reread.with_for_update(of=model).execution_options(populate_existing=True),
                 params=params).unique().one()


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` to `revision` (the latest by default)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
