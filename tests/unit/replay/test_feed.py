"""The feed: its JSON shape, streams, chatter, the trainee's own items, engagement, changes."""

import json

import pytest

from sandbox.core.fakes import PersonaView
from sandbox.core.replay import (
    ActionRejected,
    TraineeAction,
    check_action,
    expected_replies,
    feed_at,
)
from tests.unit.replay.conftest import act, make_scenario, reply

CONTRACT_KEYS = {"id", "kind", "stream", "from", "at", "reply_to", "text", "engagement"}


def test_the_feed_prints_as_the_contract_json(recall):
    feed = feed_at(recall, at=720).to_json()
    assert feed["at"] == 720 and feed["finished"] is False
    decoded = json.loads(json.dumps(feed))
    assert all(set(item) >= CONTRACT_KEYS for item in decoded["items"])
    first = next(item for item in decoded["items"] if item["id"] == "first_post")
    assert (first["kind"], first["stream"], first["from"], first["at"]) == (
        "post", "feed", "maria", 30)
    assert first["reply_to"] is None
    assert set(first["engagement"]) >= {"likes", "shares", "replies", "heat"}


def test_items_are_in_chronological_order_with_history_first(recall):
    items = feed_at(recall, at=1800).items
    assert items[0]["id"] == "old_praise"
    assert [item["at"] for item in items] == sorted(item["at"] for item in items)


def test_chatter_items_are_numbered_and_come_from_the_crowd(recall):
    chatter = [item for item in feed_at(recall, at=1800).items if item["noise"]]
    assert len(chatter) >= 10
    assert [item["id"] for item in chatter] == [f"noise.{n}" for n in range(len(chatter))]
    assert all(item["from"].startswith("crowd.") for item in chatter)
    assert all(0 <= item["at"] <= 1800 for item in chatter)


def test_direct_messages_and_team_messages_have_their_own_streams():
    scenario = make_scenario("""
- {id: private, at: 1m, kind: dm, from: maria, text: Can you help?}
- {id: memo, at: 2m, kind: internal, from: legal, text: Say nothing about liability.}
""")
    feed = feed_at(scenario, at=600)
    assert feed.item("private")["stream"] == "dm"
    assert feed.item("memo")["stream"] == "team"
    assert feed.item("private")["engagement"] == {}


def test_the_trainees_actions_appear_as_numbered_items_in_the_right_stream(recall):
    actions = [reply(60, score=80, text="Hi Maria, so sorry."),
               act(90, "like"),
               act(120, "escalate", text="Possible recall case"),
               act(130, "dm", text="Can you DM us the batch code?")]
    feed = feed_at(recall, at=600, actions=actions)
    mine = [item for item in feed.items if item["from"] == "trainee"]
    assert [(i["id"], i["stream"], i["reply_to"]) for i in mine] == [
        ("action.0", "feed", "first_post"), ("action.2", "team", "first_post"),
        ("action.3", "dm", "first_post")]
    assert mine[1]["to"] == "quality_team"
    assert mine[0]["score"] == 80 and mine[0]["handle"] == "SunnyFoods"
    assert feed.item("first_post")["liked"] is True


def test_an_escalation_without_a_note_says_who_it_went_to(recall):
    feed = feed_at(recall, at=600, actions=[act(60, "escalate")])
    assert feed.item("action.0")["text"] == "Escalated to Quality & Safety desk."


def test_hiding_a_post_marks_it_and_freezes_its_counters(recall):
    actions = [act(300, "hide")]
    at_hide = feed_at(recall, at=300, actions=actions).item("first_post")
    later = feed_at(recall, at=1500, actions=actions).item("first_post")
    assert later["hidden"] is True
    assert later["engagement"]["likes"] == at_hide["engagement"]["likes"]
    assert later["engagement"]["heat"] == 0


def test_counters_grow_faster_when_the_trainee_stays_silent(recall):
    silent = feed_at(recall, at=1500).item("first_post")["engagement"]
    answered = feed_at(recall, at=1500, actions=[reply(120, score=85)]).item("first_post")
    assert answered["engagement"]["likes"] < silent["likes"] / 2
    assert answered["engagement"]["heat"] < silent["heat"]


def test_a_bad_reply_fuels_the_post_more_than_a_good_one(recall):
    good = feed_at(recall, at=1500, actions=[reply(120, score=85)]).item("first_post")
    bad = feed_at(recall, at=1500, actions=[reply(120, score=10)]).item("first_post")
    assert bad["engagement"]["likes"] > good["engagement"]["likes"]
    assert bad["engagement"]["heat_level"] in {"hot", "burning"}


def test_viral_posts_grow_faster_than_quiet_ones():
    scenario = make_scenario("""
- {id: quiet, at: 0s, kind: post, from: maria, virality: low, text: Meh}
- {id: loud, at: 0s, kind: post, from: maria, virality: high, text: Scandal!}
""")
    feed = feed_at(scenario, at=1200)
    assert feed.item("loud")["engagement"]["likes"] > 5 * feed.item("quiet")["engagement"]["likes"]


