"""Trainers dispute single findings and criterion scores while reviewing; the Calibration page
measures how often they agree with the scorer; the disputes become scorer test data."""

import json
import uuid

import pytest

from benchmarks.evaluation import evaluate_verdicts
from sandbox import accounts, calibration, db, reviews
from sandbox.models import FindingDispute, Run
from tests.conftest import AuthActions
from tests.web.test_talent import play, shelf  # noqa: F401  (the fixture)


@pytest.fixture
def trainer(app, make_user, shelf):  # noqa: F811
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    make_user("trainer", email="dana@example.com", name="Dana Trainer")
    client = app.test_client()
    auth = AuthActions(client)
    auth.login("dana@example.com")
    return client, auth


def scored_criterion(app, run_id):
    """(event, criterion with findings) of the run's first answered event."""
    with app.app_context():
        run = db.get_session().get(Run, run_id)
        event = next(e for e in run.result["events"] if not e["missed"])
        criterion = next(c for c in event["result"]["criteria"] if c.get("findings"))
        return event["event"], criterion


def dispute(client, auth, run_id, key=None, **fields):
    token = auth.csrf_token(f"/review/runs/{run_id}")
    return client.post(f"/review/runs/{run_id}/disputes",
                       data={"csrf_token": token, "key": key or uuid.uuid4().hex, **fields})


def test_a_trainer_marks_a_finding_wrong_and_a_score_too_high_while_reviewing(app, trainer):
    client, auth = trainer
    run_id = play(app, "tess@example.com")
    event, criterion = scored_criterion(app, run_id)
    page = client.get(f"/review/runs/{run_id}").get_data(as_text=True)
    assert "Dispute a finding or a criterion score" in page and "Finding 1 is wrong" in page
    done = dispute(client, auth, run_id, event=event, criterion=criterion["id"], what="wrong:0",
                   label="good", comment="The reply does greet her.")
    assert done.status_code == 302
    dispute(client, auth, run_id, event=event, criterion=criterion["id"], what="too_high")
    page = client.get(f"/review/runs/{run_id}").get_data(as_text=True)
    assert "Dispute recorded" in page
    assert f"finding is wrong (“{criterion['findings'][0]['message']}”)".replace('"', "&#34;") \
        in page
    assert "score too high" in page and "The reply does greet her." in page


@pytest.mark.parametrize("fields,message", [
    ({"what": "wrong:99"}, "That finding is not part of this criterion"),
    ({"what": "wrong:x"}, "That finding is not part of this criterion"),
    ({"what": "too_high:1"}, "Choose what is wrong"),
    ({"what": ""}, "Choose what is wrong"),
    ({"what": "too_low", "criterion": "nonsense"}, "That criterion is not part of this run"),
    ({"what": "too_low", "event": "nowhere"}, "That criterion is not part of this run"),
    ({"what": "too_low", "label": "brilliant"}, "good, weak or harmful"),
    ({"what": "too_low", "comment": "x" * 1001}, "keep it under 1000"),
])
def test_a_dispute_that_makes_no_sense_is_refused_with_a_clear_message(app, trainer, fields,
                                                                        message):
    client, auth = trainer
    run_id = play(app, "tess@example.com")
    event, criterion = scored_criterion(app, run_id)
    response = dispute(client, auth, run_id, **{"event": event, "criterion": criterion["id"],
                                                 **fields})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_a_double_clicked_dispute_is_recorded_once(app, trainer):
    client, auth = trainer
    run_id = play(app, "tess@example.com")
    event, criterion = scored_criterion(app, run_id)
    for _ in range(2):
        dispute(client, auth, run_id, key="once", event=event, criterion=criterion["id"],
                what="too_low")
    with app.app_context():
        assert len(calibration.disputes_of(db.get_session(),
                                           db.get_session().get(Run, run_id))) == 1


def review(app, run_id, *, overall=None, comment="Checked."):
    with app.app_context():
        session = db.get_session()
        run = session.get(Run, run_id)
        dana = accounts.find_user(session, "dana@example.com")
        if overall is None:
            reviews.record_review(session=session, run=run, reviewer=dana, key="r",
                                  decision="confirm")
        else:
            reviews.record_review(session=session, run=run, reviewer=dana, key="r",
                                  decision="override", overall=overall, comment=comment)
        return run.overall


