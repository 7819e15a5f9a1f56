"""Branches: every condition of the contract, the race rule, scenes, `goto: end`."""

import pytest

from sandbox.core.replay import ActionRejected, feed_at, fired_branches
from tests.unit.replay.conftest import act, make_scenario, reply

FIRST_POST = """
- id: first_post
  at: 30s
  kind: post
  from: maria
  text: Batch 22B - is this the recalled one??
  expect: {{reply_within: 10m, actions: [reply, escalate], escalate_to: quality_team}}
  branches:
{branches}
"""

SCENES = """
pile_on:
  - {after: 0s, kind: comment, reply_to: first_post, from: eco_watch, text: Still silence.}
thanks:
  - {after: 1m, kind: comment, reply_to: first_post, from: maria, text: Thank you!}
quality_answers:
  - {after: 3m, kind: internal, from: quality_team, text: "Confirmed, 22B is recalled."}
"""


def with_branches(*lines: str, scenes: str = SCENES, **options):
    branches = "\n".join(f"    - {line}" for line in lines)
    return make_scenario(FIRST_POST.format(branches=branches), scenes, **options)


def visible(scenario, at, actions=()):
    return feed_at(scenario, at=at, actions=actions).ids()


def test_a_silent_trainee_triggers_the_pile_on_after_ten_minutes():
    scenario = with_branches("{when: {no_reply_within: 10m}, goto: pile_on}")
    assert "pile_on.0" not in visible(scenario, 629)
    feed = feed_at(scenario, at=630)
    assert feed.item("pile_on.0")["at"] == 630
    assert [(b.event, b.condition, b.goto, b.at) for b in feed.fired] == [
        ("first_post", "no_reply_within", "pile_on", 630)]


def test_a_reply_before_the_deadline_prevents_the_pile_on():
    scenario = with_branches("{when: {no_reply_within: 10m}, goto: pile_on}")
    assert "pile_on.0" not in visible(scenario, 1800, [reply(300)])


def test_a_reply_at_the_very_deadline_is_still_in_time():
    scenario = with_branches("{when: {no_reply_within: 10m}, goto: pile_on}")
    assert "pile_on.0" not in visible(scenario, 1800, [reply(630)])
    assert "pile_on.0" in visible(scenario, 1800, [reply(631)])


def test_answering_the_customer_by_dm_counts_as_a_reply():
    scenario = with_branches("{when: {no_reply_within: 10m}, goto: pile_on}")
    actions = [act(200, "dm", text="Hi Maria, sorry to hear this - can you DM us the batch?")]
    assert "pile_on.0" not in visible(scenario, 1800, actions)


def test_answering_the_persona_in_their_direct_messages_counts_as_a_reply():
    timeline = FIRST_POST.format(branches="    - {when: {no_reply_within: 10m}, goto: pile_on}")
    timeline += "- {id: maria_dm, at: 1m, kind: dm, from: maria, text: Please help}\n"
    scenario = make_scenario(timeline, SCENES)
    actions = [act(120, "reply", "maria_dm", text="Hi Maria, we are on it.")]
    assert "pile_on.0" not in visible(scenario, 1800, actions)


def test_a_low_scoring_reply_triggers_the_pile_on_when_it_is_posted():
    scenario = with_branches("{when: {reply_score_below: 40}, goto: pile_on}")
    feed = feed_at(scenario, at=1800, actions=[reply(200, score=39)])
    assert feed.item("pile_on.0")["at"] == 200
    assert "pile_on.0" not in visible(scenario, 1800, [reply(200, score=40)])


def test_only_the_first_reply_is_judged_by_its_score():
    scenario = with_branches("{when: {reply_score_below: 40}, goto: pile_on}")
    assert "pile_on.0" not in visible(scenario, 1800, [reply(200, score=80), reply(300, score=5)])


def test_a_good_reply_earns_the_thank_you():
    scenario = with_branches("{when: {reply_score_at_least: 70}, goto: thanks}")
    feed = feed_at(scenario, at=1800, actions=[reply(200, score=70)])
    assert feed.item("thanks.0")["at"] == 260
    assert "thanks.0" not in visible(scenario, 1800, [reply(200, score=69)])


def test_a_reply_without_a_score_decides_no_score_branch():
    scenario = with_branches("{when: {reply_score_below: 40}, goto: pile_on}",
                             "{when: {reply_score_at_least: 40}, goto: thanks}")
    assert fired_branches(scenario, at=1800, actions=[reply(200)]) == []


def test_escalating_brings_the_quality_team_answer_three_minutes_later():
    scenario = with_branches("{when: {action: escalate}, goto: quality_answers}")
    actions = [act(100, "escalate", to="quality_team")]
    feed = feed_at(scenario, at=1800, actions=actions)
    answer = feed.item("quality_answers.0")
    assert (answer["at"], answer["stream"]) == (280, "team")
    assert "quality_answers.0" not in visible(scenario, 279, actions)


@pytest.mark.parametrize("action", ["reply", "move_to_dm", "hide", "like"])
def test_every_action_can_be_a_branch_condition(action):
    scenario = with_branches(f"{{when: {{action: {action}}}, goto: pile_on}}")
    fields = {"text": "Hi Maria, so sorry."} if action == "reply" else {}
    feed = feed_at(scenario, at=1800, actions=[act(100, action, **fields)])
    assert feed.item("pile_on.0")["at"] == 100


