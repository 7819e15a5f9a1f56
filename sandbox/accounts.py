"""Accounts: creating people, checking passwords, roles, bulk import. One write path for each."""

import csv
import functools
import io
import os
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from sandbox.db import lock_for_writing
from sandbox.models import ROLE_NAMES, LoginAttempt, User, UserRole, utcnow

MIN_PASSWORD_LENGTH = 8
DEFAULT_HASH_METHOD = "scrypt"  # werkzeug's default: memory-hard, ~50-100 ms a check
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message is for a person."""


class AccountExists(AccountError):
    """The e-mail address already has an account."""


class RoleError(AccountError):
    """Unknown role names, or none at all."""


class LockOut(AccountError):
    """A change that would leave an administrator, or everyone, without access to Users."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def parse_roles(text: str | Iterable[str]) -> list[str]:
    """Roles from "trainee; trainer" or a list; unknown names raise AccountError."""
    items = re.split(r"[;,\s]+", text) if isinstance(text, str) else list(text)
    roles = sorted({item.strip().lower() for item in items if item and item.strip()})
    unknown = [role for role in roles if role not in ROLE_NAMES]
    if unknown:
        raise RoleError(
            f"unknown role {', '.join(repr(r) for r in unknown)}; "
            f"use one or more of: {', '.join(ROLE_NAMES)}"
        )
    if not roles:
        raise RoleError(f"give at least one role: {', '.join(ROLE_NAMES)}")
    return roles


MAX_EMAIL = 254  # the longest address the standards allow, and the column's length
MAX_NAME = 120


def check_new_account(email: str, name: str, password: str) -> None:
    if len(email) > MAX_EMAIL or not _EMAIL.match(email) or "\x00" in email:
        shown = email if len(email) <= 60 else email[:57] + "..."
        raise AccountError(f"{shown!r} is not an e-mail address"
                           + (f" (at most {MAX_EMAIL} characters)" if len(email) > MAX_EMAIL
                              else ""))
    if not name.strip():
        raise AccountError("the name is empty")
    if len(name.strip()) > MAX_NAME:
        raise AccountError(f"the name is {len(name.strip())} characters long; keep it to "
                           f"{MAX_NAME}")
    if "\x00" in name:
        raise AccountError("the name contains an invisible NUL character; type it again")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")


def hash_method() -> str:
    """How new passwords are hashed: the PASSWORD_HASH_METHOD setting (cheap in test suites)."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_HASH_METHOD
    return os.environ.get("PASSWORD_HASH_METHOD") or DEFAULT_HASH_METHOD


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=hash_method())


@functools.cache
def _dummy_hash(method: str) -> str:
    """Checked against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong
    password; made on first use, not at import."""
    return generate_password_hash("not-a-real-password", method=method)


def find_user(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def create_user(
    *, session: Session, email: str, name: str, password: str, roles: Iterable[str]
) -> User:
    """Add an account (not committed); raises AccountError with a readable reason."""
    email = normalise_email(email)
    role_list = parse_roles(list(roles))
    check_new_account(email, name, password)
    if find_user(session, email):
        raise AccountExists(f"an account for {email} already exists")
    user = User(
        email=email,
        name=name.strip(),
        password_hash=hash_password(password),
        roles=[UserRole(role=role) for role in role_list],
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # the same account created at the same moment (a double click)
        session.rollback()
        raise AccountExists(f"an account for {email} already exists") from None
    return user


def set_roles(*, session: Session, user: User, roles: Iterable[str]) -> None:
    wanted = set(parse_roles(list(roles)))
    user.roles = [link for link in user.roles if link.role in wanted] + [
        UserRole(role=role) for role in sorted(wanted - user.role_names)
    ]
    session.add(user)


def update_account(*, session: Session, user: User, roles: Iterable[str], active: bool,
                   by: User | None = None) -> None:
    """Set someone's roles and whether they may sign in (not committed), as `by` (an admin;
    None on the command line). Refused with LockOut when an administrator would remove their
    own admin role or deactivate themselves, or when no active administrator would be left."""
    wanted = set(parse_roles(list(roles)))
    loses_admin = user.has_role("admin") and user.is_active and (
        "admin" not in wanted or not active)
    if loses_admin and by is not None and by.id == user.id:
        raise LockOut("you cannot remove your own admin role or deactivate yourself")
    if loses_admin and not _other_active_admins(session, user):
        raise LockOut(f"{user.email} is the last active administrator: make someone else an "
                      "administrator first")
    set_roles(session=session, user=user, roles=wanted)
    set_active(session=session, user=user, active=active)


def _other_active_admins(session: Session, user: User) -> int:
    return session.exec(select(func.count()).select_from(User).join(UserRole).where(
        UserRole.role == "admin", User.is_active.is_(True), User.id != user.id)).one()


def set_active(*, session: Session, user: User, active: bool) -> None:
    """Deactivating also ends every session and remember-me cookie of the person."""
    if user.is_active and not active:
        end_sessions(session=session, user=user)
    user.is_active = active
    session.add(user)


def set_password(*, session: Session, user: User, password: str) -> None:
    """A new password also ends every session and remember-me cookie signed in with the old."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password)
    end_sessions(session=session, user=user)


