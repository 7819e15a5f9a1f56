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
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from sandbox import (
    authoring,
    bundles,
    formatdocs,
    guidelines_files,
    library,
    lifecycle,
    scenario_files,
    versions,
)
from sandbox.core.replay.scripted import run_scenario_tests
from sandbox.core.replay.summary import describe_condition
from sandbox.core.scenario import render_text
from sandbox.core.situations import LEVELS, SITUATIONS
from sandbox.db import get_session
from sandbox.security import roles_required
from sandbox.web.author import diagram, fields, story
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
    return render("author/index.html", entries=entries, states=lifecycle.states(get_session()),
                  guidelines=guidelines_files.files(_folder()))


def _entry(slug: str) -> library.Entry:
    entries = library.entries(_folder())
    return next((e for e in entries if e.slug == slug), None) \
        or next((e for e in entries if e.path.stem == slug), None) or abort(404)


@bp.get("/<slug>")
@roles_required("trainer")
def detail(slug: str, refusal: lifecycle.LifecycleError | None = None, status: int = 200):
    entry = _entry(slug)
    session = get_session()
    report = render_text(entry.diagnostics, {str(entry.path): entry.text}) if entry.diagnostics \
        else ""
    flagged = {d.line for d in entry.diagnostics}
    return render("author/detail.html", entry=entry, report=report, flagged=flagged,
                  lines=entry.text.splitlines(), states=lifecycle.states(session),
                  audit=lifecycle.history(session, lifecycle.SCENARIO, entry.path.stem),
                  runs=lifecycle.played(session, entry), refusal=refusal), status


@bp.post("/<key>/<any(publish, archive, draft, delete):change>")
@roles_required("trainer")
def change_state(key: str, change: str):
    """Publish, archive, move back to draft, or delete a draft nobody has played."""
    path = scenario_files.file_in(_folder(), key)
    if change == "delete" and path is not None and not path.exists():  # a double click
        flash(f"{key}.yaml is already deleted.", "info")
        return redirect(url_for("author.index"))
    entry = _entry(key)
    session = get_session()
    name = entry.path.name
    try:
        if change == "publish":
            done = lifecycle.publish(session, entry, current_user)
            said = f"{name} is published: trainees can play it and it can be assigned." \
                if done else f"{name} was already published."
        elif change == "archive":
            done = lifecycle.archive(session, lifecycle.SCENARIO, entry.path.stem, current_user)
            said = (f"{name} is archived: no new runs or assignments; past runs and their "
                    "debriefs are kept.") if done else f"{name} was already archived."
        elif change == "draft":
            done = lifecycle.back_to_draft(session, lifecycle.SCENARIO, entry.path.stem,
                                           current_user)
            said = f"{name} is a draft again: trainees no longer see it." \
                if done else f"{name} was already a draft."
        else:
            lifecycle.delete(session, entry, current_user)
            flash(f"{name} was deleted.", "success")
            return redirect(url_for("author.index"))
    except lifecycle.LifecycleError as refusal:
        return detail(key, refusal=refusal, status=422)
    except scenario_files.Refused as refusal:
        return detail(key, refusal=lifecycle.LifecycleError(str(refusal)), status=refusal.status)
    flash(said, "success" if done else "info")
    return redirect(url_for("author.detail", slug=key))


@bp.get("/<key>/history")
@roles_required("trainer")
def history(key: str, number: int | None = None, message: str | None = None,
            status: int = 200):
    """Every saved version (who, when, how many runs played it) and what one of them changed."""
    path = _file(key)
    session = get_session()
    found = versions.history(session, lifecycle.SCENARIO, key)
    number = number or request.args.get("version", type=int)
    shown = next((v for v in found if v.number == number), found[0] if found else None)
    before = next((v for v in found if shown and v.number == shown.number - 1), None)
    changes = versions.diff(versions.text_of(session, before.digest) if before else "",
                            versions.text_of(session, shown.digest)) if shown else []
    return render("author/history.html", key=key, name=path.name, versions=found, shown=shown,
                  before=before, changes=changes, current=scenario_files.read(path)[1],
                  latest=found[0] if found else None, message=message), status


@bp.post("/<key>/history/<int:number>/restore")
@roles_required("trainer")
def restore(key: str, number: int):
    path = _file(key, existing=False)
    try:
        saved = authoring.restore(get_session(), _folder(), path, number,
                                  started_from=request.form.get("version", ""),
                                  author=current_user)
    except scenario_files.Refused as refusal:
        return history(key, number, message=str(refusal), status=refusal.status)
    if saved.unchanged:
        flash(f"{path.name} already holds version {number}.", "info")
    else:
        flash(f"Version {number} of {path.name} restored: it is now the newest version.",
              "success")
    return redirect(url_for("author.history", key=key))


