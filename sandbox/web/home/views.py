from flask import redirect, url_for
from flask_login import current_user, login_required

from sandbox.web.home import bp
from sandbox.web.layout import navigation_for, render


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    return redirect(url_for("auth.login"))


@bp.get("/dashboard")
@login_required
def dashboard():
    return render("home/dashboard.html", destinations=navigation_for(current_user)[1:])