def end_sessions(*, session: Session, user: User) -> None:
    """Sign the person out on every device: sessions and cookies carry the old version."""
    user.session_version = (user.session_version or 1) + 1
    session.add(user)


def has_password(user: User, password: str) -> bool:
    return check_password_hash(user.password_hash, password)


def list_users(session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(func.lower(User.name))).all())


# --- signing in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Throttle:
    """How failed sign-ins are slowed down, without locking the owner out.

    From one address, one account gets `max_per_account` failures; each further attempt then
    waits `first_delay`, twice that, four times... (at most `max_delay`) after the last failure,
    until a success from there. Addresses that never signed in to the account ("unfamiliar")
    are refused outright, for the rest of the `window`, once the account failed
    `max_per_account` times from unfamiliar addresses, or once the address itself failed
    `max_per_address` times over all accounts; the owner's usual address only ever waits.
    """

    max_per_account: int = 5
    max_per_address: int = 20
    window: timedelta = timedelta(minutes=15)
    first_delay: timedelta = timedelta(seconds=1)
    max_delay: timedelta = timedelta(minutes=5)
    familiar_for: timedelta = timedelta(days=180)  # a success this recent makes it familiar
    keep_failures_for: timedelta = timedelta(days=30)  # for an admin looking into an incident


class TooManyAttempts(AccountError):
    def __init__(self, retry_after: timedelta):
        super().__init__(
            f"Too many failed sign-in attempts. Wait {_how_long(retry_after)} and try again."
        )
        self.retry_after = retry_after


def _how_long(span: timedelta) -> str:
    seconds = max(1, round(span.total_seconds()))
    count, unit = (seconds, "second") if seconds < 90 else (round(seconds / 60), "minute")
    return f"{count} {unit}{'s' if count != 1 else ''}"


_SIGN_IN_LOCK = "sandbox.sign-in"


def authenticate(
    *, session: Session, email: str, password: str, address: str, throttle: Throttle
) -> User | None:
    """The active user with these credentials, or None. Every attempt is recorded (committed).

    Raises TooManyAttempts, before checking the password, when the throttle says so. Deciding
    and recording the attempt happen under one lock, so parallel guesses cannot slip past the
    count: each is recorded as a failure before its password is checked, and marked a success
    afterwards if it was one.
    """
    email, address = normalise_email(email).replace("\x00", "")[:MAX_EMAIL], address[:64]
    user = find_user(session, email)
    attempt_id = _admit(session, email, address, throttle)
    stored = user.password_hash if user else _dummy_hash(hash_method())
    succeeded = bool(check_password_hash(stored, password) and user and user.is_active)
    if succeeded:
        attempt = session.get(LoginAttempt, attempt_id)
        attempt.succeeded = True
        session.add(attempt)
        session.commit()
    return user if succeeded else None


def _admit(session: Session, email: str, address: str, throttle: Throttle) -> int:
    """Record an attempt (as failed until proven otherwise), or raise TooManyAttempts.

    Ends the session's transaction: the lock is held from the count to this commit only.
    """
    lock_for_writing(session, _SIGN_IN_LOCK)
    wait = _wait_before_next(session, email, address, throttle, utcnow())
    if wait is not None:
        session.rollback()
        raise TooManyAttempts(wait)
    attempt = LoginAttempt(email=email, address=address, succeeded=False)
    session.add(attempt)
    _forget_old_attempts(session, throttle, utcnow())
    session.commit()
    return attempt.id


