"""What a platform team needs around the app: a health check for the load balancer, Prometheus
metrics, and one structured access-log line per request (docs/administration.md)."""

import hmac
import json
import logging
import os
import time
from functools import cache

from flask import Blueprint, Flask, Response, abort, current_app, g, jsonify, request
from flask import session as session_data
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, select

from sandbox import db
from sandbox.metrics import REQUEST_SECONDS
from sandbox.models import Run

bp = Blueprint("operations", __name__)
access_log = logging.getLogger("sandbox.access")
LOOPBACK = frozenset({"127.0.0.1", "::1"})


@bp.get("/healthz")
def healthz():
    """200 when the database answers and its schema is the code's; 503 otherwise. Says nothing
    a stranger could use: no addresses, no versions of anything but the schema."""
    head = _head_revision()
    try:
        current = db.current_revision(db.get_engine())
    except SQLAlchemyError:
        return jsonify(status="unavailable", database="unreachable"), 503
    migrations = "current" if current == head else "not applied" if current is None else "behind"
    healthy = migrations == "current"
    return jsonify(status="ok" if healthy else "unavailable", database="ok",
                   migrations=migrations), 200 if healthy else 503


@cache
def _head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(db.alembic_config("sqlite://")).get_current_head()


@bp.get("/metrics")
def metrics():
    """Prometheus text format, for the machine itself (or whoever holds METRICS_TOKEN)."""
    if not _may_read_metrics():
        abort(403)
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # every worker's values (sandbox serve)
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_RunsInProgress(db.get_engine()))
    return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def _may_read_metrics() -> bool:
    """With METRICS_TOKEN set: who sends it as a bearer token. Without: only a request from
    this machine that no proxy forwarded (a reverse proxy on the same host forwards everyone's)."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        return hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {token}")
    return request.remote_addr in LOOPBACK and "X-Forwarded-For" not in request.headers


def _signed_in_user_id() -> str | None:
    """The account the request ended as, from the session (asking flask-login here could sign
    someone in from a remember-me cookie on a request that never needed it; static files are
    nobody's)."""
    if request.endpoint == "static":
        return None
    sign_in = session_data.get("_user_id")
    return str(sign_in).split(".", 1)[0] if sign_in else None


class _ThisProcess:
    def collect(self):
        return REGISTRY.collect()


class _RunsInProgress:
    """Counted at each scrape from the database, so every server reports the same number."""

    def __init__(self, engine):
        self.engine = engine

    def collect(self):
        with Session(self.engine) as session:
            count = session.exec(select(func.count(Run.id))
                                 .where(Run.finished_at.is_(None))).one()
        yield GaugeMetricFamily(
            "sandbox_runs_in_progress",
            "Runs started and not finished (with those out of time awaiting their Finish).",
            value=count)


def init_app(app: Flask) -> None:
    """Time every request into the latency histogram and write its access-log line."""

    @app.before_request
    def _start_clock():
        g.request_began = time.perf_counter()

    @app.after_request
    def _measure(response):
        began = g.pop("request_began", None)
        if began is None:
            return response
        seconds = time.perf_counter() - began
        endpoint = request.endpoint or "unmatched"
        REQUEST_SECONDS.labels(endpoint).observe(seconds)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(json.dumps({
                "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "remote": request.remote_addr, "method": request.method,
                # the route's pattern, not the path: reset and invitation links carry secrets
                "route": request.url_rule.rule if request.url_rule else None,
                "endpoint": endpoint, "status": response.status_code,
                "bytes": response.calculate_content_length(),
                "ms": round(seconds * 1000, 1),
                "user": _signed_in_user_id(),
                "pid": os.getpid(),
            }))
        return response