def test_the_calibration_page_shows_agreement_differences_and_disputed_rules(app, trainer):
    client, auth = trainer
    good = play(app, "tess@example.com")
    other = play(app, "tess@example.com", "valemont-cancelled-train")
    silent = play(app, "tess@example.com", skill=-1)
    review(app, good)  # confirmed: no difference
    scored = review(app, other, overall=0, comment="Nothing here helps the customer.")
    review(app, silent)
    event, criterion = scored_criterion(app, good)
    dispute(client, auth, good, event=event, criterion=criterion["id"], what="wrong:0",
            comment="Wrong reading.")
    page = client.get("/review/calibration").get_data(as_text=True)
    assert "Scorer " in page and "Runs reviewed</dt><dd>3" in page
    assert f"{scored / 3:.1f}" in page  # mean |scorer - trainer| of 0, scored, 0
    assert "Cohen" in page and "same verdict on 2 of 3 reviewed runs" in page
    assert "Wrong reading." in page and criterion["findings"][0]["rule"] in page
    assert "Recalled granola" in page and "A cancelled evening train" in page


def test_the_calibration_page_says_so_when_nothing_was_reviewed(app, trainer):
    client, _ = trainer
    page = client.get("/review/calibration").get_data(as_text=True)
    assert "No reviewed run yet" in page


def test_the_export_writes_labelled_disputes_the_scorer_can_grade(app, trainer, tmp_path):
    client, auth = trainer
    run_id = play(app, "tess@example.com")
    event, criterion = scored_criterion(app, run_id)
    dispute(client, auth, run_id, event=event, criterion=criterion["id"], what="too_high",
            label="weak", comment="Says sorry, promises nothing.")
    unlabelled = play(app, "tess@example.com", "valemont-cancelled-train")
    other_event, other = scored_criterion(app, unlabelled)
    dispute(client, auth, unlabelled, event=other_event, criterion=other["id"], what="too_low")
    out = tmp_path / "disputed.jsonl"
    result = app.test_cli_runner().invoke(
        args=["calibration", "export", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 disputed reply written; 1 left out" in result.stderr
    [line] = [json.loads(text) for text in out.read_text().splitlines()]
    assert line["label"] == "weak" and line["event"] == event
    assert line["scenario"] == "scenarios/sunnyfoods-recall.yaml"
    assert "Says sorry, promises nothing." in line["note"]
    assert {"id", "action", "after", "reply", "harm", "form"} <= set(line)
    # the scorer benchmark reads it like its own verdict sets, and grades the reply
    [outcome] = evaluate_verdicts(out)
    assert outcome.label == "weak" and 0 <= outcome.result.overall <= 100


def test_disputes_keep_what_the_scorer_said(app, trainer):
    client, auth = trainer
    run_id = play(app, "tess@example.com")
    event, criterion = scored_criterion(app, run_id)
    dispute(client, auth, run_id, event=event, criterion=criterion["id"], what="wrong:0")
    with app.app_context():
        from sqlmodel import select

        [stored] = db.get_session().exec(select(FindingDispute)).all()
        assert stored.message == criterion["findings"][0]["message"]
        assert stored.score == criterion["score"] and stored.scorer_version


def test_the_calibration_page_shows_agreement_month_by_month_with_its_counts(app, trainer):
    client, _ = trainer
    old = [play(app, "tess@example.com", days_ago=45), play(app, "tess@example.com",
                                                           skill=-1, days_ago=45)]
    recent = play(app, "tess@example.com", "valemont-cancelled-train")
    review(app, old[0])
    review(app, old[1])
    scored = review(app, recent, overall=0, comment="Nothing here helps the customer.")
    with app.app_context():
        months = [calibration.month(db.get_session().get(Run, run_id))
                  for run_id in (old[0], recent)]
    assert months[0] < months[1]
    page = client.get("/review/calibration").get_data(as_text=True)
    table = page.split('class="table calibration-months"')[1].split("</table>")[0]
    rows = table.split('<tr class="calibration-month">')[1:]
    assert [row.split('<td class="nowrap">')[1].split("<")[0] for row in rows] == months
    assert '<td class="num">2</td>' in rows[0] and "2 of 2" in rows[0]
    assert "<td class=\"num\">1</td>" in rows[1] and "0 of 1" in rows[1]
    assert f"{scored:.1f}" in rows[1] and "one case: no interval" in rows[1]
