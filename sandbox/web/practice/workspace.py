"""What the practice page shows at one moment: the feed arranged for the templates.

Built from the derived feed (sandbox.core.replay); nothing here is stored.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from sandbox import runs
from sandbox.core.replay import Feed, changes_between, compile_scenario, feed_at
from sandbox.core.replay.schedule import next_change
from sandbox.core.scenario import Guidelines, Scenario, max_chars
from sandbox.models import Run
from sandbox.practice_view.poll import LivePoll
from sandbox.web.filters import mmss


@dataclass
class Workspace:
    run: Run
    scenario: Scenario
    guidelines: Guidelines
    feed: Feed
    at: int
    due: int = 0  # when the feed next changes by itself (sandbox.core.replay.schedule)
    posts: list[dict] = field(default_factory=list)  # top-level public items, newest first
    threads: dict[str, list[dict]] = field(default_factory=dict)  # post id -> its comments
    dms: list[dict] = field(default_factory=list)
    team: list[dict] = field(default_factory=list)
    notifications: list[dict] = field(default_factory=list)  # mentions of the brand, newest first

    @property
    def network(self) -> str:
        return self.scenario.platform.network

    @property
    def max_chars(self) -> int:
        return max_chars(self.guidelines, self.network)

    @property
    def progress(self) -> int:
        return round(100 * self.at / self.scenario.duration) if self.scenario.duration else 100

    @property
    def clock(self) -> str:
        return f"{mmss(self.at)} / {mmss(self.scenario.duration)}"

    @property
    def finished(self) -> bool:
        return self.run.finished_at is not None

    @property
    def over(self) -> bool:
        """Finished, or out of time (or ended by the scenario) and waiting for the trainee's
        Finish: a page shows it as over without finishing it (GET never writes)."""
        return self.finished or self.feed.finished

    @property
    def poll(self) -> LivePoll:
        return LivePoll(run_id=self.run.id, since=self.at, acts=len(self.run.actions),
                        due=self.due, now=self.at, speed=self.run.speed,
                        paused=self.run.paused_at is not None, over=self.over,
                        finished=self.finished)

    @property
    def experts(self) -> dict[str, str]:
        return {key: expert.name for key, expert in self.scenario.experts.items()}


def arrange(run: Run, scenario: Scenario, guidelines: Guidelines, feed: Feed) -> Workspace:
    space = Workspace(run=run, scenario=scenario, guidelines=guidelines, feed=feed, at=feed.at)
    brand = scenario.platform.handle.lower()
    public_ids = set()
    for item in feed.items:
        if item["stream"] == "dm":
            space.dms.append(item)
        elif item["stream"] == "team":
            space.team.append(item)
        elif item.get("reply_to") and item["reply_to"] in public_ids:
            space.threads.setdefault(_root(item, feed), []).append(item)
        else:
            public_ids.add(item["id"])
            space.posts.append(item)
        if item["id"] in public_ids or item.get("reply_to"):
            public_ids.add(item["id"])
        if item.get("kind") == "mention" or (
            item.get("from") != "trainee" and f"@{brand}" in (item.get("text") or "").lower()
            and not item.get("noise")
        ):
            space.notifications.append(item)
    space.posts.reverse()
    space.notifications.reverse()
    return space


def _root(item: dict, feed: Feed) -> str:
    """The top-level post a comment belongs to (comments on comments join the same thread)."""
    parents = {i["id"]: i.get("reply_to") for i in feed.items}
    ref = item["reply_to"]
    while parents.get(ref):
        ref = parents[ref]
    return ref


def workspace(session: Session, run: Run, now: datetime | None = None) -> Workspace:
    game = runs.played(session, run)
    at = runs.sim_now(run, game.scenario, now)
    compiled = compile_scenario(game.scenario)
    actions = runs.trainee_actions(run)
    feed = feed_at(compiled, at=at, actions=actions)
    space = arrange(run, game.scenario, game.guidelines, feed)
    space.due = next_change(compiled, at=feed.at, actions=actions)
    return space


@dataclass
class Changes:
    """What the live fragment sends: items that appeared or changed since the page's last update."""

    space: Workspace
    new: list[dict]
    counters: list[dict]  # items whose engagement moved (every poll, for public posts)
    states: list[dict]  # items now hidden, liked or scored: their actions change too


def changes(session: Session, run: Run, *, since: int, known_actions: int,
            now: datetime | None = None) -> Changes:
    """Items new or changed since the page's last update, which showed the feed at simulated
    time `since` with the trainee's first `known_actions` actions.

    Counting actions (not only time) matters: an action taken in the same simulated second as
    the last update would otherwise look as if the page already had it.
    """
    game = runs.played(session, run)
    at = runs.sim_now(run, game.scenario, now)
    compiled = compile_scenario(game.scenario)
    actions = runs.trainee_actions(run)
    update = changes_between(compiled, since=min(max(0, since), at),
                             known_actions=max(0, known_actions), at=at, actions=actions)
    space = arrange(run, game.scenario, game.guidelines, update.feed)
    space.due = next_change(compiled, at=update.feed.at, actions=actions)
    return Changes(space, list(update.new), list(update.counters), list(update.states))
