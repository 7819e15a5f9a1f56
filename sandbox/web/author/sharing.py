"""A scenario with its guidelines as one file: export it from its page, import one.

The routes belong to the author blueprint (views.bp); the app factory imports this module.
"""

from flask import Response, flash, redirect, request, url_for
from flask_login import current_user

from sandbox import bundles, scenario_files
from sandbox.db import get_session
from sandbox.security import roles_required
from sandbox.web.author.views import _entry, _folder, bp
from sandbox.web.layout import render


@bp.get("/<key>/export")
@roles_required("trainer")
def export(key: str):
    """The scenario and its guidelines as one YAML file to download."""
    entry = _entry(key)
    response = Response(bundles.export_text(entry), mimetype="application/yaml")
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{entry.path.stem}{bundles.SUFFIX}"'
    return response


@bp.get("/import")
@roles_required("trainer")
def import_form(refusal: bundles.Refused | None = None, status: int = 200):
    return render("author/import.html", refusal=refusal, suffix=bundles.SUFFIX,
                  max_bytes=bundles.MAX_BYTES), status


@bp.post("/import")
@roles_required("trainer")
def import_upload():
    upload = request.files.get("bundle")
    if upload is None or not upload.filename:
        return import_form(bundles.Refused("Choose a bundle file to import (a file ending in "
                                           f"{bundles.SUFFIX}, exported from a scenario's page)."),
                           422)
    data = upload.stream.read(bundles.MAX_BYTES + 1)
    try:
        imported = bundles.import_bundle(get_session(), _folder(), data, actor=current_user,
                                         source="The uploaded file")
    except bundles.Refused as refusal:
        return import_form(refusal, refusal.status)
    except scenario_files.Refused as refusal:  # a file written meanwhile, an unwritable folder
        return import_form(bundles.Refused(str(refusal)), refusal.status)
    said = f"{imported.scenario.name} was imported as a draft"
    if imported.guidelines is not None:
        said += (f", with its guidelines {imported.guidelines.name} (a draft too: publish them "
                 "before the scenario)" if imported.guidelines_new
                 else f", using the library's identical guidelines {imported.guidelines.name}")
    said += ". Trainees do not see it until you publish it."
    if imported.warnings:
        said += f" {imported.warnings} warning{'s' if imported.warnings != 1 else ''} to look at."
    flash(said, "success")
    return redirect(url_for("author.detail", slug=imported.scenario.stem))
