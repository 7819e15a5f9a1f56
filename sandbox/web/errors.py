"""Error pages a person can act on; never a traceback."""

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

MESSAGES = {
    400: ("Something in that request was not right", "Go back, check the form and try again."),
    403: ("This page is not for your role", "Ask an administrator if you think you need it."),
    404: ("Nothing here", "The page may have moved, or the link is mistyped."),
    405: ("That action is not possible here", "Use the buttons on the page."),
    429: ("Too many attempts", "Wait a few minutes and try again."),
    500: ("Something went wrong on our side", "Your work is saved. Try again in a moment."),
}


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
        return render_template(
            "errors/error.html", code=error.code, title=title, advice=advice
        ), error.code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("Unhandled error")
        title, advice = MESSAGES[500]
        return render_template("errors/error.html", code=500, title=title, advice=advice), 500
