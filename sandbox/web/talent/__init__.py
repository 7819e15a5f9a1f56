from flask import Blueprint

bp = Blueprint("talent", __name__, url_prefix="/talent")

from sandbox.web.talent import views  # noqa: E402,F401  (registers the routes)
