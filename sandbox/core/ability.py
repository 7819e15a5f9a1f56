"""Difficulty-adjusted ability: a person's expected score on a scenario of average difficulty.

The model (docs/talent.md) is the two-way additive model of a score on a run:

    score = mu + ability_p + easiness_s + noise,   noise ~ N(0, sigma^2), independent

fitted by backfitting (alternate person and scenario means of the residuals until nothing
moves). Scenario effects are random effects, shrunk towards the average scenario as if each
scenario had SHRINKAGE more runs of average difficulty: a scenario few people played cannot
absorb a person's whole result (with fixed effects, someone alone on a scenario would be
"average" whatever they scored). Scenario effects are centred (their plain mean is 0), so an
estimate reads
"the score this person would get on a scenario of average difficulty among those played".
Someone who only plays the easy scenarios no longer looks better than someone who takes on the
hard ones. The standard error of a person's estimate adds the noise of their own runs and that
of the difficulty estimates of the scenarios they played:

    SE_p = sigma * sqrt(1 / n_p + sum_s (n_ps / n_p)^2 / (n_s + SHRINKAGE))

sigma is estimated from the residuals when there are enough degrees of freedom, else a
conservative default is used. Pure: plain numbers in, plain numbers out.
"""

import math
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

DEFAULT_NOISE = 15.0  # points: sigma when the data cannot estimate it (few runs)
MIN_DEGREES = 5  # residual degrees of freedom needed to estimate sigma from the data
SHRINKAGE = 3  # runs of average difficulty each scenario's effect is shrunk with (sigma²/tau²)
Z_95 = 1.96


@dataclass(frozen=True)
class Observation:
    person: Hashable
    scenario: Hashable
    score: float


@dataclass(frozen=True)
class Ability:
    estimate: float
    error: float  # standard error
    runs: int

    def __post_init__(self) -> None:
        # Kept to the ninth decimal: the same figures summed in another order (the board's
        # arrays, a person's page) differ in the last bits, and 61.499999999999996 would
        # print as 61 where 61.5 prints as 62.
        object.__setattr__(self, "estimate", round(self.estimate, 9))
        object.__setattr__(self, "error", round(self.error, 9))

    @property
    def low(self) -> float:
        return max(0.0, self.estimate - Z_95 * self.error)

    @property
    def high(self) -> float:
        return min(100.0, self.estimate + Z_95 * self.error)


@dataclass(frozen=True)
class Fit:
    abilities: dict[Hashable, Ability]
    difficulty: dict[Hashable, float]  # points below the average scenario (positive: harder)
    noise: float  # sigma, in points
    estimated_noise: bool  # False when DEFAULT_NOISE was used


def fit(observations: Sequence[Observation], *, iterations: int = 500,
        tolerance: float = 1e-7) -> Fit:
    """Estimate every person's ability and every scenario's difficulty from the scores."""
    if not observations:
        return Fit({}, {}, DEFAULT_NOISE, False)
    mu = sum(o.score for o in observations) / len(observations)
    by_person: dict[Hashable, list[Observation]] = defaultdict(list)
    by_scenario: dict[Hashable, list[Observation]] = defaultdict(list)
    for o in observations:
        by_person[o.person].append(o)
        by_scenario[o.scenario].append(o)
    person = dict.fromkeys(by_person, 0.0)
    scenario = dict.fromkeys(by_scenario, 0.0)
    for _ in range(iterations):
        moved = 0.0
        for p, seen in by_person.items():
            new = sum(o.score - mu - scenario[o.scenario] for o in seen) / len(seen)
            moved, person[p] = max(moved, abs(new - person[p])), new
        for s, seen in by_scenario.items():
            new = sum(o.score - mu - person[o.person] for o in seen) / (len(seen) + SHRINKAGE)
            moved, scenario[s] = max(moved, abs(new - scenario[s])), new
        centre = sum(scenario.values()) / len(scenario)
        for s in scenario:  # the average scenario has effect 0; people absorb the shift
            scenario[s] -= centre
        for p in person:
            person[p] += centre
        if moved < tolerance:
            break
    residuals = sum((o.score - mu - person[o.person] - scenario[o.scenario]) ** 2
                    for o in observations)
    degrees = len(observations) - len(person) - len(scenario) + 1
    estimated = degrees >= MIN_DEGREES
    sigma = math.sqrt(residuals / degrees) if estimated else DEFAULT_NOISE
    abilities = {}
    for p, seen in by_person.items():
        n = len(seen)
        counts: dict[Hashable, int] = defaultdict(int)
        for o in seen:
            counts[o.scenario] += 1
        share = sum((k / n) ** 2 / (len(by_scenario[s]) + SHRINKAGE)
                    for s, k in counts.items())
        # kept on the score scale: past 0 or 100 the additive model no longer holds
        estimate = min(100.0, max(0.0, mu + person[p]))
        abilities[p] = Ability(estimate, sigma * math.sqrt(1 / n + share), n)
    return Fit(abilities, {s: -effect for s, effect in scenario.items()}, sigma, estimated)


def over_time(observations: Sequence[tuple[Hashable, Observation]], person: Hashable
              ) -> list[tuple[Hashable, Ability]]:
    """The person's ability after each of their runs, oldest first: the model fitted on every
    observation up to and including that run. `observations` are (when, observation) pairs in
    any order; `when` is anything orderable (a finish time). Runs finished at the same moment
    as the person's are included, as the board would have seen them. Returned in the order of
    `when` (runs at the same moment in the order given)."""
    timeline = sorted(observations, key=lambda pair: pair[0])
    found = []
    for when, observation in timeline:
        if observation.person != person:
            continue
        seen = [o for moment, o in timeline if moment <= when]
        found.append((when, fit(seen).abilities[person]))
    return found
