"""When the feed next changes by itself: the live page's poll schedule.

Between two actions of the trainee the feed is a function of the clock alone (DESIGN.md
section 5), so from the actions taken so far the moment of the next new item, or of the end,
is known in advance. Until then a poll can only find the engagement counters grown and the
clock moved on: no item appears and none changes its state (hidden, liked, scored), which only
an action does.

    due = next_change(compiled, at=615, actions=actions)  # 640: pile_on.0 appears then
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from sandbox.core.replay.actions import TraineeAction
from sandbox.core.replay.branches import index_actions, simulate
from sandbox.core.replay.compiled import compile_scenario


def next_change(scenario: Any, *, at: int, actions: Sequence[TraineeAction] = ()) -> int:
    """The first simulated second after `at` at which `feed_at(scenario, at=…, actions=…)`,
    with no action after these, shows an item it did not show at `at` or is finished; the
    scenario's duration at the latest (then `at` itself when the feed is over already).

    `actions` are those `feed_at` accepted at `at` (this does not check them again).
    """
    compiled = compile_scenario(scenario)
    at = min(max(int(at), 0), compiled.duration)
    taken = [action for action in actions if action.at <= at]
    run = simulate(compiled, index_actions(compiled, taken), horizon=compiled.duration)
    if run.ended_at is not None and run.ended_at <= at:
        return at
    due = compiled.duration if run.ended_at is None else run.ended_at
    following = bisect_right(compiled.static_times, at)
    if following < len(compiled.static_times):
        due = min(due, compiled.static_times[following])
    for shown_at in run.shown.values():
        if at < shown_at < due:
            due = shown_at
    return max(due, at)
