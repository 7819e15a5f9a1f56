"""Changing your own password, and the one-time reset links administrators hand out."""

import re
import time

import pytest
from itsdangerous import URLSafeTimedSerializer
from itsdangerous.timed import TimestampSigner

from tests.conftest import PASSWORD, AuthActions, csrf_token_from

NEW = "a brand new passphrase"


def change(client, auth, current, new=NEW, again=None):
    return client.post("/account/password", data={
        "current": current, "password": new, "password_again": again or new,
        "csrf_token": auth.csrf_token("/account/password")})


def test_a_signed_in_person_changes_their_password_and_signs_in_with_the_new_one(
        app, client, auth, make_user):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    assert "Change your password" in client.get("/account/password").get_data(as_text=True)
    response = change(client, auth, PASSWORD)
    assert response.status_code == 302
    client.post("/sign-out", data={"csrf_token": auth.csrf_token()})
    assert auth.login("tess@example.com").status_code == 401
    assert auth.login("tess@example.com", NEW).status_code == 302


@pytest.mark.parametrize(("current", "new", "again", "message"), [
    ("not my password", NEW, NEW, "Your current password is not that one"),
    (PASSWORD, NEW, "something else entirely", "The two new passwords are different"),
    (PASSWORD, "short", "short", "at least 8 characters"),
])
def test_a_refused_change_says_why_and_keeps_the_old_password(app, client, auth, make_user,
                                                             current, new, again, message):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    response = change(client, auth, current, new, again)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    assert NEW not in page and PASSWORD not in page  # passwords are never echoed back
    client.post("/sign-out", data={"csrf_token": auth.csrf_token()})
    assert auth.login("tess@example.com").status_code == 302


def test_guessing_the_current_password_is_throttled_like_signing_in(app, client, auth,
                                                                    make_user):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    statuses = [change(client, auth, f"guess {n}").status_code for n in range(6)]
    assert statuses[-1] == 429
    assert "Too many failed sign-in attempts" in change(client, auth, PASSWORD).get_data(
        as_text=True)


def test_every_page_header_links_to_your_account(client, auth, make_user):
    make_user("hr", email="hana@example.com")
    auth.login("hana@example.com")
    header = client.get("/dashboard").get_data(as_text=True).split("</header>", 1)[0]
    assert re.search(r'<a class="who" href="/account/password"[^>]*>\s*'
                     r'<span class="visually-hidden">Your account:</span>', header)


def test_a_change_sent_twice_succeeds_twice_and_keeps_the_new_password(app, client, auth,
                                                                       make_user):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    assert change(client, auth, PASSWORD).status_code == 302
    assert change(client, auth, PASSWORD).status_code == 302  # the double click
    assert AuthActions(app.test_client()).login("tess@example.com", NEW).status_code == 302


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def admin_reset_link(app, make_user, active=True):
    """What an admin gets after pressing "Reset link" beside Tess: the link, or the response."""
    tess = make_user("trainee", email="tess@example.com", name="Tess Lee", active=active)
    make_user("admin", email="ada@example.com", name="Ada Admin")
    admin = app.test_client()
    AuthActions(admin).login("ada@example.com")
    users = admin.get("/admin/users").get_data(as_text=True)
    assert (f'/admin/users/{tess}/reset-link' in users) is active
    response = admin.post(f"/admin/users/{tess}/reset-link",
                          data={"csrf_token": csrf_token_from(users)})
    found = re.search(r'value="(http[^"]+/reset/[^"]+)"\s+aria-label="Password reset link for '
                      r'tess@example.com"', response.get_data(as_text=True))
    return admin, (found.group(1) if found else response)


def set_new_password(client, path, new=NEW, again=None):
    page = client.get(path).get_data(as_text=True)
    return client.post(path, data={"password": new, "password_again": again or new,
                                   "csrf_token": csrf_token_from(page)})


