from flask import Blueprint

bp = Blueprint("author", __name__, url_prefix="/scenarios")

from sandbox.web.author import views  # noqa: E402,F401  (registers the routes)
