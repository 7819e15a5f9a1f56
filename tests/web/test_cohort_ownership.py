"""A cohort is changed by its owners and by administrators; other trainers only read it."""

import re

import pytest
from sqlmodel import Session, select

from sandbox import cohorts
from sandbox.models import Assignment, Cohort, CohortMember, CohortOwner, Invitation
from tests.conftest import AuthActions, csrf_token_from
from tests.web.test_practice import engine


@pytest.fixture
def people(app, make_user, library):
    return {
        "dana": make_user("trainer", email="dana@example.com", name="Dana Coach"),
        "omar": make_user("trainer", email="omar@example.com", name="Omar Other"),
        "ada": make_user("admin", email="ada@example.com", name="Ada Admin"),
        "tess": make_user("trainee", email="tess@example.com", name="Tess Lee"),
        "harper": make_user("hr", email="harper@example.com", name="Harper HR"),
    }


def signed_in(app, email):
    client = app.test_client()
    AuthActions(client).login(email)
    return client


def post(client, path, **data):
    token = csrf_token_from(client.get("/dashboard").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def state(app):
    """Everything a write to a cohort could change."""
    with Session(engine(app)) as session:
        return {model.__name__: sorted(repr(sorted(row.model_dump().items()))
                                       for row in session.exec(select(model)))
                for model in (Cohort, CohortMember, CohortOwner, Invitation, Assignment)}


@pytest.fixture
def danas_cohort(app, people):
    dana = signed_in(app, "dana@example.com")
    response = post(dana, "/cohorts/", name="Spring intake")
    cohort_id = int(re.search(r"/cohorts/(\d+)$", response.headers["Location"]).group(1))
    post(dana, f"/cohorts/{cohort_id}/people", emails="tess@example.com, new@example.com")
    post(dana, f"/cohorts/{cohort_id}/assignments", scenario="sunnyfoods-recall", mode="practice")
    with Session(engine(app)) as session:
        cohort = session.get(Cohort, cohort_id)
        invitation_id = cohort.invitations[0].id
        assignment_id = cohort.assignments[0].id
    return {"id": cohort_id, "invitation": invitation_id, "assignment": assignment_id}


def writes(cohort, people):
    """Every change a cohort page offers, as (path, form)."""
    c = cohort["id"]
    return [
        (f"/cohorts/{c}/people", {"emails": "someone@example.com"}),
        (f"/cohorts/{c}/people/{people['tess']}/remove", {}),
        (f"/cohorts/{c}/invitations/{cohort['invitation']}/renew", {}),
        (f"/cohorts/{c}/invitations/{cohort['invitation']}/revoke", {}),
        (f"/cohorts/{c}/assignments", {"scenario": "sunnyfoods-recall", "mode": "exam"}),
        (f"/cohorts/{c}/assignments/{cohort['assignment']}/remove", {}),
        (f"/cohorts/{c}/owners", {"user_id": people["omar"]}),
        (f"/cohorts/{c}/owners/{people['dana']}/remove", {}),
        (f"/cohorts/{c}/delete", {"confirm": "Spring intake"}),
    ]


def test_the_trainer_who_creates_a_cohort_owns_it(app, people, danas_cohort):
    with Session(engine(app)) as session:
        cohort = session.get(Cohort, danas_cohort["id"])
        assert [owner.user_id for owner in cohort.owners] == [people["dana"]]
    page = signed_in(app, "dana@example.com").get("/cohorts/").get_data(as_text=True)
    assert "Dana Coach <span class=\"badge\">you</span>" in page


def test_another_trainer_reads_the_cohort_but_every_change_is_refused(app, people,
                                                                      danas_cohort):
    omar = signed_in(app, "omar@example.com")
    page = omar.get(f"/cohorts/{danas_cohort['id']}").get_data(as_text=True)
    assert "Read only: Dana Coach and the administrators change this cohort." in page
    assert "Tess Lee" in page  # the progress is visible...
    assert 'method="post"' not in page.split("<main", 1)[1]  # ...but no form to change it
    before = state(app)
    for path, form in writes(danas_cohort, people):
        assert post(omar, path, **form).status_code == 403, path
    assert state(app) == before


def test_a_co_trainer_added_by_the_owner_may_change_the_cohort(app, people, danas_cohort):
    dana = signed_in(app, "dana@example.com")
    assert post(dana, f"/cohorts/{danas_cohort['id']}/owners",
                user_id=people["omar"]).status_code == 302
    omar = signed_in(app, "omar@example.com")
    response = post(omar, f"/cohorts/{danas_cohort['id']}/people", emails="tess@example.com")
    assert response.status_code == 200 and "1 already in the cohort" in response.get_data(
        as_text=True)
    assert post(omar, f"/cohorts/{danas_cohort['id']}/owners/{people['dana']}/remove"
                ).status_code == 302
    assert post(dana, f"/cohorts/{danas_cohort['id']}/people",
                emails="x@example.com").status_code == 403


def test_only_trainer_accounts_become_owners_and_the_last_owner_stays(app, people,
                                                                      danas_cohort):
    dana = signed_in(app, "dana@example.com")
    for who in ("tess", "harper", "ada"):
        refused = post(dana, f"/cohorts/{danas_cohort['id']}/owners", user_id=people[who])
        assert refused.status_code == 422
        assert "only trainers own cohorts" in refused.get_data(as_text=True)
    last = post(dana, f"/cohorts/{danas_cohort['id']}/owners/{people['dana']}/remove")
    assert last.status_code == 422 and "at least one owner" in last.get_data(as_text=True)
    page = dana.get(f"/cohorts/{danas_cohort['id']}").get_data(as_text=True)
    assert '<option value="{}">Omar Other'.format(people["omar"]) in page
    assert "Tess Lee (tess@example.com)</option>" not in page


def test_an_administrator_sees_and_changes_every_cohort(app, people, danas_cohort):
    ada = signed_in(app, "ada@example.com")
    assert "Spring intake" in ada.get("/cohorts/").get_data(as_text=True)
    page = ada.get(f"/cohorts/{danas_cohort['id']}").get_data(as_text=True)
    assert "Read only" not in page and "Add a co-trainer" in page
    assert post(ada, f"/cohorts/{danas_cohort['id']}/owners",
                user_id=people["omar"]).status_code == 302
    assert post(ada, f"/cohorts/{danas_cohort['id']}/delete",
                confirm="Spring intake").status_code == 302
    assert state(app)["Cohort"] == []


@pytest.mark.parametrize("who", ["tess@example.com", "harper@example.com"])
def test_trainees_and_hr_never_open_cohorts(app, people, danas_cohort, who):
    client = signed_in(app, who)
    assert client.get("/cohorts/").status_code == 403
    assert client.get(f"/cohorts/{danas_cohort['id']}").status_code == 403
    before = state(app)
    for path, form in writes(danas_cohort, people):
        assert post(client, path, **form).status_code == 403, path
    assert state(app) == before


def test_a_cohort_from_before_ownership_is_open_to_every_trainer_until_it_has_an_owner(
        app, people):
    with Session(engine(app)) as session:
        legacy = cohorts.create_cohort(session, name="Old intake")  # as the migration leaves it
        legacy_id = legacy.id
    omar = signed_in(app, "omar@example.com")
    page = omar.get(f"/cohorts/{legacy_id}").get_data(as_text=True)
    assert "Nobody owns this cohort yet" in page and "Read only" not in page
    assert post(omar, f"/cohorts/{legacy_id}/owners", user_id=people["omar"]).status_code == 302
    dana = signed_in(app, "dana@example.com")
    assert post(dana, f"/cohorts/{legacy_id}/people", emails="tess@example.com"
                ).status_code == 403


def test_the_demo_cohort_belongs_to_the_demo_trainer(app, library):
    from sandbox import demo

    with Session(engine(app)) as session:
        demo.load_demo_users(session)
        assert demo.load_demo_cohort(session, str(library))
        cohort = session.exec(select(Cohort).where(Cohort.name == demo.DEMO_COHORT)).one()
        assert [owner.user.email for owner in cohort.owners] == ["trainer@example.com"]
