from datetime import date

from flask import Blueprint, current_app, redirect, url_for
from flask_login import current_user, login_required

from sandbox import cohorts, library, reviews, runs
from sandbox.db import get_session
from sandbox.profile import profile_of
from sandbox.web.layout import navigation_for, render

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    return redirect(url_for("auth.login"))


@bp.get("/dashboard")
@login_required
def dashboard():
    session = get_session()
    history = runs.runs_of(session, current_user) if current_user.has_role("trainee") else []
    waiting = reviews.count_pending(session) if current_user.has_role("trainer") else 0
    assigned = (cohorts.assignments_for(session, current_user)
                if current_user.has_role("trainee") else [])
    return render("home/dashboard.html", destinations=navigation_for(current_user)[1:],
                  profile=profile_of(history), history=history[:5],
                  scores={run.id: reviews.standing(run) for run in history[:5]},
                  waiting_reviews=waiting, assigned=assigned, today=date.today(),
                  titles=library.titles(current_app.config["SCENARIOS_DIR"]))