def test_an_admin_hands_out_a_reset_link_that_works_once(app, client, make_user):
    _, link = admin_reset_link(app, make_user)
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    assert "Choose a new password" in client.get(path).get_data(as_text=True)
    assert set_new_password(client, path, again="not the same").status_code == 422
    response = set_new_password(client, path)
    assert response.status_code == 302  # signed in, on the dashboard
    assert "Tess" in client.get("/dashboard").get_data(as_text=True)
    used = client.get(path)
    assert used.status_code == 404 and "already been used" in used.get_data(as_text=True)
    assert AuthActions(app.test_client()).login("tess@example.com", NEW).status_code == 302


def test_a_reset_form_sent_twice_signs_the_person_in_both_times(app, client, make_user):
    _, link = admin_reset_link(app, make_user)
    path = "/reset/" + link.rsplit("/reset/", 1)[1]
    assert set_new_password(client, path).status_code == 302

    def send_again(password):  # from a browser that has not seen the first answer yet
        browser = app.test_client()
        token = csrf_token_from(browser.get("/sign-in").get_data(as_text=True))
        return browser.post(path, data={"password": password, "password_again": password,
                                        "csrf_token": token})

    assert send_again(NEW).status_code == 302
    guess = send_again("a guess at it")
    assert guess.status_code == 404 and "already been used" in guess.get_data(as_text=True)


def test_a_reset_link_older_than_a_day_has_expired(app, client, make_user, monkeypatch):
    a_day_ago = int(time.time()) - 24 * 3600 - 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: a_day_ago)
    _, link = admin_reset_link(app, make_user)
    monkeypatch.undo()
    page = client.get("/reset/" + link.rsplit("/reset/", 1)[1])
    assert page.status_code == 404
    assert "This reset link has expired" in page.get_data(as_text=True)


def test_a_forged_or_mangled_reset_link_says_it_is_not_valid(app, client, make_user):
    tess = make_user("trainee", email="tess@example.com")
    forged = URLSafeTimedSerializer("another key", salt="x").dumps({"user": tess})
    page = client.get(f"/reset/{forged}")
    assert page.status_code == 404 and "not valid" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    assert client.get("/reset/%00nonsense").status_code == 404
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    sent = client.post(f"/reset/{forged}", data={"password": NEW, "password_again": NEW,
                                                 "csrf_token": token})
    assert sent.status_code == 404


def test_deactivated_people_get_no_reset_link(app, make_user):
    admin, refused = admin_reset_link(app, make_user, active=False)
    assert refused.status_code == 302
    assert "account is deactivated" in admin.get("/admin/users").get_data(as_text=True)


def test_a_link_stops_working_when_its_account_is_deactivated(app, client, make_user):
    admin, link = admin_reset_link(app, make_user)
    users = admin.get("/admin/users").get_data(as_text=True)
    tess = re.search(r'id="user-(\d+)"[^<]*<form[^>]*>\s*<input[^>]*>\s*<div class="user-id">'
                     r'\s*<strong>Tess Lee', users).group(1)
    admin.post(f"/admin/users/{tess}", data={"roles": "trainee",
                                             "csrf_token": csrf_token_from(users)})
    page = client.get("/reset/" + link.rsplit("/reset/", 1)[1])
    assert page.status_code == 404 and "no longer active" in page.get_data(as_text=True)


def test_a_reset_link_refused_from_a_stale_page_is_said_in_the_row(app, client, auth,
                                                                  make_user):
    tess = make_user("trainee", email="tess@example.com", name="Tess Lee", active=False)
    make_user("admin", email="ada@example.com")
    auth.login("ada@example.com")
    response = client.post(f"/admin/users/{tess}/reset-link",
                           headers={"HX-Request": "true", "X-CSRFToken": auth.csrf_token()})
    row = response.get_data(as_text=True)
    assert response.status_code == 422 and row.startswith('<li class="user-row inactive"')
    assert "account is deactivated: reactivate it first" in row


def test_only_admins_create_reset_links(app, client, auth, make_user):
    tess = make_user("trainee", email="tess@example.com")
    make_user("trainer", email="dana@example.com")
    auth.login("dana@example.com")
    response = client.post(f"/admin/users/{tess}/reset-link",
                           data={"csrf_token": auth.csrf_token()})
    assert response.status_code == 403
