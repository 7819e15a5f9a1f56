"""Sessions and "keep me signed in" end when the password changes, on a reset, on
deactivation and on "sign out of all devices"; no two sign-ins share a cookie."""

import time
from datetime import timedelta

import pytest
from flask_login.utils import encode_cookie

from sandbox import create_app
from tests.conftest import PASSWORD, AuthActions, csrf_token_from
from tests.web.test_passwords import NEW, admin_reset_link, change, set_new_password

REMEMBER = "remember_token"


def remembered_sign_in(app, email="tess@example.com", password=PASSWORD):
    """A browser that signed in with "keep me signed in": (client, its remember-me cookie)."""
    browser = app.test_client()
    token = csrf_token_from(browser.get("/sign-in").get_data(as_text=True))
    response = browser.post("/sign-in", data={"email": email, "password": password,
                                              "remember": "y", "csrf_token": token})
    assert response.status_code == 302
    cookie = browser.get_cookie(REMEMBER, domain="sandbox.test")
    assert cookie is not None, "no remember-me cookie was set"
    return browser, cookie.value


def opens_dashboard_with(app, remember_cookie: str) -> bool:
    """A browser that kept only the remember-me cookie (its session cookie ended)."""
    browser = app.test_client()
    browser.set_cookie(REMEMBER, remember_cookie, domain="sandbox.test")
    return browser.get("/dashboard").status_code == 200


def test_the_remember_me_cookie_is_different_at_every_sign_in(app, make_user):
    make_user("trainee", email="tess@example.com")
    _, first = remembered_sign_in(app)
    _, second = remembered_sign_in(app)
    assert first != second
    assert opens_dashboard_with(app, first) and opens_dashboard_with(app, second)


def test_a_remember_me_cookie_made_from_the_user_id_alone_does_not_sign_in(app, make_user):
    tess = make_user("trainee", email="tess@example.com")
    with app.test_request_context():
        forged = encode_cookie(str(tess))  # what the cookie was before: id|HMAC(id)
    assert not opens_dashboard_with(app, forged)


def test_sign_out_of_all_devices_ends_every_session_and_remember_me_cookie(app, make_user):
    make_user("trainee", email="tess@example.com")
    phone, phone_cookie = remembered_sign_in(app)
    laptop = app.test_client()
    AuthActions(laptop).login("tess@example.com")
    page = laptop.get("/account/password").get_data(as_text=True)
    assert "Sign out of all devices" in page
    response = laptop.post("/account/sign-out-everywhere",
                           data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert laptop.get("/dashboard").status_code == 302
    assert phone.get("/dashboard").status_code == 302
    assert not opens_dashboard_with(app, phone_cookie)
    assert AuthActions(app.test_client()).login("tess@example.com").status_code == 302


def test_a_password_change_signs_out_every_other_device_but_not_this_one(app, make_user):
    make_user("trainee", email="tess@example.com")
    phone, phone_cookie = remembered_sign_in(app)
    laptop = app.test_client()
    laptop_auth = AuthActions(laptop)
    laptop_auth.login("tess@example.com")
    assert change(laptop, laptop_auth, PASSWORD).status_code == 302
    assert laptop.get("/dashboard").status_code == 200
    assert phone.get("/dashboard").status_code == 302
    assert not opens_dashboard_with(app, phone_cookie)


def test_a_password_change_renews_this_devices_remember_me_cookie(app, make_user):
    make_user("trainee", email="tess@example.com")
    laptop, old_cookie = remembered_sign_in(app)
    assert change(laptop, AuthActions(laptop), PASSWORD).status_code == 302
    new_cookie = laptop.get_cookie(REMEMBER, domain="sandbox.test").value
    assert new_cookie != old_cookie
    assert opens_dashboard_with(app, new_cookie) and not opens_dashboard_with(app, old_cookie)


def test_a_reset_password_ends_the_sessions_signed_in_with_the_old_one(app, client,
                                                                      make_user):
    _, link = admin_reset_link(app, make_user)
    phone, phone_cookie = remembered_sign_in(app)
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    assert set_new_password(client, path).status_code == 302
    assert client.get("/dashboard").status_code == 200  # the person who reset it
    assert phone.get("/dashboard").status_code == 302
    assert not opens_dashboard_with(app, phone_cookie)
    assert AuthActions(app.test_client()).login("tess@example.com", NEW).status_code == 302


def test_deactivating_an_account_ends_its_remember_me_cookies_for_good(app, make_user):
    tess = make_user("trainee", email="tess@example.com")
    phone, phone_cookie = remembered_sign_in(app)
    make_user("admin", email="ada@example.com", name="Ada Admin")
    admin = app.test_client()
    admin_auth = AuthActions(admin)
    admin_auth.login("ada@example.com")
    token = admin_auth.csrf_token("/admin/users")
    admin.post(f"/admin/users/{tess}", data={"roles": ["trainee"], "csrf_token": token})
    assert not opens_dashboard_with(app, phone_cookie)
    admin.post(f"/admin/users/{tess}", data={"roles": ["trainee"], "active": "on",
                                            "csrf_token": token})
    assert not opens_dashboard_with(app, phone_cookie)  # reactivating does not revive it
    assert phone.get("/dashboard").status_code == 302


def test_a_remember_me_cookie_stops_working_after_its_duration(app, make_user, monkeypatch):
    make_user("trainee", email="tess@example.com")
    _, cookie = remembered_sign_in(app)
    later = time.time() + app.config["REMEMBER_COOKIE_DURATION"].total_seconds() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert not opens_dashboard_with(app, cookie)


def test_keep_me_signed_in_lasts_thirty_days_not_a_year(app):
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)


@pytest.mark.parametrize("secure", [False, True])
def test_the_remember_me_cookie_has_the_session_cookies_flags(tmp_path, secure):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                      "SECRET_KEY": "x", "SESSION_COOKIE_SECURE": secure})
    assert app.config["REMEMBER_COOKIE_SECURE"] is secure
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    app.extensions["sandbox.engine"].dispose()


def test_the_remember_me_cookie_is_sent_httponly_and_samesite(app, make_user):
    make_user("trainee", email="tess@example.com")
    browser = app.test_client()
    token = csrf_token_from(browser.get("/sign-in").get_data(as_text=True))
    response = browser.post("/sign-in", data={"email": "tess@example.com", "password": PASSWORD,
                                              "remember": "y", "csrf_token": token})
    cookie = next(v for v in response.headers.getlist("Set-Cookie")
                  if v.startswith(f"{REMEMBER}="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_signing_out_ends_that_sign_in_for_good_but_not_the_others(app, make_user):
    make_user("trainee", email="tess@example.com")
    phone, phone_cookie = remembered_sign_in(app)
    laptop, laptop_cookie = remembered_sign_in(app)
    kept_session = phone.get_cookie("session", domain="sandbox.test").value
    phone.post("/sign-out", data={"csrf_token": AuthActions(phone).csrf_token()})
    assert not opens_dashboard_with(app, phone_cookie)  # a copy of the cookie is worthless
    copy = app.test_client()
    copy.set_cookie("session", kept_session, domain="sandbox.test")
    assert copy.get("/dashboard").status_code == 302  # and so is a copy of the session
    assert laptop.get("/dashboard").status_code == 200
    assert opens_dashboard_with(app, laptop_cookie)