def test_at_the_same_instant_the_branch_listed_first_wins():
    scenario = with_branches("{when: {reply_score_below: 40}, goto: pile_on}",
                             "{when: {action: reply}, goto: thanks}")
    fired = fired_branches(scenario, at=1800, actions=[reply(200, score=10)])
    assert [(b.goto, b.at) for b in fired] == [("pile_on", 200)]

    swapped = with_branches("{when: {action: reply}, goto: thanks}",
                            "{when: {reply_score_below: 40}, goto: pile_on}")
    fired = fired_branches(swapped, at=1800, actions=[reply(200, score=10)])
    assert [(b.goto, b.at) for b in fired] == [("thanks", 200)]


def test_the_condition_decided_first_wins_whatever_the_list_order():
    scenario = with_branches("{when: {action: escalate}, goto: quality_answers}",
                             "{when: {no_reply_within: 2m}, goto: pile_on}")
    actions = [act(300, "escalate")]
    fired = fired_branches(scenario, at=1800, actions=actions)
    assert [(b.goto, b.at) for b in fired] == [("pile_on", 150)]
    assert "quality_answers.0" not in visible(scenario, 1800, actions)


def test_the_first_branch_to_fire_closes_the_event():
    scenario = with_branches("{when: {no_reply_within: 10m}, goto: pile_on}",
                             "{when: {reply_score_below: 40}, goto: thanks}")
    actions = [reply(900, score=10)]
    assert [b.goto for b in fired_branches(scenario, at=1800, actions=actions)] == ["pile_on"]


def test_a_branch_to_end_finishes_the_scenario_then():
    timeline = FIRST_POST.format(branches="    - {when: {no_reply_within: 5m}, goto: end}")
    timeline += "- {id: later_post, at: 20m, kind: post, from: eco_watch, text: Anyone home?}\n"
    scenario = make_scenario(timeline, SCENES)
    running = feed_at(scenario, at=329)
    assert not running.finished
    ended = feed_at(scenario, at=1800)
    assert ended.finished and ended.ended_at == 330 and ended.at == 330
    assert "later_post" not in ended.ids()
    with pytest.raises(ActionRejected, match="ended at 5m30s"):
        feed_at(scenario, at=1800, actions=[reply(400)])


def test_the_run_is_finished_at_its_duration():
    scenario = with_branches("{when: {no_reply_within: 10m}, goto: pile_on}")
    assert not feed_at(scenario, at=1799).finished
    assert feed_at(scenario, at=1800).finished
    assert feed_at(scenario, at=9999).at == 1800


def test_scene_events_can_branch_further():
    scenes = SCENES + """
escalation:
  - after: 1m
    kind: comment
    reply_to: first_post
    from: eco_watch
    text: Parents deserve answers.
    branches:
      - {when: {no_reply_within: 2m}, goto: pile_on}
"""
    scenario = with_branches("{when: {no_reply_within: 1m}, goto: escalation}", scenes=scenes)
    feed = feed_at(scenario, at=1800)
    assert feed.item("escalation.0")["at"] == 150
    assert feed.item("pile_on.0")["at"] == 270
    answered = feed_at(scenario, at=1800, actions=[reply(200, "escalation.0")])
    assert "pile_on.0" not in answered.ids()


def test_a_scene_reached_twice_plays_once():
    timeline = FIRST_POST.format(branches="    - {when: {no_reply_within: 1m}, goto: pile_on}")
    timeline += """- id: second_post
  at: 5m
  kind: post
  from: maria
  text: Still no answer?
  branches:
    - {when: {no_reply_within: 1m}, goto: pile_on}
"""
    scenario = make_scenario(timeline, SCENES)
    feed = feed_at(scenario, at=1800)
    assert feed.ids().count("pile_on.0") == 1
    assert feed.item("pile_on.0")["at"] == 90
    assert [(b.event, b.at) for b in feed.fired] == [("first_post", 90), ("second_post", 360)]


def test_history_is_already_in_the_feed_at_the_start():
    scenario = make_scenario("- {id: old, at: -2h, kind: post, from: maria, text: Old news}")
    assert feed_at(scenario, at=0).item("old")["at"] == -7200


def test_a_comment_never_appears_before_the_post_it_answers():
    scenario = make_scenario("""
- {id: reply_first, at: 1m, kind: comment, reply_to: parent, from: eco_watch, text: Agreed}
- {id: parent, at: 5m, kind: post, from: maria, text: The post}
""")
    assert visible(scenario, 299) == []
    assert [item["id"] for item in feed_at(scenario, at=300).items] == ["parent", "reply_first"]


def test_a_timeline_comment_on_a_scene_event_waits_for_the_scene():
    timeline = FIRST_POST.format(branches="    - {when: {no_reply_within: 10m}, goto: pile_on}")
    timeline += ("- {id: echo, at: 1m, kind: comment, reply_to: pile_on.0, from: maria, "
                 "text: Exactly}\n")
    scenario = make_scenario(timeline, SCENES)
    assert "echo" not in visible(scenario, 629)
    assert feed_at(scenario, at=630).item("echo")["at"] == 630
    assert "echo" not in visible(scenario, 1800, [reply(100)])
