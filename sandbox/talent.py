"""HR's talent board: every trainee's A.C.E. profile over their exam runs, compared.

Only the evidence counts (sandbox.evidence): exam runs that were neither voided by a trainer nor
abandoned early. The board reads the run summaries (sandbox.talent_store) and computes its
figures over arrays (sandbox.talent_figures); a person's page also reads their runs. Practice
runs are shown beside them and never enter a percentile or a flag.
Each figure counts the score that stands for a run (a trainer's review, else the scorer's, see
`reviews.standing`), and the board says how much of it a trainer has reviewed. Below the
minimum of evidence a person is not ranked: the board says "not enough evidence". Flags are
simple, explained rules, never a verdict on a person.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from statistics import median
from typing import NamedTuple

import numpy as np
from sqlalchemy import Row
from sqlalchemy.orm import lazyload
from sqlmodel import Session, col, select

from sandbox import talent_store
from sandbox.core.ability import Ability
from sandbox.core.ability_arrays import abilities_over_time, solve_columns
from sandbox.core.scoring.results import ROLES
from sandbox.evidence import (
    COUNTED,
    INCOMPLETE,
    PRACTICE,
    VOIDED,
    EvidenceRules,
    RunEvidence,
    Sufficiency,
    evidence_of,
    sufficiency,
)
from sandbox.models import CohortMember, Run, RunSummary, User, UserRole
from sandbox.profile import DIMENSIONS, Profile, profile_of
from sandbox.reviews import Standing, standing
from sandbox.talent_figures import Figures, figures, fit_every_column, kinds, positions
from sandbox.talent_filters import PAGE_SIZE, BoardQuery, pages

RISING_GAIN = 10  # points between the mean of the first runs and of the latest ones
STEADY_SPREAD = 8  # at most this many points between a trainee's runs...
STEADY_RUNS = 3  # ...over at least this many runs
STEADY_FLOOR = 50  # ...none below this: steadily failing is not a strength
TOP_PERCENTILE = 80
TOP_POPULATION = 5  # "top 20%" of fewer people than this says nothing


@dataclass(frozen=True)
class Flag:
    label: str
    why: str  # the rule and the figures, in words shown next to the flag
    evidence: str  # what it rests on ("4 counted exam runs on 3 scenarios")


class Person(NamedTuple):
    """Who a row of the board is about."""

    id: int
    name: str
    email: str


@dataclass
class TalentRow:
    """One trainee on the board. On the board, `runs` are the ids of the counted exam runs; on
    a person's page they are the runs themselves, with everything not counted beside them."""

    user: Person | User
    profile: Profile  # over the counted runs only
    runs: list  # counted exam runs, oldest first
    graded_replies: int  # in the counted runs
    sufficiency: Sufficiency
    scores: list[Standing] = field(default_factory=list)  # of `runs`, on a person's page
    reviewed: int = 0  # counted runs a trainer has reviewed
    practice: int = 0  # runs not counted, by reason
    voided: int = 0
    incomplete: int = 0
    last_finished: datetime | None = None  # of any run in view
    uncounted: list[Run] = field(default_factory=list)  # practice, voided, incomplete
    evidence: dict[int, RunEvidence] = field(default_factory=dict)  # every run's, by run id
    percentiles: dict[str, int] = field(default_factory=dict)  # overall and each dimension
    flags: list[Flag] = field(default_factory=list)
    # difficulty-adjusted ability (sandbox.core.ability), overall and each dimension
    ability: dict[str, Ability] = field(default_factory=dict)
    adjusted_trend: list[int] = field(default_factory=list)  # overall + scenario difficulty
    history: list["BandPoint"] = field(default_factory=list)  # on the person's page only

    @property
    def ranked(self) -> bool:
        return self.sufficiency.enough and bool(self.runs)

    @property
    def all_runs(self) -> list[Run]:
        """Every finished run in view, newest first."""
        return sorted([*self.runs, *self.uncounted], key=lambda run: run.started_at,
                      reverse=True)

    def value(self, column: str) -> float:
        """The number a column of the board sorts by: the difficulty-adjusted estimate when
        there is one, else the mean."""
        if column in self.ability:
            return self.ability[column].estimate
        if column == "overall":
            return -1 if self.profile.overall is None else self.profile.overall
        if column in DIMENSIONS:
            return self.profile.dimensions.get(column, -1)
        if column == "replies":
            return self.graded_replies
        if column == "runs":
            return len(self.runs)
        if column == "trend":
            return trend_gain(self.adjusted_trend or self.profile.trend) or 0
        return 0


