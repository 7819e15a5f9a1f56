"""Run summaries: the one row per finished run that the trainer and HR pages read.

A board of 10,000 people cannot open 200,000 results and their actions on every request. The
write path keeps a summary of each finished run instead (`record`): the score that stands for it
(`reviews.standing`), what it is worth as evidence (`evidence.answered_events`, `last_void`) and
its counts, in the same transaction that finishes, reviews, voids or re-grades the run. Each
summary carries a `revision`, one more than any before (taken under a lock, so revisions are
committed in order): every server process keeps the whole table as arrays (`snapshot`) and reads
only the rows changed since its last look. `rebuild` summarises every finished run again (the
migration that added the table, and `sandbox rescore --summaries`).

The evidence rules (the answered share of an incomplete run) are applied when the pages read
the summaries, so that changing a setting needs no rebuild.
"""

import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlmodel import Session, col

from sandbox.db import lock_for_writing
from sandbox.models import Run, RunAction, RunReview, RunSummary, RunVoid

SCORES = ("overall", "agility", "coherence", "efficiency")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAY = date(1970, 1, 1).toordinal()
_DAY_MICROS = 86_400_000_000


def summary_values(session: Session, run) -> dict:
    """The summary of a finished run: `run` is a Run, or anything with the same attributes
    (`rebuild` passes lighter objects; both go through here)."""
    from sandbox import evidence, reviews, runs

    answered, expected, early = evidence.answered_events(session, run)
    score = reviews.standing(run)
    return {"run_id": run.id, "user_id": run.user_id, "scenario_id": run.scenario_id,
            "language": runs.played(session, run).scenario.language, "mode": run.mode,
            "started_at": run.started_at, "finished_at": run.finished_at,
            "answered": answered, "expected": expected, "stopped_early": early,
            "voided": evidence.last_void(run) is not None, "overall": score.overall,
            **{name: score.dimensions.get(name) for name in SCORES[1:]},
            "verdict": score.verdict, "reviewed": score.reviewed,
            "graded": sum(1 for action in run.actions if action.overall is not None)}


def record(session: Session, run: Run) -> None:
    """Summarise the finished `run` as it stands in this transaction (its new review or void
    included); the caller commits. Does nothing for a run that is not finished."""
    if run.finished_at is None or not run.result:
        return
    values = summary_values(session, run)
    _write(session, [values])


def _write(session: Session, rows: list[dict]) -> None:
    session.flush()  # SQLite: the transaction now holds the database's write lock
    lock_for_writing(session, "run_summary")  # PostgreSQL: one summary writer at a time
    last = session.exec(select(func.max(RunSummary.revision))).one()[0] or 0
    for number, values in enumerate(rows, start=1):
        values["revision"] = last + number
    ids = [values["run_id"] for values in rows]
    session.exec(delete(RunSummary).where(col(RunSummary.run_id).in_(ids)))
    session.exec(insert(RunSummary), params=rows)


def rebuild(session: Session, *, batch: int = 1000, commit: bool = True) -> int:
    """Summarise every finished run again; returns how many. Reads runs in batches, without
    their actions' texts; each batch is committed unless `commit` is False (a migration)."""
    done, last = 0, 0
    kept = set()
    while True:
        found = session.exec(
            select(Run.id, Run.user_id, Run.scenario_id, Run.scenario_digest,
                   Run.guidelines_digest, Run.mode, Run.started_at, Run.finished_at,
                   Run.finished_sim_s, Run.overall, Run.result)
            .where(col(Run.finished_at).is_not(None), col(Run.result).is_not(None),
                   col(Run.id) > last).order_by(col(Run.id)).limit(batch)).all()
        if not found:
            break
        ids = [row.id for row in found]
        last = ids[-1]
        reviews = _last_of(session, RunReview, ids)
        voids = _last_of(session, RunVoid, ids)
        graded = dict(session.exec(
            select(RunAction.run_id, func.count()).where(
                col(RunAction.run_id).in_(ids), col(RunAction.overall).is_not(None))
            .group_by(RunAction.run_id)).all())
        rows = []
        for row in found:
            run = SimpleNamespace(**row._asdict(),
                                  reviews=[reviews[row.id]] if row.id in reviews else [],
                                  voids=[voids[row.id]] if row.id in voids else [],
                                  actions=[SimpleNamespace(overall=1)] * graded.get(row.id, 0))
            rows.append(summary_values(session, run))
        _write(session, rows)
        kept.update(ids)
        done += len(rows)
        if commit:
            session.commit()
    stale = [run_id for (run_id,) in session.exec(select(RunSummary.run_id)).all()
             if run_id not in kept]
    if stale:  # a run no longer finished (edited by hand)
        session.exec(delete(RunSummary).where(col(RunSummary.run_id).in_(stale)))
    if commit:
        session.commit()
    return done


def _last_of(session: Session, model, ids: list[int]) -> dict:
    """The last review (or void decision) of each run, as the relationship orders them."""
    found = {}
    for item in session.exec(select(model).where(col(model.run_id).in_(ids))
                             .order_by(col(model.created_at), col(model.id))).scalars():
        found[item.run_id] = item
    return found


# --------------------------------------------------------------------------- the snapshot


