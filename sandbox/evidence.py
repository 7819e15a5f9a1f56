"""Which finished runs are evidence of a person's skill, and whether there is enough of it.

Exam runs are the evidence: played without hints or pause, they say what the person does alone.
Practice runs are shown beside them, never counted. A trainer may void a run with a reason (and
restore it later): every decision is kept, the last one counts. An exam run stopped before the
scenario's end in which the trainee answered less than a configurable share of the scenario's
expected events was abandoned: it is marked incomplete and left out. (A run played to the end
with few answers is a weak run, and counts as one.) Below a minimum of counted runs on different
scenarios the board says "not enough evidence" instead of ranking anyone (docs/talent.md).
"""

from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from sandbox import runs, talent_store
from sandbox.core.replay import compile_scenario
from sandbox.models import Run, RunVoid, User

COUNTED, PRACTICE, VOIDED, INCOMPLETE = "counted", "practice", "voided", "incomplete"
KIND_LABELS = {COUNTED: "exam · counted", PRACTICE: "practice · not counted",
               VOIDED: "voided · not counted", INCOMPLETE: "incomplete · not counted"}
REASON_LIMIT = 1000
VOID_DECISIONS = {"void": "voided", "restore": "restored"}


class VoidError(ValueError):
    """Why a run cannot be voided or restored; the message is for a person."""


@dataclass(frozen=True)
class EvidenceRules:
    """The thresholds of docs/talent.md, from the app's settings (sandbox.config)."""

    min_answered_share: float = 0.5
    min_exam_runs: int = 3
    min_scenarios: int = 2

    @classmethod
    def from_config(cls, config) -> "EvidenceRules":
        return cls(min_answered_share=float(config.get("TALENT_MIN_ANSWERED_SHARE", 0.5)),
                   min_exam_runs=int(config.get("TALENT_MIN_EXAM_RUNS", 3)),
                   min_scenarios=int(config.get("TALENT_MIN_SCENARIOS", 2)))


@dataclass(frozen=True)
class RunEvidence:
    """What one finished run is worth on the talent board, and why."""

    kind: str  # counted | practice | voided | incomplete
    answered: int  # expected events the trainee answered
    expected: int  # expected events of the scenario (its timeline, plus any branch that fired)
    stopped_early: bool  # finished before the scenario's clock ran out
    void: RunVoid | None  # the decision that voided the run, when it is voided
    history: tuple[RunVoid, ...]  # every void and restore, oldest first

    @property
    def counts(self) -> bool:
        return self.kind == COUNTED

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def share(self) -> float:
        return self.answered / self.expected if self.expected else 1.0

    def explanation(self, rules: EvidenceRules) -> str:
        """One sentence a trainee, a trainer and HR can all read."""
        if self.kind == VOIDED:
            return (f"Voided by {self.void.trainer_name} on {self.void.created_at:%d %b %Y}: "
                    f"{self.void.reason}")
        if self.kind == PRACTICE:
            return "A practice run (hints and pause allowed): shown, never counted on the board."
        if self.kind == INCOMPLETE:
            return (f"Incomplete: stopped before the end with {self.answered} of {self.expected} "
                    f"expected events answered, under the {rules.min_answered_share:.0%} a run "
                    f"needs to count.")
        return (f"An exam run: counted on the talent board ({self.answered} of {self.expected} "
                f"expected events answered).")


def answered_events(session: Session, run: Run) -> tuple[int, int, bool]:
    """(answered, expected, stopped early): the events with expectations the trainee answered,
    out of those of the scenario's timeline (the same for everyone) and any reaction a branch
    added; and whether the run was finished before the scenario's clock ran out."""
    game = runs.played(session, run)
    compiled = compile_scenario(game.scenario)
    planned = sum(1 for spec in compiled.events.values()
                  if spec.expect is not None and spec.scene is None)
    events = (run.result or {}).get("events", [])
    answered = sum(1 for event in events if not event.get("missed"))
    early = run.finished_sim_s is not None and run.finished_sim_s < game.scenario.duration
    return answered, max(planned, len(events)), early


