from flask import abort, current_app

from sandbox import library
from sandbox.core.scenario import render_text
from sandbox.security import roles_required
from sandbox.web.author import bp
from sandbox.web.layout import render


@bp.get("/")
@roles_required("trainer")
def index():
    entries = library.entries(current_app.config["SCENARIOS_DIR"])
    return render("author/index.html", entries=entries)


@bp.get("/<slug>")
@roles_required("trainer")
def detail(slug: str):
    entry = library.find(current_app.config["SCENARIOS_DIR"], slug) or abort(404)
    report = render_text(entry.diagnostics, {str(entry.path): entry.text}) if entry.diagnostics \
        else ""
    flagged = {d.line for d in entry.diagnostics}
    return render("author/detail.html", entry=entry, report=report, flagged=flagged,
                  lines=entry.text.splitlines())