@bp.get("/format/")
@roles_required("trainer")
def format_guide():
    return render("author/format.html", guide=formatdocs.guide())


@bp.get("/format/<code>")
@roles_required("trainer")
def format_code(code: str):
    """One diagnostic code's documentation: beside the editor (htmx), or as a page."""
    section = formatdocs.section(code) or abort(404)
    return render("author/format_code.html", fragment="author/_format_code.html",
                  section=section)


@bp.get("/new")
@roles_required("trainer")
def new():
    return _new_form({})


def _new_form(values, error: str | None = None, status: int = 200):
    return render("author/new.html", values=values, error=error, levels=LEVELS,
                  situations=SITUATIONS, starter=authoring.STARTER,
                  guidelines=authoring.guidelines_choices(_folder())), status


@bp.post("/new")
@roles_required("trainer")
def create():
    form = request.form
    try:
        path = authoring.create(get_session(), _folder(), form.get("slug", ""),
                                author=current_user, network=form.get("network", "twitter"),
                                language=form.get("language", "en"),
                                situation=form.get("situation", authoring.STARTER),
                                guidelines=form.get("guidelines", ""),
                                level=form.get("level", "intermediate"))
    except scenario_files.Refused as refusal:
        return _new_form(form, str(refusal), refusal.status)
    flash(f"{path.name} was created as a draft: trainees do not see it until you publish it. "
          "Make it yours, then save.", "success")
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
        saved = authoring.save(get_session(), _folder(), path, request.form.get("text", ""),
                               started_from=version, author=current_user)
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


@bp.post("/<key>/tests")
@checks_own_text("text")
@roles_required("trainer")
def run_tests(key: str):
    """The posted text's `tests:`, each passed or failed with what was expected and what
    happened (the engine of `sandbox scenario test`)."""
    path = _file(key)
    check = scenario_files.check_text(_folder(), path, request.form.get("text", ""))
    outcomes = run_scenario_tests(check.scenario, guidelines=check.guidelines) \
        if check.scenario is not None and not check.errors else None
    return _editor(path, check, request.form.get("version", ""), fragment="author/_tests.html",
                   outcomes=outcomes)


def _checked(key: str, fragment: str):
    path = _file(key)
    check = scenario_files.check_text(_folder(), path, request.form.get("text", ""))
    return _editor(path, check, request.form.get("version", ""), fragment=fragment)


def _editor(path: Path, check: scenario_files.TextCheck, version: str, *,
            fragment: str | None = None, outcomes: list | None = None,
            message: str | None = None, status: int = 200):
    """The editor on `check`'s text (or one part of it, for htmx)."""
    shown = preview(check, request.form.get("at", type=int), quiet="quiet" in request.form)
    state = lifecycle.states(get_session()).of(lifecycle.SCENARIO, path.stem)
    told = story.build(check.scenario, check.text) if check.scenario is not None else None
    page = render("author/edit.html", fragment=fragment, key=path.stem, name=path.name,
                  check=check, version=version, preview=shown, message=message, state=state,
                  story=told, diagram=diagram.layout(told) if told else None,
                  outcomes=outcomes, describe=describe_condition,
                  tested=fragment == "author/_tests.html", assist=_assist,
                  names=fields.server_names(guidelines=check.guidelines),
                  unsaved=request.method == "POST", max_chars=scenario_files.MAX_CHARS)
    return page, status


def _assist() -> dict:
    """What the editor's field help and completion read (sandbox.web.author.fields): called by
    the page only, not by the fragments the live check sends."""
    return {"tree": fields.tree("scenario"), "guidelines": [
        choice.id for choice in authoring.guidelines_choices(_folder())]}


@bp.url_value_preprocessor
def _limit_request_size(endpoint, values) -> None:
    """Cap what the editor's forms may send. This is the earliest hook of a request: CSRF
    protection reads the form in the application's `before_request`, before the blueprint's."""
    request.max_content_length = scenario_files.MAX_REQUEST_BYTES


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(error):
    """A paste far over the limit is refused before any view runs: say so where findings go."""
    if request.endpoint == "author.import_upload":
        refusal = bundles.Refused(f"The uploaded file is too large: a bundle holds at most "
                                  f"{bundles.MAX_BYTES:,} bytes. Nothing was imported.")
        return render_template("author/import.html", refusal=refusal, suffix=bundles.SUFFIX,
                               max_bytes=bundles.MAX_BYTES), 413
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
