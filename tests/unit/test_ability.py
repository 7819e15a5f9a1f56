"""The difficulty-adjusted ability model recovers known abilities from simulated runs."""

import random
import statistics

import pytest

from sandbox.core.ability import DEFAULT_NOISE, Observation, fit

DIFFICULTY = {"beginner-a": -15, "beginner-b": -10, "mid-a": -3, "mid-b": 3, "hard-a": 10,
              "hard-b": 15}  # points below the average scenario; they sum to 0


def simulate(seed: int, people: int = 60, runs: int = 5, noise: float = 8.0,
             choosy: bool = False):
    """Known abilities; each person plays `runs` scenarios. `choosy`: the strong pick the hard
    scenarios and the weak the easy ones, as on a real board."""
    rng = random.Random(seed)
    truth = {f"p{i}": rng.uniform(35, 75) for i in range(people)}
    scenarios = sorted(DIFFICULTY, key=DIFFICULTY.get)
    observations = []
    for person, ability in truth.items():
        for _ in range(runs):
            if choosy:
                centre = (ability - 35) / 40 * (len(scenarios) - 1)
                index = min(len(scenarios) - 1, max(0, round(centre + rng.uniform(-1.5, 1.5))))
                scenario = scenarios[index]
            else:
                scenario = rng.choice(scenarios)
            observations.append(Observation(person, scenario, ability - DIFFICULTY[scenario]
                                            + rng.gauss(0, noise)))
    return truth, observations


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_known_abilities_are_recovered_within_the_stated_error(seed):
    truth, observations = simulate(seed)
    found = fit(observations)
    inside = sum(1 for p, a in truth.items()
                 if found.abilities[p].low <= a <= found.abilities[p].high)
    assert inside / len(truth) >= 0.88  # a 95 % band holds the truth for ~95 % of people
    assert statistics.mean(abs(found.abilities[p].estimate - a) for p, a in truth.items()) < 5
    assert found.estimated_noise and found.noise == pytest.approx(8, abs=1.5)


def test_scenario_difficulty_is_recovered():
    _, observations = simulate(4, people=80)
    found = fit(observations)
    for scenario, difficulty in DIFFICULTY.items():
        assert found.difficulty[scenario] == pytest.approx(difficulty, abs=3)


def test_taking_on_hard_scenarios_is_no_longer_a_handicap():
    truth, observations = simulate(5, choosy=True)
    found = fit(observations)
    raw = {p: statistics.mean(o.score for o in observations if o.person == p) for p in truth}
    raw_error = statistics.mean(abs(raw[p] - a) for p, a in truth.items())
    adjusted_error = statistics.mean(abs(found.abilities[p].estimate - a)
                                     for p, a in truth.items())
    assert adjusted_error < raw_error / 2


def test_a_person_with_fewer_runs_gets_a_wider_band():
    truth, observations = simulate(6, runs=6)
    few = [o for o in observations if o.person != "p0"] + \
        [o for o in observations if o.person == "p0"][:2]
    found = fit(few)
    assert found.abilities["p0"].error > found.abilities["p1"].error * 1.4


def test_too_few_runs_to_estimate_the_noise_use_the_cautious_default():
    found = fit([Observation("a", "s1", 70), Observation("a", "s2", 60),
                 Observation("b", "s1", 50)])
    assert not found.estimated_noise and found.noise == DEFAULT_NOISE
    assert found.abilities["a"].estimate > found.abilities["b"].estimate
    assert fit([]).abilities == {}


def test_the_band_stays_on_the_score_scale():
    found = fit([Observation("a", "s1", 99), Observation("a", "s2", 100)])
    assert found.abilities["a"].low >= 0 and found.abilities["a"].high <= 100


def test_someone_alone_on_a_scenario_keeps_most_of_their_result():
    # everybody else plays s1 and s2; "solo" alone plays s3 and scores far above them
    observations = [Observation(p, s, 50 + (4 if (p + s) in ("as1", "cs2", "es1") else -2))
                    for p in "abcdef" for s in ("s1", "s2")]
    observations += [Observation("solo", "s3", 88), Observation("solo", "s3", 92)]
    found = fit(observations)
    assert found.abilities["solo"].estimate > 70  # not explained away as an easy scenario
    assert found.abilities["solo"].error > found.abilities["a"].error


def test_estimates_stay_on_the_score_scale():
    observations = [Observation("top", "hard", 100), Observation("top", "easy", 100),
                    Observation("low", "easy", 20), Observation("low", "easy", 30)]
    assert fit(observations).abilities["top"].estimate <= 100


def test_the_band_after_each_run_is_the_fit_on_every_run_finished_until_then():
    from sandbox.core.ability import over_time

    history = [(1, Observation("ana", "easy", 80)), (2, Observation("bo", "easy", 60)),
               (3, Observation("ana", "hard", 50)), (4, Observation("bo", "hard", 30))]
    found = over_time(history, "ana")
    assert [when for when, _ in found] == [1, 3]
    assert found[0][1] == fit([history[0][1]]).abilities["ana"]
    assert found[0][1].runs == 1 and found[0][1].estimate == 80
    assert found[1][1] == fit([o for _, o in history[:3]]).abilities["ana"]
    assert found[1][1].runs == 2
    assert over_time(history, "nobody") == []


def test_the_array_fits_agree_with_the_reference_fit_on_a_generated_board():
    import numpy as np

    from sandbox.core.ability_arrays import abilities_over_time, fit_columns, solve_columns

    rng = random.Random(3)
    ability = {p: rng.gauss(60, 12) for p in range(300)}
    ease = {s: rng.gauss(0, 8) for s in range(6)}
    observations = [Observation(p, s, max(0, min(100, round(ability[p] + ease[s]
                                                          + rng.gauss(0, 9)))))
                    for p in ability for s in rng.sample(range(6), 3) for _ in range(2)]
    person = np.array([o.person for o in observations])
    scenario = np.array([o.scenario for o in observations])
    scores = np.array([[o.score] for o in observations], dtype=float)
    expected = fit(observations)
    [iterated] = fit_columns(person, scenario, scores, people=300, scenarios=6)
    [solved] = solve_columns(person, scenario, scores, people=300, scenarios=6)
    for p, found in expected.abilities.items():
        assert iterated.ability_of(p).estimate == pytest.approx(found.estimate, abs=1e-9)
        assert iterated.ability_of(p).error == pytest.approx(found.error, abs=1e-9)
        assert solved.ability_of(p).estimate == pytest.approx(found.estimate, abs=1e-6)
        assert solved.ability_of(p).error == pytest.approx(found.error, abs=1e-6)
    ends = [150, 900, len(observations)]
    for end, [found] in zip(ends, abilities_over_time(person, scenario, scores, me=7, ends=ends,
                                                      people=300, scenarios=6), strict=True):
        alone = fit(observations[:end]).abilities[7]
        assert found.estimate == pytest.approx(alone.estimate, abs=1e-6)
        assert found.error == pytest.approx(alone.error, abs=1e-6) and found.runs == alone.runs
