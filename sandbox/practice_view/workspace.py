"""What the practice page shows at one moment: the run's feed laid out (sandbox.practice_view.feed)
with its clock, its progress and its poller. Built from the derived feed; nothing here is stored,
and nothing here writes: a run out of time is shown as over, and graded by a POST.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlmodel import Session

from sandbox import runs
from sandbox.core.replay import Feed, TraineeAction, changes_between, compile_scenario, feed_at
from sandbox.core.replay.feed import public_note
from sandbox.core.replay.schedule import next_change
from sandbox.models import Run
from sandbox.practice_view import run_actions
from sandbox.practice_view.conversations import Inbox, inbox
from sandbox.practice_view.feed import REDRAW_ALL, Engagement, FeedEntry, FeedView, arrange
from sandbox.practice_view.poll import LivePoll, LiveRun


@dataclass(kw_only=True)
class Workspace(FeedView):
    run: Run | LiveRun
    feed: Feed
    due: int  # when the feed next changes by itself (sandbox.core.replay.schedule)
    actions: list[TraineeAction] = field(default_factory=list)  # the trainee's, so far

    @cached_property
    def inbox(self) -> Inbox:
        """Where every conversation stands (sandbox.practice_view.conversations)."""
        return inbox(self, self.actions)

    @property
    def progress(self) -> int:
        return round(100 * self.at / self.scenario.duration) if self.scenario.duration else 100

    @property
    def finished(self) -> bool:
        return self.run.finished_at is not None

    @property
    def over(self) -> bool:
        """Finished, or out of time (or ended by the scenario) and waiting for the trainee's
        Finish: a page shows it as over without finishing it (GET never writes)."""
        return self.finished or self.finished_feed

    @property
    def poll(self) -> LivePoll:
        return LivePoll(run_id=self.run.id, since=self.at, acts=len(self.actions),
                        due=self.due, now=self.at, speed=self.run.speed,
                        paused=self.run.paused_at is not None, over=self.over,
                        finished=self.finished)

    @property
    def experts(self) -> dict[str, str]:
        return {key: expert.name for key, expert in self.scenario.experts.items()}

    def person(self, key: str):
        """How the persona `key` shows (name, handle, avatar), e.g. at the head of a DM thread."""
        return compile_scenario(self.scenario).personas.get(key)

    def public_note(self, event: str) -> str:
        """What the public note of a move to DM on `event` proposes."""
        return public_note(compile_scenario(self.scenario), event)


def workspace(session: Session, run: Run, now: datetime | None = None) -> Workspace:
    game = runs.played(session, run)
    at = runs.sim_now(run, game.scenario, now)
    compiled = compile_scenario(game.scenario)
    actions = runs.trainee_actions(run)
    run_actions.remember(run, actions)  # for the page's polls
    feed = feed_at(compiled, at=at, actions=actions)
    return arrange(game.scenario, game.guidelines, feed, view=Workspace, run=run, feed=feed,
                   due=next_change(compiled, at=feed.at, actions=actions), actions=actions)


@dataclass
class Changes:
    """What the live fragment sends: items that appeared or changed since the page's last update."""

    space: Workspace
    new: list[FeedEntry]
    counters: list[FeedEntry]  # items whose engagement moved (every poll, for public posts)
    states: list[FeedEntry]  # items now hidden, liked or scored: their actions change too
    earlier: dict[str, Engagement] = field(default_factory=dict)  # of `counters`, as shown
    acted: bool = True  # the trainee acted since the page's last update

    # Where a conversation stands follows from its items and the trainee's actions alone (its
    # clocks tick in the browser): an update redraws those that a new item or an action may
    # have moved, and the inbox's counts with them.
    @property
    def conversations_moved(self) -> bool:
        return bool(self.new) or self.acted

    @cached_property
    def _every_conversation_moved(self) -> bool:
        """An action, or the team's message (which may answer an escalation), moves any."""
        return self.acted or any(entry.stream == "team" for entry in self.new)

    @cached_property
    def _posts_with_new_items(self) -> frozenset[str]:
        return frozenset(entry.root or entry.id for entry in self.new if entry.stream == "feed")

    def post_moved(self, post: str) -> bool:
        """Whether the conversation under `post` may stand differently on the page."""
        return self._every_conversation_moved or post in self._posts_with_new_items

    def thread_moved(self, thread: list[FeedEntry]) -> bool:
        """Whether a DM thread's conversation may stand differently on the page."""
        return self._every_conversation_moved or any(entry in self.new for entry in thread)

    @cached_property
    def counts(self) -> list[tuple[FeedEntry, tuple[str, ...]]]:
        """Each item of `counters` with what of its counts reads differently on the page
        (practice/_counters.html redraws only that), those with nothing to redraw left out."""
        network = self.space.network
        found = []
        for entry in self.counters:
            before = self.earlier.get(entry.id)
            redraw = entry.engagement.redraw(before, network) if before else REDRAW_ALL
            if redraw:
                found.append((entry, redraw))
        return found


def changes(session: Session, run: Run | LiveRun, *, since: int, known_actions: int,
            now: datetime | None = None, actions: list[TraineeAction] | None = None
            ) -> Changes:
    """Items new or changed since the page's last update, which showed the feed at simulated
    time `since` with the trainee's first `known_actions` actions.

    Counting actions (not only time) matters: an action taken in the same simulated second as
    the last update would otherwise look as if the page already had it.

    `actions` are the run's, when the caller knows them (a LiveRun has none of its own);
    otherwise they are read with the run, and kept for the next poll (run_actions).
    """
    game = runs.played(session, run)
    at = runs.sim_now(run, game.scenario, now)
    compiled = compile_scenario(game.scenario)
    if actions is None:
        actions = runs.trainee_actions(run)
        run_actions.remember(run, actions)
    update = changes_between(compiled, since=min(max(0, since), at),
                             known_actions=max(0, known_actions), at=at, actions=actions)
    space = arrange(game.scenario, game.guidelines, update.feed, view=Workspace, run=run,
                    feed=update.feed, due=next_change(compiled, at=update.feed.at,
                                                      actions=actions), actions=actions)
    entries = space.entries
    return Changes(space, [entries[item["id"]] for item in update.new],
                   [entries[item["id"]] for item in update.counters],
                   [entries[item["id"]] for item in update.states],
                   {ref: Engagement.of(counters) for ref, counters in update.earlier.items()},
                   acted=len(actions) != max(0, known_actions))
