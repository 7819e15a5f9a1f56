"""Error pages a person can act on; never a traceback."""

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException

from sandbox.db import LimitExceeded, out_of_reach

MESSAGES = {
    400: ("Something in that request was not right", "Go back, check the form and try again."),
    403: ("This page is not for your role", "Ask an administrator if you think you need it."),
    404: ("Nothing here", "The page may have moved, or the link is mistyped."),
    405: ("That action is not possible here", "Use the buttons on the page."),
    409: ("Someone did this at the same moment", "Maybe a double click, or another person: "
          "reload the page to see what was saved, and try again if it is not there."),
    422: ("Something in that form was too long", "Shorten it and send it again."),
    429: ("Too many attempts", "Wait a few minutes and try again."),
    500: ("Something went wrong on our side", "Your work is saved. Try again in a moment."),
    503: ("The database is out of reach for a moment", "Reload the page in a few seconds to "
          "see what was saved, and send again what is not there (it will not count twice)."),
}
RETRY_AFTER = "5"  # seconds: a restarted database server is usually back by then


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        return render_template(
            "errors/error.html",
            code=400,
            title="This form has expired",
            advice="The page was open too long or sent twice. Reload it and try again; "
            "nothing was changed.",
        ), 400

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        title, advice = MESSAGES.get(error.code or 500, (error.name, error.description))
        if error.code == 400 and error.description and "NUL" in error.description:
            advice = error.description  # sandbox.web.inputs says what to fix
        return _page(error.code or 500, title, advice)

    @app.errorhandler(IntegrityError)
    def _conflict(error: IntegrityError):
        """A unique row inserted twice at once (a double click the form's code did not foresee)."""
        _roll_back()
        app.logger.warning("Integrity error answered with 409: %s", error.orig)
        return _page(409, *MESSAGES[409])

    @app.errorhandler(DBAPIError)
    def _database_error(error: DBAPIError):
        """The database is out of reach (sandbox.db.out_of_reach): the person may try again.
        Anything else is a bug (500)."""
        if not out_of_reach(error):
            return _unexpected(error)
        _roll_back()
        app.logger.warning("Database unavailable, answered with 503: %s", error.orig)
        page, code = _page(503, *MESSAGES[503])
        return page, code, {"Retry-After": RETRY_AFTER}

    @app.errorhandler(LimitExceeded)
    def _too_long(error: LimitExceeded):
        _roll_back()
        return _page(422, MESSAGES[422][0], str(error))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        _roll_back()  # a failed transaction must not break the page (or the next query)
        app.logger.exception("Unhandled error")
        return _page(500, *MESSAGES[500])


def _roll_back() -> None:
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except Exception:  # the connection itself is gone: the page must still be shown
            session.invalidate()


def _page(code: int, title: str, advice: str):
    try:
        return render_template("errors/error.html", code=code, title=title, advice=advice), code
    except Exception:  # the error came from the layout itself (a broken template, the database)
        return (f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1>"
                f"<p>{escape(advice)}</p>"), code
