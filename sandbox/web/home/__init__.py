from flask import Blueprint

bp = Blueprint("home", __name__)

from sandbox.web.home import views  # noqa: E402,F401  (registers the routes)
