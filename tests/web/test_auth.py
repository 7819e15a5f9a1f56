"""Signing in and out, CSRF, throttling, as a browser without JavaScript sees them."""

from sqlmodel import SQLModel

from sandbox import accounts, create_app
from sandbox.db import get_session
from sandbox.web.auth.views import GENERIC_FAILURE
from tests.conftest import PASSWORD, AuthActions


def test_visitors_are_sent_to_the_sign_in_page(client):
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_signing_in_opens_the_dashboard(client, auth, make_user):
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    response = auth.login("tess@example.com")
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, Tess" in page and "Sign out" in page


def test_a_wrong_password_shows_one_generic_message(client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    wrong_password = auth.login("tess@example.com", "not the password")
    unknown_email = auth.login("nobody@example.com", "not the password")
    assert wrong_password.status_code == unknown_email.status_code == 401
    for response in (wrong_password, unknown_email):
        assert GENERIC_FAILURE in response.get_data(as_text=True)


def test_an_empty_sign_in_form_gets_the_same_generic_message(client, auth):
    token = auth.csrf_token("/sign-in")
    response = client.post("/sign-in", data={"email": "", "password": "", "csrf_token": token})
    assert response.status_code == 400
    assert GENERIC_FAILURE in response.get_data(as_text=True)


def test_a_deactivated_account_gets_the_generic_message(client, auth, make_user):
    make_user("trainee", email="gone@example.com", active=False)
    response = auth.login("gone@example.com")
    assert GENERIC_FAILURE in response.get_data(as_text=True)


def test_repeated_failures_are_slowed_down_with_a_clear_message(app, client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        auth.login("tess@example.com", "guess")
    response = auth.login("tess@example.com")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)


def test_a_post_without_a_csrf_token_is_refused_and_changes_nothing(client, make_user):
    make_user("trainee", email="tess@example.com")
    response = client.post("/sign-in", data={"email": "tess@example.com",
                                             "password": "correct horse battery"})
    assert response.status_code == 400
    assert "This form has expired" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_an_htmx_request_may_send_the_csrf_token_as_a_header(client, auth, make_user):
    admin = make_user("admin", email="ada@example.com")
    auth.login("ada@example.com")
    token = auth.csrf_token()
    response = client.post(
        f"/admin/users/{admin}", data={"roles": ["admin", "hr"], "active": "on"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert "Saved" in response.get_data(as_text=True)


def test_signing_out_needs_a_post_and_ends_the_session(client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    assert client.get("/sign-out").status_code == 405
    response = client.post("/sign-out", data={"csrf_token": auth.csrf_token()})
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/dashboard").status_code == 302


def test_after_signing_in_only_same_site_next_links_are_followed(client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    token = auth.csrf_token("/sign-in")
    response = client.post(
        "/sign-in?next=//evil.example.com/x",
        data={"email": "tess@example.com", "password": "correct horse battery",
              "csrf_token": token},
    )
    assert response.headers["Location"] == "/dashboard"


def test_the_session_cookie_is_httponly_and_samesite(client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    response = auth.login("tess@example.com")
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_hashes_passwords_with_scrypt_and_signs_in_with_it(tmp_path, monkeypatch):
    """The suite hashes cheaply (tests/conftest.py); this test keeps the real method honest."""
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'real.db'}",
                      "SECRET_KEY": "x", "SERVER_NAME": "sandbox.test"})
    SQLModel.metadata.create_all(app.extensions["sandbox.engine"])
    with app.app_context():
        session = get_session()
        user = accounts.create_user(session=session, email="real@example.com", name="Real",
                                    password=PASSWORD, roles=["trainee"])
        session.commit()
        assert user.password_hash.startswith("scrypt:")
    response = AuthActions(app.test_client()).login("real@example.com")
    assert response.status_code == 302
    app.extensions["sandbox.engine"].dispose()
