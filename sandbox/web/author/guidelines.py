"""Guidelines files in the browser: the same lifecycle, validation and versions as scenarios, and
before a save, what the unsaved text changes for the scenarios that use the file.

The routes belong to the author blueprint (views.bp); the app factory imports this module.
"""

from pathlib import Path

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from sandbox import authoring, guidelines_files, lifecycle, scenario_files, versions
from sandbox.core.scenario import render_text
from sandbox.db import get_session
from sandbox.security import roles_required
from sandbox.web.author import fields
from sandbox.web.author.views import _folder, bp
from sandbox.web.inputs import checks_own_text
from sandbox.web.layout import render

KIND = lifecycle.GUIDELINES


def _path(key: str, *, existing: bool = True) -> Path:
    path = guidelines_files.file_in(_folder(), key)
    if path is None or (existing and not path.is_file()):
        abort(404)
    return path


@bp.get("/guidelines/<key>")
@roles_required("trainer")
def guidelines_detail(key: str, refusal: lifecycle.LifecycleError | None = None,
                      status: int = 200):
    path = _path(key)
    text, _ = scenario_files.read(path)
    check = scenario_files.check_guidelines_text(_folder(), path, text)
    session = get_session()
    report = render_text(check.diagnostics, {path.name: check.text}) if check.diagnostics else ""
    return render("author/guidelines.html", key=key, name=path.name, check=check, report=report,
                  lines=check.text.splitlines(), state=lifecycle.states(session).of(KIND, key),
                  audit=lifecycle.history(session, KIND, key),
                  users=guidelines_files.users(_folder(), path), refusal=refusal), status


@bp.post("/guidelines/<key>/<any(publish, archive, draft):change>")
@roles_required("trainer")
def guidelines_state(key: str, change: str):
    path = _path(key)
    session = get_session()
    try:
        if change == "publish":
            done = lifecycle.publish_guidelines(session, path, current_user)
            said = (f"{path.name} is published: scenarios that use it can be published and "
                    "played.") if done else f"{path.name} was already published."
        elif change == "archive":
            done = lifecycle.archive(session, KIND, key, current_user)
            said = f"{path.name} is archived." if done else f"{path.name} was already archived."
        else:
            done = lifecycle.back_to_draft(session, KIND, key, current_user)
            said = (f"{path.name} is a draft again: the scenarios that use it cannot be played "
                    "by trainees until it is published.") if done \
                else f"{path.name} was already a draft."
    except lifecycle.LifecycleError as refusal:
        return guidelines_detail(key, refusal=refusal, status=422)
    flash(said, "success" if done else "info")
    return redirect(url_for("author.guidelines_detail", key=key))


@bp.get("/guidelines/<key>/edit")
@roles_required("trainer")
def guidelines_edit(key: str):
    path = _path(key)
    text, version = scenario_files.read(path)
    return _editor(path, scenario_files.check_guidelines_text(_folder(), path, text), version)


@bp.post("/guidelines/<key>/edit")
@checks_own_text("text")
@roles_required("trainer")
def guidelines_save(key: str):
    path = _path(key, existing=False)
    version = request.form.get("version", "")
    try:
        saved = authoring.save(get_session(), _folder(), path, request.form.get("text", ""),
                               started_from=version, author=current_user, kind=KIND)
    except scenario_files.Refused as refusal:
        return _editor(path, refusal.check, version, message=str(refusal), status=refusal.status)
    if saved.unchanged:
        flash(f"Nothing to save: {path.name} already holds this text.", "info")
    else:
        flash(f"Saved {path.name}. Runs already played keep their scores; rescore them with "
              "`sandbox rescore --current-guidelines` to apply it to them.", "success")
    return redirect(url_for("author.guidelines_detail", key=key))


@bp.post("/guidelines/<key>/validate")
@checks_own_text("text")
@roles_required("trainer")
def guidelines_validate(key: str):
    """The findings on the posted text, and (out of band) what it changes for the scenarios."""
    path = _path(key)
    check = scenario_files.check_guidelines_text(_folder(), path, request.form.get("text", ""))
    return _editor(path, check, request.form.get("version", ""),
                   fragment="author/_guidelines_checked.html")


def _editor(path: Path, check: scenario_files.TextCheck, version: str, *,
            fragment: str | None = None, message: str | None = None, status: int = 200):
    session = get_session()
    impact = guidelines_files.impact(_folder(), path, None if check.errors else check.guidelines)
    page = render("author/guidelines_edit.html", fragment=fragment, key=path.stem,
                  name=path.name, check=check, version=version, message=message,
                  state=lifecycle.states(session).of(KIND, path.stem), impact=impact,
                  assist=lambda: {"tree": fields.tree("guidelines")},
                  names=fields.server_names(guidelines=check.guidelines),
                  unsaved=request.method == "POST", max_chars=scenario_files.MAX_CHARS)
    return page, status


@bp.get("/guidelines/<key>/history")
@roles_required("trainer")
def guidelines_history(key: str, number: int | None = None, message: str | None = None,
                       status: int = 200):
    path = _path(key)
    session = get_session()
    found = versions.history(session, KIND, key)
    number = number or request.args.get("version", type=int)
    shown = next((v for v in found if v.number == number), found[0] if found else None)
    before = next((v for v in found if shown and v.number == shown.number - 1), None)
    changes = versions.diff(versions.text_of(session, before.digest) if before else "",
                            versions.text_of(session, shown.digest)) if shown else []
    return render("author/history.html", key=key, name=path.name, versions=found, shown=shown,
                  before=before, changes=changes, current=scenario_files.read(path)[1],
                  latest=found[0] if found else None, message=message,
                  detail_endpoint="author.guidelines_detail",
                  history_endpoint="author.guidelines_history",
                  restore_endpoint="author.guidelines_restore"), status


@bp.post("/guidelines/<key>/history/<int:number>/restore")
@roles_required("trainer")
def guidelines_restore(key: str, number: int):
    path = _path(key, existing=False)
    try:
        saved = authoring.restore(get_session(), _folder(), path, number,
                                  started_from=request.form.get("version", ""),
                                  author=current_user, kind=KIND)
    except scenario_files.Refused as refusal:
        return guidelines_history(key, number, message=str(refusal), status=refusal.status)
    if saved.unchanged:
        flash(f"{path.name} already holds version {number}.", "info")
    else:
        flash(f"Version {number} of {path.name} restored: it is now the newest version.",
              "success")
    return redirect(url_for("author.guidelines_history", key=key))
