"""Re-grade finished runs when the scorer or the editorial guidelines change.

A run's grade is recomputed from what the trainee did (its stored actions and their simulated
times) with the scenario version it played. The scores each action got during play stay as
they were: they decided which branches fired, that is, what the trainee saw. Trainers'
reviews stay too: a reviewed run keeps the score its reviewer set, and the scorer's new grade
is what the next review starts from.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from sandbox import library, runs, talent_store
from sandbox.core.grading import grade_run
from sandbox.core.scoring import SCORER_VERSION
from sandbox.models import Run


@dataclass(frozen=True)
class Regraded:
    run_id: int
    scenario_id: str
    before: int | None
    after: int
    reason: str  # "scorer 1.0.0 -> 1.1.0", "guidelines changed", "asked for"


@dataclass
class Report:
    finished: int = 0
    regraded: list[Regraded] | None = None
    skipped: list[tuple[int, str]] | None = None  # (run id, why)
    summarised: int = 0  # runs whose summary was rebuilt (--summaries)

    @property
    def changed(self) -> list[Regraded]:
        return [r for r in self.regraded or [] if r.before != r.after]


def _finished(session: Session, batch: int = 200) -> Iterator[Run]:
    last = 0
    while True:
        found = list(session.exec(
            select(Run).where(col(Run.finished_at).is_not(None), col(Run.id) > last)
            .order_by(col(Run.id)).limit(batch)))
        if not found:
            return
        yield from found
        last = found[-1].id


def rescore(session: Session, *, scenarios_dir: str | Path | None = None,
            everything: bool = False, dry_run: bool = False, summaries: bool = False) -> Report:
    """Re-grade every finished run graded by another scorer version (every one with
    `everything`). With `scenarios_dir`, a run whose scenario's guidelines file has changed
    since it was played is re-graded against the current guidelines, which it then records.
    A re-graded run's summary (sandbox.talent_store) is updated with it; with `summaries`,
    every finished run's summary is rebuilt afterwards (after the database was edited by
    hand or filled in bulk)."""
    report = Report(regraded=[], skipped=[])
    entries = {e.slug: e for e in library.entries(scenarios_dir)} if scenarios_dir else {}
    for run in _finished(session):
        report.finished += 1
        game = runs.played(session, run)
        guidelines, digest, reasons = game.guidelines, run.guidelines_digest, []
        if everything:
            reasons.append("asked for")
        if run.scorer_version != SCORER_VERSION:
            reasons.append(f"scorer {run.scorer_version or 'unknown'} -> {SCORER_VERSION}")
        entry = entries.get(run.scenario_id)
        if entry is not None and entry.guidelines is not None \
                and library.digest(entry.guidelines_text) != run.guidelines_digest:
            if entry.guidelines.language != game.scenario.language:
                report.skipped.append((run.id, "the current guidelines are in another language"))
            else:
                guidelines, reasons = entry.guidelines, [*reasons, "guidelines changed"]
                digest = runs.store_version(session, kind="guidelines", slug=entry.guidelines.id,
                                            text=entry.guidelines_text)
        if not reasons:
            continue
        at = run.finished_sim_s if run.finished_sim_s is not None else game.scenario.duration
        result = grade_run(game.scenario, guidelines, at=at, actions=runs.trainee_actions(run))
        report.regraded.append(Regraded(run.id, run.scenario_id, run.overall, result.overall,
                                        ", ".join(reasons)))
        if dry_run:
            continue
        run.overall, run.result = result.overall, result.as_json()
        run.scorer_version, run.guidelines_digest = SCORER_VERSION, digest
        session.add(run)
        talent_store.record(session, run)
        session.commit()
    if summaries and not dry_run:
        report.summarised = talent_store.rebuild(session)
    return report
