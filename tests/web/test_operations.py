"""What the platform team relies on: /healthz for the load balancer, /metrics for Prometheus
(readable from the machine itself, or with the token), one JSON access-log line per request."""

import json
import logging

import pytest

from sandbox import create_app, db
from tests.web.test_practice import act, rewind, start, trainee  # noqa: F401


def healthz(client):
    response = client.get("/healthz")
    return response.status_code, response.get_json()


def test_healthz_is_ok_on_a_migrated_database_without_signing_in(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    db.upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "k"})
    try:
        assert healthz(app.test_client()) == (200, {"status": "ok", "database": "ok",
                                                   "migrations": "current"})
    finally:
        app.extensions["sandbox.engine"].dispose()


def test_healthz_says_unavailable_when_migrations_were_not_applied(client):
    assert healthz(client) == (503, {"status": "unavailable", "database": "ok",
                                     "migrations": "not applied"})


def test_healthz_says_unavailable_when_the_database_cannot_be_reached_and_tells_no_secret():
    url = "postgresql+psycopg://sandbox:s3cret-password@127.0.0.1:1/nowhere?connect_timeout=2"
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "k"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}
    assert "s3cret" not in response.get_data(as_text=True)


def metric(text: str, name: str) -> float:
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
              if line.startswith(name + " ") or line.startswith(name + "{")]
    assert values, f"{name} is not in the metrics"
    return sum(values)


@pytest.mark.usefixtures("trainee")
def test_metrics_count_requests_by_endpoint_actions_scoring_and_runs_in_progress(app, client,
                                                                                   auth):
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    before = client.get("/metrics").get_data(as_text=True)
    act(client, auth, run_id, key="m1", event="first_post", action="reply",
        text="Hi Maria, we're so sorry. Please DM us so we can help today.")
    client.get(f"/runs/{run_id}/live?since=0&acts=0")
    after = client.get("/metrics").get_data(as_text=True)
    live = 'sandbox_request_seconds_count{endpoint="practice.live"}'
    assert metric(after, live) - (metric(before, live) if live in before else 0) == 1
    assert metric(after, 'sandbox_actions_recorded_total{action="reply"}') >= 1
    assert metric(after, 'sandbox_scoring_seconds_count{what="reply"}') >= 1
    assert metric(after, "sandbox_runs_in_progress") == 1
    client.post(f"/runs/{run_id}/finish", data={"csrf_token": auth.csrf_token()})
    assert metric(client.get("/metrics").get_data(as_text=True),
                  "sandbox_runs_in_progress") == 0


def test_metrics_are_refused_to_a_request_a_proxy_forwarded(client):
    assert client.get("/metrics").status_code == 200
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 403
    assert client.get("/metrics",
                      environ_overrides={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403


def test_with_a_metrics_token_only_its_bearer_reads_them(app, client):
    app.config["METRICS_TOKEN"] = "scrape-me"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer scrape-me",
                                           "X-Forwarded-For": "203.0.113.9"},
                      environ_overrides={"REMOTE_ADDR": "203.0.113.9"}).status_code == 200


@pytest.mark.usefixtures("trainee")
def test_each_request_writes_one_json_access_line_with_the_route_not_the_path(client, auth,
                                                                             caplog):
    run_id = start(client, auth)
    caplog.set_level(logging.INFO, logger="sandbox.access")
    caplog.clear()
    client.get(f"/runs/{run_id}")
    client.get("/reset/a-secret-reset-token")
    lines = [json.loads(record.getMessage()) for record in caplog.records
             if record.name == "sandbox.access"]
    assert [(line["method"], line["route"], line["status"]) for line in lines] == [
        ("GET", "/runs/<int:run_id>", 200), ("GET", "/reset/<token>", lines[1]["status"])]
    assert lines[0]["endpoint"] == "practice.run" and lines[0]["user"] is not None
    assert "a-secret-reset-token" not in caplog.text
