"""Every trainee's figures on one view of the talent board, computed over the run summaries.

The rules are those of sandbox.evidence and sandbox.talent (which runs count, enough evidence,
the profile's means, the trend, the difficulty-adjusted ability): only the arithmetic is done
over arrays (sandbox.talent_store.Snapshot), for 10,000 people at once, instead of run by run.
A test compares every figure with the run-by-run computation on a generated company.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta

import numpy as np

from sandbox.core.ability import Ability
from sandbox.core.ability_arrays import ArrayFit, fit_columns
from sandbox.evidence import EvidenceRules
from sandbox.talent_filters import BoardQuery
from sandbox.talent_store import SCORES, Snapshot

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Figures:
    """Arrays with one position per person in view (`ids`), and their counted exam runs."""

    ids: np.ndarray
    counted: np.ndarray
    scenarios: np.ndarray  # different scenarios among the counted runs
    practice: np.ndarray
    voided: np.ndarray
    incomplete: np.ndarray
    graded: np.ndarray
    reviewed: np.ndarray
    last_finished: np.ndarray  # microseconds; -1 without a run in view
    means: dict[str, np.ndarray]  # the profile: "overall" and each dimension, rounded
    ability: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]  # estimate, error, runs
    trend_gain: np.ndarray  # of the adjusted trend; NaN under three counted runs
    ranked: np.ndarray
    # the counted runs, person after person, each person's in the order they started
    first_run: np.ndarray  # position of each person's first counted run (and one past the end)
    run_ids: np.ndarray
    run_overall: np.ndarray
    run_adjusted: np.ndarray
    difficulty: dict[int, float]  # by scenario code, from the overall fit
    # what the board derives from these figures, kept with them: ("percentiles",),
    # ("people",) they are of, ("order", column) and ("per person", ...): values by position
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    def trend(self, person: int) -> list[int]:
        return self.run_overall[self.first_run[person]:self.first_run[person + 1]].tolist()

    def adjusted_trend(self, person: int) -> list[int]:
        return self.run_adjusted[self.first_run[person]:self.first_run[person + 1]].tolist()

    def counted_runs(self, person: int) -> list[int]:
        return self.run_ids[self.first_run[person]:self.first_run[person + 1]].tolist()

    def abilities(self, person: int) -> dict[str, Ability]:
        found = {}
        for column, (estimate, error, runs) in self.ability.items():
            if runs[person] > 0:
                found[column] = Ability(float(estimate[person]), float(error[person]),
                                        int(runs[person]))
        return found

    def finished(self, person: int) -> datetime | None:
        moment = int(self.last_finished[person])
        return None if moment < 0 else _EPOCH + timedelta(microseconds=moment)


def positions(ids: np.ndarray, user_ids: np.ndarray) -> np.ndarray:
    """The position in `ids` of each of `user_ids`, -1 for someone not in `ids`."""
    top = int(max(ids.max(initial=0), user_ids.max(initial=0))) + 1
    table = np.full(top, -1, dtype=np.int64)
    table[ids] = np.arange(len(ids))
    return table[user_ids]


def in_view(data: Snapshot, ids: np.ndarray, query: BoardQuery) -> np.ndarray:
    """The runs of the people in view, finished in the period, of the scenario and language."""
    keep = positions(ids, data.user_id) >= 0
    if query.start or query.end:
        day = data.day
        if query.start:
            keep &= day >= query.start.toordinal()
        if query.end:
            keep &= day <= query.end.toordinal()
    if query.scenario:
        keep &= _is(data.scenario, data.scenarios, query.scenario)
    if query.language:
        keep &= _is(data.language, data.languages, query.language)
    return keep


def _is(codes: np.ndarray, names: tuple[str, ...], name: str) -> np.ndarray:
    return codes == names.index(name) if name in names else np.zeros(len(codes), dtype=bool)


def kinds(data: Snapshot, rules: EvidenceRules) -> tuple[np.ndarray, ...]:
    """(counted, practice, voided, incomplete) masks over every run, as evidence_of decides."""
    voided = data.voided
    practice = ~voided & ~data.exam
    share = np.divide(data.answered, data.expected, out=np.ones(len(data)),
                      where=data.expected > 0)
    incomplete = ~voided & data.exam & data.early & (data.expected > 0) \
        & (share < rules.min_answered_share)
    counted = ~voided & data.exam & ~incomplete
    return counted, practice, voided, incomplete


CACHE_SIZE = 4  # views kept per process: paging, sorting and opening people reuse one
_cache: OrderedDict[tuple, tuple[Snapshot, "Figures"]] = OrderedDict()
_cache_lock = threading.Lock()


def figures(data: Snapshot, ids: list[int], query: BoardQuery, rules: EvidenceRules
            ) -> Figures:
    """The figures of each person of `ids` (the trainees in view) over their runs in view.
    Kept for the same snapshot (nothing written since), people, filters and rules: turning
    the board's pages or opening a person computes them once. After a write that leaves the
    counted runs and their scores as they were (a review confirming a score, a practice run
    finished), only the people of the runs that changed are counted again (`derive`)."""
    people = np.asarray(ids, dtype=np.int64)
    key = (rules, query.cohort, query.start, query.end, query.scenario, query.language,
           people.tobytes())
    with _cache_lock:
        kept = _cache.get(key)
        if kept is not None:
            _cache.move_to_end(key)
    if kept is not None and kept[0] is data:
        return kept[1]
    found = None
    if kept is not None and data.parent >= 0 and kept[0].revision == data.parent:
        found = derive(kept[0], kept[1], data, query, rules)
    if found is None:
        found = _figures(data, people, query, rules)
    with _cache_lock:
        _cache[key] = (data, found)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def derive(before: Snapshot, known: Figures, data: Snapshot, query: BoardQuery,
           rules: EvidenceRules) -> Figures | None:
    """The figures over `data` from `known` (the same view over `before`, the snapshot `data`
    was made from), when the runs that changed (`data.changed`) are counted exactly as before,
    with the same scores, scenario and start: the ability model's observations are the same,
    so only the counts of those runs' people are made again (identical to computing every
    figure anew). None when a counted run came, went or changed: the model is fitted again."""
    people = known.ids
    changed = data.changed
    now = data.take(changed)
    was = before.take(changed[changed < len(before)])
    counted_now = kinds(now, rules)[0] & in_view(now, people, query)
    counted_was = np.zeros(len(now), dtype=bool)
    counted_was[:len(was)] = kinds(was, rules)[0] & in_view(was, people, query)
    if not np.array_equal(counted_now, counted_was):
        return None
    both = counted_was[:len(was)]
    for name in ("run_id", "user_id", "scenario", "started", "scores"):
        if not np.array_equal(getattr(now, name)[:len(was)][both], getattr(was, name)[both],
                              equal_nan=True):
            return None
    users = np.unique(np.concatenate([now.user_id, was.user_id]))
    at = positions(people, users)
    at = at[at >= 0]
    if not len(at):
        return known
    theirs = data.take(np.flatnonzero(np.isin(data.user_id, people[at])))
    fresh = _counts(theirs, people, query, rules)
    found = replace(known, **{name: _laid(getattr(known, name), values, at)
                              for name, values in fresh.items()})
    # the percentiles and orders stand (of the columns, only the replies count what changed);
    # what is kept per person stands for everyone else
    same = np.array_equal(found.graded[at], known.graded[at])
    found.memo = {key: _without(value, at) if key[0] == "per person" else value
                  for key, value in list(known.memo.items())
                  if same or key[:2] != ("order", "replies")}
    return found


def _without(kept: dict, at: np.ndarray) -> dict:
    """A copy of `kept` (values by position) without the positions `at`."""
    found = dict(kept)
    for position in at.tolist():
        found.pop(position, None)
    return found


def _laid(column: np.ndarray, values: np.ndarray, at: np.ndarray) -> np.ndarray:
    """`column` with the values of the positions `at` taken from `values`."""
    copy = column.copy()
    copy[at] = values[at]
    return copy


def _runs_in_view(data: Snapshot, people: np.ndarray, query: BoardQuery, rules: EvidenceRules
                  ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """(runs in view, each run's person as a position in `people`, and the kinds' masks over
    the runs in view: counted, practice, voided, incomplete)."""
    keep = in_view(data, people, query)
    where = positions(people, data.user_id)
    return keep, where, tuple(mask & keep for mask in kinds(data, rules))


def _counts(data: Snapshot, people: np.ndarray, query: BoardQuery, rules: EvidenceRules,
            sorted_out: tuple | None = None) -> dict[str, np.ndarray]:
    """What each person of `people` has besides the counted runs' scores: their runs by kind,
    the graded replies and reviews of the counted ones, when the last run in view finished.
    `sorted_out`: what _runs_in_view gives, when the caller has it already."""
    size = len(people)
    keep, where, (counted, practice, voided, incomplete) = \
        sorted_out or _runs_in_view(data, people, query, rules)

    shifted = where + 1  # 0: someone not in view, whose runs no mask keeps

    def per_person(mask: np.ndarray, weights=None) -> np.ndarray:
        # whole numbers summed as floats: exact, and no copy of the runs each mask keeps
        found = np.bincount(shifted, weights=mask if weights is None else mask * weights,
                            minlength=size + 1)[1:]
        return found.astype(np.int64)

    last = np.full(size, -1, dtype=np.int64)
    np.maximum.at(last, where[keep], data.finished[keep])
    return {"practice": per_person(practice), "voided": per_person(voided),
            "incomplete": per_person(incomplete), "graded": per_person(counted, data.graded),
            "reviewed": per_person(counted, data.reviewed.astype(np.int64)),
            "last_finished": last}


def _figures(data: Snapshot, people: np.ndarray, query: BoardQuery, rules: EvidenceRules
             ) -> Figures:
    size = len(people)
    sorted_out = _runs_in_view(data, people, query, rules)
    where, counted = sorted_out[1], sorted_out[2][0]  # each run's person, as a position
    # the counted runs, person after person, in the order they started (then by id)
    chosen = np.flatnonzero(counted)
    chosen = chosen[np.lexsort((data.run_id[chosen], data.started[chosen], where[chosen]))]
    person, scenario = where[chosen], data.scenario[chosen].astype(np.int64)
    scores = data.scores[chosen]
    tally = np.bincount(person, minlength=size)
    first_run = np.concatenate([[0], np.cumsum(tally)])
    kinds_seen = max(1, len(data.scenarios))
    played = np.bincount(person * kinds_seen + scenario, minlength=size * kinds_seen)
    spread = (played.reshape(size, kinds_seen) > 0).sum(axis=1)  # different scenarios each
    with np.errstate(invalid="ignore", divide="ignore"):
        means = {name: np.rint(np.bincount(person, weights=np.nan_to_num(scores[:, number]),
                                           minlength=size) / tally)
                 for number, name in enumerate(SCORES)}
    ability, difficulty = {}, {}
    every = fit_every_column(person, scenario, scores, people=size,
                             scenarios=len(data.scenarios))
    for name, fitted in zip(SCORES, every, strict=True):
        estimate, error, runs = np.full(size, np.nan), np.full(size, np.nan), \
            np.zeros(size, dtype=np.int64)
        estimate[fitted.people], error[fitted.people] = fitted.estimate, fitted.error
        runs[fitted.people] = fitted.runs
        ability[name] = (estimate, error, runs)
        if name == "overall":
            difficulty = fitted.difficulties()
    lookup = np.zeros(max(1, len(data.scenarios)))
    for code, value in difficulty.items():
        lookup[code] = value
    adjusted = np.rint(scores[:, 0] + lookup[scenario]) if len(scenario) else np.zeros(0)
    enough = (tally >= rules.min_exam_runs) & (spread >= rules.min_scenarios) & (tally > 0)
    counts = _counts(data, people, query, rules, sorted_out)
    return Figures(people, tally, spread, counts["practice"], counts["voided"],
                   counts["incomplete"], counts["graded"], counts["reviewed"],
                   counts["last_finished"], means, ability, _trend_gains(adjusted, first_run),
                   enough, first_run, data.run_id[chosen], scores[:, 0].astype(np.int64),
                   adjusted.astype(np.int64), difficulty)


def fit_every_column(person: np.ndarray, scenario: np.ndarray, scores: np.ndarray, *,
                     people: int, scenarios: int, solve=fit_columns) -> list[ArrayFit]:
    """The ability model of each score column, each over the runs that have that score (all
    four columns in one go when every run has every score, as they usually do). `solve`:
    fit_columns (the iteration of ability.fit) or solve_columns (its end point, directly)."""
    missing = np.isnan(scores)
    if not missing.any():
        return solve(person, scenario, scores, people=people, scenarios=scenarios)
    return [solve(person[~missing[:, c]], scenario[~missing[:, c]],
                  scores[~missing[:, c], c][:, None], people=people, scenarios=scenarios)[0]
            for c in range(scores.shape[1])]


def _trend_gains(values: np.ndarray, first_run: np.ndarray) -> np.ndarray:
    """talent.trend_gain of each person's slice of `values`: the mean of the latest third
    minus the mean of the first third, rounded; NaN under three values."""
    total = np.concatenate([[0.0], np.cumsum(values)])
    start, end = first_run[:-1], first_run[1:]
    count = end - start
    size = np.maximum(1, count // 3)
    first = (total[np.minimum(start + size, end)] - total[start]) / size
    last = (total[end] - total[np.maximum(end - size, start)]) / size
    gains = np.rint(last - first)
    gains[count < 3] = np.nan
    return gains
