"""Who is signed in, what they may do, and CSRF protection for every state change."""

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache, wraps

from flask import Flask, abort, current_app, request
from flask import session as session_data
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import bindparam, delete, exists
from sqlalchemy.orm import joinedload
from sqlmodel import select

from sandbox.db import get_session
from sandbox.models import EndedSignIn, User, utcnow

login_manager = LoginManager()
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.init_app(app)
    csrf.init_app(app)
    # The remember-me cookie is as secret as the session cookie: one setting for both.
    for flag in ("SECURE", "HTTPONLY", "SAMESITE"):
        app.config[f"REMEMBER_COOKIE_{flag}"] = app.config[f"SESSION_COOKIE_{flag}"]


_SIGN_IN_ID = re.compile(r"([0-9]{1,18})\.([0-9]{1,18})\.([0-9]{1,12})\.([A-Za-z0-9_-]{1,40})")


@dataclass(frozen=True)
class SignIn:
    """A sign-in a session or remember-me cookie names (User.get_id), young enough to count."""

    user_id: int
    version: int  # the person's session version when they signed in
    token: str  # its random part: what signing out on the device records (EndedSignIn)

    @classmethod
    def parse(cls, sign_in_id: str) -> "SignIn | None":
        match = _SIGN_IN_ID.fullmatch(sign_in_id)
        if match is None:
            return None
        user_id, version, issued = (int(part) for part in match.groups()[:3])
        age = time.time() - issued
        if not -60 <= age <= _longest_sign_in().total_seconds():
            return None
        return cls(user_id, version, match.group(4))

    def still_counts(self) -> list:
        return still_counts(self.user_id, self.version, self.token)

    def params(self) -> dict:
        """Values for the bind parameters of still_counts(*SIGN_IN_PARAMS)."""
        return {"user_id": self.user_id, "version": self.version, "token": self.token}


def still_counts(user_id, version, token) -> list:
    """The SQL conditions, on User, for a sign-in to still count: the account is active, its
    session version has not moved on (new password, reset, deactivation, "sign out of all
    devices") and this device did not sign out. Values, or bind parameters (SIGN_IN_PARAMS)
    for a statement built once."""
    return [User.id == user_id, User.is_active, User.session_version == version,
            ~exists().where(EndedSignIn.sign_in == token)]


SIGN_IN_PARAMS = (bindparam("user_id"), bindparam("version"), bindparam("token"))


@login_manager.user_loader
def _load_user(sign_in_id: str) -> User | None:
    """The person a session or remember-me cookie names, while the sign-in still counts
    (SignIn); one read on every request: the person and their roles."""
    sign_in = SignIn.parse(sign_in_id)
    if sign_in is None:
        return None
    return get_session().exec(_signed_in_user(), params=sign_in.params()).unique().first()


@cache
def _signed_in_user():
    """Built once: building the statement cost more than the read, on every request."""
    return select(User).where(*still_counts(*SIGN_IN_PARAMS)).options(joinedload(User.roles))


def session_sign_in() -> SignIn | None:
    """The sign-in this request's session holds, when Flask-Login would accept the session as
    it is (its session protection passes): for a hot path that checks it in its own query
    (SignIn.still_counts) instead of loading the person. None: let Flask-Login decide (no
    session sign-in, a remember-me cookie, a session from another browser)."""
    sign_in_id = session_data.get("_user_id")
    # "strong" session protection: the session is bound to its browser and address
    if sign_in_id is None or session_data.get("_id") != (
            login_manager._session_identifier_generator()):
        return None
    return SignIn.parse(str(sign_in_id))


def sign_out() -> None:
    """End this device's sign-in for good: its session and remember-me cookie, and any copy
    of them, stop working (not only forgotten by this browser)."""
    match = _SIGN_IN_ID.fullmatch(str(session_data.get("_user_id", "")))
    if match is not None:
        issued = datetime.fromtimestamp(int(match.group(3)), UTC)
        session = get_session()
        session.exec(delete(EndedSignIn).where(EndedSignIn.expires_at < utcnow()))
        if session.get(EndedSignIn, match.group(4)) is None:
            session.add(EndedSignIn(sign_in=match.group(4),
                                    expires_at=issued + _longest_sign_in()))
        session.commit()
    logout_user()


def _longest_sign_in() -> timedelta:
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


def sign_in_again(user: User) -> None:
    """Keep this device signed in after the person's session version moved on (they changed
    their own password here), with a remember-me cookie again if it had one."""
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in (
        request.cookies)
    login_user(user, remember=remembered)


def roles_required(*roles: str):
    """Allow signed-in users holding any of `roles`; others get 403 (or the sign-in page)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
