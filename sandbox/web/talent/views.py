"""HR's talent board, a person's page with the evidence, and the CSV export."""

from datetime import date

from flask import Blueprint, Response, abort, current_app, request, stream_with_context
from sqlmodel import select

from sandbox import cohorts, library, reviews, talent
from sandbox.core.vocabulary import ACTION_LABELS
from sandbox.db import get_session
from sandbox.evidence import EvidenceRules, RunEvidence, evidence_of
from sandbox.models import Run, User
from sandbox.practice_view import debrief
from sandbox.security import roles_required
from sandbox.talent_filters import LANGUAGE_NAMES, parse_query
from sandbox.web.layout import render
from sandbox.web.talent import talent_csv

bp = Blueprint("talent", __name__, url_prefix="/talent")


FLAG_LIMITS = {"rising": talent.RISING_GAIN, "steady": talent.STEADY_SPREAD,
               "steady_runs": talent.STEADY_RUNS, "floor": talent.STEADY_FLOOR,
               "population": talent.TOP_POPULATION}


def _titles() -> dict[str, str]:
    return library.titles(current_app.config["SCENARIOS_DIR"])


def _rules() -> EvidenceRules:
    return EvidenceRules.from_config(current_app.config)


def _view() -> tuple[talent.Board, list[str], dict]:
    """The board as the query string asks for it, the parts of the query left out, and the
    choices of the filter form."""
    session = get_session()
    choices = {"cohorts": cohorts.cohort_names(session),
               "scenarios": _titles(), "languages": LANGUAGE_NAMES}
    query, problems = parse_query(request.args, cohorts=choices["cohorts"],
                                  scenarios=choices["scenarios"], columns=talent.COLUMNS)
    found = talent.board(session, query=query, rules=_rules())
    if found.page != query.page:
        problems.append(f"There {'is' if found.pages == 1 else 'are'} only {found.pages} "
                        f"page{'s' if found.pages != 1 else ''}: showing the last.")
    return found, problems, choices


@bp.get("/")
@roles_required("hr")
def board():
    found, problems, choices = _view()
    return render("talent/board.html", board=found, query=found.query, problems=problems,
                  columns=talent.COLUMNS, limits=FLAG_LIMITS, **choices)


@bp.get("/export.csv")
@roles_required("hr")
def export():
    found, _, _ = _view()
    name = f"talent-board-{date.today().isoformat()}.csv"
    return Response(stream_with_context(talent_csv.pieces(found.every_line(talent_csv.line))),
                    mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/people/<int:user_id>")
@roles_required("hr")
def person(user_id: int):
    rules = _rules()
    row, ranked = talent.person(get_session(), user_id, rules=rules)
    if row is None:
        abort(404)
    return render("talent/person.html", row=row, evidence=talent.evidence(row.runs),
                  titles=_titles(), ranked=ranked, rules=rules)


@bp.app_template_filter("standing")
def standing_of(run: Run) -> reviews.Standing | None:
    return reviews.standing(run)


@bp.app_template_global()
def run_evidence(run: Run) -> tuple[RunEvidence, str] | None:
    """What a finished run is worth on the talent board and why, for the notice on every
    debrief (the trainee's, the reviewer's, HR's)."""
    if run.finished_at is None or not run.result:
        return None
    rules = _rules()
    found = evidence_of(get_session(), run, rules)
    return found, found.explanation(rules)


@bp.get("/runs/<int:run_id>")
@roles_required("hr")
def run(run_id: int):
    session = get_session()
    found = session.get(Run, run_id)
    if found is None or found.finished_at is None or not found.result:
        abort(404)
    trainee = session.exec(select(User).where(User.id == found.user_id)).first()
    report = debrief.build(session, found, at=request.args.get("at", type=int))
    return render("talent/run.html", fragment="practice/_replay.html", report=report,
                  trainee=trainee, labels=ACTION_LABELS)
