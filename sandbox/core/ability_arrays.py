"""The ability model of `core.ability`, fitted over arrays for a board of thousands of people.

The same backfitting as `ability.fit`, step for step: person means of the residuals, then
scenario means shrunk by SHRINKAGE, centring, the same stopping rule and the same standard
errors. Only the sums are taken per (person, scenario) cell in numpy instead of per observation
in Python, so the estimates agree with `fit` to the last bits of a float (a test checks them on
generated boards) while a fit over 100,000 runs takes milliseconds instead of seconds.

People and scenarios are given as whole-number codes (0 to the count given); whoever has no
observation is left out of the fit, as `fit` never sees them.
"""

import math
from dataclasses import dataclass

import numpy as np

from sandbox.core.ability import DEFAULT_NOISE, MIN_DEGREES, SHRINKAGE, Ability


@dataclass(frozen=True)
class ArrayFit:
    people: np.ndarray  # codes of the people fitted, ascending
    estimate: np.ndarray
    error: np.ndarray
    runs: np.ndarray
    scenarios: np.ndarray  # codes of the scenarios fitted, ascending
    difficulty: np.ndarray  # points below the average scenario (positive: harder)
    noise: float

    def abilities(self) -> dict[int, Ability]:
        return {int(code): Ability(float(estimate), float(error), int(runs))
                for code, estimate, error, runs
                in zip(self.people, self.estimate, self.error, self.runs, strict=True)}

    def ability_of(self, code: int) -> Ability | None:
        """The ability of the person with this code, if they were fitted."""
        at = int(np.searchsorted(self.people, code))
        if at == len(self.people) or self.people[at] != code:
            return None
        return Ability(float(self.estimate[at]), float(self.error[at]), int(self.runs[at]))

    def difficulties(self) -> dict[int, float]:
        return {int(code): float(value)
                for code, value in zip(self.scenarios, self.difficulty, strict=True)}


_EMPTY = np.zeros(0)


def fit_arrays(person: np.ndarray, scenario: np.ndarray, score: np.ndarray, *,
               people: int, scenarios: int, iterations: int = 500,
               tolerance: float = 1e-7) -> ArrayFit:
    """Fit the model on observations given as three arrays of the same length: the person's
    code (0 to `people`), the scenario's code (0 to `scenarios`) and the score."""
    [found] = fit_columns(person, scenario, np.asarray(score, dtype=float)[:, None],
                          people=people, scenarios=scenarios, iterations=iterations,
                          tolerance=tolerance)
    return found


def fit_columns(person: np.ndarray, scenario: np.ndarray, scores: np.ndarray, *,
                people: int, scenarios: int, iterations: int = 500,
                tolerance: float = 1e-7) -> list[ArrayFit]:
    """One fit per column of `scores` (one row per observation, no NaN), over the same people
    and scenarios: each column is iterated until it stops moving, exactly as if fitted alone,
    but the columns share every matrix product."""
    columns = scores.shape[1]
    if len(scores) == 0:
        return [ArrayFit(_EMPTY.astype(int), _EMPTY, _EMPTY, _EMPTY.astype(int),
                         _EMPTY.astype(int), _EMPTY, DEFAULT_NOISE)] * columns
    mu = scores.sum(axis=0) / len(scores)
    counts = np.bincount(person * scenarios + scenario, minlength=people * scenarios)
    counts = counts.reshape(people, scenarios).astype(float)
    seen_people, seen_scenarios = counts.sum(axis=1) > 0, counts.sum(axis=0) > 0
    cells = counts[seen_people][:, seen_scenarios]  # the people and scenarios fitted
    n_person, n_scenario = cells.sum(axis=1)[:, None], cells.sum(axis=0)[:, None]
    sum_person = np.column_stack([np.bincount(person, weights=scores[:, c], minlength=people)
                                  for c in range(columns)])[seen_people]
    sum_scenario = np.column_stack([np.bincount(scenario, weights=scores[:, c],
                                                minlength=scenarios)
                                    for c in range(columns)])[seen_scenarios]
    effect_person = np.zeros((len(n_person), columns))
    effect_scenario = np.zeros((len(n_scenario), columns))
    moving = np.ones(columns, dtype=bool)
    for _ in range(iterations):
        new_person = (sum_person - n_person * mu - cells @ effect_scenario) / n_person
        moved = np.abs(new_person - effect_person).max(axis=0)
        new_scenario = (sum_scenario - n_scenario * mu - cells.T @ new_person) \
            / (n_scenario + SHRINKAGE)
        moved = np.maximum(moved, np.abs(new_scenario - effect_scenario).max(axis=0))
        centre = new_scenario.sum(axis=0) / len(new_scenario)  # the average scenario: 0
        # a column that has stopped moving keeps the values it stopped with
        effect_scenario[:, moving] = (new_scenario - centre)[:, moving]
        effect_person[:, moving] = (new_person + centre)[:, moving]
        moving &= moved >= tolerance
        if not moving.any():
            break
    return _fitted(person, scenario, scores, mu, seen_people, seen_scenarios, cells,
                   effect_person, effect_scenario)