@dataclass(frozen=True)
class Snapshot:
    """Every run summary as arrays (one position per run), as of `revision`."""

    revision: int
    run_id: np.ndarray
    user_id: np.ndarray
    scenario: np.ndarray  # code in `scenarios`
    language: np.ndarray  # code in `languages`
    exam: np.ndarray
    started: np.ndarray  # microseconds since 1970 (UTC)
    finished: np.ndarray
    answered: np.ndarray
    expected: np.ndarray
    early: np.ndarray
    voided: np.ndarray
    reviewed: np.ndarray
    graded: np.ndarray
    scores: np.ndarray  # one column per SCORES; NaN where the run has no such score
    scenarios: tuple[str, ...]
    languages: tuple[str, ...]
    index: np.ndarray = field(repr=False)  # run id -> position (-1: no such run)

    def at(self, run_id: int) -> int:
        """The position of a run, -1 when the snapshot does not have it."""
        return int(self.index[run_id]) if 0 <= run_id < len(self.index) else -1

    @property
    def day(self) -> np.ndarray:
        """The UTC day each run finished, as a date ordinal."""
        return self.finished // _DAY_MICROS + _EPOCH_DAY

    def __len__(self) -> int:
        return len(self.run_id)


_COLUMNS = ("run_id", "user_id", "scenario_id", "language", "mode", "started_at",
            "finished_at", "answered", "expected", "stopped_early", "voided", "reviewed",
            "graded", *SCORES, "revision")
_lock = threading.Lock()
_snapshots: dict[str, Snapshot] = {}


def snapshot(session: Session) -> Snapshot:
    """The run summaries as this process last read them, brought up to date: only the rows
    whose revision moved are read (all of them the first time, or when rows disappeared or
    the database went back to an older revision, as a restored backup does)."""
    key = str(session.get_bind().url)
    with _lock:
        known = _snapshots.get(key)
        latest = session.exec(select(func.max(RunSummary.revision))).one()[0] or 0
        if known is not None and latest == known.revision:
            return known  # nothing written since: one look at an index
        if known is not None and latest < known.revision:
            known = None
        since = known.revision if known is not None else -1
        rows = session.exec(select(*(getattr(RunSummary, name) for name in _COLUMNS))
                            .where(col(RunSummary.revision) > since)).all()
        if known is None:
            found = _arrays(rows, None)
        elif rows:
            found = _arrays(rows, known)
            total = session.exec(select(func.count()).select_from(RunSummary)).one()[0]
            if total != len(found):  # rows went (a rebuild, a database replaced): read all
                found = _arrays(session.exec(select(*(getattr(RunSummary, name)
                                                      for name in _COLUMNS))).all(), None)
        else:
            return known
        _snapshots[key] = found
        return found


def _micros(moment: datetime) -> int:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _arrays(rows, known: Snapshot | None) -> Snapshot:
    """A new snapshot: `known` with `rows` (changed or new summaries) laid over it."""
    scenarios = list(known.scenarios) if known else []
    languages = list(known.languages) if known else []
    codes = {name: index for index, name in enumerate(scenarios)}
    spoken = {name: index for index, name in enumerate(languages)}

    def code(table: dict, names: list, name: str) -> int:
        if name not in table:
            table[name] = len(names)
            names.append(name)
        return table[name]

    fresh = {
        "run_id": [r.run_id for r in rows], "user_id": [r.user_id for r in rows],
        "scenario": [code(codes, scenarios, r.scenario_id) for r in rows],
        "language": [code(spoken, languages, r.language) for r in rows],
        "exam": [r.mode == "exam" for r in rows],
        "started": [_micros(r.started_at) for r in rows],
        "finished": [_micros(r.finished_at) for r in rows],
        "answered": [r.answered for r in rows], "expected": [r.expected for r in rows],
        "early": [r.stopped_early for r in rows], "voided": [r.voided for r in rows],
        "reviewed": [r.reviewed for r in rows], "graded": [r.graded for r in rows]}
    kinds = {"run_id": np.int64, "user_id": np.int64, "scenario": np.int32,
             "language": np.int32, "exam": bool, "started": np.int64, "finished": np.int64,
             "answered": np.int64, "expected": np.int64, "early": bool, "voided": bool,
             "reviewed": bool, "graded": np.int64}
    arrays = {name: np.array(values, dtype=kinds[name]) for name, values in fresh.items()}
    scores = np.array([[np.nan if getattr(r, name) is None else getattr(r, name)
                        for name in SCORES] for r in rows], dtype=float).reshape(-1, len(SCORES))
    revision = max((r.revision for r in rows), default=known.revision if known else 0)
    if known is None:
        return Snapshot(revision, **arrays, scores=scores, scenarios=tuple(scenarios),
                        languages=tuple(languages), index=_index(arrays["run_id"]))
    ids = arrays["run_id"]
    old = np.where(ids < len(known.index), known.index[np.minimum(ids, len(known.index) - 1)],
                   -1) if len(known.index) else np.full(len(ids), -1)
    updated, added = old >= 0, old < 0
    merged = {}
    for name, values in arrays.items():
        column = getattr(known, name).copy()
        column[old[updated]] = values[updated]
        merged[name] = np.concatenate([column, values[added]])
    every = known.scores.copy()
    every[old[updated]] = scores[updated]
    return Snapshot(max(revision, known.revision), **merged,
                    scores=np.concatenate([every, scores[added]]), scenarios=tuple(scenarios),
                    languages=tuple(languages), index=_index(merged["run_id"]))


def _index(run_ids: np.ndarray) -> np.ndarray:
    index = np.full(int(run_ids.max(initial=-1)) + 1, -1, dtype=np.int64)
    index[run_ids] = np.arange(len(run_ids))
    return index
