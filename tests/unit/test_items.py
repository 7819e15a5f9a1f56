"""Item analysis: how hard an event is and whether it separates, against hand-computed values."""

import pytest

from sandbox.core.items import EventScore, RunItems, analyse, pearson


def run(score, rest, *, passed=None, criteria=(), branches=(), event="first_post"):
    passed = score >= 70 if passed is None else passed
    return RunItems((EventScore(event, score, passed, score == 0, criteria),), rest,
                    tuple((event, label) for label in branches))


def test_pearson_matches_a_hand_computed_correlation():
    # x = 1, 2, 3, 4; y = 2, 4, 5, 9: means 2.5 and 5, Sxy = 11, Sxx = 5, Syy = 26
    assert pearson([1, 2, 3, 4], [2, 4, 5, 9]) == pytest.approx(11 / (5 * 26) ** 0.5)
    assert pearson([1, 1, 1], [1, 2, 3]) is None  # no spread: no correlation
    assert pearson([1], [2]) is None


def test_an_event_that_strong_trainees_pass_and_weak_ones_fail_separates_them():
    runs = [run(90, 85), run(80, 75), run(60, 60), run(40, 50), run(20, 30)]
    [item] = analyse(runs).items
    assert item.runs == 5 and item.mean == pytest.approx(58)
    assert item.passing == pytest.approx(2 / 5)
    assert item.discrimination == pytest.approx(pearson([90, 80, 60, 40, 20],
                                                        [85, 75, 60, 50, 30]))
    assert item.discrimination > 0.9 and item.advice == ""


def test_below_the_minimum_of_runs_the_separation_is_not_computed():
    [item] = analyse([run(90, 85), run(40, 50), run(20, 30), run(70, None)]).items
    assert item.discrimination is None and item.discrimination_runs == 3 and not item.enough


def test_an_event_everybody_passes_is_flagged_with_what_to_do():
    [item] = analyse([run(90 + i, 50 + 5 * i) for i in range(6)]).items
    assert item.passing == 1
    assert item.advice.startswith("Everybody passes this event")


def test_an_event_nobody_passes_is_flagged():
    [item] = analyse([run(0, 50 + 5 * i) for i in range(6)]).items
    assert item.missed == 6 and item.advice.startswith("Nobody passes this event")


def test_an_event_that_strong_trainees_do_no_better_on_is_flagged():
    # strong trainees (high rest score) score lower here: r is negative
    runs = [run(40, 90), run(80, 40), run(60, 70), run(75, 50), run(30, 85)]
    [item] = analyse(runs).items
    assert item.discrimination < 0
    assert "does not separate strong and weak trainees" in item.advice


def test_the_criteria_failing_most_and_the_branches_fired_are_counted_per_event():
    runs = [run(30, 50, criteria=(("facts", 20), ("empathy", 40)), branches=["backlash"]),
            run(40, 60, criteria=(("facts", 10), ("empathy", 80)), branches=["backlash"]),
            run(90, 70, criteria=(("facts", 100), ("empathy", 90)), branches=["thanks"])]
    [item] = analyse(runs).items
    assert item.failing == (("facts", 2), ("empathy", 1))
    assert item.branches == (("backlash", 2), ("thanks", 1))


def test_events_keep_the_scenario_order_and_the_scenario_mean_averages_runs():
    runs = [RunItems((EventScore("b", 20, False, False), EventScore("a", 60, False, False)))]
    found = analyse(runs, order=["b", "a"])
    assert [i.event for i in found.items] == ["b", "a"] and found.mean == pytest.approx(40)
