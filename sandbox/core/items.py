"""Item analysis: how hard each event of a scenario is, and whether it tells strong trainees from
weak ones (docs/talent.md, "Item analysis").

Classical test theory on the counted exam runs of one scenario. Each event is an item; a run's
score on it (0-100, a missed event 0) is the item score. An event's

- **difficulty** is its mean score and the share of runs that passed it;
- **discrimination** is an item-rest correlation: Pearson's r between the event's score and the
  trainee's *rest score*, the mean overall score of their other counted exam runs (other runs,
  so that the event does not correlate with itself; most scenarios have one or two expected
  events, too few for a rest score within the run). Below MIN_RUNS runs with a rest score, or
  when either side never varies, it is not computed;
- **missed criteria** are the criteria that failed (scored under CRITERION_FAILS) most often;
- **branches** are the branches that fired on it, and in how many runs.

An event that measures nothing (everybody passes, nobody passes, or it does not separate) gets a
sentence saying what to do. Pure: plain numbers in, plain numbers out.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

MIN_RUNS = 5  # runs an item-rest correlation needs before it is shown
WEAK_SEPARATION = 0.2  # item-rest r below this separates strong and weak trainees poorly
CRITERION_FAILS = 50  # a criterion scored under this on an event failed there
MISSED_SHOWN = 3  # criteria listed per event


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's correlation of paired values; None with fewer than 2 pairs or no variation."""
    n = len(xs)
    if n < 2 or n != len(ys):
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


@dataclass(frozen=True)
class EventScore:
    """One run's result on one event."""

    event: str
    score: float  # 0-100; a missed event scores 0
    passed: bool
    missed: bool
    criteria: tuple[tuple[str, float], ...] = ()  # (criterion, score)


@dataclass(frozen=True)
class RunItems:
    """The events of one run, the trainee's rest score (mean overall of their other counted exam
    runs; None without any) and the branches that fired in it as (event, label) pairs."""

    events: tuple[EventScore, ...]
    rest: float | None = None
    branches: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Item:
    event: str
    runs: int  # runs in which the event counted
    mean: float
    passing: float  # share of runs that passed it, 0-1
    missed: int  # runs where nobody answered it
    discrimination: float | None  # item-rest r; None when not computable
    discrimination_runs: int  # runs behind it (those whose trainee has other counted runs)
    failing: tuple[tuple[str, int], ...]  # (criterion, runs where it failed), most first
    branches: tuple[tuple[str, int], ...] = ()  # (branch label, runs where it fired)
    advice: str = ""  # what to do when it measures nothing ("" when it is fine)

    @property
    def enough(self) -> bool:
        return self.discrimination_runs >= MIN_RUNS


@dataclass
class Analysis:
    runs: int
    mean: float | None  # mean over runs of the run's mean event score
    items: list[Item] = field(default_factory=list)


def advice(runs: int, passing: float, discrimination: float | None, enough: bool) -> str:
    """A plain sentence for an event that measures nothing; "" when it separates."""
    if runs and passing == 1:
        return ("Everybody passes this event: it tells nobody apart. Make what it expects "
                "harder (a fact to give, a tighter time), or leave it out of exams.")
    if runs and passing == 0:
        return ("Nobody passes this event: check that its expected reply is achievable (the "
                "facts are in the brief, the time is realistic) before blaming the trainees.")
    if not enough:
        return ""
    if discrimination is None or discrimination < WEAK_SEPARATION:
        return ("This event does not separate strong and weak trainees: those who do well in "
                "their other exams do no better here. Read a few replies: the expected "
                "reply may be unclear, or scored on something the others do not need.")
    return ""


def analyse(runs: Sequence[RunItems], order: Sequence[str] = ()) -> Analysis:
    """Every event's difficulty, separation, failing criteria and branches over `runs` (the
    counted exam runs of one scenario); events listed in `order` first, then any other."""
    if not runs:
        return Analysis(0, None)
    seen = list(order) + sorted({e.event for r in runs for e in r.events} - set(order))
    run_means = [sum(e.score for e in r.events) / len(r.events) for r in runs if r.events]
    items = []
    for event in seen:
        scores, rests, failing, fired = [], [], Counter(), Counter()
        passed = missed = count = 0
        for run in runs:
            mine = [e for e in run.events if e.event == event]
            if not mine:
                continue
            item = mine[0]
            count += 1
            passed += item.passed
            missed += item.missed
            failing.update(c for c, s in item.criteria if s < CRITERION_FAILS)
            if run.rest is not None:
                scores.append(item.score)
                rests.append(run.rest)
            fired.update({label for where, label in run.branches if where == event})
        if not count:
            continue
        mean = sum(e.score for r in runs for e in r.events if e.event == event) / count
        r = pearson(scores, rests) if len(scores) >= MIN_RUNS else None
        share = passed / count
        items.append(Item(
            event=event, runs=count, mean=mean, passing=share, missed=missed,
            discrimination=r, discrimination_runs=len(scores),
            failing=tuple(sorted(failing.items(), key=lambda i: (-i[1], i[0]))[:MISSED_SHOWN]),
            branches=tuple(sorted(fired.items(), key=lambda i: (-i[1], i[0]))),
            advice=advice(count, share, r, len(scores) >= MIN_RUNS)))
    return Analysis(len(runs), sum(run_means) / len(run_means) if run_means else None, items)