def solve_columns(person: np.ndarray, scenario: np.ndarray, scores: np.ndarray, *,
                  people: int, scenarios: int) -> list[ArrayFit]:
    """The point `fit_columns` iterates towards, solved directly: the person effects are
    eliminated from the normal equations, which leaves one small linear system over the
    scenarios, (diag(n_s + SHRINKAGE) - C' diag(1/n_p) C) b = S_s - C' mean_p, with C the
    counts of runs per person and scenario. Agrees with the iteration to about its tolerance
    (1e-7 points), for a fraction of the time: what a fit after every run of a person needs."""
    columns = scores.shape[1]
    if len(scores) == 0:
        return fit_columns(person, scenario, scores, people=people, scenarios=scenarios)
    mu = scores.sum(axis=0) / len(scores)
    counts = np.bincount(person * scenarios + scenario, minlength=people * scenarios)
    counts = counts.reshape(people, scenarios).astype(float)
    seen_people, seen_scenarios = counts.sum(axis=1) > 0, counts.sum(axis=0) > 0
    cells = counts[seen_people][:, seen_scenarios]
    n_person, n_scenario = cells.sum(axis=1)[:, None], cells.sum(axis=0)
    mean_person = np.column_stack([np.bincount(person, weights=scores[:, c], minlength=people)
                                   for c in range(columns)])[seen_people] / n_person
    sum_scenario = np.column_stack([np.bincount(scenario, weights=scores[:, c],
                                                minlength=scenarios)
                                    for c in range(columns)])[seen_scenarios]
    system = np.diag(n_scenario + SHRINKAGE) - (cells / n_person).T @ cells
    effect_scenario = np.linalg.solve(system, sum_scenario - cells.T @ mean_person)
    effect_person = mean_person - mu - (cells @ effect_scenario) / n_person
    return _fitted(person, scenario, scores, mu, seen_people, seen_scenarios, cells,
                   effect_person, effect_scenario)


def _fitted(person, scenario, scores, mu, seen_people, seen_scenarios, cells, effect_person,
            effect_scenario) -> list[ArrayFit]:
    """Noise, standard errors and estimates from the effects, as `ability.fit` gives them."""
    n_person, n_scenario = cells.sum(axis=1)[:, None], cells.sum(axis=0)
    compact_person = np.cumsum(seen_people) - 1  # code -> position among the people fitted
    compact_scenario = np.cumsum(seen_scenarios) - 1
    residuals = scores - mu - effect_person[compact_person[person]] \
        - effect_scenario[compact_scenario[scenario]]
    degrees = len(scores) - len(n_person) - len(n_scenario) + 1
    share = ((cells / n_person) ** 2 / (n_scenario + SHRINKAGE)).sum(axis=1)
    found = []
    for c in range(scores.shape[1]):
        residual = float((residuals[:, c] ** 2).sum())
        sigma = math.sqrt(residual / degrees) if degrees >= MIN_DEGREES else DEFAULT_NOISE
        # kept on the score scale: past 0 or 100 the additive model no longer holds
        estimate = np.clip(mu[c] + effect_person[:, c], 0.0, 100.0)
        found.append(ArrayFit(np.flatnonzero(seen_people), estimate,
                              sigma * np.sqrt(1 / n_person[:, 0] + share),
                              n_person[:, 0].astype(int), np.flatnonzero(seen_scenarios),
                              -effect_scenario[:, c], sigma))
    return found


