"""Trainers' cohorts: people (and invitations), assigned scenarios, everyone's progress.

Every trainer and administrator reads every cohort; only its owners and administrators change it
(cohorts.can_change), so every view that writes goes through _changeable.
"""

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy.orm import lazyload

from sandbox import cohorts, library, lifecycle
from sandbox.db import get_session
from sandbox.models import Cohort
from sandbox.security import roles_required
from sandbox.web.layout import render

bp = Blueprint("cohorts", __name__, url_prefix="/cohorts")
STAFF = ("trainer", "admin")


def _cohort(cohort_id: int) -> Cohort:
    # members are read when needed: the page lists them without loading 500 accounts
    cohort = get_session().get(Cohort, cohort_id, options=[lazyload(Cohort.members)])
    if cohort is None:
        abort(404)
    return cohort


def _changeable(cohort_id: int) -> Cohort:
    """The cohort, if the signed-in person may change it; 403 for a trainer who reads it only."""
    cohort = _cohort(cohort_id)
    if not cohorts.can_change(current_user, cohort):
        abort(403)
    return cohort


def _playable() -> list[library.Entry]:
    """What can be assigned: the published scenarios trainees can play (sandbox.lifecycle)."""
    return lifecycle.for_trainees(get_session(), current_app.config["SCENARIOS_DIR"])


@bp.get("/")
@roles_required(*STAFF)
def index(error: str | None = None, form: dict | None = None, status: int = 200):
    return render("cohorts/index.html", cohorts=cohorts.all_cohorts(get_session()), error=error,
                  form=form or {}), status


@bp.post("/")
@roles_required(*STAFF)
def create():
    form = request.form
    try:
        cohort = cohorts.create_cohort(get_session(), name=form.get("name", ""),
                                       description=form.get("description", ""),
                                       owner=current_user)
    except cohorts.CohortError as problem:
        return index(error=str(problem), form=form, status=422)
    flash(f"Cohort \"{cohort.name}\" created: add people and assign scenarios.", "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort.id))


def _page(cohort: Cohort, *, status: int = 200, **context):
    session = get_session()
    scenarios = _playable()
    members = cohorts.members_of(session, cohort)
    return render("cohorts/detail.html", cohort=cohort, scenarios=scenarios,
                  titles={e.slug: e.title for e in library.entries(
                      current_app.config["SCENARIOS_DIR"])},
                  progress=cohorts.cohort_progress(session, cohort,
                                                   [m.user_id for m in members]),
                  today=date.today(), members=members,
                  can_change=cohorts.can_change(current_user, cohort),
                  possible_owners=cohorts.possible_owners(session, cohort),
                  **{"error": None, "links": [], "form": {}, **context}), status


@bp.get("/<int:cohort_id>")
@roles_required(*STAFF)
def detail(cohort_id: int):
    return _page(_cohort(cohort_id))


@bp.post("/<int:cohort_id>/people")
@roles_required(*STAFF)
def add_people(cohort_id: int):
    cohort = _changeable(cohort_id)
    try:
        added = cohorts.add_people(get_session(), cohort, request.form.get("emails", ""))
    except cohorts.CohortError as problem:
        return _page(cohort, error=str(problem), form=request.form, status=422)
    said = []
    if added.joined:
        said.append(f"{len(added.joined)} added")
    if added.already:
        said.append(f"{len(added.already)} already in the cohort")
    if added.invited:
        said.append(f"{len(added.invited)} invited (no account yet)")
    if said:
        flash(", ".join(said).capitalize() + ".", "success")
    links = [(email, url_for("auth.join", token=token, _external=True))
             for email, token in added.invited]
    # what could not be added stays in the box, with the reasons
    return _page(cohort, links=links,
                 error=" ".join(why for _, why in added.problems) or None,
                 form={"emails": "\n".join(typed for typed, _ in added.problems)},
                 status=422 if added.problems else 200)


@bp.post("/<int:cohort_id>/people/<int:user_id>/remove")
@roles_required(*STAFF)
def remove_member(cohort_id: int, user_id: int):
    cohorts.remove_member(get_session(), _changeable(cohort_id), user_id)
    flash("Removed from the cohort. Their runs and scores are kept.", "info")
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id))


@bp.post("/<int:cohort_id>/invitations/<int:invitation_id>/renew")
@roles_required(*STAFF)
def renew_invitation(cohort_id: int, invitation_id: int):
    cohort = _changeable(cohort_id)
    try:
        email, token = cohorts.renew_invitation(get_session(), cohort, invitation_id)
    except cohorts.CohortError as problem:
        flash(str(problem), "error")
        return redirect(url_for("cohorts.detail", cohort_id=cohort_id))
    return _page(cohort, links=[(email, url_for("auth.join", token=token, _external=True))])


@bp.post("/<int:cohort_id>/invitations/<int:invitation_id>/revoke")
@roles_required(*STAFF)
def revoke_invitation(cohort_id: int, invitation_id: int):
    cohorts.revoke_invitation(get_session(), _changeable(cohort_id), invitation_id)
    flash("Invitation withdrawn: its link no longer works.", "info")
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id))


@bp.post("/<int:cohort_id>/assignments")
@roles_required(*STAFF)
def assign(cohort_id: int):
    cohort = _changeable(cohort_id)
    form = request.form
    try:
        cohorts.assign(get_session(), cohort, scenario_id=form.get("scenario", ""),
                       mode=form.get("mode", ""), due_on=form.get("due_on") or None,
                       known={e.slug for e in _playable()})
    except cohorts.CohortError as problem:
        return _page(cohort, error=str(problem), form=form, status=422)
    flash("Scenario assigned: it is on each member's dashboard.", "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id))


@bp.post("/<int:cohort_id>/assignments/<int:assignment_id>/remove")
@roles_required(*STAFF)
def unassign(cohort_id: int, assignment_id: int):
    cohorts.unassign(get_session(), _changeable(cohort_id), assignment_id)
    flash("Assignment removed. Runs already played are kept.", "info")
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id))


@bp.post("/<int:cohort_id>/delete")
@roles_required(*STAFF)
def delete(cohort_id: int):
    cohort = _changeable(cohort_id)
    if request.form.get("confirm") != cohort.name:
        return _page(cohort, error="To delete the cohort, type its name exactly.", status=422)
    cohorts.delete_cohort(get_session(), cohort)
    flash(f"Cohort \"{cohort.name}\" deleted. People, runs and scores are kept.", "info")
    return redirect(url_for("cohorts.index"))


@bp.post("/<int:cohort_id>/owners")
@roles_required(*STAFF)
def add_owner(cohort_id: int):
    cohort = _changeable(cohort_id)
    try:
        owner = cohorts.add_owner(get_session(), cohort, request.form.get("user_id", 0, type=int))
    except cohorts.CohortError as problem:
        return _page(cohort, error=str(problem), status=422)
    flash(f"{owner.name} now owns {cohort.name} too.", "success")
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id))


@bp.post("/<int:cohort_id>/owners/<int:user_id>/remove")
@roles_required(*STAFF)
def remove_owner(cohort_id: int, user_id: int):
    cohort = _changeable(cohort_id)
    try:
        cohorts.remove_owner(get_session(), cohort, user_id)
    except cohorts.CohortError as problem:
        return _page(cohort, error=str(problem), status=422)
    flash("Owner removed.", "info")
    if not cohorts.can_change(current_user, cohort):  # stepped back from the cohort
        return redirect(url_for("cohorts.index"))
    return redirect(url_for("cohorts.detail", cohort_id=cohort_id))
