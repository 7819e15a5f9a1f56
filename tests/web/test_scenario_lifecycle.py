"""Drafts, publishing, archiving and deleting, as trainers and trainees meet them in the app."""

import html as markup
import re
import shutil

import pytest
from sqlmodel import Session, select

from sandbox.models import LifecycleChange, Run
from tests.conftest import SHIPPED, AuthActions

RECALL = "sunnyfoods-recall"


def html(response) -> str:
    return markup.unescape(response.get_data(as_text=True))


@pytest.fixture
def people(app, make_user, library):
    """A trainer and a trainee, each with a client of their own (and the guidelines a new
    scenario names)."""
    shutil.copy(SHIPPED / "guidelines" / "default.yaml", library / "guidelines")
    make_user("trainer", email="tom@example.com", name="Tom Trainer")
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    signed_in = {}
    for role, email in (("trainer", "tom@example.com"), ("trainee", "tess@example.com")):
        client = app.test_client()
        AuthActions(client).login(email)
        signed_in[role] = (client, AuthActions(client))
    return signed_in


def create_draft(trainer, slug="late-parcel"):
    client, auth = trainer
    response = client.post("/scenarios/new", data={
        "csrf_token": auth.csrf_token("/scenarios/new"), "slug": slug, "network": "twitter",
        "language": "en"})
    assert response.status_code == 302, html(response)
    return slug


def change(trainer, key, what):
    client, auth = trainer
    return client.post(f"/scenarios/{key}/{what}",
                       data={"csrf_token": auth.csrf_token(f"/scenarios/{key}")})


def start(trainee, slug):
    client, auth = trainee
    return client.post(f"/practice/{slug}/start", data={
        "csrf_token": auth.csrf_token("/dashboard"), "mode": "practice", "speed": "10"})


def refused_start(trainee, slug) -> str:
    """What a trainee reads after trying to start `slug`: the refusal, and no run."""
    response = start(trainee, slug)
    assert response.status_code == 302 and not response.headers["Location"].startswith("/runs/")
    return html(trainee[0].get(response.headers["Location"]))


def debrief(trainee_client, run_id) -> str:
    """The debrief page without its CSRF tokens (signed with the time, so never twice the same)."""
    page = html(trainee_client.get(f"/runs/{run_id}/debrief"))
    assert 'class="overall-number"' in page
    return re.sub(r'(csrf_token" value="|"X-CSRFToken": ")[^"]+', r"\1", page)


def runs_of(app, slug):
    with Session(app.extensions["sandbox.engine"]) as session:
        return session.exec(select(Run).where(Run.scenario_id == slug)).all()


# Drafts


def test_a_new_scenario_is_a_draft_that_no_trainee_sees(app, people):
    slug = create_draft(people["trainer"])
    trainer, trainee = people["trainer"][0], people["trainee"][0]
    library_page = html(trainer.get("/scenarios/"))
    row = re.search(rf"<tr>(?:(?!</tr>).)*{slug}\.yaml(?:(?!</tr>).)*</tr>", library_page, re.S)
    assert row and 'class="state state-draft"' in row.group(0)
    practice = html(trainee.get("/practice/"))
    assert f'href="/practice/{slug}"' not in practice
    assert f'href="/practice/{RECALL}"' in practice  # the shipped scenario stays published


def test_a_trainee_who_guesses_a_drafts_address_is_refused_with_a_clear_message(app, people):
    slug = create_draft(people["trainer"])
    response = people["trainee"][0].get(f"/practice/{slug}")
    assert response.status_code == 403
    assert "This scenario is not published yet" in html(response)
    assert "This scenario is not published yet" in refused_start(people["trainee"], slug)
    assert runs_of(app, slug) == []


def test_a_new_draft_is_recorded_with_who_created_it(app, people):
    slug = create_draft(people["trainer"])
    with Session(app.extensions["sandbox.engine"]) as session:
        change_ = session.exec(select(LifecycleChange).where(LifecycleChange.key == slug)).one()
    assert (change_.state, change_.actor_name) == ("draft", "Tom Trainer")
    audit = html(people["trainer"][0].get(f"/scenarios/{slug}")).split("Changes of state")[1]
    assert re.search(r">Draft</span>\s+by Tom Trainer", audit)


