from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from sandbox import accounts, passwords
from sandbox.core.wording import sentence
from sandbox.db import get_session
from sandbox.models import ROLE_NAMES, User
from sandbox.security import roles_required
from sandbox.web.admin.forms import NewUserForm
from sandbox.web.layout import htmx, render

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@roles_required("admin")
def users():
    return render(
        "admin/users.html", users=accounts.list_users(get_session()), roles=ROLE_NAMES
    )


@bp.post("/users/<int:user_id>")
@roles_required("admin")
def update_user(user_id: int):
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    error = None
    try:
        accounts.update_account(session=session, user=user, roles=request.form.getlist("roles"),
                                active=request.form.get("active") == "on", by=current_user)
    except accounts.AccountError as problem:
        error = sentence(str(problem))
    else:
        session.commit()
    if error:
        session.rollback()
        session.refresh(user)
    message = error or f"Saved {user.name}."
    if htmx:
        return render("admin/_user_row.html", user=user, roles=ROLE_NAMES, message=message,
                      failed=bool(error)), (422 if error else 200)
    flash(message, "error" if error else "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/reset-link")
@roles_required("admin")
def reset_link(user_id: int):
    """A one-time link for someone who forgot their password, shown once to pass on."""
    session = get_session()
    user = session.get(User, user_id) or abort(404)
    try:
        token = passwords.reset_token(user, current_app.config["SECRET_KEY"])
    except passwords.PasswordError as problem:  # deactivated in another tab meanwhile
        if htmx:
            return render("admin/_user_row.html", user=user, roles=ROLE_NAMES,
                          message=str(problem), failed=True), 422
        flash(str(problem), "error")
        return redirect(url_for("admin.users"))
    link = url_for("auth.reset", token=token, _external=True)
    row = {"user": user, "roles": ROLE_NAMES, "reset_link": link,
           "reset_hours": passwords.RESET_HOURS}
    if htmx:
        return render("admin/_user_row.html", **row)
    return render("admin/users.html", users=accounts.list_users(session), roles=ROLE_NAMES,
                  reset_for=user.id, reset_link=link, reset_hours=passwords.RESET_HOURS)




@bp.route("/users/new", methods=["GET", "POST"])
@roles_required("admin")
def new_user():
    form = NewUserForm()
    chosen = request.form.getlist("roles") if form.is_submitted() else ["trainee"]
    role_error = None
    if form.validate_on_submit():
        session = get_session()
        try:
            user = accounts.create_user(
                session=session,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                roles=chosen,
            )
        except accounts.RoleError as problem:
            role_error = sentence(str(problem))
        except accounts.AccountError as problem:
            form.email.errors.append(sentence(str(problem)))
        else:
            session.commit()
            flash(f"Created an account for {user.name} ({user.email}).", "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.is_submitted() else 200
    return render("admin/new_user.html", form=form, roles=ROLE_NAMES, chosen=chosen,
                  role_error=role_error), status
