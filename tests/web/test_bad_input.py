"""Odd input gets a page that says what to fix, never a server error: huge ids, NUL characters,
over-long values, double-clicked forms, line breaks in a `next` link."""

import re
from types import SimpleNamespace

import pytest
from sqlmodel import Session, select

from sandbox import accounts
from sandbox.models import Cohort, RunAction, User
from tests.conftest import PASSWORD, app_on, csrf_token_from
from tests.web.test_cohorts import new_cohort, post
from tests.web.test_practice import GOOD_REPLY, act, engine, rewind, start

HUGE_IDS = [2**31, 2**63, 10**30]


@pytest.fixture
def app(database_url):
    """Every test here runs on SQLite and on PostgreSQL: no odd input may reach a 500 on
    either (SQLite stores what PostgreSQL refuses, so the limits are checked at the edge)."""
    with app_on(database_url) as app:
        yield app


@pytest.fixture
def everyone(app, client, auth, make_user, library):
    """A browser signed in with every role, so every route is open to it."""
    make_user("trainee", "trainer", "hr", "admin", email="all@example.com", name="Al Roles")
    auth.login("all@example.com")
    return client


def int_routes(app):
    return [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_an_id_beyond_the_databases_integer_range_is_not_found_on_every_route(app, everyone,
                                                                             auth, huge):
    token = auth.csrf_token()
    checked = 0
    for rule in int_routes(app):
        values = {name: huge for name in rule.arguments}
        if "command" in values:
            values["command"] = "finish"
        path = rule.build(values, append_unknown=False)[1]
        method = "POST" if "POST" in rule.methods else "GET"
        response = everyone.open(path, method=method, headers={"X-CSRFToken": token})
        assert response.status_code == 404, (path, response.status_code)
        assert "Nothing here" in response.get_data(as_text=True)
        checked += 1
    assert checked >= 11


def nul_refused(response):
    page = response.get_data(as_text=True)
    return response.status_code == 400 and "NUL character" in page and "Traceback" not in page


def test_a_nul_character_in_the_sign_in_email_is_refused_with_advice(client, make_user):
    make_user("trainee", email="tess@example.com")
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    assert nul_refused(client.post("/sign-in", data={"email": "tess@example.com\x00",
                                                     "password": PASSWORD, "csrf_token": token}))


@pytest.mark.parametrize("field", ["text", "key", "to", "event"])
def test_a_nul_character_in_any_field_of_an_action_is_refused_and_nothing_stored(
        app, client, auth, make_user, library, field):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    fields = {"key": "k1", "event": "first_post", "action": "reply", "text": GOOD_REPLY}
    fields[field] = fields.get(field, "x") + "\x00"
    key = fields.pop("key")
    response = act(client, auth, run_id, key=key, htmx=False, **fields)
    assert nul_refused(response)
    with Session(engine(app)) as session:
        assert session.exec(select(RunAction)).all() == []


def test_nul_characters_in_cohort_names_invitations_and_review_comments_are_refused(
        app, everyone):
    assert nul_refused(post(everyone, "/cohorts/", name="Spring\x00"))
    cohort = new_cohort(everyone)
    assert nul_refused(post(everyone, f"/cohorts/{cohort}/people", page=f"/cohorts/{cohort}",
                            emails="new\x00@example.com"))
    assert nul_refused(post(everyone, "/review/runs/1", page="/cohorts/", key="r",
                            decision="confirm", comment="fine\x00"))


def invitation_path(app, trainer, email="newbie@example.com"):
    cohort = new_cohort(trainer)
    page = post(trainer, f"/cohorts/{cohort}/people", page=f"/cohorts/{cohort}",
                emails=email).get_data(as_text=True)
    return re.search(r'value="http://[^/]+(/join/[^"]+)"', page).group(1)


def join(app, path, name="Nia Newbie", password="a good password"):
    newcomer = app.test_client()
    token = csrf_token_from(newcomer.get(path).get_data(as_text=True))
    return newcomer.post(path, data={"csrf_token": token, "name": name, "password": password,
                                     "password_again": password})


def test_an_over_long_name_on_joining_is_refused_with_the_limit(app, everyone):
    path = invitation_path(app, everyone)
    response = join(app, path, name="N" * 121)
    assert response.status_code == 422
    assert "keep it to 120" in response.get_data(as_text=True)
    assert join(app, path, name="N" * 120).status_code == 302


def test_an_invitation_e_mail_longer_than_254_characters_is_refused_with_the_limit(app,
                                                                                  everyone):
    cohort = new_cohort(everyone)
    email = "a" * 64 + "@" + "b" * 200 + ".example.com"
    page = post(everyone, f"/cohorts/{cohort}/people", page=f"/cohorts/{cohort}",
                emails=email).get_data(as_text=True)
    assert "at most 254 characters" in page


def test_a_join_form_sent_twice_at_the_same_moment_is_answered_cleanly(app, everyone,
                                                                     monkeypatch):
    path = invitation_path(app, everyone)
    assert join(app, path).status_code == 302
    # The second request checked "no account yet" before the first one committed:
    from sandbox import cohorts

    invitation_of = cohorts.find_invitation
    with Session(engine(app)) as session:
        kept = session.exec(select(Cohort)).first()
    monkeypatch.setattr(accounts, "find_user", lambda *_: None)
    still_there = SimpleNamespace(email="newbie@example.com", cohort_id=kept.id,
                                  cohort=SimpleNamespace(name=kept.name))
    monkeypatch.setattr(cohorts, "find_invitation", lambda *_, **__: still_there)
    response = join(app, path)
    monkeypatch.setattr(cohorts, "find_invitation", invitation_of)
    assert response.status_code == 422
    assert "This invitation was just used" in response.get_data(as_text=True)


def test_a_double_clicked_create_account_says_the_account_exists(app, everyone, monkeypatch):
    def create(browser):
        page = browser.get("/admin/users/new").get_data(as_text=True)
        return browser.post("/admin/users/new", data={
            "csrf_token": csrf_token_from(page), "name": "Bo Chen", "email": "bo@example.com",
            "password": "a good password", "roles": ["trainee"]})

    assert create(everyone).status_code == 302
    monkeypatch.setattr(accounts, "find_user", lambda *_: None)  # the check raced the insert
    response = create(everyone)
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


@pytest.mark.parametrize("to", ["x" * 121, "x" * 5000])
@pytest.mark.parametrize("action", ["like", "hide", "reply"])
def test_an_over_long_to_on_an_action_that_names_nobody_is_ignored(app, client, auth, make_user,
                                                                  library, action, to):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    response = act(client, auth, run_id, event="first_post", action=action, text=GOOD_REPLY,
                   to=to)
    assert response.status_code == 200
    with Session(engine(app)) as session:
        assert [a.to for a in session.exec(select(RunAction)).all()] == [None]


def test_an_over_long_expert_name_on_an_escalation_is_refused_with_the_experts(
        app, client, auth, make_user, library):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    response = act(client, auth, run_id, event="first_post", action="escalate",
                   text="Batch 22B question", to="x" * 121)
    assert response.status_code == 422
    assert "choose one of: quality_team" in response.get_data(as_text=True)


@pytest.mark.parametrize("next_", ["/dashboard\r\nSet-Cookie: x=y", "/dashboard\n",
                                   "/\\evil.example", "/\tevil"])
def test_line_breaks_or_backslashes_in_next_are_ignored_after_signing_in(client, make_user,
                                                                         next_):
    make_user("trainee", email="tess@example.com")
    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/sign-in", query_string={"next": next_},
                           data={"email": "tess@example.com", "password": PASSWORD,
                                 "csrf_token": token})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"] and "\n" not in response.headers["Location"]


