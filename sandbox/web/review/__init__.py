from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/review")

from sandbox.web.review import views  # noqa: E402,F401  (registers the routes)
