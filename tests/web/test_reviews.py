"""Trainers review finished runs: confirm the score or change it with a comment, kept as a trail."""

import re

import pytest
from sqlmodel import Session, select

from sandbox.models import Run, RunReview
from tests.conftest import AuthActions, csrf_token_from
from tests.web.test_practice import GOOD_REPLY, act, engine, rewind, start


@pytest.fixture
def finished_run(app, client, auth, make_user, library) -> int:
    """Tess plays the recall scenario, replies once and finishes."""
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    auth.login("tess@example.com")
    run_id = start(client, auth)
    rewind(app, run_id, 10)
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    client.post(f"/runs/{run_id}/finish", data={"csrf_token": auth.csrf_token(f"/runs/{run_id}")})
    return run_id


@pytest.fixture
def trainer(app, make_user):
    """A second browser, signed in as Dana the trainer."""
    make_user("trainer", email="dana@example.com", name="Dana Coach")
    browser = app.test_client()
    AuthActions(browser).login("dana@example.com")
    return browser


def review(browser, run_id, key="r1", **fields):
    token = csrf_token_from(browser.get(f"/review/runs/{run_id}").get_data(as_text=True))
    return browser.post(f"/review/runs/{run_id}",
                        data={"csrf_token": token, "key": key, **fields})


def reviews_of(app, run_id):
    with Session(engine(app)) as session:
        return session.exec(select(RunReview).where(RunReview.run_id == run_id)).all()


def scorer_overall(app, run_id) -> int:
    with Session(engine(app)) as session:
        return session.get(Run, run_id).overall


def test_a_finished_run_waits_in_the_trainers_queue_with_its_debrief(app, finished_run, trainer):
    queue = trainer.get("/review/").get_data(as_text=True)
    assert "Tess Lee" in queue and f"/review/runs/{finished_run}" in queue
    page = trainer.get(f"/review/runs/{finished_run}").get_data(as_text=True)
    assert "Not reviewed yet" in page and "A model answer" in page and "What they did" in page


def test_confirming_a_score_records_who_and_leaves_the_numbers(app, client, finished_run,
                                                               trainer):
    response = review(trainer, finished_run, decision="confirm", comment="Fair grade.")
    assert response.status_code == 302
    [saved] = reviews_of(app, finished_run)
    assert saved.decision == "confirmed" and saved.reviewer_name == "Dana Coach"
    assert saved.overall == scorer_overall(app, finished_run)
    assert "Tess Lee" not in trainer.get("/review/").get_data(as_text=True).split(
        "Recently reviewed")[0]
    debrief = client.get(f"/runs/{finished_run}/debrief").get_data(as_text=True)
    assert "Dana Coach confirmed the score" in debrief and "Fair grade." in debrief


def test_changing_a_score_needs_a_comment_and_keeps_what_was_typed(app, finished_run, trainer):
    response = review(trainer, finished_run, decision="override", overall="35", agility="40",
                      coherence="30", efficiency="35", comment="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Say why you changed the score" in page and 'value="35"' in page
    assert reviews_of(app, finished_run) == []


def test_an_override_is_what_the_trainee_and_their_profile_see(app, client, finished_run,
                                                                trainer):
    before = scorer_overall(app, finished_run)
    response = review(trainer, finished_run, decision="override", overall="12", agility="20",
                      coherence="10", efficiency="15",
                      comment="Promised a refund date that is not in the facts.")
    assert response.status_code == 302
    [saved] = reviews_of(app, finished_run)
    assert (saved.scorer_overall, saved.overall, saved.verdict) == (before, 12, "fail")
    assert saved.dimensions == {"agility": 20, "coherence": 10, "efficiency": 15}
    debrief = client.get(f"/runs/{finished_run}/debrief").get_data(as_text=True)
    assert f"changed the score from {before} to <strong>12</strong>" in debrief
    assert "refund date" in debrief
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "12/100 · reviewed" in dashboard


def test_a_double_clicked_review_is_recorded_once(app, finished_run, trainer):
    for _ in range(2):
        review(trainer, finished_run, key="same", decision="confirm")
    assert len(reviews_of(app, finished_run)) == 1


def test_a_later_review_supersedes_the_first_and_both_stay_on_record(app, client, finished_run,
                                                                    trainer):
    review(trainer, finished_run, key="a", decision="confirm")
    review(trainer, finished_run, key="b", decision="override", overall="50", agility="50",
           coherence="50", efficiency="50", comment="On reflection, too generous.")
    assert [r.decision for r in reviews_of(app, finished_run)] == ["confirmed", "overridden"]
    debrief = client.get(f"/runs/{finished_run}/debrief").get_data(as_text=True)
    assert "Earlier reviews (1)" in debrief and "<strong>50</strong>" in debrief


@pytest.mark.parametrize("fields, message", [
    ({"decision": "override", "overall": "150", "agility": "1", "coherence": "1",
      "efficiency": "1", "comment": "x"}, "must be a whole number from 0 to 100"),
    ({"decision": "override", "overall": "ten", "agility": "1", "coherence": "1",
      "efficiency": "1", "comment": "x"}, "must be a whole number from 0 to 100"),
    ({"decision": "approve"}, "Choose whether to confirm"),
    ({"decision": "confirm", "overall": "3"}, "You changed a score but chose Confirm"),
    ({"decision": "confirm", "comment": "x" * 2001}, "keep it under 2000"),
])
def test_bad_review_input_gets_a_message_and_stores_nothing(app, finished_run, trainer, fields,
                                                            message):
    response = review(trainer, finished_run, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert reviews_of(app, finished_run) == []


def test_trainees_cannot_open_the_review_queue_or_review(app, client, auth, finished_run):
    assert client.get("/review/").status_code == 403
    token = auth.csrf_token(f"/runs/{finished_run}/debrief")
    response = client.post(f"/review/runs/{finished_run}",
                           data={"csrf_token": token, "key": "k", "decision": "confirm"})
    assert response.status_code == 403
    assert reviews_of(app, finished_run) == []


def test_a_trainer_cannot_review_their_own_run(app, client, auth, make_user, library):
    make_user("trainee", "trainer", email="both@example.com", name="Bo Both")
    auth.login("both@example.com")
    run_id = start(client, auth)
    rewind(app, run_id, 200)
    client.post(f"/runs/{run_id}/finish", data={"csrf_token": auth.csrf_token()})
    page = client.get(f"/review/runs/{run_id}").get_data(as_text=True)
    assert "another trainer reviews it" in page
    token = csrf_token_from(page)
    response = client.post(f"/review/runs/{run_id}",
                           data={"csrf_token": token, "key": "k", "decision": "confirm"})
    assert response.status_code == 422
    assert "cannot review your own run" in response.get_data(as_text=True)


def test_a_run_still_being_played_cannot_be_reviewed(app, client, auth, make_user, library,
                                                     trainer):
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    auth.login("tess@example.com")
    run_id = start(client, auth)
    response = trainer.get(f"/review/runs/{run_id}")
    assert response.status_code == 302
    assert "still being played" in trainer.get("/review/").get_data(as_text=True)
    assert trainer.get("/review/runs/999999").status_code == 404


def test_the_trainer_dashboard_counts_the_runs_waiting_for_review(finished_run, trainer):
    page = trainer.get("/dashboard").get_data(as_text=True)
    assert re.search(r"Reviews\s*<span class=\"badge\">1 waiting</span>", page)
