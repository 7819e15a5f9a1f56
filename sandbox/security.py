"""Who is signed in, what they may do, and CSRF protection for every state change."""

import re
import time
from datetime import UTC, datetime, timedelta
from functools import wraps

from flask import Flask, abort, current_app, request
from flask import session as session_data
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import delete
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


@login_manager.user_loader
def _load_user(sign_in_id: str) -> User | None:
    """The person a session or remember-me cookie names (User.get_id), while it still counts:
    the account is active, its session version has not moved on (new password, reset,
    deactivation, "sign out of all devices") and the sign-in is younger than
    REMEMBER_COOKIE_DURATION."""
    match = _SIGN_IN_ID.fullmatch(sign_in_id)
    if match is None:
        return None
    user_id, version, issued = (int(part) for part in match.groups()[:3])
    age = time.time() - issued
    if not -60 <= age <= _longest_sign_in().total_seconds():
        return None
    # One read on every request: the person, their roles, and whether this device signed out.
    found = get_session().exec(
        select(User, EndedSignIn.sign_in)
        .outerjoin(EndedSignIn, EndedSignIn.sign_in == match.group(4))
        .where(User.id == user_id).options(joinedload(User.roles))).unique().first()
    if found is None:
        return None
    user, ended = found
    if not user.is_active or user.session_version != version:
        return None
    if ended is not None:  # signed out on its device
        return None
    return user


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
