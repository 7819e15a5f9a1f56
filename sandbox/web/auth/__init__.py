from flask import Blueprint

bp = Blueprint("auth", __name__)

from sandbox.web.auth import views  # noqa: E402,F401  (registers the routes)