def abilities_over_time(person: np.ndarray, scenario: np.ndarray, scores: np.ndarray, *,
                        me: int, ends: list[int], people: int, scenarios: int
                        ) -> list[list[Ability | None]]:
    """The ability of one person (`me`), per column of `scores` (no NaN), in the model solved
    directly (as `solve_columns`) on the first `end` observations, for each of `ends`
    (ascending). The counts and sums grow from one end to the next instead of being counted
    again, and the noise comes from the sums of squares (at the solution, the residual sum of
    squares is sum(y^2) - sum_p S_p^2 / n_p - b.r - SHRINKAGE |b|^2), so a history of 20 runs
    over 100,000 costs little more than one fit."""
    columns = scores.shape[1]
    counts = np.zeros(people * scenarios)
    sum_person, sum_scenario = np.zeros((people, columns)), np.zeros((scenarios, columns))
    squares, total = np.zeros(columns), np.zeros(columns)
    start, found = 0, []
    for end in ends:
        if end > start:
            p, s, y = person[start:end], scenario[start:end], scores[start:end]
            counts += np.bincount(p * scenarios + s, minlength=people * scenarios)
            for c in range(columns):
                sum_person[:, c] += np.bincount(p, weights=y[:, c], minlength=people)
                sum_scenario[:, c] += np.bincount(s, weights=y[:, c], minlength=scenarios)
            squares += (y ** 2).sum(axis=0)
            total += y.sum(axis=0)
            start = end
        grid = counts.reshape(people, scenarios)
        seen_people, seen_scenarios = grid.sum(axis=1) > 0, grid.sum(axis=0) > 0
        if end == 0 or not seen_people[me]:
            found.append([None] * columns)
            continue
        cells = grid[seen_people][:, seen_scenarios]
        n_person, n_scenario = cells.sum(axis=1), cells.sum(axis=0)
        sums = sum_person[seen_people]
        rhs = sum_scenario[seen_scenarios] - cells.T @ (sums / n_person[:, None])
        system = np.diag(n_scenario + SHRINKAGE) - (cells / n_person[:, None]).T @ cells
        effect_scenario = np.linalg.solve(system, rhs)
        residual = squares - (sums ** 2 / n_person[:, None]).sum(axis=0) \
            - (effect_scenario * rhs).sum(axis=0) - SHRINKAGE * (effect_scenario ** 2).sum(axis=0)
        degrees = end - len(n_person) - len(n_scenario) + 1
        at = int(np.cumsum(seen_people)[me]) - 1
        mine, n_mine = cells[at], n_person[at]
        mu = total / end
        effect = sums[at] / n_mine - mu - (mine @ effect_scenario) / n_mine
        share = float(((mine / n_mine) ** 2 / (n_scenario + SHRINKAGE)).sum())
        abilities = []
        for c in range(columns):
            sigma = math.sqrt(max(0.0, float(residual[c])) / degrees) \
                if degrees >= MIN_DEGREES else DEFAULT_NOISE
            abilities.append(Ability(min(100.0, max(0.0, float(mu[c] + effect[c]))),
                                     sigma * math.sqrt(1 / n_mine + share), int(n_mine)))
        found.append(abilities)
    return found
