from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from sandbox import accounts, passwords
from sandbox.accounts import MIN_PASSWORD_LENGTH, Throttle, TooManyAttempts, authenticate
from sandbox.db import get_session
from sandbox.security import sign_in_again, sign_out
from sandbox.web.auth.forms import SignInForm
from sandbox.web.layout import render

bp = Blueprint("auth", __name__)

GENERIC_FAILURE = "That e-mail and password do not match an active account."


def _throttle() -> Throttle:
    from datetime import timedelta

    config = current_app.config
    return Throttle(
        max_per_account=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        max_per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        window=timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"]),
    )


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never send someone to another host after signing in. A path
    with control characters or a backslash (read as "/" by some browsers) is ignored too."""
    if (target and target.startswith("/") and not target.startswith("//")
            and "\\" not in target and target.isprintable()):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("home.dashboard")


@bp.route("/sign-in", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authenticate(
                session=get_session(),
                email=form.email.data,
                password=form.password.data,
                address=request.remote_addr or "unknown",
                throttle=_throttle(),
            )
        except TooManyAttempts as refusal:
            flash(str(refusal), "error")
            status = 429
        else:
            if user:
                login_user(user, remember=form.remember.data)
                return redirect(_safe_next(request.args.get("next")))
            flash(GENERIC_FAILURE, "error")
            status = 401
    elif form.is_submitted():
        flash(GENERIC_FAILURE, "error")
        status = 400
    return render("auth/login.html", form=form), status


@bp.post("/sign-out")
def logout():
    sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/join/<token>", methods=["GET", "POST"])
def join(token: str):
    """An invitation link: the invited person chooses a name and password and joins the cohort."""
    from sandbox import cohorts

    session = get_session()
    try:
        invitation = cohorts.find_invitation(session, token)
    except cohorts.CohortError as problem:
        return render("auth/join.html", invalid=str(problem)), 404
    # Whoever is signed in here stays signed in until the form is sent (a GET never signs
    # anyone out: a link in a page or an e-mail preview must not end someone's session).
    error, status = None, 200
    if request.method == "POST":  # CSRFProtect has checked the token
        form = request.form
        try:
            if form.get("password", "") != form.get("password_again", ""):
                raise cohorts.CohortError("The two passwords are different; type them again.")
            user = cohorts.accept_invitation(session, token, name=form.get("name", ""),
                                             password=form.get("password", ""))
        except cohorts.CohortError as problem:
            error, status = str(problem), 422
        else:
            sign_out()  # whoever was signed in on this browser (their remember-me too)
            login_user(user)
            flash(f"Welcome, {user.name.split()[0]}: your assigned scenarios are below.", "success")
            return redirect(url_for("home.dashboard"))
    return render("auth/join.html", invitation=invitation, error=error,
                  name=request.form.get("name", ""), min_length=MIN_PASSWORD_LENGTH), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    error, status = None, 200
    if request.method == "POST":  # CSRFProtect has checked the token
        form = request.form
        try:
            passwords.change_password(
                session=get_session(), user=current_user, current=form.get("current", ""),
                new=form.get("password", ""), again=form.get("password_again", ""),
                address=request.remote_addr or "unknown", throttle=_throttle())
        except TooManyAttempts as refusal:
            error, status = str(refusal), 429
        except passwords.PasswordError as problem:
            error, status = str(problem), 422
        else:
            sign_in_again(current_user)  # every other device is signed out
            flash("Your password is changed. Any other device signed in to your account is "
                  "now signed out.", "success")
            return redirect(url_for("home.dashboard"))
    return render("auth/password.html", error=error, min_length=MIN_PASSWORD_LENGTH), status


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session and remember-me cookie of this account, this device's included."""
    session = get_session()
    accounts.end_sessions(session=session, user=current_user)
    session.commit()
    logout_user()
    flash("You are signed out on every device, this one included. Sign in again to continue.",
          "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """A reset link from an administrator: the person chooses a new password and is signed in."""
    session, secret = get_session(), current_app.config["SECRET_KEY"]
    error, status = None, 200
    try:
        if request.method == "POST":  # CSRFProtect has checked the token
            user = passwords.reset_password(
                session=session, token=token, secret=secret,
                new=request.form.get("password", ""),
                again=request.form.get("password_again", ""),
                address=request.remote_addr or "unknown", throttle=_throttle())
            sign_out()  # whoever was signed in on this browser (their remember-me too)
            login_user(user)
            flash("Your new password is saved, and you are signed in.", "success")
            return redirect(url_for("home.dashboard"))
        user = passwords.user_for_reset(session, token, secret)
    except TooManyAttempts as refusal:
        return render("auth/reset.html", invalid=str(refusal)), 429
    except passwords.ResetLinkError as problem:
        return render("auth/reset.html", invalid=str(problem)), 404
    except passwords.PasswordError as problem:
        user = passwords.user_for_reset(session, token, secret)
        error, status = str(problem), 422
    return render("auth/reset.html", user=user, error=error,
                  min_length=MIN_PASSWORD_LENGTH), status
