"""The optimised feed equals the plain reference (tests/unit/replay/reference.py) on random
scenarios and random trainee runs, and `changes_between` equals comparing two feeds."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.core.replay import (
    ActionRejected,
    TraineeAction,
    changes_between,
    compile_scenario,
    feed_at,
)
from sandbox.core.scenario.models import Scenario
from tests.unit.replay.reference import reference_feed

DURATION = 1200
AUTHORS = ["maria", "eco_watch", "sam"]
ALLOWED = {
    "post": ["reply", "dm", "move_to_dm", "escalate", "hide", "like"],
    "comment": ["reply", "dm", "move_to_dm", "escalate", "hide", "like"],
    "mention": ["reply", "dm", "move_to_dm", "escalate", "hide", "like"],
    "dm": ["reply", "dm", "escalate"],
    "internal": ["reply"],
}


@st.composite
def branches(draw, scenes: list[str]) -> list[dict]:
    result = []
    for _ in range(draw(st.integers(0, 3))):
        condition = draw(st.sampled_from(["no_reply_within", "reply_score_below",
                                          "reply_score_at_least", "action"]))
        if condition == "no_reply_within":
            value = f"{draw(st.integers(0, 400))}s"
        elif condition == "action":
            value = draw(st.sampled_from(["escalate", "hide", "like", "move_to_dm"]))
        else:
            value = draw(st.integers(0, 100))
        result.append({"when": {condition: value},
                       "goto": draw(st.sampled_from([*scenes, "end"]))})
    return result


@st.composite
def event(draw, ids: list[str], scenes: list[str]) -> dict:
    fields = {"from": draw(st.sampled_from(AUTHORS)), "text": "Some text",
              "virality": draw(st.none() | st.sampled_from(["low", "medium", "high"]))}
    if ids and draw(st.booleans()):
        fields.update(kind="comment", reply_to=draw(st.sampled_from(ids)))
    else:
        fields["kind"] = draw(st.sampled_from(["post", "mention", "dm"]))
    if draw(st.booleans()):
        fields["expect"] = {"reply_within": "5m",
                            "actions": draw(st.sampled_from([["reply"], ["hide"], []]))}
    fields["branches"] = draw(branches(scenes))
    return fields


@st.composite
def scenarios(draw) -> Scenario:
    scene_names = [f"scene{number}" for number in range(draw(st.integers(0, 3)))]
    # Ids that comments may answer: timeline ids and own ids of scene events, in any order.
    ids = [f"e{number}" for number in range(draw(st.integers(1, 10)))]
    scene_ids = []
    scenes = {}
    for name in scene_names:
        scenes[name] = []
        for number in range(draw(st.integers(1, 3))):
            fields = draw(event(ids + scene_ids, scene_names))
            fields["after"] = f"{draw(st.integers(0, 300))}s"
            if draw(st.booleans()):
                fields["id"] = f"{name}_{number}"
                scene_ids.append(fields["id"])
            scenes[name].append(fields)
    timeline = []
    for ref in ids:
        fields = draw(event([*(i for i in ids if i != ref), *scene_ids], scene_names))
        at = draw(st.integers(-600, DURATION))
        fields.update(id=ref, at=f"{at}s" if at >= 0 else f"-{-at}s")
        timeline.append(fields)
    noise = draw(st.booleans())
    return Scenario.model_validate({
        "format": 1, "id": "random", "title": "Random", "language": "en", "duration": "20m",
        "seed": draw(st.integers(0, 5)), "guidelines": "sunnyfoods",
        "platform": {"network": "twitter", "brand": "SunnyFoods", "handle": "SunnyFoods"},
        "personas": {"maria": {"name": "Maria", "handle": "maria_k", "followers": 1240},
                     "eco_watch": {"name": "Eco", "handle": "eco", "followers": 88000},
                     "sam": {"name": "Sam", "handle": "sam"}, "crowd": {"count": 3}},
        "experts": {"quality_team": {"name": "Quality desk"}},
        "timeline": timeline, "scenes": scenes,
        "noise": {"from": "crowd", "every": "60s-300s", "texts": ["Hi"]} if noise else None,
    })


@st.composite
def runs(draw) -> tuple[Scenario, list[TraineeAction]]:
    """A scenario and actions the trainee could take: each on an item visible at its time."""
    scenario = draw(scenarios())
    actions: list[TraineeAction] = []
    moment = 0
    for _ in range(draw(st.integers(0, 10))):
        moment = draw(st.integers(moment, DURATION))
        feed = reference_feed(scenario, at=moment, actions=actions)
        if feed.finished and feed.at < moment:
            break
        visible = [item for item in feed.items if not item["id"].startswith("action.")]
        if not visible:
            continue
        item = draw(st.sampled_from(visible))
        name = draw(st.sampled_from(ALLOWED[item["kind"]] + ["dm"] * (item["kind"] != "internal")))
        text = "Sorry about that." if name in ("reply", "dm") else None
        score = draw(st.none() | st.integers(0, 100)) if name in ("reply", "dm") else None
        actions.append(TraineeAction(at=moment, action=name, event=item["id"], text=text,
                                     score=score))
        try:  # an action can undo what showed its own item in the same second
            reference_feed(scenario, at=moment, actions=actions)
        except ActionRejected:
            actions.pop()
            break
    return scenario, actions


def outcome(compute, scenario, **arguments):
    try:
        return compute(scenario, **arguments).to_json()
    except ActionRejected as error:
        return str(error)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run=runs(), moments=st.lists(st.integers(-30, DURATION + 30), min_size=1, max_size=4))
def test_the_fast_feed_equals_the_plain_reference(run, moments):
    scenario, actions = run
    for at in moments:
        assert (outcome(feed_at, scenario, at=at, actions=actions)
                == outcome(reference_feed, scenario, at=at, actions=actions))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run=runs(), at=st.integers(0, DURATION))
def test_the_fast_feed_equals_the_reference_with_personas_shown_otherwise(run, at):
    scenario, actions = run
    personas = dict(compile_scenario(scenario).personas)
    personas["maria"] = personas["sam"]
    assert (outcome(feed_at, scenario, at=at, actions=actions, personas=personas)
            == outcome(reference_feed, scenario, at=at, actions=actions, personas=personas))


def two_feeds(scenario, *, since, known_actions, at, actions):
    """What the live page did before `changes_between`: compare two whole feeds."""
    before = {item["id"]: item for item in
              feed_at(scenario, at=since, actions=actions[:known_actions]).items}
    now = feed_at(scenario, at=at, actions=actions)
    old = [(before[item["id"]], item) for item in now.items if item["id"] in before]
    return {"new": [item for item in now.items if item["id"] not in before],
            "counters": [item for was, item in old if was["engagement"] != item["engagement"]],
            "earlier": {was["id"]: was["engagement"] for was, item in old
                        if was["engagement"] != item["engagement"]},
            "states": [item for was, item in old if any(was.get(key) != item.get(key)
                                                        for key in ("hidden", "liked", "score"))]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run=runs(), since=st.integers(-30, DURATION), later=st.integers(0, 600),
       known=st.integers(0, 8), rescored=st.booleans())
def test_changes_between_equals_comparing_two_feeds(run, since, later, known, rescored):
    scenario, actions = run
    known = min(known, len(actions))
    if rescored and actions:  # the web app stores a reply's score after showing it
        last = actions[-1]
        actions = [*actions[:-1], TraineeAction(at=last.at, action=last.action, event=last.event,
                                                text=last.text, to=last.to, score=77)]
    arguments = {"since": since, "known_actions": known, "at": since + later, "actions": actions}
    try:
        expected = two_feeds(scenario, **arguments)
    except ActionRejected as error:
        expected = str(error)
    try:
        changes = changes_between(scenario, **arguments)
        got = {"new": changes.new, "counters": changes.counters, "states": changes.states,
               "earlier": changes.earlier}
        assert changes.feed == feed_at(scenario, at=since + later, actions=actions)
    except ActionRejected as error:
        got = str(error)
    assert got == expected


def test_changes_between_reports_nothing_when_nothing_happened(recall):
    actions = [TraineeAction(at=60, action="like", event="first_post")]
    changes = changes_between(recall, since=300, known_actions=1, at=300, actions=actions)
    assert (changes.new, changes.counters, changes.states) == ([], [], [])
    assert changes.feed == feed_at(recall, at=300, actions=actions)


def test_changes_between_shows_a_new_action_and_the_item_it_changed(recall):
    like = TraineeAction(at=60, action="like", event="first_post")
    reply = TraineeAction(at=90, action="reply", event="first_post", text="Sorry!", score=80)
    changes = changes_between(recall, since=60, known_actions=1, at=90, actions=[like, reply])
    assert "action.1" in [item["id"] for item in changes.new]
    assert "first_post" in [item["id"] for item in changes.counters]