def last_void(run: Run) -> RunVoid | None:
    """The decision that voids the run now, if any (a later restore cancels it)."""
    last = run.voids[-1] if run.voids else None
    return last if last is not None and last.decision == "voided" else None


def evidence_of(session: Session, run: Run, rules: EvidenceRules) -> RunEvidence:
    """What a finished run is worth: voided, practice, incomplete or counted (in that order)."""
    answered, expected, early = answered_events(session, run)
    void = last_void(run)
    if void is not None:
        kind = VOIDED
    elif run.mode != "exam":
        kind = PRACTICE
    elif early and expected and answered / expected < rules.min_answered_share:
        kind = INCOMPLETE
    else:
        kind = COUNTED
    return RunEvidence(kind, answered, expected, early, void, tuple(run.voids))


@dataclass(frozen=True)
class Sufficiency:
    """Whether a person's counted runs are enough to rank them, and what is missing."""

    exam_runs: int
    scenarios: int
    rules: EvidenceRules

    @property
    def enough(self) -> bool:
        return (self.exam_runs >= self.rules.min_exam_runs
                and self.scenarios >= self.rules.min_scenarios)

    @property
    def summary(self) -> str:
        return (f"{self.exam_runs} counted exam run{'s' if self.exam_runs != 1 else ''} on "
                f"{self.scenarios} scenario{'s' if self.scenarios != 1 else ''}")

    @property
    def missing(self) -> str:
        """What would make it enough ("" when it is)."""
        needs = []
        if self.exam_runs < self.rules.min_exam_runs:
            more = self.rules.min_exam_runs - self.exam_runs
            needs.append(f"{more} more exam run{'s' if more != 1 else ''}")
        if self.scenarios < self.rules.min_scenarios:
            more = self.rules.min_scenarios - self.scenarios
            needs.append(f"{more} more scenario{'s' if more != 1 else ''}")
        return " and ".join(needs)


def sufficiency(counted: list[Run], rules: EvidenceRules) -> Sufficiency:
    return Sufficiency(len(counted), len({run.scenario_id for run in counted}), rules)


def record_void(*, session: Session, run: Run, trainer: User, key: str, decision: str,
                reason: str) -> RunVoid:
    """Void a finished run (`decision="void"`) or restore it, with a reason; committed before
    returning. The same `key` sent twice (a double-clicked button) records one decision."""
    key = (key or "").strip()[:64]
    if not key:
        raise VoidError("This form is missing its submission key. Reload the page and try again.")
    existing = session.exec(select(RunVoid).where(RunVoid.run_id == run.id,
                                                  RunVoid.key == key)).first()
    if existing is not None:
        return existing
    if run.finished_at is None or not run.result:
        raise VoidError("This run is not finished yet: there is nothing to void.")
    if decision not in VOID_DECISIONS:
        raise VoidError("Choose whether to void the run or to count it again.")
    if run.user_id == trainer.id:
        raise VoidError("You cannot void your own run: ask another trainer.")
    voided = last_void(run) is not None
    if decision == "void" and voided:
        raise VoidError("This run is already voided.")
    if decision == "restore" and not voided:
        raise VoidError("This run is not voided: there is nothing to restore.")
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise VoidError("Say why: the reason is kept in the audit trail, and the trainee and HR "
                        "read it.")
    if len(reason) > REASON_LIMIT:
        raise VoidError(f"The reason is {len(reason)} characters; keep it under {REASON_LIMIT}.")
    entry = RunVoid(run_id=run.id, trainer_id=trainer.id, trainer_name=trainer.name, key=key,
                    decision=VOID_DECISIONS[decision], reason=reason)
    run.voids.append(entry)  # the last decision: it now counts
    talent_store.record(session, run)
    try:
        session.commit()
    except IntegrityError:  # the same key raced in from another request: keep the first
        session.rollback()
        return session.exec(select(RunVoid).where(RunVoid.run_id == run.id,
                                                  RunVoid.key == key)).one()
    session.refresh(run)
    return entry
