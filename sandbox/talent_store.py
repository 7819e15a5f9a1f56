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

import json
import threading
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

import numpy as np
from sqlalchemy import delete, func, insert, select, text
from sqlmodel import Session, col

from sandbox.db import lock_for_writing
from sandbox.models import Run, RunAction, RunReview, RunSummary, RunVoid

SCORES = ("overall", "agility", "coherence", "efficiency")
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
                   Run.finished_sim_s, Run.overall)
            .where(col(Run.finished_at).is_not(None), col(Run.result).is_not(None),
                   col(Run.id) > last).order_by(col(Run.id)).limit(batch)).all()
        if not found:
            break
        ids = [row.id for row in found]
        last = ids[-1]
        results = _results(session, ids)
        reviews = _last_of(session, RunReview, ids)
        voids = _last_of(session, RunVoid, ids)
        graded = dict(session.exec(
            select(RunAction.run_id, func.count()).where(
                col(RunAction.run_id).in_(ids), col(RunAction.overall).is_not(None))
            .group_by(RunAction.run_id)).all())
        rows = []
        for row in found:
            run = SimpleNamespace(**row._asdict(), result=results[row.id],
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


_PARTS = {  # what a summary reads of a result, as JSON text, without the rest of it
    "sqlite": "SELECT id, json_type(result), result -> 'verdict', result -> 'dimensions', "
              "json_type(result, '$.events'), (SELECT json_group_array(json(value -> 'missed')) "
              "FROM json_each(run.result, '$.events')) FROM run WHERE id IN ({ids})",
    "postgresql": "SELECT id, json_typeof(result), (result -> 'verdict')::text, "
                  "(result -> 'dimensions')::text, json_typeof(result -> 'events'), "
                  "(SELECT json_agg(e -> 'missed')::text FROM json_array_elements("
                  "CASE WHEN json_typeof(result -> 'events') = 'array' "
                  "THEN result -> 'events' END) e) FROM run WHERE id IN ({ids})"}


def _results(session: Session, ids: list[int]) -> dict[int, dict]:
    """The parts of each run's result that its summary reads (the verdict, the dimensions and
    whether each event was missed), by run id: a result holds every reply's findings (about
    70 kB), which the database reads faster than Python parses. Other databases, and a result
    that is not an object with a list of events, are parsed whole."""
    query = _PARTS.get(session.get_bind().dialect.name)
    found: dict[int, dict] = {}
    if query is not None:
        listed = ", ".join(str(int(run_id)) for run_id in ids)
        for run_id, kind, verdict, dimensions, events, missed in session.connection().execute(
                text(query.format(ids=listed))):
            if kind != "object" or events not in (None, "array"):
                continue
            result = {name: json.loads(value) for name, value
                      in (("verdict", verdict), ("dimensions", dimensions)) if value is not None}
            if events is not None:
                result["events"] = [{"missed": flag} for flag in json.loads(missed or "[]")]
            found[run_id] = result
    rest = [run_id for run_id in ids if run_id not in found]
    if rest:
        found.update(session.exec(select(Run.id, Run.result)
                                  .where(col(Run.id).in_(rest))).all())
    return found


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
    # what changed since the snapshot this one was made from (revision `parent`, -1: none):
    # the positions of the runs changed or added (added runs come last)
    parent: int = -1
    changed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64),
                                repr=False)

    _RUN_ARRAYS = ("run_id", "user_id", "scenario", "language", "exam", "started", "finished",
                   "answered", "expected", "early", "voided", "reviewed", "graded", "scores")

    def take(self, chosen: np.ndarray) -> "Snapshot":
        """The runs at the positions `chosen` only, as a snapshot of their own (without an
        index): what the figures of a few people are computed from."""
        return Snapshot(self.revision, **{name: getattr(self, name)[chosen]
                                          for name in self._RUN_ARRAYS},
                        scenarios=self.scenarios, languages=self.languages,
                        index=np.zeros(0, dtype=np.int64))

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
        rows = _read(session, known.revision if known is not None else -1)
        if known is None:
            found = _arrays(rows, None)
        elif len(rows["run_id"]):
            found = _arrays(rows, known)
            total = session.exec(select(func.count()).select_from(RunSummary)).one()[0]
            if total != len(found):  # rows went (a rebuild, a database replaced): read all
                found = _arrays(_read(session, -1), None)
        else:
            return known
        _snapshots[key] = found
        return found


