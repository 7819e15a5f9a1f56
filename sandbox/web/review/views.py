"""The trainers' review queue: read a finished run's debrief, confirm its score or change it."""

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlmodel import select

from sandbox import library, reviews
from sandbox.core.vocabulary import ACTION_LABELS
from sandbox.db import get_session
from sandbox.models import Run, User
from sandbox.practice_view import debrief
from sandbox.security import roles_required
from sandbox.web.layout import render

bp = Blueprint("review", __name__, url_prefix="/review")


def _names(user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    users = get_session().exec(select(User).where(User.id.in_(ids)))  # type: ignore[union-attr]
    return {user.id: user.name for user in users}


@bp.get("/")
@roles_required("trainer")
def index():
    session = get_session()
    waiting = reviews.pending(session)
    done = reviews.recent(session)
    people = _names([run.user_id for run in waiting] + [r.run.user_id for r in done])
    return render("review/index.html", waiting=waiting, done=done, people=people,
                  titles=library.titles(current_app.config["SCENARIOS_DIR"]))


def _finished_run(run_id: int) -> Run:
    run = get_session().get(Run, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/runs/<int:run_id>")
@roles_required("trainer")
def run(run_id: int):
    run = _finished_run(run_id)
    if run.finished_at is None or not run.result:
        flash("This run is still being played: it can be reviewed once it is finished.", "error")
        return redirect(url_for("review.index"))
    return _page(run)


def _page(run: Run, *, error: str | None = None, values: dict | None = None, status: int = 200):
    session = get_session()
    report = debrief.build(session, run, at=request.args.get("at", type=int))
    trainee = session.get(User, run.user_id)
    following = next((r for r in reviews.pending(session) if r.id != run.id), None)
    context = dict(report=report, trainee=trainee, labels=ACTION_LABELS, error=error,
                   values=values or {}, key=uuid.uuid4().hex, next_run=following,
                   own=run.user_id == current_user.id)
    return render("review/run.html", fragment="practice/_replay.html", **context), status


@bp.post("/runs/<int:run_id>")
@roles_required("trainer")
def submit(run_id: int):
    run = _finished_run(run_id)
    form = request.form
    try:
        reviews.record_review(
            session=get_session(), run=run, reviewer=current_user, key=form.get("key", ""),
            decision=form.get("decision", ""), comment=form.get("comment", ""),
            overall=form.get("overall"),
            dimensions={name: form.get(name) for name in reviews.DIMENSIONS})
    except reviews.ReviewError as problem:
        values = {name: form.get(name, "") for name in ("overall", *reviews.DIMENSIONS)}
        values["comment"] = form.get("comment", "")
        return _page(run, error=str(problem), values=values, status=422)
    flash("Review saved: the trainee and HR now see it.", "success")
    return redirect(url_for("review.run", run_id=run.id))
