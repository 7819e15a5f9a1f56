"""Trainers group trainees in cohorts, invite newcomers and assign scenarios; trainees see them."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from sandbox.models import Assignment, Cohort, CohortMember, Invitation, User
from tests.conftest import AuthActions, csrf_token_from
from tests.web.test_practice import GOOD_REPLY, act, engine, rewind


@pytest.fixture
def trainer(app, client, auth, make_user, library):
    make_user("trainer", email="dana@example.com", name="Dana Coach")
    auth.login("dana@example.com")
    return client


def post(client, path, page=None, **data):
    token = csrf_token_from(client.get(page or "/cohorts/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def new_cohort(client, name="Spring intake") -> int:
    response = post(client, "/cohorts/", name=name, description="Customer care, March")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/cohorts/(\d+)$", response.headers["Location"]).group(1))


def rows(app, model):
    with Session(engine(app)) as session:
        return session.exec(select(model)).all()


def test_a_trainer_creates_a_cohort_and_a_duplicate_name_is_refused(app, trainer):
    new_cohort(trainer)
    again = post(trainer, "/cohorts/", name="  Spring   intake ")
    assert again.status_code == 422
    assert "already a cohort called" in again.get_data(as_text=True)
    empty = post(trainer, "/cohorts/", name="")
    assert empty.status_code == 422 and "Give the cohort a name" in empty.get_data(as_text=True)
    assert len(rows(app, Cohort)) == 1


def test_people_with_accounts_join_and_others_get_a_one_time_link(app, trainer, make_user):
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    cohort = new_cohort(trainer)
    response = post(trainer, f"/cohorts/{cohort}/people", page=f"/cohorts/{cohort}",
                    emails="Tess@Example.com, newbie@example.com\nnot-an-email")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422  # one line could not be added...
    assert '"not-an-email" is not an e-mail address' in page
    assert ">not-an-email</textarea>" in page  # ...and stays in the box to fix
    assert "1 added, 1 invited" in page
    link = re.search(r'value="(http://[^"]+/join/[^"]+)"', page).group(1)
    assert [m.user_id for m in rows(app, CohortMember)] == [
        u.id for u in rows(app, User) if u.email == "tess@example.com"]
    [invitation] = rows(app, Invitation)
    assert invitation.email == "newbie@example.com"
    assert link.rsplit("/", 1)[1] not in invitation.token_hash  # only a hash is kept


def test_an_invited_person_creates_a_trainee_account_and_lands_in_the_cohort(app, trainer):
    cohort = new_cohort(trainer)
    page = post(trainer, f"/cohorts/{cohort}/people", page=f"/cohorts/{cohort}",
                emails="newbie@example.com").get_data(as_text=True)
    path = re.search(r'value="http://[^/]+(/join/[^"]+)"', page).group(1)
    newcomer = app.test_client()
    form = newcomer.get(path).get_data(as_text=True)
    assert "Spring intake" in form and "newbie@example.com" in form
    token = csrf_token_from(form)
    mismatch = newcomer.post(path, data={"csrf_token": token, "name": "Nia Newbie",
                                         "password": "a good password", "password_again": "x"})
    assert mismatch.status_code == 422 and "different" in mismatch.get_data(as_text=True)
    assert 'value="Nia Newbie"' in mismatch.get_data(as_text=True)
    done = newcomer.post(path, data={"csrf_token": token, "name": "Nia Newbie",
                                     "password": "a good password",
                                     "password_again": "a good password"})
    assert done.status_code == 302 and done.headers["Location"] == "/dashboard"
    [user] = [u for u in rows(app, User) if u.email == "newbie@example.com"]
    assert user.role_names == {"trainee"}
    assert rows(app, Invitation) == []
    used = app.test_client().get(path)
    assert used.status_code == 404 and "This link does not work" in used.get_data(as_text=True)


def test_an_expired_invitation_says_so(app, trainer):
    cohort = new_cohort(trainer)
    page = post(trainer, f"/cohorts/{cohort}/people", page=f"/cohorts/{cohort}",
                emails="late@example.com").get_data(as_text=True)
    path = re.search(r'value="http://[^/]+(/join/[^"]+)"', page).group(1)
    with Session(engine(app)) as session:
        invitation = session.exec(select(Invitation)).one()
        invitation.expires_at -= timedelta(days=30)
        session.add(invitation)
        session.commit()
    response = app.test_client().get(path)
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)


def test_an_assigned_scenario_shows_on_the_trainees_dashboard_until_done(app, trainer,
                                                                          make_user):
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    cohort = new_cohort(trainer)
    post(trainer, f"/cohorts/{cohort}/people", page=f"/cohorts/{cohort}",
         emails="tess@example.com")
    due = (date.today() + timedelta(days=7)).isoformat()
    response = post(trainer, f"/cohorts/{cohort}/assignments", page=f"/cohorts/{cohort}",
                    scenario="sunnyfoods-recall", mode="exam", due_on=due)
    assert response.status_code == 302

    tess = app.test_client()
    auth = AuthActions(tess)
    auth.login("tess@example.com")
    dashboard = tess.get("/dashboard").get_data(as_text=True)
    assert "Assigned to you" in dashboard and "not started" in dashboard
    assert "/practice/sunnyfoods-recall?mode=exam&amp;assigned=1" in dashboard
    briefing = tess.get("/practice/sunnyfoods-recall?mode=exam&assigned=1").get_data(as_text=True)
    assert re.search(r'value="exam"\s+checked', briefing)
    assert "only a run in that mode counts" in briefing

    token = auth.csrf_token("/practice/sunnyfoods-recall")
    started = tess.post("/practice/sunnyfoods-recall/start",
                        data={"mode": "exam", "speed": 10, "csrf_token": token})
    run_id = int(started.headers["Location"].rsplit("/", 1)[1])
    dashboard = tess.get("/dashboard").get_data(as_text=True)
    assert "in progress" in dashboard
    assert re.search(rf'href="/runs/{run_id}">Continue</a>', dashboard), "not a second run"
    rewind(app, run_id, 10)
    act(tess, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    tess.post(f"/runs/{run_id}/finish", data={"csrf_token": auth.csrf_token(f"/runs/{run_id}")})
    assert "done · " in tess.get("/dashboard").get_data(as_text=True)
    grid = trainer.get(f"/cohorts/{cohort}").get_data(as_text=True)
    assert f"/review/runs/{run_id}" in grid


def test_assigning_refuses_unknown_scenarios_modes_dates_and_duplicates(app, trainer):
    cohort = new_cohort(trainer)
    page = f"/cohorts/{cohort}"
    for fields, message in [
        ({"scenario": "../etc/passwd", "mode": "practice"}, "Choose a scenario from the library"),
        ({"scenario": "sunnyfoods-recall", "mode": "speedrun"}, "Choose practice or exam"),
        ({"scenario": "sunnyfoods-recall", "mode": "exam", "due_on": "next week"},
         "YYYY-MM-DD"),
    ]:
        response = post(trainer, f"/cohorts/{cohort}/assignments", page=page, **fields)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    post(trainer, f"/cohorts/{cohort}/assignments", page=page, scenario="sunnyfoods-recall",
         mode="practice")
    twice = post(trainer, f"/cohorts/{cohort}/assignments", page=page,
                 scenario="sunnyfoods-recall", mode="exam")
    assert twice.status_code == 422 and "already assigned" in twice.get_data(as_text=True)
    assert len(rows(app, Assignment)) == 1


def test_deleting_a_cohort_needs_its_name_and_keeps_the_people(app, trainer, make_user):
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    cohort = new_cohort(trainer)
    post(trainer, f"/cohorts/{cohort}/people", page=f"/cohorts/{cohort}",
         emails="tess@example.com")
    wrong = post(trainer, f"/cohorts/{cohort}/delete", page=f"/cohorts/{cohort}",
                 confirm="spring")
    assert wrong.status_code == 422 and rows(app, Cohort)
    post(trainer, f"/cohorts/{cohort}/delete", page=f"/cohorts/{cohort}", confirm="Spring intake")
    assert rows(app, Cohort) == [] and rows(app, CohortMember) == []
    assert any(u.email == "tess@example.com" for u in rows(app, User))


def test_trainees_cannot_manage_cohorts(client, auth, make_user, library):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    assert client.get("/cohorts/").status_code == 403
    token = auth.csrf_token()
    assert client.post("/cohorts/", data={"csrf_token": token, "name": "x"}).status_code == 403


def test_behind_a_proxy_invitation_links_carry_the_public_address(app, trainer):
    from sandbox import create_app

    proxied = create_app({**app.config, "BEHIND_PROXY": True, "SERVER_NAME": None})
    browser = proxied.test_client()
    AuthActions(browser).login("dana@example.com")
    cohort = new_cohort(browser, name="Proxied")
    headers = {"X-Forwarded-Host": "sandbox.example.org", "X-Forwarded-Proto": "https",
               "Referer": f"https://sandbox.example.org/cohorts/{cohort}"}
    token = csrf_token_from(browser.get(f"/cohorts/{cohort}").get_data(as_text=True))
    page = browser.post(f"/cohorts/{cohort}/people", headers=headers,
                        data={"csrf_token": token, "emails": "new@example.com"})
    link = re.search(r'value="([^"]*/join/[^"]*)"', page.get_data(as_text=True)).group(1)
    assert link.startswith("https://sandbox.example.org/join/")
