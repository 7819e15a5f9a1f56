"""SQLite's one writer at a time, queued in each process instead of left to SQLite's busy wait.

SQLite lets one transaction write at a time. A writer that finds the database locked sleeps
in SQLite's busy handler for 1, 2, 5, 10 ... up to 100 ms between tries, so under load a write
that could start 1 ms after the lock is free often starts tens of milliseconds later, and the
server thread waits all that time. Here the threads of one process queue on a lock of their own
(each wakes as soon as the one before it is done), and the one at the head of the queue takes
SQLite's write lock (BEGIN IMMEDIATE), trying again every millisecond while another process
holds it. The process's lock is released when the transaction's connection goes back to the
pool, which SQLAlchemy does after the commit or rollback that ends the transaction.
"""

import threading
import time
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

BUSY_TIMEOUT_MS = 30_000  # SQLite's busy timeout on every connection (sandbox.db)
PATIENCE = BUSY_TIMEOUT_MS / 1000  # seconds a writer waits for its turn, as long
RETRY = 0.001  # seconds between two tries while another process writes


class WriterQueue:
    """The writers of one engine in this process."""

    def __init__(self, engine: Engine) -> None:
        self._lock = threading.Lock()
        self._holder = None  # the DBAPI connection whose transaction may write
        for name in ("checkin", "invalidate", "close", "detach"):  # kept by engine.dispose()
            event.listen(engine, name, self._returned)

    def begin_immediate(self, connection: Connection) -> None:
        """Start the connection's transaction as the database's one writer (BEGIN IMMEDIATE),
        after the writers of this process before it. Raises OperationalError ("database is
        locked") when that takes longer than PATIENCE, as SQLite's busy timeout does."""
        dbapi_connection = connection.connection.dbapi_connection
        if not self._lock.acquire(timeout=PATIENCE):
            raise _locked("another request of this server kept the database locked")
        self._holder = dbapi_connection
        try:
            _begin_immediate(connection, dbapi_connection, time.monotonic() + PATIENCE)
        except BaseException:
            self._release(dbapi_connection)
            raise

    def _returned(self, dbapi_connection, *_) -> None:
        self._release(dbapi_connection)

    def _release(self, dbapi_connection) -> None:
        if dbapi_connection is not None and self._holder is dbapi_connection:
            self._holder = None
            self._lock.release()


def _begin_immediate(connection: Connection, dbapi_connection, deadline: float) -> None:
    """BEGIN IMMEDIATE, tried every RETRY seconds (not after SQLite's growing sleeps) until the
    deadline; SQLite's busy timeout is set back before returning."""
    dbapi_connection.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as error:
                if "locked" not in str(error.orig) or time.monotonic() > deadline:
                    raise
            time.sleep(RETRY)
    finally:
        dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _locked(why: str) -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", None, Exception(f"database is locked: {why}"))


_QUEUES: "weakref.WeakKeyDictionary[Engine, WriterQueue]" = weakref.WeakKeyDictionary()
_CREATING = threading.Lock()


def queue_of(engine: Engine) -> WriterQueue:
    """The engine's writer queue in this process (made on first use)."""
    queue = _QUEUES.get(engine)
    if queue is None:
        with _CREATING:
            queue = _QUEUES.get(engine)
            if queue is None:
                queue = _QUEUES[engine] = WriterQueue(engine)
    return queue
