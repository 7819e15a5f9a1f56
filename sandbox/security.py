"""Who is signed in, what they may do, and CSRF protection for every state change."""

from functools import wraps

from flask import Flask, abort
from flask_login import LoginManager, current_user, login_required
from flask_wtf.csrf import CSRFProtect

from sandbox.db import get_session
from sandbox.models import User

login_manager = LoginManager()
csrf = CSRFProtect()


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.init_app(app)
    csrf.init_app(app)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    return user if user and user.is_active else None


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
