"""The talent board's arithmetic: percentiles, trend and flags, explained."""

from types import SimpleNamespace

from sandbox import talent
from sandbox.evidence import EvidenceRules, Sufficiency
from sandbox.profile import Profile
from sandbox.talent import TOP_POPULATION, TalentRow, flags_for, percentile, trend_gain


def test_percentile_counts_those_below_and_half_the_ties():
    population = sorted([10, 20, 30, 40])
    assert percentile(40, population) == 88
    assert percentile(10, population) == 12
    assert percentile(25, population) == 50
    assert percentile(50, []) == 0


def test_the_trend_compares_the_latest_third_of_runs_with_the_first():
    assert trend_gain([40, 50]) is None  # too few runs to speak of a trend
    assert trend_gain([40, 55, 60]) == 20
    assert trend_gain([30, 34, 50, 52, 70, 74]) == 40


def row(trend, percentiles, scenarios=2):
    profile = Profile(runs=len(trend), dimensions={}, overall=round(sum(trend) / len(trend)),
                      trend=trend)
    return TalentRow(user=SimpleNamespace(name="Kim"), profile=profile,
                     runs=[object()] * len(trend), scores=[], graded_replies=len(trend),
                     sufficiency=Sufficiency(len(trend), scenarios, EvidenceRules()),
                     percentiles=percentiles)


def test_a_trainee_climbing_ten_points_is_flagged_rising_with_the_figure_and_evidence():
    [flag] = flags_for(row([40, 48, 55], {"overall": 50}), ranked=10)
    assert flag.label == "rising" and "+15 points" in flag.why
    assert flag.evidence == "3 counted exam runs on 2 scenarios"


def test_steady_high_scorers_are_flagged_and_their_strong_dimensions_named():
    labels = [f.label for f in flags_for(row([82, 85, 84], {
        "overall": 90, "agility": 95, "coherence": 60, "efficiency": 85}), ranked=10)]
    assert labels == ["top 20%", "steady", "strong agility & efficiency"]


def test_the_top_of_a_handful_of_people_is_not_a_flag():
    labels = [f.label for f in flags_for(row([82, 85, 84], {"overall": 90, "agility": 95}),
                                         ranked=TOP_POPULATION - 1)]
    assert labels == ["steady"]


def test_below_the_minimum_of_evidence_nobody_is_flagged():
    assert flags_for(row([95], {"overall": 100, "agility": 100}), ranked=10) == []
    assert flags_for(row([40, 48, 55], {"overall": 50}, scenarios=1), ranked=10) == []


def test_strengths_name_what_replies_delivered_never_a_clean_hygiene_check():
    from sandbox.models import Run

    def criterion(name, score):
        return {"id": name, "score": score, "findings": [{"message": f"{name} note"}]}

    runs = [Run(id=number, user_id=1, scenario_id="s", mode="exam", speed=1.0,
                result={"events": [{"result": {"criteria": [
                    criterion("forbidden", 100), criterion("privacy", 100),
                    criterion("length", 100), criterion("empathy", 90),
                    criterion("key_messages", 85), criterion("resolution", 40)]}}]})
            for number in (1, 2)]
    strengths, gaps = talent.evidence(runs)
    assert [s.criterion for s in strengths] == ["empathy", "key_messages"]
    assert [g.criterion for g in gaps] == ["resolution"]


def test_a_top_score_whose_band_reaches_the_middle_of_the_board_is_not_flagged_top():
    from sandbox.core.ability import Ability

    sure, unsure = (row([82, 85, 84], {"overall": 90, "agility": 95}) for _ in range(2))
    sure.ability = {"overall": Ability(84, 3, 3), "agility": Ability(90, 3, 3)}
    unsure.ability = {"overall": Ability(84, 15, 3), "agility": Ability(90, 15, 3)}
    middle = {"overall": 70, "agility": 75}
    assert [f.label for f in flags_for(sure, ranked=10, middle=middle)] == \
        ["top 20%", "steady", "strong agility"]
    assert [f.label for f in flags_for(unsure, ranked=10, middle=middle)] == ["steady"]
