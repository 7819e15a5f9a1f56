"""The replay engine (DESIGN.md section 5): the feed at any moment is a pure function of the
scenario, its seed, the simulated time and the trainee's actions. No timers, no stored state.

    feed = feed_at(scenario, at=720, actions=[TraineeAction(at=180, action="reply", ...)])
    feed.to_json()  # {"at": 720, "finished": false, "items": [...], ...}
"""

from sandbox.core.replay.actions import (
    ACTION_NAMES,
    ActionRejected,
    ReplayError,
    TraineeAction,
    action_from_record,
    actions_from_records,
)
from sandbox.core.replay.branches import FiredBranch
from sandbox.core.replay.changes import FeedChanges, changes_between
from sandbox.core.replay.compiled import CompiledScenario, compile_scenario
from sandbox.core.replay.feed import Feed, FeedItem, check_action, feed_at
from sandbox.core.replay.summary import (
    ExpectedReply,
    expected_replies,
    fired_branches,
)

__all__ = [
    "ACTION_NAMES",
    "ActionRejected",
    "CompiledScenario",
    "ExpectedReply",
    "Feed",
    "FeedChanges",
    "FeedItem",
    "FiredBranch",
    "ReplayError",
    "TraineeAction",
    "action_from_record",
    "actions_from_records",
    "changes_between",
    "check_action",
    "compile_scenario",
    "expected_replies",
    "feed_at",
    "fired_branches",
]