def test_the_error_page_is_shown_even_when_the_layout_cannot_be_rendered(app, client,
                                                                        monkeypatch):
    from sandbox.web import errors

    @app.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    monkeypatch.setattr(errors, "render_template",
                        lambda *a, **k: (_ for _ in ()).throw(RuntimeError("broken layout")))
    response = client.get("/boom")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)


def test_sql_errors_and_logs_never_show_statement_parameters(app, make_user):
    make_user("trainee", email="tess@example.com")
    with Session(engine(app)) as session:
        hash_ = session.exec(select(User.password_hash)).one()
        session.add(User(email="tess@example.com", name="Again", password_hash=hash_))
        with pytest.raises(Exception) as raised:
            session.commit()
    assert hash_ not in str(raised.value)
    assert app.extensions["sandbox.engine"].hide_parameters


def test_a_row_inserted_twice_at_once_gets_a_page_saying_so_not_a_server_error(app, client):
    from sandbox.db import get_session

    @app.post("/twice")  # a write: GET reads without a transaction (sandbox.db)
    def twice():
        session = get_session()
        for _ in range(2):
            session.add(Cohort(name="Same name"))
            session.flush()

    token = csrf_token_from(client.get("/sign-in").get_data(as_text=True))
    response = client.post("/twice", headers={"X-CSRFToken": token})
    assert response.status_code == 409
    assert "Someone did this at the same moment" in response.get_data(as_text=True)
    with Session(engine(app)) as session:
        assert session.exec(select(Cohort)).all() == []
