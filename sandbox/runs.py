"""Practice runs: starting one, its clock, the trainee's actions (scored, idempotent), finishing.

The feed itself is never stored: it is derived from the run's stored scenario version, its clock
and its actions (DESIGN.md section 5), so any worker can serve any run, and a restarted server
resumes exactly where the run was.
"""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, lazyload
from sqlmodel import Session, select

from sandbox import library, lifecycle, metrics
from sandbox.core.clock import SimClock
from sandbox.core.grading import grade_action, grade_run
from sandbox.core.replay import (
    ACTION_NAMES,
    ActionRejected,
    TraineeAction,
    check_action,
)
from sandbox.core.replay.actions import WRITES, graded, moved_to_dm
from sandbox.core.replay.compiled import CACHE_SIZE as COMPILED_CACHE_SIZE
from sandbox.core.scenario import Guidelines, Scenario, max_chars
from sandbox.core.scoring import SCORER_VERSION, ReplyScore
from sandbox.core.vocabulary import CLOCK_SPEEDS
from sandbox.core.wording import sentence
from sandbox.db import lock_row
from sandbox.models import ContentVersion, Run, RunAction, User, utcnow

MODES = ("practice", "exam")
SPEEDS = CLOCK_SPEEDS
MAX_TEXT = 5000  # characters: more than any platform takes, less than a pasted novel
PUBLIC_TEXTS = ("reply", "move_to_dm")  # texts shown in public: the network's limit applies


_FINISHED = "This run is finished; start a new one to keep practising."


class RunError(ValueError):
    """Why an action or a request about a run cannot be carried out; the message is for a person."""


@dataclass(frozen=True)
class Played:
    """The exact scenario and guidelines a run plays, parsed from its stored versions."""

    scenario: Scenario
    guidelines: Guidelines


def store_version(session: Session, *, kind: str, slug: str, text: str) -> str:
    """Keep this exact text once (content-addressed); two runs starting together may race."""
    digest = library.digest(text)
    if session.get(ContentVersion, digest) is None:
        with Session(session.get_bind()) as writer:
            writer.add(ContentVersion(digest=digest, kind=kind, slug=slug, text=text))
            try:
                writer.commit()
            except IntegrityError:  # another request stored the same version first
                writer.rollback()
    return digest


def start_run(*, session: Session, user: User, entry: library.Entry, mode: str, speed: float,
              now: datetime | None = None) -> Run:
    if not entry.playable:
        raise RunError("This scenario has validation errors; a trainer must fix it first.")
    refused = lifecycle.refusal(session, entry, user)  # a draft, or archived
    if refused:
        raise RunError(refused)
    if mode not in MODES:
        raise RunError(f"Choose a mode: {' or '.join(MODES)}.")
    if speed not in SPEEDS:
        raise RunError(f"Choose a speed: {', '.join(f'{s}x' for s in SPEEDS)}.")
    run = Run(
        user_id=user.id,
        scenario_id=entry.slug,
        scenario_digest=store_version(session, kind="scenario", slug=entry.slug,
                                       text=entry.text),
        guidelines_digest=store_version(session, kind="guidelines", slug=entry.guidelines.id,
                                         text=entry.guidelines_text),
        mode=mode,
        speed=float(speed),
        started_at=now or utcnow(),
    )
    session.add(run)
    session.commit()
    return run


def run_of(session: Session, user: User, run_id: int) -> Run | None:
    """The run, if it is this person's own; other people's runs do not exist for them."""
    run = playing(session, run_id)
    return run if run is not None and run.user_id == user.id else None


def playing(session: Session, run_id: int) -> Run | None:
    """The run with its actions, in one read; its reviews and voids are read only if asked for
    (a finished run's). Whose it is, is for the caller to check (run_of)."""
    return session.exec(_playing(), params={"run_id": run_id}).unique().first()


@cache
def _playing():
    """Built once: a statement's options cost more to compile than the read on every poll."""
    return (select(Run).where(Run.id == bindparam("run_id"))
            .options(joinedload(Run.actions), lazyload(Run.reviews), lazyload(Run.voids)))


def runs_of(session: Session, user: User) -> list[Run]:
    return list(session.exec(select(Run).where(Run.user_id == user.id)
                             .order_by(Run.started_at.desc())).all())


# The one cache of stored versions: they never change, so each is parsed once per process and
# found again by digest without reading the database. It keeps no more versions than the compile
# cache (keyed by the scenario objects kept here and by library entries) can keep compiled.
_played: dict[tuple[str, str], Played] = {}
_PLAYED_SIZE = COMPILED_CACHE_SIZE