def _forget_old_attempts(session: Session, throttle: Throttle, now: datetime) -> None:
    """Failures past `keep_failures_for` and successes past `familiar_for` count for nothing
    any more: the table holds what the throttle reads, not everyone's history."""
    session.execute(delete(LoginAttempt).where(
        or_(and_(LoginAttempt.succeeded.is_(False),
                 LoginAttempt.at < now - max(throttle.keep_failures_for, throttle.window)),
            LoginAttempt.at < now - throttle.familiar_for)))


def _wait_before_next(session: Session, email: str, address: str, throttle: Throttle,
                      now: datetime) -> timedelta | None:
    """How long this address must wait before trying this account again, or None."""
    failed = LoginAttempt.succeeded.is_(False)
    recent = LoginAttempt.at >= now - throttle.window

    last_success = session.exec(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.address == address,
        LoginAttempt.succeeded.is_(True))).one()
    familiar = last_success is not None and _aware(last_success) >= now - throttle.familiar_for
    if not familiar:
        familiar_addresses = select(LoginAttempt.address).where(
            LoginAttempt.email == email, LoginAttempt.succeeded.is_(True),
            LoginAttempt.at >= now - throttle.familiar_for)
        for conditions, limit in (
            ((LoginAttempt.email == email, LoginAttempt.address.not_in(familiar_addresses)),
             throttle.max_per_account),
            ((LoginAttempt.address == address,), throttle.max_per_address),
        ):
            count, oldest = session.exec(select(func.count(), func.min(LoginAttempt.at))
                                         .where(failed, recent, *conditions)).one()
            if count >= limit:
                return _aware(oldest) + throttle.window - now

    since = now - throttle.window
    if last_success is not None and _aware(last_success) > since:
        since = _aware(last_success)
    count, last = session.exec(select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.email == email, LoginAttempt.address == address, failed,
        LoginAttempt.at > since)).one()
    if count < throttle.max_per_account:
        return None
    doublings = min(count - throttle.max_per_account, 30)
    delay = min(throttle.first_delay * 2**doublings, throttle.max_delay)
    wait = _aware(last) + delay - now
    return wait if wait > timedelta(0) else None


def _aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without their (UTC) time zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- bulk import ----------------------------------------------------------------------------

IMPORT_COLUMNS = ("email", "name", "roles", "password")


@dataclass
class ImportReport:
    created: list[tuple[str, str | None]] = field(default_factory=list)  # (email, new password)
    problems: list[str] = field(default_factory=list)  # "line 4: ..." — nothing imported if any

    @property
    def ok(self) -> bool:
        return not self.problems


def import_users_csv(*, session: Session, text: str) -> ImportReport:
    """Create every account of a CSV file (email,name,roles[,password]) or none of them.

    Rows without a password get a generated one, returned in the report. Nothing is committed
    when any row has a problem; the report then lists every problem with its line number.
    """
    report = ImportReport()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [column.strip().lower() for column in reader.fieldnames or []]
    missing = [column for column in IMPORT_COLUMNS[:3] if column not in header]
    if missing:
        report.problems.append(
            f"line 1: the header needs the columns {', '.join(IMPORT_COLUMNS[:3])}"
            f" (and optionally password); missing: {', '.join(missing)}"
        )
        return report
    reader.fieldnames = header
    seen: dict[str, int] = {}
    rows = []
    for row in reader:
        line = reader.line_num
        values = {key: (row.get(key) or "").strip() for key in IMPORT_COLUMNS}
        email = normalise_email(values["email"])
        password = values["password"] or secrets.token_urlsafe(9)
        try:
            roles = parse_roles(values["roles"])
            check_new_account(email, values["name"], password)
            if email in seen:
                raise AccountError(f"{email} is already on line {seen[email]}")
            if find_user(session, email):
                raise AccountError(f"an account for {email} already exists")
        except AccountError as error:
            report.problems.append(f"line {line}: {error}")
            continue
        seen[email] = line
        rows.append((email, values["name"], password, roles, not values["password"]))
    if not rows and not report.problems:
        report.problems.append("the file has a header but no accounts")
    if report.problems:
        return report
    for email, name, password, roles, generated in rows:
        create_user(session=session, email=email, name=name, password=password, roles=roles)
        report.created.append((email, password if generated else None))
    return report
