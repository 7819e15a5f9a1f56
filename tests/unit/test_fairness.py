"""The fairness check: language and reply length against hand-computed values."""

import math

import pytest

from sandbox.core.ability import Observation
from sandbox.core.fairness import Scored, check, correlation, difference, residuals


def test_the_difference_of_means_has_a_welch_interval():
    # means 3 and 1; variances 1 and 1 over 3 values each: SE = sqrt(1/3 + 1/3), df = 4
    found = difference([2, 3, 4], [0, 1, 2], ("en", "fr"))
    se = math.sqrt(2 / 3)
    assert found.estimate.value == pytest.approx(2)
    assert found.estimate.low == pytest.approx(2 - 2.776 * se)
    assert found.estimate.high == pytest.approx(2 + 2.776 * se)
    assert (found.n_first, found.n_second) == (3, 3)
    assert difference([1], [1, 2], ("en", "fr")) is None  # too few to say anything


def test_a_correlation_has_a_fisher_interval():
    found = correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    assert found.value == pytest.approx(0.8)  # Sxy = 8, Sxx = Syy = 10
    half = 1.96 / math.sqrt(2)
    assert found.low == pytest.approx(math.tanh(math.atanh(0.8) - half))
    assert found.high == pytest.approx(math.tanh(math.atanh(0.8) + half))
    assert correlation([1, 2, 3], [1, 3, 2]) is None  # fewer than 4 pairs


def test_residuals_are_what_the_person_and_the_level_do_not_explain():
    # one person, one level: the residuals are the deviations from their mean
    found = residuals([Observation("ana", "beginner", s) for s in (60, 70, 80)])
    assert found == pytest.approx([-10, 0, 10])


def test_french_scenarios_scored_lower_for_the_same_people_show_as_a_difference():
    runs = [Scored(p, "beginner", lang, base + (0 if lang == "en" else -12) + noise)
            for p, base in (("ana", 80), ("bo", 60), ("cy", 40))
            for lang in ("en", "fr") for noise in (-2, 2)]
    found = check(runs, [])
    assert found.language.estimate.value == pytest.approx(12, abs=0.01)
    assert found.language.estimate.low > 0 and found.runs == 12
    assert (found.language.n_first, found.language.n_second) == (6, 6)


def test_no_language_effect_gives_an_interval_around_zero():
    runs = [Scored(p, "beginner", lang, base + noise)
            for p, base in (("ana", 80), ("bo", 60)) for lang in ("en", "fr")
            for noise in (-3, 3)]
    found = check(runs, []).language
    assert found.estimate.low < 0 < found.estimate.high


def test_longer_replies_scoring_higher_for_the_same_person_show_as_a_correlation():
    replies = [Scored("ana", "beginner", "en", 50 + 40 * share, share)
               for share in (0.2, 0.4, 0.6, 0.8)] + \
              [Scored("bo", "beginner", "en", 30 + 40 * share, share)
               for share in (0.1, 0.3, 0.5, 0.9)]
    found = check([], replies)
    assert found.length.value > 0.99 and found.length.low > 0.9 and found.replies == 8
    assert found.language is None
