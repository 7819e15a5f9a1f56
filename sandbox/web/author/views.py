"""The trainers' scenario library: every file with its findings, and the editor that changes them.

Editor URLs name a file of SCENARIOS_DIR by its name without `.yaml` (for shipped scenarios, the
same as the scenario's id), so an edit that changes the id keeps its URLs until it is saved.
"""

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import RequestEntityTooLarge

from sandbox import library, scenario_files
from sandbox.core.scenario import render_text
from sandbox.security import roles_required
from sandbox.web.author.preview import preview
from sandbox.web.inputs import checks_own_text
from sandbox.web.layout import htmx, render

bp = Blueprint("author", __name__, url_prefix="/scenarios")


def _folder() -> Path:
    return Path(current_app.config["SCENARIOS_DIR"])


@bp.get("/")
@roles_required("trainer")
def index():
    entries = library.entries(_folder())
    return render("author/index.html", entries=entries)


@bp.get("/<slug>")
@roles_required("trainer")
def detail(slug: str):
    entries = library.entries(_folder())
    entry = next((e for e in entries if e.slug == slug), None) \
        or next((e for e in entries if e.path.stem == slug), None) or abort(404)
    report = render_text(entry.diagnostics, {str(entry.path): entry.text}) if entry.diagnostics \
        else ""
    flagged = {d.line for d in entry.diagnostics}
    return render("author/detail.html", entry=entry, report=report, flagged=flagged,
                  lines=entry.text.splitlines())


@bp.get("/new")
@roles_required("trainer")
def new():
    return render("author/new.html", values={}, error=None)


@bp.post("/new")
@roles_required("trainer")
def create():
    form = request.form
    try:
        path = scenario_files.create(_folder(), form.get("slug", ""),
                                     network=form.get("network", "twitter"),
                                     language=form.get("language", "en"))
    except scenario_files.Refused as refusal:
        return render("author/new.html", values=form, error=str(refusal)), refusal.status
    flash(f"{path.name} was created from the starter: make it yours, then save.", "success")
    return redirect(url_for("author.edit", key=path.stem))


def _file(key: str, *, existing: bool = True) -> Path:
    path = scenario_files.file_in(_folder(), key)
    if path is None or (existing and not path.is_file()):
        abort(404)
    return path


@bp.get("/<key>/edit")
@roles_required("trainer")
def edit(key: str):
    path = _file(key)
    text, version = scenario_files.read(path)
    return _editor(path, scenario_files.check_text(_folder(), path, text), version)


@bp.post("/<key>/edit")
@checks_own_text("text")
@roles_required("trainer")
def save(key: str):
    path = _file(key, existing=False)  # a file deleted meanwhile is a conflict: keep the text
    version = request.form.get("version", "")
    try:
        saved = scenario_files.save(_folder(), path, request.form.get("text", ""),
                                    started_from=version)
    except scenario_files.Refused as refusal:
        return _editor(path, refusal.check, version, message=str(refusal), status=refusal.status)
    warnings = len(saved.check.warnings)
    if saved.unchanged:
        flash(f"Nothing to save: {path.name} already holds this text.", "info")
    else:
        flash(f"Saved {path.name}." + (f" {warnings} warning{'s' if warnings != 1 else ''} "
                                       "left to look at." if warnings else ""), "success")
    return redirect(url_for("author.detail", slug=saved.check.slug or path.stem))


@bp.post("/<key>/validate")
@checks_own_text("text")
@roles_required("trainer")
def validate(key: str):
    """The findings on the posted text (and, out of band, its preview)."""
    return _checked(key, "author/_checked.html")


@bp.post("/<key>/preview")
@checks_own_text("text")
@roles_required("trainer")
def preview_at(key: str):
    return _checked(key, "author/_preview.html")


def _checked(key: str, fragment: str):
    path = _file(key)
    check = scenario_files.check_text(_folder(), path, request.form.get("text", ""))
    return _editor(path, check, request.form.get("version", ""), fragment=fragment)


def _editor(path: Path, check: scenario_files.TextCheck, version: str, *,
            fragment: str | None = None,
            message: str | None = None, status: int = 200):
    """The editor on `check`'s text (or one part of it, for htmx)."""
    shown = preview(check, request.form.get("at", type=int))
    page = render("author/edit.html", fragment=fragment, key=path.stem, name=path.name,
                  check=check, version=version, preview=shown, message=message,
                  unsaved=request.method == "POST", max_chars=scenario_files.MAX_CHARS)
    return page, status


@bp.url_value_preprocessor
def _limit_request_size(endpoint, values) -> None:
    """Cap what the editor's forms may send. This is the earliest hook of a request: CSRF
    protection reads the form in the application's `before_request`, before the blueprint's."""
    request.max_content_length = scenario_files.MAX_REQUEST_BYTES


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """A paste far over the limit is refused before any view runs: say so where findings go."""
    key = (request.view_args or {}).get("key", "scenario")
    if htmx:
        check = scenario_files.too_large(f"{key}.yaml")
        response = make_response(render_template("author/_diagnostics.html", check=check), 422)
        response.headers.update({"HX-Retarget": "#diagnostics", "HX-Reswap": "outerHTML"})
        return response
    advice = (f"The editor takes up to {scenario_files.MAX_CHARS:,} characters. Nothing was "
              "saved: go back to the editor, where your text still is, and shorten it or split "
              "it into several scenarios.")
    return render_template("errors/error.html", code=413, title="That text is too large",
                           advice=advice), 413
