"""Sign-in throttling slows guessing down without locking the owner out, and holds under
parallel attempts; on SQLite and on PostgreSQL."""

import contextlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from sandbox import accounts, db
from sandbox.models import LoginAttempt

PASSWORD = "long enough password"
OWNER_ADDRESS, ATTACKER = "10.0.0.1", "10.6.6.6"
THROTTLE = accounts.Throttle(max_per_account=5, max_per_address=20,
                             window=timedelta(minutes=15), first_delay=timedelta(seconds=1))


@pytest.fixture
def engine(database_url, engine_for):
    db.upgrade(database_url)
    engine = engine_for(database_url)
    with Session(engine) as session:
        accounts.create_user(session=session, email="owner@example.com", name="Owner",
                             password=PASSWORD, roles=["trainee"])
        session.commit()
    return engine


@pytest.fixture
def session(engine):
    with Session(engine, expire_on_commit=False) as session:
        yield session


def sign_in(session, password=PASSWORD, address=OWNER_ADDRESS, email="owner@example.com",
            throttle=THROTTLE):
    return accounts.authenticate(session=session, email=email, password=password,
                                 address=address, throttle=throttle)


def time_passes(session, seconds: float) -> None:
    for attempt in session.exec(select(LoginAttempt)).all():
        attempt.at -= timedelta(seconds=seconds)
        session.add(attempt)
    session.commit()


def test_forty_parallel_guesses_get_no_more_password_checks_than_allowed(engine, monkeypatch):
    checks, real_check = [], accounts.check_password_hash

    def counting_check(stored, password):
        checks.append(password)
        time.sleep(0.02)  # as long as a real hash takes, to widen any gap between count and insert
        return real_check(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting_check)
    throttle = accounts.Throttle(max_per_account=5, first_delay=timedelta(minutes=1))
    start = threading.Barrier(40)

    def guess(number):
        start.wait()
        with Session(engine, expire_on_commit=False) as session:
            try:
                return sign_in(session, f"guess {number}", ATTACKER, throttle=throttle)
            except accounts.TooManyAttempts:
                return "refused"

    with ThreadPoolExecutor(40) as pool:
        results = list(pool.map(guess, range(40)))
    assert len(checks) == throttle.max_per_account
    assert results.count("refused") == 40 - throttle.max_per_account
    with Session(engine) as session:
        assert len(session.exec(select(LoginAttempt)).all()) == throttle.max_per_account


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out_at_their_usual_address(
        session):
    assert sign_in(session)  # the owner's usual address
    for number in range(THROTTLE.max_per_account * 3):
        with contextlib.suppress(accounts.TooManyAttempts):
            sign_in(session, f"guess {number}", ATTACKER)
    with pytest.raises(accounts.TooManyAttempts, match="Wait 15 minutes"):
        sign_in(session, address=ATTACKER)  # the guesser is refused, even with the password
    with pytest.raises(accounts.TooManyAttempts):
        sign_in(session, address="10.7.7.7")  # so is any other unfamiliar address
    assert sign_in(session) is not None  # the owner is not


def test_the_owner_who_mistypes_at_their_usual_address_waits_seconds_that_double(session):
    assert sign_in(session)
    for number in range(THROTTLE.max_per_account):
        assert sign_in(session, f"typo {number}") is None
    with pytest.raises(accounts.TooManyAttempts, match="Wait 1 second and"):
        sign_in(session)
    time_passes(session, 1.5)
    assert sign_in(session, "one more typo") is None
    with pytest.raises(accounts.TooManyAttempts, match="Wait 2 seconds"):
        sign_in(session)
    time_passes(session, 2.5)
    assert sign_in(session) is not None
    assert sign_in(session, "typo after a success") is None  # a success starts afresh


def test_one_address_guessing_many_accounts_does_not_lock_out_people_signing_in_there(
        session):
    assert sign_in(session, address=ATTACKER)  # the owner works behind the same address
    for number in range(THROTTLE.max_per_address):
        sign_in(session, "guess", ATTACKER, email=f"nobody{number}@example.com")
    with pytest.raises(accounts.TooManyAttempts):
        sign_in(session, "guess", ATTACKER, email="someone-else@example.com")
    assert sign_in(session, address=ATTACKER) is not None


def test_a_refusal_does_not_check_the_password_or_record_an_attempt(session, monkeypatch):
    for number in range(THROTTLE.max_per_account):
        sign_in(session, f"guess {number}", ATTACKER)
    recorded = len(session.exec(select(LoginAttempt)).all())
    monkeypatch.setattr(accounts, "check_password_hash",
                        lambda *_: pytest.fail("the password was checked"))
    with pytest.raises(accounts.TooManyAttempts):
        sign_in(session, address=ATTACKER)
    assert len(session.exec(select(LoginAttempt)).all()) == recorded


def test_old_sign_in_attempts_are_forgotten_once_the_throttle_no_longer_reads_them(session):
    now = accounts.utcnow()
    for succeeded, age in ((False, timedelta(days=31)), (False, timedelta(days=29)),
                           (True, timedelta(days=181)), (True, timedelta(days=179))):
        session.add(LoginAttempt(email="owner@example.com", address=OWNER_ADDRESS,
                                 succeeded=succeeded, at=now - age))
    session.commit()

    sign_in(session)

    kept = sorted((a.succeeded, round((now - accounts._aware(a.at)).total_seconds() / 86400))
                  for a in session.exec(select(LoginAttempt)).all())
    assert kept == [(False, 29), (True, 0), (True, 179)]
