"""A PostgreSQL connection that dies (the server restarted, a firewall dropped it) costs at
most one request a page saying to try again, never a server error; one that died while idle
in the pool is replaced before a request uses it."""

import pytest
from sqlalchemy import create_engine, text

from sandbox import db
from tests.conftest import app_on
from tests.web.test_practice import rewind, start

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(postgres_url):
    with app_on(postgres_url) as app:
        yield app


def end_the_apps_connections(app) -> int:
    """What a database restart does to the app's pooled connections: ends them server-side."""
    url = app.extensions["sandbox.engine"].url
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        ended = connection.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar_one()
    admin.dispose()
    return ended


def test_a_connection_lost_in_use_gives_a_page_to_try_again_and_the_next_request_works(
        app, client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    assert client.get("/dashboard").status_code == 200
    assert end_the_apps_connections(app) >= 1

    lost = client.get("/dashboard")

    page = lost.get_data(as_text=True)
    assert lost.status_code == 503
    assert "The database is out of reach for a moment" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert lost.headers["Retry-After"].isdigit()
    assert client.get("/dashboard").status_code == 200


def test_an_action_whose_connection_was_lost_can_be_sent_again_and_counts_once(
        app, client, auth, make_user, library):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    run_id = start(client, auth)
    rewind(app, run_id, 10)  # 100 s at 10x: the first post is on the feed
    token = auth.csrf_token(f"/runs/{run_id}")
    end_the_apps_connections(app)

    def like():
        return client.post(f"/runs/{run_id}/actions",
                           data={"key": "k-lost", "event": "first_post", "action": "like"},
                           headers={"HX-Request": "true", "X-CSRFToken": token})

    assert like().status_code == 503
    second = like()
    assert second.status_code == 200, second.get_data(as_text=True)[-800:]
    with app.extensions["sandbox.engine"].connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM run_action WHERE key = 'k-lost'"))
        assert stored.scalar_one() == 1


def test_a_connection_lost_while_idle_in_the_pool_is_replaced_unnoticed(
        app, client, auth, make_user, monkeypatch):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    assert client.get("/dashboard").status_code == 200
    monkeypatch.setattr(db, "IDLE_PING", 0)  # every pooled connection has been idle long enough
    assert end_the_apps_connections(app) >= 1

    assert client.get("/dashboard").status_code == 200
