"""`next_change` tells the live page when its feed next changes by itself: until then, with no
new action, a poll finds no new item, no item in another state and the run not over (only the
counters grown), on random scenarios, clocks and actions."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.core.replay import TraineeAction, changes_between, feed_at
from sandbox.core.replay.schedule import next_change
from tests.unit.replay.test_fast_feed import DURATION, runs


def known_at(actions: list[TraineeAction], since: int) -> list[TraineeAction]:
    return [action for action in actions if action.at <= since]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run=runs(), since=st.integers(0, DURATION), fraction=st.floats(0, 1))
def test_before_the_next_change_a_poll_finds_nothing_new(run, since, fraction):
    scenario, actions = run
    actions = known_at(actions, since)
    shown = feed_at(scenario, at=since, actions=actions)
    due = next_change(scenario, at=shown.at, actions=actions)
    if shown.finished:  # the page shows the end: it stops polling
        return
    assert due > shown.at
    later = shown.at + int(fraction * (due - shown.at - 1))
    changes = changes_between(scenario, since=shown.at, known_actions=len(actions), at=later,
                              actions=actions)
    assert changes.new == [] and changes.states == []
    assert not changes.feed.finished
    assert [item["id"] for item in changes.feed.items] == [item["id"] for item in shown.items]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run=runs(), since=st.integers(0, DURATION))
def test_at_the_next_change_an_item_appears_or_the_run_is_over(run, since):
    scenario, actions = run
    actions = known_at(actions, since)
    shown = feed_at(scenario, at=since, actions=actions)
    due = next_change(scenario, at=shown.at, actions=actions)
    if shown.finished:
        return
    changes = changes_between(scenario, since=shown.at, known_actions=len(actions), at=due,
                              actions=actions)
    assert changes.new or changes.feed.finished


def test_the_recall_feed_is_next_due_when_maria_posts(recall):
    assert next_change(recall, at=0) == 30  # first_post, at: 30s
