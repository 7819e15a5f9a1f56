"""Checks on every request, before any view: what no form field, query or path may carry.

Ids in URLs fit the database's INTEGER column (a larger number names nothing: 404), and no value
contains a NUL character, which PostgreSQL cannot store or compare and no person types. Lengths
are checked by each form's own code, where the message can say which field is too long; the
database's limits are enforced on SQLite too (sandbox.db.check_limits).
"""

from flask import Flask, abort, current_app, request

LARGEST_ID = 2**31 - 1  # INTEGER on PostgreSQL; SQLite would take more, but no row has it

NUL_ADVICE = ("The form contained an invisible NUL character (often from text pasted out of "
              "another program). Remove it, or type the text again, and send it again.")


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_ids_in_range)
    app.before_request(_refuse_nul)


def _ids_in_range(_endpoint: str | None, values: dict | None) -> None:
    """Every `<int:...>` of every route: a number no row can have names nothing (404), rather
    than reaching the database (SQLite cannot even bind numbers past 2**63)."""
    if values and any(isinstance(value, int) and not 0 <= value <= LARGEST_ID
                      for value in values.values()):
        abort(404)


def checks_own_text(*fields: str):
    """Mark a view whose code reports control characters in these form fields itself (the
    scenario editor's validator points at them, with line and column)."""

    def mark(view):
        view.checks_own_text = frozenset(fields)
        return view

    return mark


def _refuse_nul():
    if "\x00" in request.path:
        abort(404)  # no page has such an address
    values = [*request.args.values(), *request.args.keys()]
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        view = current_app.view_functions.get(request.endpoint or "")
        own = getattr(view, "checks_own_text", frozenset())
        values += [*request.form.keys(),
                   *(v for k, v in request.form.items(multi=True) if k not in own)]
    if any("\x00" in value for value in values):
        abort(400, description=NUL_ADVICE)