def played(session: Session, run: Run) -> Played:
    """The scenario and guidelines versions the run plays (stored when it started)."""
    found = _played.get((run.scenario_digest, run.guidelines_digest))
    if found is None:
        found = remember_version(session.get(ContentVersion, run.scenario_digest).text,
                                 session.get(ContentVersion, run.guidelines_digest).text)
    return found


def cached_version(scenario_digest: str, guidelines_digest: str) -> Played | None:
    """The versions, if this process has parsed them already (no database read)."""
    return _played.get((scenario_digest, guidelines_digest))


def remember_version(scenario_text: str, guidelines_text: str) -> Played:
    """Parse a stored version into the cache (a run's first request, or the server's warm-up)."""
    key = (library.digest(scenario_text), library.digest(guidelines_text))
    found = _played.get(key)
    if found is None:
        found = _played.setdefault(key, Played(*library.parse_version(scenario_text,
                                                                      guidelines_text)))
        if len(_played) > _PLAYED_SIZE:  # a long-lived worker after many scenario edits
            _played.pop(next(iter(_played)))
    return found


def clock_of(run: Run, scenario: Scenario) -> SimClock:
    return SimClock(started_at=run.started_at, duration=scenario.duration, speed=run.speed,
                    paused_total=timedelta(seconds=run.paused_seconds), paused_at=run.paused_at)


def sim_now(run: Run, scenario: Scenario, now: datetime | None = None) -> int:
    """The run's simulated time now (frozen at the end once the run is finished)."""
    if run.finished_sim_s is not None:
        return run.finished_sim_s
    return clock_of(run, scenario).sim_now(now or utcnow())


def trainee_actions(run: Run) -> list[TraineeAction]:
    return [graded(TraineeAction(at=a.sim_at, action=a.action, event=a.event_id, text=a.text,
                                 to=a.to, score=a.overall), a.score) for a in run.actions]


@dataclass(frozen=True)
class Recorded:
    action: RunAction
    duplicate: bool  # the same idempotency key was already stored: nothing new was done


def record_action(*, session: Session, run: Run, key: str, action: str, event: str,
                  text: str | None = None, to: str | None = None, dm: str | None = None,
                  now: datetime | None = None) -> Recorded:
    """Store one action at the server's simulated time, scored, committed before returning.

    A move to DM stores its public note (`text`) and its first private message (`dm`) as two
    actions at the same instant, in one transaction (core.replay.moved_to_dm).
    A retried or double-clicked submission (same `key`) is stored once and returned again.
    """
    key = (key or "").strip()[:64]
    if not key:
        raise RunError("This form is missing its submission key. Reload the page and try again.")
    existing = _stored(run, key)
    if existing is not None:
        return Recorded(existing, duplicate=True)
    if run.finished_at is not None:
        raise RunError(_FINISHED)
    if action not in ACTION_NAMES:
        raise RunError(f'"{action[:40]}" is not an action; use one of: {", ".join(ACTION_NAMES)}.')
    game = played(session, run)
    text = (text or "").replace("\r\n", "\n").strip() or None
    _check_text(game, action, text)
    dm = (dm or "").replace("\r\n", "\n").strip() or None if action == "move_to_dm" else None
    if action == "move_to_dm":
        _check_text(game, "dm", dm, what="the private message")
    to = _expert(game, action, to)
    sent = TraineeAction(at=0, action=action, event=event, text=text, to=to or None)
    # Checked and scored before taking the run (the scorer takes milliseconds, and on SQLite
    # the lock is the whole database's), then again under it only if the clock or the actions
    # moved meanwhile: the same inputs give the same verdict and score.
    read = [stored.id for stored in run.actions]
    guess_at = sim_now(run, game.scenario, now)
    guess = _judge(game, replace(sent, at=guess_at), dm, trainee_actions(run))
    # One action or Finish at a time per run, from here to the commit: an action is either
    # stored before Finish reads the actions (and scored with the run), or refused as late.
    # (Every way out below ends the transaction; an unexpected error is rolled back by the
    # error page, sandbox.web.errors.)
    lock_row(session, run, _playing(), {"run_id": run.id})  # and re-read it with its actions
    existing = _stored(run, key)
    if existing is not None:  # the same submission won the lock first
        session.commit()
        return Recorded(existing, duplicate=True)
    if run.finished_at is not None:
        session.rollback()
        raise RunError(_FINISHED)
    at = sim_now(run, game.scenario, now)
    if at >= game.scenario.duration:  # out of time: this write is the run's Finish
        session.rollback()
        finish(session=session, run=run, now=now)
        raise RunError(_FINISHED)
    earlier = trainee_actions(run)
    same = at == guess_at and read == [stored.id for stored in run.actions]
    judged = guess if same else _judge(game, replace(sent, at=at), dm, earlier)
    if isinstance(judged, str):
        session.rollback()
        raise RunError(judged)
    first: RunAction | None = None
    for number, (new, score) in enumerate(judged):
        stored = RunAction(
            run_id=run.id, key=key if number == 0 else f"{key[:60]}/dm",
            seq=len(earlier) + number + 1, action=new.action, event_id=event, text=new.text,
            to=new.to, sim_at=at, overall=score.overall if score else None,
            score=score.as_json() if score else None,
            scorer_version=SCORER_VERSION if score else None,
        )
        run.actions.append(stored)  # stored with the run, and seen in its actions after
        first = first or stored
    try:
        session.commit()
    except IntegrityError:  # the same key raced in from another request: keep the first
        session.rollback()
        return Recorded(_by_key(session, run, key), duplicate=True)
    metrics.ACTIONS_RECORDED.labels(action).inc()
    return Recorded(first, duplicate=False)