# Publishing


def test_publishing_refuses_a_file_with_a_warning_and_says_what_to_fix(app, people, library):
    slug = create_draft(people["trainer"])
    path = library / f"{slug}.yaml"
    path.write_text(path.read_text().replace("scenes:\n", "scenes:\n  unused:\n    - {after: 0s, "
                                             "kind: comment, reply_to: first_post, from: customer,"
                                             " text: Anyone?}\n", 1))
    response = change(people["trainer"], slug, "publish")
    assert response.status_code == 422
    page = html(response)
    assert f"{slug}.yaml was not published." in page
    assert "1 warning: publishing needs a file with no warnings" in page
    assert f'href="/practice/{slug}"' not in html(people["trainee"][0].get("/practice/"))


def test_publishing_refuses_a_scenario_without_tests(app, people, library):
    slug = create_draft(people["trainer"])
    path = library / f"{slug}.yaml"
    text = path.read_text()
    path.write_text(text[:text.index("tests:")])
    page = html(change(people["trainer"], slug, "publish"))
    assert "No `tests:` block" in page


def test_publishing_refuses_a_scenario_whose_test_fails(app, people, library):
    slug = create_draft(people["trainer"])
    path = library / f"{slug}.yaml"
    path.write_text(path.read_text().replace("expect_events: [first_post, follow_up.0]",
                                             "expect_events: [first_post]\n"
                                             "    expect_absent: [follow_up.0]"))
    page = html(change(people["trainer"], slug, "publish"))
    assert 'fails: appeared but should not: follow_up.0' in page


def test_a_published_draft_can_be_played_by_trainees(app, people):
    slug = create_draft(people["trainer"])
    response = change(people["trainer"], slug, "publish")
    assert response.status_code == 302
    assert "is published" in html(people["trainer"][0].get(response.headers["Location"]))
    assert f'href="/practice/{slug}"' in html(people["trainee"][0].get("/practice/"))
    assert start(people["trainee"], slug).headers["Location"].startswith("/runs/")


# Archiving


def test_archiving_stops_new_runs_but_keeps_the_debrief_of_a_past_run(app, people):
    first = start(people["trainee"], RECALL)
    run_id = int(first.headers["Location"].rsplit("/", 1)[1])
    trainee = people["trainee"][0]
    trainee.post(f"/runs/{run_id}/finish",
                 data={"csrf_token": people["trainee"][1].csrf_token(f"/runs/{run_id}")})
    debrief_before = debrief(trainee, run_id)

    assert change(people["trainer"], RECALL, "archive").status_code == 302
    assert f'href="/practice/{RECALL}"' not in html(trainee.get("/practice/"))
    refused = trainee.get(f"/practice/{RECALL}")
    assert refused.status_code == 403 and "was archived by a trainer" in html(refused)
    assert "was archived by a trainer" in refused_start(people["trainee"], RECALL)
    assert len(runs_of(app, RECALL)) == 1
    assert debrief(trainee, run_id) == debrief_before


def test_an_archived_scenario_cannot_be_assigned(app, people):
    client, auth = people["trainer"]
    change(people["trainer"], RECALL, "archive")
    token = auth.csrf_token("/cohorts/")
    created = client.post("/cohorts/", data={"csrf_token": token, "name": "Autumn"})
    cohort = created.headers["Location"]
    page = html(client.get(cohort))
    assert f'value="{RECALL}"' not in page
    response = client.post(f"{cohort}/assignments", data={
        "csrf_token": token, "scenario": RECALL, "mode": "practice"})
    assert response.status_code == 422
    assert "drafts and archived ones cannot" in html(response)


# Deleting


def test_an_unplayed_draft_can_be_deleted(app, people, library):
    slug = create_draft(people["trainer"])
    response = change(people["trainer"], slug, "delete")
    assert response.status_code == 302
    assert not (library / f"{slug}.yaml").exists()


