"""HR's talent board: every trainee's A.C.E. profile over their exam runs, compared.

Only the evidence counts (sandbox.evidence): exam runs that were neither voided by a trainer nor
abandoned early. Practice runs are shown beside them and never enter a percentile or a flag.
Each figure counts the score that stands for a run (a trainer's review, else the scorer's, see
`reviews.standing`), and the board says how much of it a trainer has reviewed. Below the
minimum of evidence a person is not ranked: the board says "not enough evidence". Flags are
simple, explained rules, never a verdict on a person.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from statistics import median

from sqlmodel import Session, col, select

from sandbox import runs as run_store
from sandbox.core.ability import Ability, Observation, fit, over_time
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
from sandbox.models import CohortMember, Run, User, UserRole
from sandbox.profile import DIMENSIONS, Profile, profile_of
from sandbox.reviews import Standing, standing
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


@dataclass
class TalentRow:
    """One trainee on the board."""

    user: User
    profile: Profile  # over the counted runs only
    runs: list[Run]  # counted exam runs, oldest first
    scores: list[Standing]  # the score that stands for each of `runs`
    graded_replies: int  # in the counted runs
    sufficiency: Sufficiency
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
    def reviewed(self) -> int:
        return sum(1 for score in self.scores if score.reviewed)

    @property
    def last_run(self) -> Run | None:
        every = [*self.runs, *self.uncounted]
        return max(every, key=lambda run: run.finished_at) if every else None

    @property
    def all_runs(self) -> list[Run]:
        """Every finished run in view, newest first."""
        return sorted([*self.runs, *self.uncounted], key=lambda run: run.started_at,
                      reverse=True)

    def kind_count(self, kind: str) -> int:
        return sum(1 for run in self.uncounted if self.evidence[run.id].kind == kind)

    @property
    def practice(self) -> int:
        return self.kind_count(PRACTICE)

    @property
    def voided(self) -> int:
        return self.kind_count(VOIDED)

    @property
    def incomplete(self) -> int:
        return self.kind_count(INCOMPLETE)

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
    """The rows of one view of the board (every page), and the page shown."""

    rows: list[TalentRow]
    query: BoardQuery
    page: int
    pages: int
    rules: EvidenceRules

    @property
    def shown(self) -> list[TalentRow]:
        return self.rows[(self.page - 1) * PAGE_SIZE:self.page * PAGE_SIZE]

    @property
    def ranked(self) -> int:
        return sum(1 for row in self.rows if row.ranked)


def _in_view(session: Session, run: Run, query: BoardQuery) -> bool:
    finished = run.finished_at.date()
    if query.start and finished < query.start or query.end and finished > query.end:
        return False
    if query.scenario and run.scenario_id != query.scenario:
        return False
    if query.language:
        return run_store.played(session, run).scenario.language == query.language
    return True


def board(session: Session, *, query: BoardQuery | None = None,
          rules: EvidenceRules | None = None) -> Board:
    """Every active trainee in view, with percentiles and flags among those with enough
    evidence, sorted by `query.sort` (best first; people without enough evidence last)."""
    query = query or BoardQuery()
    rules = rules or EvidenceRules()
    people = (select(User).join(UserRole)
              .where(UserRole.role == "trainee", col(User.is_active)))
    if query.cohort is not None:
        people = people.join(CohortMember, col(CohortMember.user_id) == col(User.id)).where(
            CohortMember.cohort_id == query.cohort)
    trainees = list(session.exec(people))
    finished = select(Run).where(col(Run.finished_at).is_not(None), col(Run.result).is_not(None),
                                 col(Run.user_id).in_([user.id for user in trainees]))
    if query.start:  # narrowed in SQL, then exactly per day in _in_view
        first = datetime.combine(query.start, time(), UTC)
        finished = finished.where(col(Run.finished_at) >= first)
    if query.scenario:
        finished = finished.where(Run.scenario_id == query.scenario)
    by_user: dict[int, list[Run]] = {}
    for run in session.exec(finished.order_by(col(Run.started_at), col(Run.id))):
        if _in_view(session, run, query):
            by_user.setdefault(run.user_id, []).append(run)
    rows = [_row(session, user, by_user.get(user.id, []), rules) for user in trainees]
    _adjust(rows)
    ranked = [row for row in rows if row.ranked]
    middle = {}
    for column in ("overall", *DIMENSIONS):
        population = sorted(row.value(column) for row in ranked)
        for row in ranked:
            row.percentiles[column] = percentile(row.value(column), population)
        if population:
            middle[column] = median(population)
    for row in ranked:
        row.flags = flags_for(row, len(ranked), middle)
    column = query.sort if query.sort in COLUMNS else "overall"
    rows.sort(key=lambda row: (not row.ranked, -row.value(column) if row.ranked else 0,
                               row.user.name.lower(), row.user.id))
    page, count = pages(len(rows), query.page)
    return Board(rows, query, page, count, rules)


def _adjust(rows: list[TalentRow]) -> None:
    """Fit the ability model on every counted run in view, once per column, and give each row
    its estimates and its overall trend corrected for each scenario's difficulty."""
    for column in ("overall", *DIMENSIONS):
        observations = [
            Observation(row.user.id, run.scenario_id,
                        score.overall if column == "overall" else score.dimensions[column])
            for row in rows for run, score in zip(row.runs, row.scores, strict=True)
            if column == "overall" or column in score.dimensions]
        found = fit(observations)
        for row in rows:
            if row.user.id in found.abilities:
                row.ability[column] = found.abilities[row.user.id]
            if column == "overall":
                row.adjusted_trend = [round(score.overall + found.difficulty[run.scenario_id])
                                      for run, score in zip(row.runs, row.scores, strict=True)]


