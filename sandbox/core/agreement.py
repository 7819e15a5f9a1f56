"""How well two judges agree: Cohen's kappa on categories, and means with confidence intervals.

Pure arithmetic for the calibration page (scorer against trainers); no database, no web.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

Z_95 = 1.96
# Student's t, two-sided 95 %, by degrees of freedom; between rows the smaller df is used (a
# slightly wider interval, never a narrower one).
T_95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
        9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120,
        17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064,
        25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048, 29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000,
        120: 1.980}


def t_95(df: int) -> float:
    """The two-sided 95 % quantile of Student's t with `df` degrees of freedom (df >= 1)."""
    if df > 120:
        return Z_95
    return T_95[max(row for row in T_95 if row <= df)]


@dataclass(frozen=True)
class Estimate:
    """A figure with its 95 % confidence interval (low, high) and how many cases it rests on."""

    value: float
    low: float | None
    high: float | None
    n: int


def kappa(pairs: Sequence[tuple[str, str]]) -> Estimate | None:
    """Cohen's kappa of (first judge, second judge) category pairs, with the large-sample
    interval of Cohen (1960): SE = sqrt(po (1 - po) / (n (1 - pe)^2)), clipped to [-1, 1].

    None when there is nothing to compare, or when chance alone explains every agreement
    (both judges always used one and the same category: kappa is undefined). With perfect
    observed agreement the interval is left out: its formula gives zero width."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(1 for first, second in pairs if first == second) / n
    firsts, seconds = Counter(p[0] for p in pairs), Counter(p[1] for p in pairs)
    chance = sum(firsts[c] * seconds[c] for c in firsts) / n ** 2
    if chance >= 1:
        return None
    value = (observed - chance) / (1 - chance)
    if observed == 1:  # the large-sample error is 0 here: an interval of one point says nothing
        return Estimate(value, None, None, n)
    error = math.sqrt(observed * (1 - observed) / (n * (1 - chance) ** 2))
    return Estimate(value, max(-1.0, value - Z_95 * error), min(1.0, value + Z_95 * error), n)


def mean_interval(values: Sequence[float]) -> Estimate | None:
    """The mean with its t-based 95 % interval (none from a single value); None when empty."""
    n = len(values)
    if n == 0:
        return None
    mean = sum(values) / n
    if n == 1:
        return Estimate(mean, None, None, 1)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_95(n - 1) * sd / math.sqrt(n)
    return Estimate(mean, mean - half, mean + half, n)


def mean_absolute_difference(pairs: Sequence[tuple[float, float]]) -> Estimate | None:
    """How far apart two judges' scores are on average (|a - b|), with its interval (never
    below zero: a distance cannot be negative, whatever the symmetric t interval says)."""
    found = mean_interval([abs(a - b) for a, b in pairs])
    if found is None or found.low is None:
        return found
    return Estimate(found.value, max(0.0, found.low), found.high, found.n)
