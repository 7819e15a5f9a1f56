"""What the live page must update between two polls, in one call instead of two whole feeds.

The page last showed the feed at simulated time `since` with the trainee's first `known_actions`
actions; now it is `at` and there may be more actions. `changes_between` builds the current feed
once and, for the earlier moment, only what the comparison needs (which items were there, their
counters and flags), without copying every item.

    changes = changes_between(scenario, since=600, known_actions=3, at=615, actions=actions)
    changes.new, changes.counters, changes.states  # lists of items of changes.feed
    changes.earlier["first_post"]  # its engagement as the page shows it (in counters)
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sandbox.core.fakes import PersonaView
from sandbox.core.replay.actions import WRITES, TraineeAction
from sandbox.core.replay.branches import index_actions, simulate
from sandbox.core.replay.compiled import CompiledScenario, compile_scenario
from sandbox.core.replay.engagement import interaction_counters
from sandbox.core.replay.feed import (
    Feed,
    FeedItem,
    action_stream,
    check_actions,
    check_visibility,
    engage_item,
    feed_at,
)

if TYPE_CHECKING:
    from sandbox.core.scenario import Scenario


@dataclass(frozen=True)
class FeedChanges:
    """The feed now, and which of its items the page must add or refresh."""

    feed: Feed  # feed_at(scenario, at=at, actions=actions)
    new: list[FeedItem]  # not on the page before, in feed order
    counters: list[FeedItem]  # on the page before, with different engagement
    states: list[FeedItem]  # on the page before, now hidden, liked or scored differently
    # item id -> its engagement in the earlier feed, for each item of `counters`: the page
    # redraws only the counts that read differently
    earlier: dict[str, dict[str, Any]] = field(default_factory=dict)


def changes_between(scenario: Scenario | CompiledScenario, *, since: int, known_actions: int,
                    at: int, actions: Sequence[TraineeAction] = (),
                    personas: Mapping[str, PersonaView] | None = None) -> FeedChanges:
    """The feed at `at` after `actions`, compared with the feed at `since` after the first
    `known_actions` of them, exactly as comparing `feed_at` twice would: an item is new when
    it was not in the earlier feed, in `counters` when its `engagement` differs (`earlier`
    holds the engagement it had), in `states` when its `hidden`, `liked` or `score` differs.
    Raises ActionRejected like `feed_at`.
    """
    compiled = compile_scenario(scenario)
    feed = feed_at(compiled, at=at, actions=actions, personas=personas)
    earlier = _Earlier(compiled, at=since, actions=list(actions[:max(0, known_actions)]))
    new, counters, states = [], [], []
    earlier_counters: dict[str, dict[str, Any]] = {}
    positions = compiled.static_positions
    rows = compiled.static_rows
    count, now, replies_of = earlier.count, earlier.now, earlier.replies.get
    touched, dm_authors = earlier.index.touched, earlier.index.dm_times
    for item in feed.items:
        ref = item["id"]
        position = positions.get(ref)
        if position is not None:  # shown at a fixed time: in the earlier feed if by then
            if position >= count:
                new.append(item)
                continue
            _, _, author, shown_at, growth, plain = rows[position]
            if growth is None:
                continue  # a DM or team message never changes
            if plain is not None and ref not in touched and author not in dm_authors:
                # The earlier counters at the base rate (Growth.untouched, without its calls).
                was = interaction_counters(*plain, now - shown_at, replies_of(ref, 0))
                if item["engagement"] != was:
                    counters.append(item)
                    earlier_counters[ref] = was
                if item["hidden"] or item["liked"]:
                    states.append(item)
                continue
            old = earlier.engaged(ref, shown_at, growth)
        elif ref.startswith("action."):
            number = int(ref[len("action."):])
            if number >= len(earlier.taken):
                new.append(item)
            elif earlier.taken[number].score != item.get("score"):
                states.append(item)
            continue
        else:  # a scene event, or an event waiting for one
            shown_at = earlier.run.shown.get(ref)
            if shown_at is None:
                new.append(item)
                continue
            growth = compiled.events[ref].growth
            if growth is None:
                continue
            old = earlier.engaged(ref, shown_at, growth)
        if old["engagement"] != item["engagement"]:
            counters.append(item)
            earlier_counters[ref] = old["engagement"]
        if old["hidden"] != item["hidden"] or old["liked"] != item["liked"]:
            states.append(item)
    return FeedChanges(feed=feed, new=new, counters=counters, states=states,
                       earlier=earlier_counters)


class _Earlier:
    """The earlier feed, as far as the comparison needs it: who was shown, reply counts, and
    the trainee's actions. Follows `feed_at` and `feed._build` without building the items (the
    equivalence is pinned by tests/unit/replay/test_fast_feed.py)."""

    def __init__(self, compiled: CompiledScenario, *, at: int, actions: list[TraineeAction]):
        horizon = min(max(int(at), 0), compiled.duration)
        check_actions(compiled, actions)
        self.compiled = compiled
        self.taken = [action for action in actions if action.at <= horizon]
        self.index = index_actions(compiled, self.taken)
        self.run = simulate(compiled, self.index, horizon=horizon)
        check_visibility(compiled, self.taken, self.run)
        self.now = self.run.limit
        self.count = compiled.static_count(self.now)
        self.replies = self._replies()

    def _replies(self) -> dict[str, int]:
        compiled, events = self.compiled, self.compiled.events
        replied = bisect_left(compiled.static_reply_positions, self.count)
        replies: dict[str, int] = Counter(compiled.static_reply_parents[:replied])
        for ref in self.run.shown:
            parent = events[ref].template["reply_to"]
            if parent is not None and events[ref].template["stream"] == "feed":
                replies[parent] = replies.get(parent, 0) + 1
        for action in self.taken:
            if action.action in WRITES:
                ref = compiled.canonical(action.event) or action.event
                if action_stream(events.get(ref), action.action) == "feed":
                    replies[ref] = replies.get(ref, 0) + 1
        return replies

    def engaged(self, ref: str, shown_at: int, growth: Any) -> dict[str, Any]:
        """The counters and flags the item had in the earlier feed."""
        item: dict[str, Any] = {"id": ref, "at": shown_at, "hidden": False, "liked": False}
        engage_item(self.compiled, self.index, item, growth, self.now,
                    self.replies.get(ref, 0))
        return item
