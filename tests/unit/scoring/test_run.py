from sandbox.core.scenario.models import Expect
from tests.unit.scoring.conftest import GOOD_RECALL_REPLY, RECALL_FACTS, RECALL_POST
from tests.unit.scoring.runs import EventAttempts, ReplyAttempt, score_run


def recall_event(recall_expect, replies=(), actions=("reply", "escalate"), **kwargs):
    return EventAttempts(event_id="first_post", post=RECALL_POST, expect=recall_expect,
                         topic="health_safety", replies=tuple(replies), actions=actions,
                         escalated_to="quality_team", customer_name="Maria Kowalski", **kwargs)


def parcel_event(replies=()):
    expect = Expect.model_validate({"reply_within": "15m", "actions": ["reply"]})
    return EventAttempts(event_id="parcel", post="My box is 6 days late, tracking stuck.",
                         expect=expect, topic="delivery", replies=tuple(replies),
                         customer_name="James Ortega")


def test_the_best_reply_of_an_event_counts(sunnyfoods, recall_expect):
    weak = ReplyAttempt("Hi Maria. DM us.", delay_s=60, at=90)
    good = ReplyAttempt(GOOD_RECALL_REPLY, delay_s=200, at=230)
    run = score_run(guidelines=sunnyfoods, facts=RECALL_FACTS,
                    events=[recall_event(recall_expect, [weak, good])])
    assert run.events[0].reply_index == 1
    assert run.overall == run.events[0].result.overall
    assert run.missed == ()


def test_a_missed_event_scores_zero_on_every_criterion_and_is_listed(sunnyfoods, recall_expect):
    run = score_run(guidelines=sunnyfoods, facts=RECALL_FACTS, events=[
        recall_event(recall_expect, [ReplyAttempt(GOOD_RECALL_REPLY, delay_s=120, at=150)]),
        parcel_event()])
    missed = run.events[1]
    assert missed.missed and run.missed == ("parcel",)
    assert missed.result.overall == 0
    assert all(c.score == 0 for c in missed.result.criteria)
    assert missed.result.criterion("timeliness") is not None
    assert run.overall < run.events[0].result.overall


def test_unanswered_posts_are_not_blamed_for_forbidden_phrases_or_privacy_nobody_broke(
        sunnyfoods, recall_expect):
    run = score_run(guidelines=sunnyfoods, facts=RECALL_FACTS,
                    events=[recall_event(recall_expect), parcel_event()])
    assert run.missed == ("first_post", "parcel") and run.overall == 0
    assert {c.id for c in run.criteria}.isdisjoint({"length", "forbidden", "facts", "privacy"})
    assert "hygiene" not in run.explanation and "forbidden" not in run.explanation


def test_a_good_escalation_note_does_not_stand_in_for_a_bad_public_reply(sunnyfoods,
                                                                        recall_expect):
    careless = ReplyAttempt("Maria, what's your home address? Reply here.", delay_s=60, at=90)
    note = ReplyAttempt("Maria Kowalski reports her child was sick after batch 22B cereal; "
                        "she is upset. Please contact her today.", delay_s=90, at=120,
                        channel="internal")
    run = score_run(guidelines=sunnyfoods, facts=RECALL_FACTS,
                    events=[recall_event(recall_expect, [careless, note])])
    assert run.events[0].reply_index == 0
    assert run.events[0].result.critical


def test_an_escalation_note_alone_leaves_the_customer_unanswered(sunnyfoods, recall_expect):
    note = ReplyAttempt("Customer sick after batch 22B, please call her.", delay_s=90, at=120,
                        channel="internal")
    run = score_run(guidelines=sunnyfoods, facts=RECALL_FACTS,
                    events=[recall_event(recall_expect, [note])])
    assert run.missed == ("first_post",)
    assert "internal note" in run.events[0].result.criteria[0].findings[0].message


def test_contradicting_replies_in_a_run_lose_consistency(sunnyfoods, recall_expect):
    first = ReplyAttempt("Hi Maria, so sorry. Your refund reaches your account within 5 working "
                         "days. Batch 22B is recalled.\n- Sam", delay_s=100, at=130)
    later = ReplyAttempt("Hi James, sorry. A refund reaches your account within 10 working days."
                         "\n- Sam", delay_s=100, at=400)
    run = score_run(guidelines=sunnyfoods, facts=RECALL_FACTS,
                    events=[recall_event(recall_expect, [first]), parcel_event([later])])
    consistency = next(c for c in run.criteria if c.id == "consistency")
    assert consistency.score == 50
    assert consistency.findings[0].message.startswith("Reply 2: ")


def test_an_event_handled_by_an_action_alone_is_graded_on_the_action(sunnyfoods):
    expect = Expect.model_validate({"actions": ["hide"]})
    troll = EventAttempts(event_id="troll", post="You all suck", expect=expect,
                          actions=("hide",), action_delay_s=30)
    run = score_run(guidelines=sunnyfoods, events=[troll])
    assert [c.id for c in run.events[0].result.criteria] == ["timeliness", "action"]
    assert run.overall == 100 and not run.missed


def test_the_run_json_extends_the_reply_shape(sunnyfoods, recall_expect):
    run = score_run(guidelines=sunnyfoods, events=[recall_event(
        recall_expect, [ReplyAttempt(GOOD_RECALL_REPLY, delay_s=120)])])
    data = run.as_json()
    assert list(data) == ["scorer", "overall", "verdict", "dimensions", "criteria", "events",
                          "missed", "explanation"]
    assert list(data["events"][0]) == ["event", "missed", "reply_index", "result", "replies"]
    assert data["events"][0]["result"]["scorer"] == "2.5.1"
