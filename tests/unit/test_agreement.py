"""Agreement statistics against values computed by hand."""

import pytest

from sandbox.core.agreement import kappa, mean_absolute_difference, mean_interval, t_95


def test_kappa_of_the_textbook_two_by_two_table_is_0_4():
    # 50 items: both yes 20, yes/no 5, no/yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert kappa(pairs).value == pytest.approx(0.4)


def test_kappa_on_verdicts_with_its_interval_computed_by_hand():
    # po = 7/10; scorer pass 6 coach 3 fail 1, trainer pass 4 coach 4 fail 2
    # pe = (6*4 + 3*4 + 1*2) / 100 = 0.38; kappa = 0.32 / 0.62 = 0.516129
    # SE = sqrt(0.7 * 0.3 / (10 * 0.62**2)) = 0.233731; interval 0.516129 -/+ 1.96 * SE
    pairs = ([("pass", "pass")] * 4 + [("coach", "coach")] * 2 + [("fail", "fail")]
             + [("pass", "coach")] * 2 + [("coach", "fail")])
    found = kappa(pairs)
    assert found.value == pytest.approx(0.516129, abs=1e-6)
    assert found.low == pytest.approx(0.058016, abs=1e-5)
    assert found.high == pytest.approx(0.974242, abs=1e-5)
    assert found.n == 10


def test_perfect_agreement_is_one_and_nothing_to_compare_is_none():
    assert kappa([("pass", "pass"), ("fail", "fail")]).value == 1.0
    assert kappa([]) is None
    assert kappa([("pass", "pass")] * 3) is None  # one category only: chance explains it all


def test_the_mean_interval_uses_students_t_computed_by_hand():
    # differences 2, 4, 4, 6: mean 4, sd sqrt(8/3) = 1.632993, SE 0.816497, t(3) = 3.182
    found = mean_interval([2, 4, 4, 6])
    assert found.value == 4
    assert found.low == pytest.approx(4 - 3.182 * 0.816497, abs=1e-5)
    assert found.high == pytest.approx(4 + 3.182 * 0.816497, abs=1e-5)


def test_one_value_has_no_interval_and_none_has_no_mean():
    assert mean_interval([5]).low is None
    assert mean_interval([]) is None


def test_the_mean_absolute_difference_ignores_the_direction():
    found = mean_absolute_difference([(70, 60), (60, 70), (50, 50)])
    assert found.value == pytest.approx(20 / 3)


def test_between_rows_of_the_t_table_the_wider_interval_is_used():
    assert t_95(35) == t_95(30) == 2.042
    assert t_95(500) == 1.96


def test_a_distance_interval_never_goes_below_zero():
    found = mean_absolute_difference([(50, 50)] * 9 + [(50, 58)])
    assert found.value == pytest.approx(0.8) and found.low == 0.0 and found.high > 0.8


def test_perfect_agreement_has_no_zero_width_interval():
    found = kappa([("pass", "pass"), ("fail", "fail"), ("coach", "coach")])
    assert found.value == 1.0 and found.low is None and found.high is None
