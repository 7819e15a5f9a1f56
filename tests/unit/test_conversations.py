"""Where each conversation stands on the practice page (sandbox.practice_view.conversations):
waiting with its clock, answered within or over the target, escalated and answered by the team,
moved to DM, hidden; and what the inbox's filters count."""

import pytest

from sandbox.core.replay import TraineeAction, feed_at
from sandbox.core.scenario import SHIPPED_GUIDELINES, load_guidelines
from sandbox.practice_view.conversations import InboxView, Status, inbox
from sandbox.practice_view.feed import arrange
from tests.unit.replay.conftest import make_scenario

TIMELINE = """
- id: first_post
  at: 30s
  kind: post
  from: maria
  text: Batch 22B - is this the recalled one??
  expect: {reply_within: 10m, actions: [reply, escalate], escalate_to: quality_team}
  branches:
    - when: {action: escalate}
      goto: quality_answers
- id: troll
  at: 1m
  kind: post
  from: eco_watch
  text: Brands are all the same, lol.
  expect: {actions: [hide]}
- id: thanks
  at: 20m
  kind: comment
  reply_to: first_post
  from: maria
  text: Thank you, that helps.
- id: private_question
  at: 2m
  kind: dm
  from: maria
  text: Can I get a refund without the receipt?
  expect: {reply_within: 15m, actions: [reply]}
"""
SCENES = """
quality_answers:
  - {after: 3m, kind: internal, from: quality_team, text: "Confirmed, 22B is in the recall."}
  - id: the_box
    after: 6m
    kind: comment
    reply_to: first_post
    from: maria
    text: What do I do with the rest of the box?
    expect: {reply_within: 5m, actions: [reply]}
"""


@pytest.fixture(scope="module")
def scenario():
    return make_scenario(TIMELINE, SCENES, scenario_id="conversations")


@pytest.fixture(scope="module")
def guidelines():
    return load_guidelines(SHIPPED_GUIDELINES / "sunnyfoods.yaml").guidelines


@pytest.fixture
def at(scenario, guidelines):
    """The inbox at simulated second `moment` after `actions`."""
    def inbox_at(moment: int, *actions: TraineeAction):
        view = arrange(scenario, guidelines, feed_at(scenario, at=moment, actions=actions))
        return inbox(view, actions)
    return inbox_at


def reply(at: int, event: str = "first_post", text: str = "Hi Maria, so sorry.") -> TraineeAction:
    return TraineeAction(at=at, action="reply", event=event, text=text)


def escalate(at: int, event: str = "first_post") -> TraineeAction:
    return TraineeAction(at=at, action="escalate", event=event, to="quality_team",
                         text="Parent reports a sick child.")


def test_a_post_nobody_answered_waits_with_its_clock_against_the_target(at):
    post = at(3 * 60).posts["first_post"]
    assert post.status is Status.WAITING
    assert post.waiting.target == 600 and post.waited == 150
    assert {InboxView.WAITING, InboxView.MINE} <= post.views


def test_a_reply_within_the_target_answers_the_post_on_time(at):
    post = at(4 * 60, reply(3 * 60)).posts["first_post"]
    assert post.status is Status.ANSWERED
    assert post.answer.response_time == 150 and post.answer.on_time is True
    assert post.views == {InboxView.ALL}


def test_a_reply_after_the_target_is_answered_over_target(at):
    post = at(13 * 60, reply(12 * 60)).posts["first_post"]
    assert post.status is Status.ANSWERED
    assert post.answer.response_time == 690 and post.answer.on_time is False


def test_an_escalated_post_waits_for_the_team_then_comes_back_to_the_trainee(at):
    parked = at(4 * 60, escalate(2 * 60)).posts["first_post"]
    assert parked.status is Status.ESCALATED
    assert parked.escalation.expert == "Quality desk"
    assert parked.escalation.team_replied_at is None
    assert InboxView.ESCALATED in parked.views and InboxView.WAITING in parked.views
    assert InboxView.MINE not in parked.views  # with the team: not the trainee's to answer yet

    back = at(6 * 60, escalate(2 * 60)).posts["first_post"]
    assert back.escalation.team_replied_at == 5 * 60
    assert InboxView.MINE in back.views  # the team replied: the customer is the trainee's again