def _read(session: Session, since: int) -> dict[str, np.ndarray]:
    """The summaries of a revision after `since`, one array per column of _COLUMNS (times as
    microseconds since 1970, UTC). Read as the driver gives them, without making a Python
    object per value: the first read at 10,000 trainees is 200,000 rows."""
    postgres = session.get_bind().dialect.name == "postgresql"
    names = ", ".join(f"CAST(ROUND(EXTRACT(EPOCH FROM {name}) * 1000000) AS BIGINT)"
                      if postgres and name.endswith("_at") else name for name in _COLUMNS)
    found = session.connection().execute(
        text(f"SELECT {names} FROM run_summary WHERE revision > :since"),
        {"since": since}).all()
    columns = list(zip(*found, strict=True)) if found else [()] * len(_COLUMNS)
    read = {}
    for name, values in zip(_COLUMNS, columns, strict=True):
        if name.endswith("_at") and not postgres:  # SQLite keeps "2026-12-06 09:05:42.551979"
            values = np.array(values, dtype="datetime64[us]").astype(np.int64)
        read[name] = np.array(values, dtype=_KINDS.get(name, object))
    return read


_KINDS = {"run_id": np.int64, "user_id": np.int64, "started_at": np.int64,
          "finished_at": np.int64, "answered": np.int64, "expected": np.int64,
          "stopped_early": bool, "voided": bool, "reviewed": bool, "graded": np.int64,
          "revision": np.int64, **dict.fromkeys(SCORES, float)}  # a score missing: NaN


def _codes(names: list[str], values: np.ndarray) -> np.ndarray:
    """The code of each of `values` in `names` (which gains the names it did not have)."""
    table = {name: index for index, name in enumerate(names)}
    for name in dict.fromkeys(values.tolist()):
        if name not in table:
            table[name] = len(names)
            names.append(name)
    return np.array([table[name] for name in values.tolist()], dtype=np.int32)


def _arrays(rows: dict[str, np.ndarray], known: Snapshot | None) -> Snapshot:
    """A new snapshot: `known` with `rows` (changed or new summaries, as _read gives them)
    laid over it."""
    scenarios = list(known.scenarios) if known else []
    languages = list(known.languages) if known else []
    arrays = {"run_id": rows["run_id"], "user_id": rows["user_id"],
              "scenario": _codes(scenarios, rows["scenario_id"]),
              "language": _codes(languages, rows["language"]),
              "exam": rows["mode"] == "exam", "started": rows["started_at"],
              "finished": rows["finished_at"], "answered": rows["answered"],
              "expected": rows["expected"], "early": rows["stopped_early"],
              "voided": rows["voided"], "reviewed": rows["reviewed"], "graded": rows["graded"]}
    scores = np.column_stack([rows[name] for name in SCORES]).reshape(-1, len(SCORES))
    revision = int(rows["revision"].max(initial=known.revision if known else 0))
    if known is None:
        return Snapshot(revision, **arrays, scores=scores, scenarios=tuple(scenarios),
                        languages=tuple(languages), index=_index(arrays["run_id"]))
    ids = arrays["run_id"]
    old = np.where(ids < len(known.index), known.index[np.minimum(ids, len(known.index) - 1)],
                   -1) if len(known.index) else np.full(len(ids), -1)
    updated, added = old >= 0, old < 0
    at, fresh = old[updated], np.flatnonzero(added)
    merged = {}
    for name, values in {**arrays, "scores": scores}.items():
        column = getattr(known, name)
        if not len(fresh) and np.array_equal(column[at], values[updated], equal_nan=True):
            merged[name] = column  # a review moves a score, not when the run started
            continue
        column = column.copy()
        column[at] = values[updated]
        merged[name] = np.concatenate([column, values[added]])
    changed = np.concatenate([at, len(known) + np.arange(len(fresh))]).astype(np.int64)
    return Snapshot(max(revision, known.revision), **merged, scenarios=tuple(scenarios),
                    languages=tuple(languages),
                    index=known.index if not len(fresh) else _index(merged["run_id"]),
                    parent=known.revision, changed=np.unique(changed))


def _index(run_ids: np.ndarray) -> np.ndarray:
    index = np.full(int(run_ids.max(initial=-1)) + 1, -1, dtype=np.int64)
    index[run_ids] = np.arange(len(run_ids))
    return index
