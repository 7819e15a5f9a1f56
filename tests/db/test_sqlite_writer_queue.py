"""On SQLite, the requests of one server that write take turns in a queue of their own: each
starts as soon as the one before it commits or rolls back (not after SQLite's growing sleeps),
none is lost, and a writer of another process still gets its turn."""

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from sandbox import db, sqlite_writer

WRITERS = 8


@pytest.fixture
def engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'queue.db'}"
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE said (who INTEGER, at REAL)")
    yield engine
    engine.dispose()


WRITING: list[int] = []  # the writers between their turn's start and their commit


def write(engine, who: int, hold: float = 0.02) -> int:
    """One request's write transaction, doing `hold` seconds of work with the write lock; how
    many writers were in the middle of theirs meanwhile, itself included."""
    with Session(engine) as session:
        db.lock_for_writing(session, "said")
        WRITING.append(who)
        session.execute(text("INSERT INTO said VALUES (:who, 0)"), {"who": who})
        time.sleep(hold)  # the request's work while it holds the lock
        seen = len(WRITING)
        WRITING.remove(who)
        session.commit()
    return seen


def said(engine) -> list[int]:
    with engine.connect() as connection:
        return [row[0] for row in
                connection.exec_driver_sql("SELECT who FROM said ORDER BY rowid")]


def test_eight_requests_writing_at_once_all_commit_one_after_the_other(engine):
    with ThreadPoolExecutor(WRITERS) as pool:
        seen = list(pool.map(lambda who: write(engine, who), range(WRITERS)))
    assert sorted(said(engine)) == list(range(WRITERS))
    assert seen == [1] * WRITERS  # never two writers at once


def test_a_request_that_fails_mid_write_hands_its_turn_to_the_next(engine, monkeypatch):
    monkeypatch.setattr(sqlite_writer, "PATIENCE", 1.0)  # a turn never handed on: an error
    with Session(engine) as session:
        db.lock_for_writing(session, "said")
        session.execute(text("INSERT INTO said VALUES (1, 0)"))
        session.rollback()  # an error page: nothing kept, the turn is over
    write(engine, 2)
    with Session(engine) as session:
        db.lock_for_writing(session, "said")
        session.execute(text("INSERT INTO said VALUES (3, 0)"))
    # closed without commit: rolled back when its connection went back to the pool
    write(engine, 4)
    assert sorted(said(engine)) == [2, 4]


def test_a_writer_of_another_process_holding_the_database_is_waited_for_then_passed(engine):
    other = sqlite3.connect(engine.url.database, isolation_level=None,
                            check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO said VALUES (0, 0)")
    releaser = threading.Timer(0.3, other.execute, ("COMMIT",))
    releaser.start()
    try:
        write(engine, 1, hold=0)
    finally:
        releaser.join()
        other.close()
    assert said(engine) == [0, 1]  # the other's row first: ours waited for its commit


def test_a_database_locked_longer_than_the_patience_gives_the_usual_locked_error(
        engine, monkeypatch):
    monkeypatch.setattr(sqlite_writer, "PATIENCE", 0.2)
    other = sqlite3.connect(engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"):
            write(engine, 1)
    finally:
        other.execute("ROLLBACK")
        other.close()
    write(engine, 2)  # the queue was not left held (else: "database is locked" after 0.2 s)
    assert said(engine) == [2]
