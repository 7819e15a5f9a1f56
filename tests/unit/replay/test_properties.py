"""Properties of the replay that must hold for any trainee behaviour (hypothesis)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.core.clock import SimClock
from sandbox.core.replay import TraineeAction, compile_scenario, feed_at
from tests.unit.replay.conftest import RECALL, scenario_from_yaml

SCENARIO = scenario_from_yaml(RECALL)
DURATION = SCENARIO.duration


@st.composite
def trainee_actions(draw) -> list[TraineeAction]:
    """A plausible run: actions on the first post, after it appears, in time order."""
    times = sorted(draw(st.lists(st.integers(30, DURATION), max_size=6)))
    actions = []
    for at in times:
        name = draw(st.sampled_from(["reply", "dm", "move_to_dm", "escalate", "hide", "like"]))
        text = "Hi Maria, so sorry." if name in ("reply", "dm") else None
        score = draw(st.none() | st.integers(0, 100)) if name in ("reply", "dm") else None
        actions.append(TraineeAction(at=at, action=name, event="first_post", text=text,
                                     score=score))
    return actions


moments = st.integers(-60, DURATION + 60)


@settings(max_examples=60, deadline=None)
@given(actions=trainee_actions(), first=moments, second=moments)
def test_what_is_visible_only_grows_with_time(actions, first, second):
    early, late = sorted((first, second))
    before = set(feed_at(SCENARIO, at=early, actions=actions).ids())
    after = set(feed_at(SCENARIO, at=late, actions=actions).ids())
    assert before <= after


@settings(max_examples=60, deadline=None)
@given(actions=trainee_actions(), first=moments, second=moments)
def test_counters_never_go_down(actions, first, second):
    early, late = sorted((first, second))
    before = {item["id"]: item["engagement"] for item in
              feed_at(SCENARIO, at=early, actions=actions).items if item["engagement"]}
    after = feed_at(SCENARIO, at=late, actions=actions)
    for ref, counters in before.items():
        now = after.item(ref)["engagement"]
        assert all(now[key] >= counters[key] for key in ("likes", "shares", "replies"))


@settings(max_examples=40, deadline=None)
@given(actions=trainee_actions(), at=moments)
def test_the_same_inputs_give_the_same_feed(actions, at):
    fresh = scenario_from_yaml(RECALL)  # another object: nothing cached is shared
    assert compile_scenario(fresh) is not compile_scenario(SCENARIO)
    assert (feed_at(SCENARIO, at=at, actions=actions).to_json()
            == feed_at(fresh, at=at, actions=list(actions)).to_json())


@settings(max_examples=60, deadline=None)
@given(actions=trainee_actions(), at=moments)
def test_no_comment_appears_before_its_parent(actions, at):
    items = feed_at(SCENARIO, at=at, actions=actions).items
    position = {item["id"]: index for index, item in enumerate(items)}
    for index, item in enumerate(items):
        if item["reply_to"] is not None:
            assert item["reply_to"] in position
            parent = items[position[item["reply_to"]]]
            assert position[item["reply_to"]] < index and parent["at"] <= item["at"]


@settings(max_examples=40, deadline=None)
@given(actions=trainee_actions(), paused_at=st.integers(0, 3000), waited=st.integers(1, 10**5),
       speed=st.sampled_from([1, 2, 5, 30]))
def test_a_paused_clock_freezes_the_feed(actions, paused_at, waited, speed):
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    clock = SimClock(started_at=start, duration=DURATION, speed=speed,
                     paused_at=start + timedelta(seconds=paused_at))
    frozen = clock.sim_now(start + timedelta(seconds=paused_at))
    taken = [action for action in actions if action.at <= frozen]
    later = clock.sim_now(start + timedelta(seconds=paused_at + waited))
    assert feed_at(SCENARIO, at=later, actions=taken) == feed_at(SCENARIO, at=frozen, actions=taken)
