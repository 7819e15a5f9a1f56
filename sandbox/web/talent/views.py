"""HR's talent board, a person's page with the evidence, and the CSV export."""

import csv
import io
from datetime import date

from flask import Blueprint, Response, abort, current_app, request
from sqlmodel import select

from sandbox import library, talent
from sandbox.core.vocabulary import ACTION_LABELS
from sandbox.db import get_session
from sandbox.models import Run, User
from sandbox.practice_view import debrief
from sandbox.security import roles_required
from sandbox.web.layout import render

bp = Blueprint("talent", __name__, url_prefix="/talent")


def _titles() -> dict[str, str]:
    return library.titles(current_app.config["SCENARIOS_DIR"])


@bp.get("/")
@roles_required("hr")
def board():
    sort = request.args.get("sort", "overall")
    sort = sort if sort in talent.COLUMNS else "overall"
    return render("talent/board.html", rows=talent.board(get_session(), sort=sort), sort=sort,
                  columns=talent.COLUMNS)


@bp.get("/export.csv")
@roles_required("hr")
def export():
    rows = talent.board(get_session(), sort=request.args.get("sort", "overall"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "finished_runs", "graded_replies", "reviewed_runs",
                     "overall", "agility", "coherence", "efficiency", "overall_percentile",
                     "trend_gain", "flags", "last_run"])
    for row in rows:
        p = row.profile
        writer.writerow([_cell(row.user.name), _cell(row.user.email), len(row.runs),
                         row.graded_replies, row.reviewed, _blank(p.overall),
                         *(_blank(p.dimensions.get(d)) for d in talent.DIMENSIONS),
                         _blank(row.percentiles.get("overall")),
                         _blank(talent.trend_gain(p.trend)),
                         "; ".join(flag.label for flag in row.flags),
                         row.last_run.finished_at.date().isoformat() if row.last_run else ""])
    name = f"talent-board-{date.today().isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _blank(value) -> str:
    return "" if value is None else str(value)


def _cell(text: str) -> str:
    """A spreadsheet must never run a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@bp.get("/people/<int:user_id>")
@roles_required("hr")
def person(user_id: int):
    session = get_session()
    rows = talent.board(session)
    row = next((r for r in rows if r.user.id == user_id), None)
    if row is None:
        abort(404)
    return render("talent/person.html", row=row, evidence=talent.evidence(row.runs),
                  titles=_titles(), ranked=sum(1 for r in rows if r.runs))


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