def test_deleting_a_played_scenario_is_refused(app, people, library):
    change(people["trainer"], RECALL, "draft")
    with app.app_context():  # a trainer tried the draft: it has a run
        from sandbox import library as lib
        from sandbox import runs
        from sandbox.db import get_session
        from sandbox.models import User

        session = get_session()
        tom = session.exec(select(User).where(User.email == "tom@example.com")).one()
        runs.start_run(session=session, user=tom, entry=lib.find(library, RECALL),
                       mode="practice", speed=10)
    response = change(people["trainer"], RECALL, "delete")
    assert response.status_code == 422
    assert "has been played (1 run): it cannot be deleted" in html(response)
    assert (library / f"{RECALL}.yaml").exists()


def test_a_published_scenario_cannot_be_deleted(app, people, library):
    response = change(people["trainer"], RECALL, "delete")
    assert response.status_code == 422
    assert "Only a draft can be deleted" in html(response)
    assert (library / f"{RECALL}.yaml").exists()


# Starting points


def test_a_situation_from_the_form_is_a_draft_ready_to_publish(app, people, library):
    client, auth = people["trainer"]
    form = html(client.get("/scenarios/new"))
    assert 'value="data-exposure"' in form and 'value="abusive-account"' in form
    assert re.search(r'<option value="verveline"[^>]*>Verveline \(FR\)', form)
    response = client.post("/scenarios/new", data={
        "csrf_token": auth.csrf_token("/scenarios/new"), "slug": "granola-recall",
        "situation": "recall", "guidelines": "sunnyfoods", "network": "facebook",
        "language": "en", "level": "advanced"})
    assert response.status_code == 302
    text = (library / "granola-recall.yaml").read_text()
    assert "guidelines: sunnyfoods" in text and "network: facebook" in text
    assert "difficulty: advanced" in text and "escalate_to: quality_team" in text
    editor = html(client.get(response.headers["Location"]))
    assert "No findings" in editor and 'class="state state-draft"' in editor
    assert change(people["trainer"], "granola-recall", "publish").status_code == 302
    assert 'href="/practice/granola-recall"' in html(people["trainee"][0].get("/practice/"))


def test_a_language_the_guidelines_do_not_speak_is_refused(app, people, library):
    client, auth = people["trainer"]
    response = client.post("/scenarios/new", data={
        "csrf_token": auth.csrf_token("/scenarios/new"), "slug": "avis-client",
        "situation": "praise", "guidelines": "sunnyfoods", "network": "twitter",
        "language": "fr", "level": "beginner"})
    assert response.status_code == 422
    assert "The SunnyFoods guidelines are in English: choose English" in html(response)
    assert not (library / "avis-client.yaml").exists()


def test_an_unknown_situation_or_level_is_refused_without_a_file(app, people, library):
    client, auth = people["trainer"]
    for field, value in (("situation", "earthquake"), ("level", "expert")):
        data = {"csrf_token": auth.csrf_token("/scenarios/new"), "slug": "odd-one",
                "situation": "praise", "guidelines": "sunnyfoods", "network": "twitter",
                "language": "en", "level": "beginner", field: value}
        response = client.post("/scenarios/new", data=data)
        assert response.status_code == 422
        assert 'class="field-error"' in html(response)
    assert not (library / "odd-one.yaml").exists()


def test_a_trainer_who_also_practises_can_try_a_draft(app, people, make_user):
    slug = create_draft(people["trainer"])
    make_user("trainer", "trainee", email="both@example.com")
    client = app.test_client()
    auth = AuthActions(client)
    auth.login("both@example.com")
    detail = html(client.get(f"/scenarios/{slug}"))
    assert f'href="/practice/{slug}">Play it as a trainee</a>' in detail
    assert client.get(f"/practice/{slug}").status_code == 200
    assert start((client, auth), slug).headers["Location"].startswith("/runs/")


def test_a_double_clicked_delete_says_the_draft_is_gone(app, people, library):
    slug = create_draft(people["trainer"])
    assert change(people["trainer"], slug, "delete").status_code == 302
    client, auth = people["trainer"]
    again = client.post(f"/scenarios/{slug}/delete",
                        data={"csrf_token": auth.csrf_token("/scenarios/")})
    assert again.status_code == 302
    assert f"{slug}.yaml is already deleted." in html(client.get(again.headers["Location"]))