def test_comment_counts_include_the_visible_comments(recall):
    feed = feed_at(recall, at=700)  # follow_up and the pile-on are under first_post
    crowd = feed_at(recall, at=700).item("first_post")["engagement"]["replies"]
    assert crowd >= 2
    assert feed.item("follow_up")["reply_to"] == "first_post"


def test_expected_replies_say_when_the_trainee_answered_and_what_is_missing(recall):
    [late] = expected_replies(recall, at=1800, actions=[reply(900, score=60)])
    assert (late.event, late.shown_at, late.answered_at, late.delay) == ("first_post", 30, 900, 870)
    assert late.on_time is False and late.score == 60
    assert late.missing_actions == ("escalate",) and not late.missed
    [missed] = expected_replies(recall, at=1800)
    assert missed.missed and missed.answered_at is None


def test_accounts_can_be_shown_with_given_personas(recall):
    personas = {"maria": PersonaView(key="maria", name="M. K.", handle="mk", avatar="<svg/>")}
    item = feed_at(recall, at=60, personas=personas).item("first_post")
    assert (item["name"], item["handle"], item["avatar"]) == ("M. K.", "mk", "<svg/>")


def test_actions_later_than_the_moment_shown_are_not_taken_yet(recall):
    actions = [reply(300, score=90)]
    assert "action.0" not in feed_at(recall, at=299, actions=actions).ids()
    assert feed_at(recall, at=299, actions=actions) == feed_at(recall, at=299)


@pytest.mark.parametrize(("action", "message"), [
    (reply(60, "firts_post"), 'there is no event "firts_post".*did you mean "first_post"'),
    (reply(10), '"first_post" is not visible yet \\(it appears at 30s\\)'),
    (reply(400, "pile_on.0"), '"pile_on.0" is not visible yet'),
    (reply(1801), "the run ends at 30m"),
    (act(60, "reply"), "a reply needs a text"),
    (act(60, "escalate", to="marketing"), 'there is no expert "marketing"'),
])
def test_impossible_actions_are_rejected_with_a_clear_message(recall, action, message):
    with pytest.raises(ActionRejected, match=message):
        feed_at(recall, at=1800, actions=[action])


def test_actions_out_of_order_are_rejected(recall):
    with pytest.raises(ActionRejected, match="comes before the previous action"):
        feed_at(recall, at=1800, actions=[reply(300), reply(200)])


def test_a_direct_message_cannot_be_liked_or_hidden():
    scenario = make_scenario("- {id: private, at: 1m, kind: dm, from: maria, text: Help?}")
    with pytest.raises(ActionRejected, match="cannot like a direct message"):
        feed_at(scenario, at=600, actions=[act(120, "like", "private")])


def test_check_action_accepts_a_valid_action_and_explains_a_refused_one(recall):
    earlier = [reply(100, score=70)]
    check_action(recall, at=200, actions=earlier, new_action=act(200, "escalate"))
    with pytest.raises(ActionRejected) as refused:
        check_action(recall, at=400, actions=earlier, new_action=reply(400, "pile_on.0"))
    assert str(refused.value) == '"pile_on.0" is not visible yet'
    assert refused.value.index == 1
    with pytest.raises(ActionRejected, match="only 3m20s on the run's clock"):
        check_action(recall, at=200, actions=earlier, new_action=reply(260))


def test_a_chatter_item_can_be_liked_and_answered(recall):
    feed = feed_at(recall, at=1800)
    chatter = next(item for item in feed.items if item["noise"])
    actions = [TraineeAction(at=chatter["at"] + 5, action="like", event=chatter["id"]),
               TraineeAction(at=chatter["at"] + 9, action="reply", event=chatter["id"],
                             text="Glad you like them!")]
    later = feed_at(recall, at=1800, actions=actions)
    assert later.item(chatter["id"])["liked"] is True
    assert later.item("action.1")["reply_to"] == chatter["id"]


def test_an_event_without_its_own_reply_within_is_on_time_against_the_guidelines_target():
    scenario = make_scenario("""
- {id: ask, at: 0s, kind: post, from: maria, text: Any news?, expect: {must_mention: [news]}}
""")
    [untimed] = expected_replies(scenario, at=1800, actions=[reply(900, event="ask")])
    assert untimed.on_time is None and untimed.reply_within is None
    [late] = expected_replies(scenario, at=1800, actions=[reply(900, event="ask")],
                              targets={"ask": 600})
    assert late.reply_within == 600 and late.on_time is False
    [early] = expected_replies(scenario, at=1800, actions=[reply(300, event="ask")],
                               targets={"ask": 600})
    assert early.on_time is True


def test_the_brands_like_adds_one_to_the_posts_likes(recall):
    like = TraineeAction(at=60, action="like", event="first_post")
    before = feed_at(recall, at=600).item("first_post")["engagement"]["likes"]
    after = feed_at(recall, at=600, actions=[like]).item("first_post")
    assert after["liked"] and after["engagement"]["likes"] == before + 1