COLUMNS = ("overall", *DIMENSIONS, "trend", "runs", "replies")


def percentile(value: float, population: list[float]) -> int:
    """The share of `population` (sorted) below `value`, counting ties as half (0-100)."""
    if not population:
        return 0
    below = bisect_left(population, value)
    ties = bisect_right(population, value) - below
    return round(100 * (below + ties / 2) / len(population))


def trend_gain(trend: list[int]) -> int | None:
    """Mean of the latest third of the runs minus the mean of the first third (3+ runs)."""
    if len(trend) < 3:
        return None
    size = max(1, len(trend) // 3)
    first, last = trend[:size], trend[-size:]
    return round(sum(last) / len(last) - sum(first) / len(first))


def flags_for(row: TalentRow, ranked: int, middle: dict[str, float] | None = None
              ) -> list[Flag]:
    """The flags of a row with enough evidence, among `ranked` people with enough of it.
    A "top" flag needs TOP_POPULATION people to compare with (the top 20% of three says
    nothing), and a 95% band wholly above the `middle` (the median estimate) of the board: a
    point estimate in the top fifth whose band reaches down to the middle is not told apart."""
    if not row.ranked:
        return []
    found = []
    basis = row.sufficiency.summary
    compared = ranked >= TOP_POPULATION
    middle = middle or {}

    def clear(column: str) -> bool:
        ability = row.ability.get(column)
        return ability is None or column not in middle or ability.low > middle[column]

    gain = trend_gain(row.adjusted_trend or row.profile.trend)
    if gain is not None and gain >= RISING_GAIN:
        found.append(Flag("rising", f"+{gain} points from the first exam runs to the latest, "
                                    f"allowing for each scenario's difficulty ({RISING_GAIN} or "
                                    f"more needed)", basis))
    if compared and row.percentiles.get("overall", 0) >= TOP_PERCENTILE and clear("overall"):
        found.append(Flag("top 20%", f"overall above {row.percentiles['overall']}% of the "
                                     f"{ranked} trainees with enough evidence, its band clear "
                                     f"of the middle", basis))
    trend = row.profile.trend
    if len(trend) >= STEADY_RUNS and max(trend) - min(trend) <= STEADY_SPREAD \
            and min(trend) >= STEADY_FLOOR:
        spread = max(trend) - min(trend)
        found.append(Flag("steady", f"every exam run within {spread} point{'s' * (spread != 1)} "
                                    f"({STEADY_SPREAD} or fewer needed), none under "
                                    f"{STEADY_FLOOR}", basis))
    strengths = [d for d in DIMENSIONS
                 if row.percentiles.get(d, 0) >= TOP_PERCENTILE and clear(d)]
    if compared and strengths:
        label = "strong A.C.E." if len(strengths) == len(DIMENSIONS) else \
            "strong " + " & ".join(strengths)
        found.append(Flag(label, f"top 20% of the {ranked} trainees with enough evidence on "
                          + ", ".join(strengths), basis))
    return found


@dataclass
class Board:
    """One view of the board: every trainee in it in order, and the page shown. Rows are made
    when asked for: the page's 25, or all of them for the export."""

    query: BoardQuery
    page: int
    pages: int
    rules: EvidenceRules
    ranked: int  # people with enough evidence to compare
    people: list[Row]  # everyone in view, by id: (id, name, email), as Person reads them
    sort: Callable[[], list[int]] = field(repr=False)
    make: Callable[[int], TalentRow] = field(repr=False)
    # what is kept with the view's figures for these people (talent_figures.Figures.memo)
    memo: dict = field(repr=False, default_factory=dict)

    @cached_property
    def order(self) -> list[int]:
        """Positions in `people`, best first (sorted when first asked: a person's page does
        not need the order)."""
        return self.sort()

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def shown(self) -> list[TalentRow]:
        return [self.make(at) for at in self.order[(self.page - 1) * PAGE_SIZE:
                                                    self.page * PAGE_SIZE]]

    def every_row(self) -> Iterator[TalentRow]:
        """Every row in order, one at a time (the export streams them)."""
        return (self.make(at) for at in self.order)

    def every_line(self, line: Callable[[TalentRow], str]) -> Iterator[str]:
        """Every row in order as `line` writes it. The lines are kept with the figures, per
        person: the next export writes only the lines of people whose runs changed since
        (talent_figures.derive forgets theirs), or every line after the model moved."""
        kept = self.memo.setdefault(("per person", line), {})
        for at in self.order:
            text = kept.get(at)
            if text is None:
                text = kept[at] = line(self.make(at))
            yield text

    @property
    def rows(self) -> list[TalentRow]:
        return list(self.every_row())


def trainees_in_view(session: Session, cohort: int | None = None) -> list[Row]:
    """Every active trainee (of the cohort), by id: rows of (id, name, email), each read as a
    Person (a board of 10,000 makes a Person only of the rows it shows)."""
    people = (select(User.id, User.name, User.email).join(UserRole)
              .where(UserRole.role == "trainee", col(User.is_active)))
    if cohort is not None:
        people = people.join(CohortMember, col(CohortMember.user_id) == col(User.id)).where(
            CohortMember.cohort_id == cohort)
    return session.connection().execute(people.order_by(col(User.id))).all()


def board(session: Session, *, query: BoardQuery | None = None,
          rules: EvidenceRules | None = None) -> Board:
    """Every active trainee in view, with percentiles and flags among those with enough
    evidence, sorted by `query.sort` (best first; people without enough evidence last)."""
    query = query or BoardQuery()
    rules = rules or EvidenceRules()
    people = trainees_in_view(session, query.cohort)
    found = figures(talent_store.snapshot(session), [p.id for p in people], query, rules)
    ranked = np.flatnonzero(found.ranked)
    percentiles, middle = _percentiles(found, ranked)
    rank = np.full(len(people), -1)
    rank[ranked] = np.arange(len(ranked))
    column = query.sort if query.sort in COLUMNS else "overall"

    # who they are, in one string to compare: each name after its length, each e-mail (which
    # never holds a control character) ended by one
    _same_people(found.memo, "".join([f"{len(name)}.{name}{email}\x1f"
                                      for _, name, email in people]))

    def sort() -> list[int]:
        # kept with the figures: after a review that leaves the scores as they were, and on
        # every page of the board, the order is not sorted again
        key = ("order", column)
        if key not in found.memo:
            found.memo[key] = _order(found, column, [name for _, name, _ in people])
        return found.memo[key]

    def make(at: int) -> TalentRow:
        row = _row_of(found, at, Person._make(people[at]), rules)
        if rank[at] >= 0:
            row.percentiles = {name: int(numbers[rank[at]])
                               for name, numbers in percentiles.items()}
            row.flags = flags_for(row, len(ranked), middle)
        return row

    page, count = pages(len(people), query.page)
    return Board(query, page, count, rules, len(ranked), people, sort, make, found.memo)


def _same_people(memo: dict, who: str) -> None:
    """The orders and lines kept with the figures are of these people's names and e-mails:
    after someone was renamed they are made again."""
    if memo.get(("people",)) != who:
        for key in list(memo):
            if key[0] in ("order", "per person"):
                memo.pop(key, None)
        memo["people",] = who


def _percentiles(found: Figures, ranked: np.ndarray
                 ) -> tuple[dict[str, np.ndarray], dict[str, float]]:
    """Each ranked person's percentile per column, and each column's median estimate (kept
    with the figures)."""
    if ("percentiles",) not in found.memo:
        percentiles, middle = {}, {}
        for column in ("overall", *DIMENSIONS):
            values = _values(found, column)[ranked]
            population = np.sort(values)
            below = np.searchsorted(population, values, side="left")
            ties = np.searchsorted(population, values, side="right") - below
            if len(population):
                percentiles[column] = np.rint(100 * (below + ties / 2) / len(population))
                middle[column] = median(population.tolist())
        found.memo["percentiles",] = percentiles, middle
    return found.memo["percentiles",]


def _order(found: Figures, column: str, names: list[str]) -> list[int]:
    """Positions of the people, best first: (not ranked, -value if ranked else 0, name in lower
    case, id), the last key first for lexsort; names compare by code point as Python's str
    does."""
    if not names:
        return []
    return np.lexsort((found.ids, np.array([name.lower() for name in names], dtype=str),
                       np.where(found.ranked, -_values(found, column), 0.0),
                       ~found.ranked)).tolist()


def warm_up(session: Session, *, rules: EvidenceRules) -> None:
    """Read the run summaries and compute the whole board in this process, as its first request
    would (`sandbox serve` does it once before its workers fork: they start with it)."""
    board(session, rules=rules).order  # noqa: B018  (sorted once, as the board's first page)


def _values(found: Figures, column: str) -> np.ndarray:
    """TalentRow.value of every person at once."""
    if column in found.ability:
        estimate, _, runs = found.ability[column]
        fallback = np.nan_to_num(found.means[column], nan=-1.0)
        return np.where(runs > 0, estimate, fallback)
    if column == "replies":
        return found.graded.astype(float)
    if column == "runs":
        return found.counted.astype(float)
    if column == "trend":
        return np.nan_to_num(found.trend_gain, nan=0.0)
    return np.zeros(len(found.ids))


def _row_of(found: Figures, at: int, who: Person, rules: EvidenceRules) -> TalentRow:
    """The row of one person, from the figures of the view."""
    counted = int(found.counted[at])
    trend = found.trend(at)
    profile = Profile(runs=counted, trend=trend,
                      dimensions={d: int(found.means[d][at]) for d in DIMENSIONS} if counted
                      else {}, overall=int(found.means["overall"][at]) if counted else None)
    return TalentRow(user=who, profile=profile, runs=found.counted_runs(at),
                     graded_replies=int(found.graded[at]),
                     sufficiency=Sufficiency(counted, int(found.scenarios[at]), rules),
                     reviewed=int(found.reviewed[at]), practice=int(found.practice[at]),
                     voided=int(found.voided[at]), incomplete=int(found.incomplete[at]),
                     last_finished=found.finished(at), ability=found.abilities(at),
                     adjusted_trend=found.adjusted_trend(at))


def person(session: Session, user_id: int, *, rules: EvidenceRules | None = None
           ) -> tuple[TalentRow | None, int]:
    """One trainee's row as the whole board ranks it (with its bands over time and every run
    with its evidence), and how many people it ranks."""
    rules = rules or EvidenceRules()
    whole = board(session, rules=rules)
    position = bisect_left(whole.people, user_id, key=lambda who: who[0])
    if position == len(whole.people) or whole.people[position][0] != user_id:
        return None, whole.ranked
    ranked = whole.make(position)
    user = session.get(User, user_id)
    finished = list(session.exec(
        select(Run).where(Run.user_id == user_id, col(Run.finished_at).is_not(None),
                          col(Run.result).is_not(None))
        .order_by(col(Run.started_at), col(Run.id))
        .options(lazyload(Run.actions))))  # the page counts graded replies from the summaries
    row = _full_row(session, user, finished, rules)
    row.percentiles, row.flags, row.ability = ranked.percentiles, ranked.flags, ranked.ability
    row.adjusted_trend = ranked.adjusted_trend
    # kept with the board's figures: the same until this person's runs or the model change
    kept = whole.memo.setdefault(("per person", "bands over time"), {})
    if position not in kept:
        kept[position] = bands_by_run(session, row, rules, [who[0] for who in whole.people])
    bands = kept[position]
    row.history = [BandPoint(run, bands[run.id])
                   for run in sorted(row.runs, key=lambda run: run.finished_at)
                   if run.id in bands]
    return row, whole.ranked


def _full_row(session: Session, user: User, finished: list[Run], rules: EvidenceRules
              ) -> TalentRow:
    """A person's row from their runs themselves, each with its evidence (their page)."""
    evidence = {run.id: evidence_of(session, run, rules) for run in finished}
    counted = [run for run in finished if evidence[run.id].kind == COUNTED]
    uncounted = [run for run in finished if evidence[run.id].kind != COUNTED]
    scores = [s for s in map(standing, counted) if s]
    # the replies the scorer graded, as each run's summary counted them (not every action read)
    graded = sum(session.exec(select(RunSummary.graded).where(
        col(RunSummary.run_id).in_([run.id for run in counted]))).all())

    def kind(name: str) -> int:
        return sum(1 for run in uncounted if evidence[run.id].kind == name)

    return TalentRow(user=user, profile=profile_of(counted), runs=counted, scores=scores,
                     graded_replies=graded, sufficiency=sufficiency(counted, rules),
                     reviewed=sum(1 for score in scores if score.reviewed),
                     practice=kind(PRACTICE), voided=kind(VOIDED), incomplete=kind(INCOMPLETE),
                     last_finished=max((run.finished_at for run in finished), default=None),
                     uncounted=uncounted, evidence=evidence)


@dataclass(frozen=True)
class BandPoint:
    """A person's difficulty-adjusted abilities right after one of their counted exam runs."""

    run: Run
    ability: dict[str, Ability]


def bands_by_run(session: Session, row: TalentRow, rules: EvidenceRules, ids: list[int]
                 ) -> dict[int, dict[str, Ability]]:
    """After each of the row's counted exam runs, by run id, its ability per column as the
    board would have estimated it then: the model fitted on every counted run of the board's
    trainees (`ids`, ascending) finished by that moment. One fit per run: each is solved
    directly (core.ability_arrays.abilities_over_time), which agrees with the board's
    iteration to about 1e-7 points and spares a person with 20 exams 20 iterated fits.
    A run finished since the snapshot was read is left out (its band comes on the next
    request)."""
    data = talent_store.snapshot(session)
    people = np.asarray(ids, dtype=np.int64)
    where = positions(people, data.user_id)
    chosen = np.flatnonzero(kinds(data, rules)[0] & (where >= 0))
    chosen = chosen[np.argsort(data.finished[chosen], kind="stable")]
    finished = data.finished[chosen]
    person, scenario = where[chosen], data.scenario[chosen].astype(np.int64)
    me = int(positions(people, np.array([row.user.id]))[0])
    # a run finished since the snapshot was read gets its band on the next request
    mine = sorted((run for run in row.runs if data.at(run.id) >= 0),
                  key=lambda run: run.finished_at)
    # how many counted runs had finished when each of mine did (those at the same moment too)
    ends = [int(np.searchsorted(finished, data.finished[data.at(run.id)], "right"))
            for run in mine]
    scores, moments = data.scores[chosen], sorted(set(ends))
    if not np.isnan(scores).any():  # as usual: every run has every score
        fitted = dict(zip(moments, abilities_over_time(
            person, scenario, scores, me=me, ends=moments, people=len(people),
            scenarios=len(data.scenarios)), strict=True))
    else:
        fitted = {end: [fit.ability_of(me) for fit in fit_every_column(
            person[:end], scenario[:end], scores[:end], people=len(people),
            scenarios=len(data.scenarios), solve=solve_columns)] for end in set(ends)}
    found: dict[int, dict[str, Ability]] = {}
    for run, seen in zip(mine, ends, strict=True):
        found[run.id] = {}
        for number, column in enumerate(("overall", *DIMENSIONS)):
            if not np.isnan(data.scores[data.at(run.id), number]):
                found[run.id][column] = fitted[seen][number]
    return found


@dataclass(frozen=True)
class Evidence:
    """How a trainee does on one criterion over their runs, with the instance behind it."""

    criterion: str
    mean: int
    count: int
    score: int  # of the instance shown: the best for a strength, the worst for a gap
    findings: tuple[str, ...]  # what the scorer said about that instance
    run_id: int


def evidence(runs: list[Run], *, size: int = 3) -> tuple[list[Evidence], list[Evidence]]:
    """(strengths, gaps): the criteria with the highest and the lowest mean over the graded
    events of `runs`, each with the findings of its best (or worst) instance. Strengths only
    name criteria that measure what a reply delivers, never a hygiene check."""
    seen: dict[str, list[tuple[int, tuple[str, ...], int]]] = {}
    for run in runs:
        for event in (run.result or {}).get("events", []):
            for criterion in event["result"]["criteria"]:
                messages = tuple(f["message"] for f in criterion.get("findings") or ())
                seen.setdefault(criterion["id"], []).append(
                    (criterion["score"], messages[:3], run.id))
    summary = []
    for criterion, instances in seen.items():
        mean = round(sum(score for score, _, _ in instances) / len(instances))
        summary.append((criterion, mean, instances))
    summary.sort(key=lambda item: (-item[1], item[0]))

    def pick(item, best: bool) -> Evidence:
        criterion, mean, instances = item
        score, messages, run_id = (max if best else min)(instances, key=lambda i: i[0])
        return Evidence(criterion, mean, len(instances), score, messages, run_id)

    # a clean hygiene check (no forbidden phrase, no personal data) measures an absence: it is
    # never a strength, only a gap when it was broken
    delivered = [item for item in summary if ROLES.get(item[0]) != "hygiene"]
    strengths = [pick(item, True) for item in delivered[:size] if item[1] >= 70]
    gaps = [pick(item, False) for item in reversed(summary[-size:]) if item[1] < 70]
    return strengths, gaps