def _judge(game: Played, sent: TraineeAction, dm: str | None, earlier: list[TraineeAction]
           ) -> list[tuple[TraineeAction, ReplyScore | None]] | str:
    """What storing `sent` after `earlier` would store (one action, or a move to DM's two),
    each checked and scored; or why it is refused, for the trainee."""
    earlier = list(earlier)
    judged = []
    for new in moved_to_dm(sent, dm):
        try:
            check_action(game.scenario, at=sent.at, actions=earlier, new_action=new)
        except ActionRejected as problem:
            return sentence(problem.reason or problem.message)
        with metrics.scoring("reply"):
            score = grade_action(game.scenario, game.guidelines, earlier=earlier, action=new)
        judged.append((new, score))
        earlier.append(graded(new, score.as_json() if score else None))
    return judged


def _expert(game: Played, action: str, to: str | None) -> str | None:
    """Only an escalation names someone; a name no expert could have is refused here."""
    if action != "escalate" or not to:
        return None
    if len(to) > 120:
        experts = ", ".join(game.scenario.experts) or "none"
        raise RunError(f"There is no expert with such a long name; choose one of: {experts}.")
    return to


def _stored(run: Run, key: str) -> RunAction | None:
    """The run's action sent with `key`, among those read with the run."""
    return next((stored for stored in run.actions if stored.key == key), None)


def _by_key(session: Session, run: Run, key: str) -> RunAction | None:
    return session.exec(select(RunAction).where(RunAction.run_id == run.id,
                                                RunAction.key == key)).first()


def _check_text(game: Played, action: str, text: str | None, *, what: str = "") -> None:
    if action not in WRITES:
        return
    if not text:
        raise RunError(f"Write {what or 'something'} first: an empty message cannot be sent.")
    network = game.scenario.platform.network
    public = action in PUBLIC_TEXTS
    limit = min(max_chars(game.guidelines, network) if public else MAX_TEXT, MAX_TEXT)
    if len(text) > limit:
        which = f"{what[0].upper()}{what[1:]} is" if what else "This is"
        raise RunError(f"{which} {len(text)} characters; {network.capitalize()} takes at most "
                       f"{limit} here. Shorten it and send again.")


def pause(*, session: Session, run: Run, now: datetime | None = None) -> None:
    if run.mode != "practice":
        raise RunError("Exam runs cannot be paused.")
    if run.finished_at is None and run.paused_at is None:
        run.paused_at = now or utcnow()
        session.add(run)
        session.commit()


def resume(*, session: Session, run: Run, now: datetime | None = None) -> None:
    if run.paused_at is not None:
        now = now or utcnow()
        run.paused_seconds += max(0.0, (now - run.paused_at).total_seconds())
        run.paused_at = None
        session.add(run)
        session.commit()


def finish(*, session: Session, run: Run, now: datetime | None = None) -> None:
    """End the run at its current simulated time and store its run-level score (idempotent:
    a finished run stays as it was). Only POSTs finish a run, never a page that shows it:
    out of time, it waits for the trainee's Finish or their next action (record_action).

    Holds the run (lock_row) from reading its actions to the commit, so every action
    acknowledged before is scored, and none is acknowledged after (record_action).
    """
    if run.finished_at is not None:
        return
    lock_row(session, run, _playing(), {"run_id": run.id})
    if run.finished_at is not None:  # finished by another request meanwhile
        session.commit()
        return
    game = played(session, run)
    at = sim_now(run, game.scenario, now)
    with metrics.scoring("run"):
        result = grade_run(game.scenario, game.guidelines, at=at, actions=trainee_actions(run))
    run.finished_at = now or utcnow()
    run.finished_sim_s = at
    run.paused_at = None
    run.overall = result.overall
    run.result = result.as_json()
    run.scorer_version = SCORER_VERSION
    session.add(run)
    from sandbox import talent_store  # (imports this module)
    talent_store.record(session, run)  # the pages' summary, in the same transaction
    session.commit()
