"""The live page's poll: answered from the run's clock when nothing new can be on the feed.

The page shows the feed at simulated second `since` with `acts` of the trainee's actions, and
knows (`due`, from sandbox.core.replay.schedule) when the feed next gains an item or ends by
itself. Until then, and while no action was added, a poll can only find counters grown: it is
answered from one row (the run's clock and its number of actions) without building the feed,
and the next poll is scheduled for when something is due, or the heartbeat that refreshes the
counters, whichever comes first.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func
from sqlmodel import Session, select

from sandbox import runs
from sandbox.core.clock import SimClock
from sandbox.models import Run, RunAction, utcnow

HEARTBEAT = 10  # wall seconds: the longest the page waits for fresh counters
FASTEST = 2  # wall seconds: a page never polls more often than this


@dataclass(frozen=True)
class LivePoll:
    """The page's poller: what it shows (`since`, `acts`), when the feed next changes (`due`),
    and when to ask again."""

    run_id: int
    since: int
    acts: int
    due: int
    now: int  # the simulated second of this answer
    speed: float
    paused: bool = False
    over: bool = False
    finished: bool = False

    @property
    def refresh_at(self) -> int:
        """The simulated second from which a poll builds the feed again."""
        return min(self.due, self.since + math.ceil(HEARTBEAT * self.speed))

    @property
    def delay(self) -> int:
        """Wall seconds until the next poll: when something is due, within the bounds."""
        wait = math.ceil((self.refresh_at - self.now) / self.speed) if self.speed > 0 else 0
        return min(HEARTBEAT, max(FASTEST, wait))

    def nothing_new_at(self, now: int, actions: int) -> bool:
        return (not self.paused and not self.over and actions == self.acts
                and self.since <= now < self.refresh_at)


@dataclass(frozen=True)
class Asked:
    """What a poll says the page shows (from its query string; only the trainee's own page
    can be misled by changing it)."""

    since: int
    acts: int
    due: int

    @classmethod
    def from_args(cls, args) -> "Asked":
        since = max(0, args.get("since", 0, type=int))
        return cls(since=since, acts=max(0, args.get("acts", 0, type=int)),
                   due=args.get("due", since, type=int))


@cache
def _clock_and_actions():
    """The run's clock and its number of actions, in one read (built once: polls are many)."""
    return (select(Run.user_id, Run.scenario_digest, Run.guidelines_digest, Run.started_at,
                   Run.speed, Run.paused_at, Run.paused_seconds, Run.finished_at,
                   select(func.count(RunAction.id)).where(RunAction.run_id == Run.id)
                   .scalar_subquery())
            .where(Run.id == bindparam("run_id")))


def quiet_poll(session: Session, *, user_id: int, run_id: int, asked: Asked,
               now: datetime | None = None) -> LivePoll | None:
    """The poll's answer when nothing new can be on the feed; None when the feed must be built
    (something is due, an action was added, the run is paused, over or not this person's, or
    its scenario version is not parsed in this process yet). One database read."""
    row = session.exec(_clock_and_actions(), params={"run_id": run_id}).first()
    if row is None:
        return None
    (owner, scenario_digest, guidelines_digest, started_at, speed, paused_at, paused_seconds,
     finished_at, actions) = row
    game = runs.cached_version(scenario_digest, guidelines_digest)
    if owner != user_id or finished_at is not None or paused_at is not None or game is None:
        return None
    clock = SimClock(started_at=started_at, duration=game.scenario.duration, speed=speed,
                     paused_total=timedelta(seconds=paused_seconds))
    at = clock.sim_now(now or utcnow())
    poll = LivePoll(run_id=run_id, since=asked.since, acts=asked.acts, due=asked.due, now=at,
                    speed=speed)
    return poll if poll.nothing_new_at(at, actions) else None
