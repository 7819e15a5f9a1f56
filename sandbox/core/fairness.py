"""Fairness checks of the scores (docs/talent.md, "Fairness check"): does a score depend on the
scenario's language, or on the length of a reply, once the person and the difficulty are
accounted for?

Both checks fit the additive model of sandbox.core.ability with the scenario's *declared*
difficulty level (beginner, intermediate, advanced) as the difficulty, not each scenario's own
fitted difficulty: every scenario is in one language, so a per-scenario difficulty would absorb
any language effect and the check could never see one. The residual of a score is what the
person's ability and the level do not explain. Then:

- **language**: the difference of the mean residuals of English and French scenarios, with a
  Welch 95 % interval and the counts;
- **reply length**: Pearson's r between the residual of a reply's score and its length as a
  share of the channel's limit (every public reply is within it), with a Fisher-z 95 % interval.

Pure: plain numbers in, plain numbers out.
"""

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from sandbox.core.ability import Observation, fit
from sandbox.core.agreement import Estimate, t_95
from sandbox.core.items import pearson

Z_95 = 1.96
MIN_GROUP = 2  # scores per language a difference needs
MIN_PAIRS = 4  # replies a correlation's interval needs (Fisher z: n - 3 > 0)


def residuals(observations: Sequence[Observation]) -> list[float]:
    """Each score minus what the fitted person and difficulty predict, in the input order."""
    found = fit(observations)
    return [o.score - (found.abilities[o.person].estimate - found.difficulty[o.scenario])
            for o in observations]


@dataclass(frozen=True)
class Difference:
    first: str
    second: str
    estimate: Estimate  # mean residual of `first` minus that of `second`, 95 % interval
    n_first: int
    n_second: int


def difference(first: Sequence[float], second: Sequence[float], names: tuple[str, str]
               ) -> Difference | None:
    """The difference of two means with Welch's 95 % interval (Welch-Satterthwaite degrees of
    freedom); None when either side has fewer than MIN_GROUP values."""
    if len(first) < MIN_GROUP or len(second) < MIN_GROUP:
        return None
    m1, m2 = sum(first) / len(first), sum(second) / len(second)
    v1 = sum((x - m1) ** 2 for x in first) / (len(first) - 1) / len(first)
    v2 = sum((x - m2) ** 2 for x in second) / (len(second) - 1) / len(second)
    value = m1 - m2
    error = math.sqrt(v1 + v2)
    if error == 0:
        return Difference(*names, Estimate(value, None, None, len(first) + len(second)),
                          len(first), len(second))
    df = (v1 + v2) ** 2 / ((v1 ** 2 / (len(first) - 1) if v1 else 0)
                           + (v2 ** 2 / (len(second) - 1) if v2 else 0))
    half = t_95(max(1, int(df))) * error
    return Difference(*names, Estimate(value, value - half, value + half,
                                       len(first) + len(second)), len(first), len(second))


def correlation(xs: Sequence[float], ys: Sequence[float]) -> Estimate | None:
    """Pearson's r with its Fisher-z 95 % interval; None below MIN_PAIRS pairs or without
    spread."""
    r = pearson(xs, ys)
    if r is None or len(xs) < MIN_PAIRS:
        return None
    if abs(r) >= 1:
        return Estimate(r, None, None, len(xs))
    z, half = math.atanh(r), Z_95 / math.sqrt(len(xs) - 3)
    return Estimate(r, math.tanh(z - half), math.tanh(z + half), len(xs))


@dataclass(frozen=True)
class Scored:
    """A score to check: who, at which declared level, in which language, and (for a reply)
    its length as a share of the channel's limit."""

    person: Hashable
    level: str
    language: str
    score: float
    length_share: float | None = None


@dataclass(frozen=True)
class Check:
    language: Difference | None  # en minus fr
    length: Estimate | None  # r of residual with length share
    runs: int
    replies: int


def check(runs: Sequence[Scored], replies: Sequence[Scored]) -> Check:
    """Both checks: `runs` are counted exam runs (overall scores), `replies` graded public
    replies in them (their overall scores and length shares)."""
    by_language: dict[str, list[float]] = {"en": [], "fr": []}
    if runs:
        for item, residual in zip(runs, residuals(
                [Observation(s.person, s.level, s.score) for s in runs]), strict=True):
            by_language.setdefault(item.language, []).append(residual)
    length = None
    kept = [s for s in replies if s.length_share is not None and s.length_share <= 1]
    if kept:
        found = residuals([Observation(s.person, s.level, s.score) for s in kept])
        length = correlation([s.length_share for s in kept], found)
    return Check(difference(by_language["en"], by_language["fr"], ("en", "fr")), length,
                 len(runs), len(kept))