def _row(session: Session, user: User, finished: list[Run], rules: EvidenceRules) -> TalentRow:
    evidence = {run.id: evidence_of(session, run, rules) for run in finished}
    counted = [run for run in finished if evidence[run.id].kind == COUNTED]
    graded = sum(1 for run in counted for action in run.actions if action.overall is not None)
    return TalentRow(user=user, profile=profile_of(counted), runs=counted,
                     scores=[s for s in map(standing, counted) if s], graded_replies=graded,
                     sufficiency=sufficiency(counted, rules),
                     uncounted=[run for run in finished if evidence[run.id].kind != COUNTED],
                     evidence=evidence)


def person(session: Session, user_id: int, *, rules: EvidenceRules | None = None
           ) -> tuple[TalentRow | None, int]:
    """One trainee's row as the whole board ranks it (with its bands over time), and how many
    people it ranks."""
    whole = board(session, rules=rules)
    row = next((row for row in whole.rows if row.user.id == user_id), None)
    if row is not None:
        row.history = bands_over_time(whole.rows, row)
    return row, whole.ranked


@dataclass(frozen=True)
class BandPoint:
    """A person's difficulty-adjusted abilities right after one of their counted exam runs."""

    run: Run
    ability: dict[str, Ability]


def bands_over_time(rows: list[TalentRow], row: TalentRow) -> list[BandPoint]:
    """After each of the row's counted exam runs (in the order they finished), its ability per
    column as the board would have estimated it then: the model fitted on every counted run in
    `rows` finished by that moment."""
    found: dict[int, dict[str, Ability]] = {}
    for column in ("overall", *DIMENSIONS):
        observations, mine = [], []
        for other in rows:
            for run, score in zip(other.runs, other.scores, strict=True):
                if column == "overall" or column in score.dimensions:
                    observations.append((run.finished_at, Observation(
                        other.user.id, run.scenario_id,
                        score.overall if column == "overall" else score.dimensions[column])))
                    if other is row:
                        mine.append(run)
        mine.sort(key=lambda run: run.finished_at)  # stable, as over_time's order
        for run, (_, ability) in zip(mine, over_time(observations, row.user.id), strict=True):
            found.setdefault(run.id, {})[column] = ability
    return [BandPoint(run, found.get(run.id, {}))
            for run in sorted(row.runs, key=lambda run: run.finished_at)]


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
