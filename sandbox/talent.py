"""HR's talent board: every trainee's A.C.E. profile over many graded replies, compared.

Scores are practice signals. Each figure counts the score that stands for a run (a trainer's
review, else the scorer's, see `reviews.standing`), and the board says how much of it a trainer
has reviewed. Percentiles compare trainees with at least one finished run; flags are simple,
explained rules, never a verdict on a person.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from sandbox.core.scoring.results import ROLES
from sandbox.models import Run, RunAction, User, UserRole
from sandbox.profile import DIMENSIONS, Profile, profile_of
from sandbox.reviews import Standing, standing

RISING_GAIN = 10  # points between the mean of the first runs and of the latest ones
STEADY_SPREAD = 8  # at most this many points between a trainee's runs...
STEADY_RUNS = 3  # ...over at least this many runs
TOP_PERCENTILE = 80


@dataclass(frozen=True)
class Flag:
    label: str
    why: str


@dataclass
class TalentRow:
    """One trainee on the board."""

    user: User
    profile: Profile
    runs: list[Run]  # finished, oldest first
    scores: list[Standing]  # the score that stands for each of `runs`
    graded_replies: int
    percentiles: dict[str, int] = field(default_factory=dict)  # overall and each dimension
    flags: list[Flag] = field(default_factory=list)

    @property
    def reviewed(self) -> int:
        return sum(1 for score in self.scores if score.reviewed)

    @property
    def last_run(self) -> Run | None:
        return self.runs[-1] if self.runs else None

    def value(self, column: str) -> float:
        """The number a column of the board sorts by."""
        if column == "overall":
            return -1 if self.profile.overall is None else self.profile.overall
        if column in DIMENSIONS:
            return self.profile.dimensions.get(column, -1)
        if column == "replies":
            return self.graded_replies
        if column == "runs":
            return len(self.runs)
        if column == "trend":
            return trend_gain(self.profile.trend) or 0
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


def flags_for(row: TalentRow) -> list[Flag]:
    found = []
    gain = trend_gain(row.profile.trend)
    if gain is not None and gain >= RISING_GAIN:
        found.append(Flag("rising", f"+{gain} points from the first runs to the latest"))
    if row.percentiles.get("overall", 0) >= TOP_PERCENTILE and len(row.runs) >= 2:
        found.append(Flag("top 20%", f"overall above {row.percentiles['overall']}% of trainees"))
    trend = row.profile.trend
    if len(trend) >= STEADY_RUNS and max(trend) - min(trend) <= STEADY_SPREAD:
        found.append(Flag("steady", f"every run within {max(trend) - min(trend)} points"))
    strengths = [d for d in DIMENSIONS if row.percentiles.get(d, 0) >= TOP_PERCENTILE]
    if strengths and len(row.runs) >= 2:
        label = "strong A.C.E." if len(strengths) == len(DIMENSIONS) else \
            "strong " + " & ".join(strengths)
        found.append(Flag(label,
                          "top 20% of trainees on " + ", ".join(strengths)))
    return found


def board(session: Session, *, sort: str = "overall") -> list[TalentRow]:
    """Every active trainee, with percentiles and flags, sorted by `sort` (best first)."""
    trainees = list(session.exec(
        select(User).join(UserRole).where(UserRole.role == "trainee", col(User.is_active))))
    finished = session.exec(select(Run).where(col(Run.finished_at).is_not(None),
                                              col(Run.result).is_not(None))
                            .order_by(col(Run.started_at))).all()
    by_user: dict[int, list[Run]] = {}
    for run in finished:
        by_user.setdefault(run.user_id, []).append(run)
    graded = (select(Run.user_id, func.count()).join(RunAction)
              .where(col(RunAction.overall).is_not(None)).group_by(col(Run.user_id)))
    counts: dict[int, int] = {user_id: count for user_id, count in session.exec(graded)}
    rows = [TalentRow(user=user, profile=profile_of(by_user.get(user.id, [])),
                      runs=by_user.get(user.id, []),
                      scores=[s for s in map(standing, by_user.get(user.id, [])) if s],
                      graded_replies=counts.get(user.id, 0))
            for user in trainees]
    ranked = [row for row in rows if row.runs]
    for column in ("overall", *DIMENSIONS):
        population = sorted(row.value(column) for row in ranked)
        for row in ranked:
            row.percentiles[column] = percentile(row.value(column), population)
    for row in ranked:
        row.flags = flags_for(row)
    column = sort if sort in COLUMNS else "overall"
    return sorted(rows, key=lambda row: (-row.value(column), row.user.name.lower()))


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
