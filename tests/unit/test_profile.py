"""A trainee's A.C.E. profile is the mean of their finished runs, with the trend in order."""

from datetime import UTC, datetime, timedelta

from sandbox.models import Run
from sandbox.profile import profile_of

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def finished_run(day: int, overall: int, agility: int, coherence: int, efficiency: int) -> Run:
    return Run(user_id=1, scenario_id="s", scenario_digest="x", guidelines_digest="y",
               mode="practice", started_at=START + timedelta(days=day),
               finished_at=START + timedelta(days=day, minutes=30), overall=overall,
               result={"dimensions": {"agility": agility, "coherence": coherence,
                                      "efficiency": efficiency}})


def test_the_profile_averages_finished_runs_and_ignores_runs_in_progress():
    runs = [finished_run(2, 80, 90, 70, 80), finished_run(1, 40, 50, 30, 40),
            Run(user_id=1, scenario_id="s", scenario_digest="x", guidelines_digest="y",
                mode="practice", started_at=START)]
    profile = profile_of(runs)
    assert profile.runs == 2 and profile.overall == 60
    assert profile.dimensions == {"agility": 70, "coherence": 50, "efficiency": 60}
    assert profile.trend == [40, 80]  # oldest first


def test_a_newcomer_has_an_empty_profile():
    profile = profile_of([])
    assert profile.runs == 0 and profile.overall is None and profile.sparkline() == ""


def test_the_radar_reaches_the_edge_only_for_a_perfect_score():
    perfect = profile_of([finished_run(1, 100, 100, 100, 100)])
    assert perfect.radar_points() == perfect.grid_points(1.0)
    assert profile_of([finished_run(1, 50, 50, 50, 50)]).radar_points() == perfect.grid_points(0.5)
