"""The trainers' review queue: read a finished run's debrief, confirm its score or change it."""

import uuid

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlmodel import select

from sandbox import calibration, evidence, fairness, items, library, reviews, versions
from sandbox.core import items as item_rules
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
    people = _names([run.user_id for run in waiting] + [run.user_id for _, run in done])
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


def _page(run: Run, *, error: str | None = None, values: dict | None = None, status: int = 200,
          void_error: str | None = None, dispute_error: str | None = None):
    session = get_session()
    report = debrief.build(session, run, at=request.args.get("at", type=int))
    trainee = session.get(User, run.user_id)
    following = next((r for r in reviews.pending(session, limit=2) if r.id != run.id), None)
    context = dict(report=report, trainee=trainee, labels=ACTION_LABELS, error=error,
                   played=versions.played_by(session, run),
                   values=values or {}, key=uuid.uuid4().hex, next_run=following,
                   own=run.user_id == current_user.id, void_error=void_error,
                   voided=evidence.last_void(run) is not None, dispute_error=dispute_error,
                   disputes=calibration.disputes_of(session, run), kinds=calibration.KINDS,
                   reply_labels=calibration.LABELS)
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


@bp.post("/runs/<int:run_id>/void")
@roles_required("trainer")
def void(run_id: int):
    """Void the run (it stops counting as evidence) or count it again, with a reason."""
    run = _finished_run(run_id)
    form = request.form
    try:
        entry = evidence.record_void(session=get_session(), run=run, trainer=current_user,
                                     key=form.get("key", ""), decision=form.get("decision", ""),
                                     reason=form.get("reason", ""))
    except evidence.VoidError as problem:
        values = {"reason": form.get("reason", "")}
        return _page(run, void_error=str(problem), values=values, status=422)
    flash("Run voided: it no longer counts on the talent board." if entry.decision == "voided"
          else "Run restored: it counts on the talent board again, if it is a complete exam.",
          "success")
    return redirect(url_for("review.run", run_id=run.id))


@bp.post("/runs/<int:run_id>/disputes")
@roles_required("trainer")
def dispute(run_id: int):
    """Mark one finding as wrong, or one criterion's score as too high or too low."""
    run = _finished_run(run_id)
    form = request.form
    try:
        calibration.record_dispute(
            session=get_session(), run=run, trainer=current_user, key=form.get("key", ""),
            event=form.get("event", ""), criterion=form.get("criterion", ""),
            what=form.get("what", ""), label=form.get("label", ""),
            comment=form.get("comment", ""))
    except calibration.DisputeError as problem:
        return _page(run, dispute_error=str(problem), status=422)
    flash("Dispute recorded: it counts on the Calibration page.", "success")
    return redirect(url_for("review.run", run_id=run.id, _anchor="dispute-panel"))


@bp.get("/calibration")
@roles_required("trainer", "admin")
def calibration_page():
    return render("review/calibration.html", reports=calibration.report(get_session()),
                  titles=library.titles(current_app.config["SCENARIOS_DIR"]),
                  kinds=calibration.KINDS, dimensions=calibration.DIMENSIONS,
                  kappa_words=calibration.kappa_words)


@bp.get("/items")
@roles_required("trainer", "admin")
def items_page():
    """Item analysis: per scenario and event, how hard it is and whether it separates; and the
    fairness check of the scores."""
    rules = evidence.EvidenceRules.from_config(current_app.config)
    session = get_session()
    return render("review/items.html", scenarios=items.analysis(session, rules=rules),
                  fairness=fairness.fairness(session, rules=rules),
                  titles=library.titles(current_app.config["SCENARIOS_DIR"]),
                  limits=item_rules)