def test_an_escalated_post_answered_by_the_brand_is_answered_and_still_shows_the_escalation(at):
    post = at(6 * 60, escalate(2 * 60), reply(5 * 60 + 30)).posts["first_post"]
    assert post.status is Status.ANSWERED
    assert post.escalation.team_replied_at == 5 * 60
    assert post.views == {InboxView.ALL, InboxView.ESCALATED}


def test_a_follow_up_in_the_thread_makes_an_answered_post_wait_again(at):
    post = at(9 * 60, escalate(2 * 60), reply(3 * 60)).posts["first_post"]
    assert post.status is Status.WAITING  # Maria's question about the box, at 8:00
    assert post.waiting.id == "quality_answers.1" and post.waiting.target == 300
    assert post.waited == 60


def test_a_customer_who_writes_again_after_the_brand_answered_waits_again(at):
    post = at(21 * 60, reply(3 * 60)).posts["first_post"]
    assert post.status is Status.WAITING and post.waiting.id == "thanks"
    assert post.waiting.target == 15 * 60  # the guidelines' response time for a public post


def test_a_liked_thank_you_waits_for_nothing_more(at):
    liked = TraineeAction(at=20 * 60 + 30, action="like", event="thanks")
    post = at(21 * 60, reply(3 * 60), liked).posts["first_post"]
    assert post.status is Status.ANSWERED and post.waiting is None


def test_a_comment_before_the_brand_joined_the_thread_is_not_a_follow_up(at):
    post = at(21 * 60).posts["first_post"]
    assert [m.id for m in post.messages] == ["first_post"]  # only Maria's question waits


def test_a_move_to_dm_answers_the_post_and_the_thread_says_where_it_came_from(at):
    moved = TraineeAction(at=3 * 60, action="move_to_dm", event="first_post",
                          text="Hi Maria, we've sent you a DM.")
    message = TraineeAction(at=3 * 60, action="dm", event="first_post",
                            text="Hi Maria, could you tell us the best-before date?")
    found = at(4 * 60, moved, message)
    post = found.posts["first_post"]
    assert post.status is Status.MOVED_TO_DM
    assert post.answer.response_time == 150 and post.answer.on_time is True
    thread = found.threads["maria"]
    assert thread.moved_from == "first_post"
    # the DM that answers her public post answers the question she sent by DM before it too
    assert thread.status is Status.ANSWERED


def test_a_dm_thread_waits_until_the_brand_writes_back(at):
    waiting = at(5 * 60).threads["maria"]
    assert waiting.status is Status.WAITING
    assert waiting.waiting.target == 900 and waiting.waited == 180
    answered = at(6 * 60, TraineeAction(at=5 * 60, action="reply", event="private_question",
                                        text="Hi Maria, yes: no receipt needed.")).threads["maria"]
    assert answered.status is Status.ANSWERED and answered.answer.response_time == 180


def test_a_hidden_post_that_asks_for_no_answer_shows_as_hidden_and_waits_for_nothing(at):
    found = at(3 * 60, TraineeAction(at=2 * 60, action="hide", event="troll"))
    assert found.posts["troll"].status is Status.HIDDEN
    assert found.posts["troll"].hidden.hidden_as == "muted"  # Twitter mutes other people
    assert InboxView.WAITING not in found.posts["troll"].views


def test_a_post_that_asks_for_no_answer_has_no_conversation_until_acted_on(at):
    assert "troll" not in at(3 * 60).posts


def test_the_inbox_counts_every_post_and_thread_and_each_filter(at):
    found = at(4 * 60, escalate(2 * 60))
    assert found.count(InboxView.ALL) == found.shown == 3  # first_post, troll, Maria's DMs
    assert found.count(InboxView.WAITING) == 2  # the escalated post and the DM question
    assert found.count(InboxView.MINE) == 1  # the DM question only
    assert found.count(InboxView.ESCALATED) == 1


@pytest.mark.parametrize("asked", [None, "", "everything", "WAITING", "mine "])
def test_an_unknown_inbox_filter_shows_everything(asked):
    assert InboxView.of(asked) is InboxView.ALL


def test_each_inbox_filter_is_read_from_its_name():
    assert [InboxView.of(view.value) for view in InboxView] == list(InboxView)
