"""The live page's poll: answered from the run's clock when nothing new can be on the feed.

The page shows the feed at simulated second `since` with `acts` of the trainee's actions, and
knows (`due`, from sandbox.core.replay.schedule) when the feed next gains an item or ends by
itself. Until then, and while no action was added, a poll can only find counters grown: it is
answered from one row (who asks, the run's clock and its number of actions) without building
the feed, and the next poll is scheduled for when something is due, or the heartbeat that
refreshes the counters, whichever comes first.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, exists, func
from sqlmodel import Session, select

from sandbox import runs
from sandbox.core.clock import SimClock
from sandbox.core.replay import TraineeAction
from sandbox.models import Run, RunAction, User, UserRole, utcnow
from sandbox.practice_view import run_actions
from sandbox.security import SIGN_IN_PARAMS, SignIn, still_counts

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
def _authorised_clock():
    """The run's clock and its number of actions, if the sign-in still counts, holds the role
    and owns the run: authorisation and the poll in one read (built once: polls are many)."""
    return (select(Run.scenario_digest, Run.guidelines_digest, Run.started_at, Run.speed,
                   Run.paused_at, Run.paused_seconds, Run.finished_at, Run.mode,
                   select(func.count(RunAction.id)).where(RunAction.run_id == Run.id)
                   .scalar_subquery())
            .join(User, User.id == Run.user_id)
            .where(Run.id == bindparam("run_id"), *still_counts(*SIGN_IN_PARAMS),
                   exists().where(UserRole.user_id == User.id,
                                  UserRole.role == bindparam("role"))))


@dataclass(frozen=True, slots=True)
class LiveRun:
    """What the live fragment reads of a run going on (neither paused nor finished), from the
    poll's one read: the attributes of models.Run it uses, without building one (that costs
    more than the read)."""

    id: int
    scenario_digest: str
    guidelines_digest: str
    mode: str
    speed: float
    started_at: datetime
    paused_seconds: float
    paused_at: None = None
    finished_at: None = None
    finished_sim_s: None = None


@dataclass(frozen=True)
class OwnPoll:
    """A poll shown, in one read, to come from the run's owner, still signed in with the role:
    `quiet` is its answer when nothing new can be on the feed, None when the feed must be built
    (something is due, an action was added, the run is paused or over, or its scenario version
    is not parsed in this process yet). When the feed must be built and this process knows the
    run's actions (sandbox.practice_view.run_actions), `run` and `actions` are all it needs."""

    quiet: LivePoll | None
    run: LiveRun | None = None
    actions: list[TraineeAction] | None = None


def own_poll(session: Session, *, sign_in: SignIn | None, role: str, run_id: int, asked: Asked,
             now: datetime | None = None) -> OwnPoll | None:
    """The poll read with who asks (security.SignIn) in one database read, without loading the
    person or the run; None when the usual checks must decide who is asking (no session
    sign-in, not signed in any more, without `role`, someone else's run or none)."""
    if sign_in is None:
        return None
    row = session.connection().execute(
        _authorised_clock(), {"run_id": run_id, "role": role, **sign_in.params()}).first()
    if row is None:
        return None
    (scenario_digest, guidelines_digest, started_at, speed, paused_at, paused_seconds,
     finished_at, mode, actions) = row
    game = runs.cached_version(scenario_digest, guidelines_digest)
    if finished_at is not None or paused_at is not None or game is None:
        return OwnPoll(quiet=None)
    clock = SimClock(started_at=started_at, duration=game.scenario.duration, speed=speed,
                     paused_total=timedelta(seconds=paused_seconds))
    at = clock.sim_now(now or utcnow())
    poll = LivePoll(run_id=run_id, since=asked.since, acts=asked.acts, due=asked.due, now=at,
                    speed=speed)
    if poll.nothing_new_at(at, actions):
        return OwnPoll(quiet=poll)
    run = LiveRun(run_id, scenario_digest, guidelines_digest, mode, speed, started_at,
                  paused_seconds)
    known = run_actions.recall(run, actions)
    return OwnPoll(quiet=None, run=run if known is not None else None, actions=known)
