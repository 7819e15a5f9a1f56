"""Which runs count and how much evidence is enough: the rules HR reads on the board."""

from datetime import date

from sandbox.evidence import EvidenceRules, Sufficiency
from sandbox.talent_filters import PAGE_SIZE, BoardQuery, pages, parse_query

CHOICES = {"cohorts": {4: "Spring intake"}, "scenarios": {"sunnyfoods-recall": "Recall"},
           "columns": ("overall", "agility")}


def test_three_exam_runs_on_two_scenarios_are_enough_by_default():
    rules = EvidenceRules()
    assert Sufficiency(3, 2, rules).enough
    assert not Sufficiency(3, 1, rules).enough
    assert not Sufficiency(2, 2, rules).enough


def test_what_is_missing_is_said_in_words():
    rules = EvidenceRules()
    assert Sufficiency(1, 1, rules).missing == "2 more exam runs and 1 more scenario"
    assert Sufficiency(3, 1, rules).missing == "1 more scenario"
    assert Sufficiency(1, 1, rules).summary == "1 counted exam run on 1 scenario"


def test_the_thresholds_come_from_the_settings():
    rules = EvidenceRules.from_config({"TALENT_MIN_EXAM_RUNS": "5", "TALENT_MIN_SCENARIOS": 3,
                                       "TALENT_MIN_ANSWERED_SHARE": 0.25})
    assert rules == EvidenceRules(min_answered_share=0.25, min_exam_runs=5, min_scenarios=3)


def test_a_clean_query_is_read_whole():
    query, problems = parse_query({"cohort": "4", "start": "2026-03-01", "end": "2026-03-31",
                                   "scenario": "sunnyfoods-recall", "language": "fr",
                                   "sort": "agility", "page": "2"}, **CHOICES)
    assert problems == []
    assert query == BoardQuery(4, date(2026, 3, 1), date(2026, 3, 31), "sunnyfoods-recall", "fr",
                               "agility", 2)
    assert query.args(page=1) == {"cohort": "4", "start": "2026-03-01", "end": "2026-03-31",
                                  "scenario": "sunnyfoods-recall", "language": "fr",
                                  "sort": "agility"}


def test_nonsense_in_the_query_is_dropped_with_a_sentence_each():
    query, problems = parse_query({"cohort": "x'; drop", "start": "31/03/2026",
                                   "end": "2026-02-30", "scenario": "../etc", "language": "de",
                                   "sort": "password", "page": "99999999999999"}, **CHOICES)
    assert query == BoardQuery()
    assert len(problems) == 6
    assert "2026-03-31" in problems[1]


def test_a_period_given_backwards_is_turned_round():
    query, problems = parse_query({"start": "2026-04-01", "end": "2026-03-01"}, **CHOICES)
    assert (query.start, query.end) == (date(2026, 3, 1), date(2026, 4, 1))
    assert "swapped" in problems[0]


def test_a_page_past_the_end_shows_the_last_page():
    assert pages(0, 1) == (1, 1)
    assert pages(PAGE_SIZE + 1, 7) == (2, 2)


def test_a_threshold_the_app_cannot_use_stops_it_with_a_sentence(monkeypatch):
    import pytest

    from sandbox.config import SettingError, from_environment

    monkeypatch.setenv("TALENT_MIN_EXAM_RUNS", "three")
    with pytest.raises(SettingError, match="TALENT_MIN_EXAM_RUNS is 'three'; use a whole number"):
        from_environment()
    monkeypatch.setenv("TALENT_MIN_EXAM_RUNS", "4")
    monkeypatch.setenv("TALENT_MIN_ANSWERED_SHARE", "0.3")
    assert from_environment()["TALENT_MIN_EXAM_RUNS"] == 4
    assert from_environment()["TALENT_MIN_ANSWERED_SHARE"] == 0.3
