"""Changing a password, and reset links an administrator hands to someone who forgot theirs.

The product sends no e-mail: an administrator creates a link and passes it on, as trainers do
with invitations. A link is signed with the app's secret key and carries a fingerprint of the
password it replaces, so it stops working once it has been used (or once any new password is
set), and after RESET_HOURS; nothing about it is stored.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlmodel import Session

from sandbox import accounts
from sandbox.models import User

RESET_HOURS = 24
_SALT = "community-sandbox.password-reset"


class PasswordError(ValueError):
    """Why a password was not changed; the message is meant for the person."""


class ResetLinkError(PasswordError):
    """Why a reset link cannot be used at all (expired, used, forged, deactivated account)."""


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def _signer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def _check_new(password: str, again: str) -> None:
    if password != again:
        raise PasswordError("The two new passwords are different; type them again.")
    if len(password) < accounts.MIN_PASSWORD_LENGTH:
        raise PasswordError(f"Choose a password of at least {accounts.MIN_PASSWORD_LENGTH} "
                            "characters.")


def change_password(*, session: Session, user: User, current: str, new: str, again: str,
                    address: str, throttle: accounts.Throttle) -> None:
    """Set `new` when `current` is the user's password.

    A wrong current password counts as a failed sign-in, so a session left open on a shared
    computer cannot be used to guess it. A form sent twice (a double click) finds `new` already
    set: that is a success, not "wrong current password".
    """
    if accounts.authenticate(session=session, email=user.email, password=current,
                             address=address, throttle=throttle) is None:
        # the failure is recorded above, so this second check cannot be used to guess either
        if new == again and accounts.has_password(user, new):
            return
        raise PasswordError("Your current password is not that one. Nothing was changed.")
    _check_new(new, again)
    accounts.set_password(session=session, user=user, password=new)
    session.commit()


def reset_token(user: User, secret: str) -> str:
    if not user.is_active:
        raise PasswordError(f"{user.email}'s account is deactivated: reactivate it first.")
    return _signer(secret).dumps({"user": user.id, "password": _fingerprint(user)})


def _read_link(session: Session, token: str, secret: str) -> tuple[User, bool]:
    """The active person a genuine, unexpired link names, and whether it is still unused."""
    try:
        data = _signer(secret).loads(token, max_age=RESET_HOURS * 3600)
    except SignatureExpired:
        raise ResetLinkError(f"This reset link has expired (links work for {RESET_HOURS} "
                             "hours). Ask an administrator for a new one.") from None
    except BadSignature:
        raise ResetLinkError("This reset link is not valid: it may be incomplete. Ask an "
                             "administrator for a new one.") from None
    user = session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or not user.is_active:
        raise ResetLinkError("This reset link is for an account that is no longer active. Ask "
                             "an administrator.")
    return user, data.get("password") == _fingerprint(user)


_USED = ("This reset link has already been used, or the password was changed since. Ask an "
         "administrator for a new one.")


def user_for_reset(session: Session, token: str, secret: str) -> User:
    """The person an unused reset link is for, or ResetLinkError saying why it does not work."""
    user, unused = _read_link(session, token, secret)
    if not unused:
        raise ResetLinkError(_USED)
    return user


def reset_password(*, session: Session, token: str, secret: str, new: str, again: str,
                   address: str, throttle: accounts.Throttle) -> User:
    """Set a new password through a reset link; the link then stops working.

    The same form sent twice (a double click) finds the link used but `new` already set, and
    succeeds again; checking that goes through the sign-in throttle, so a used link is no way
    around it.
    """
    user, unused = _read_link(session, token, secret)
    if not unused:
        if new == again and accounts.authenticate(session=session, email=user.email,
                                                  password=new, address=address,
                                                  throttle=throttle):
            return user
        raise ResetLinkError(_USED)
    _check_new(new, again)
    accounts.set_password(session=session, user=user, password=new)
    session.commit()
    return user
