"""Scenario tests played by the core, without the command line."""

from sandbox.core.replay.scripted import fill_scores, run_scenario_test
from sandbox.core.scenario import ScenarioTest
from tests.unit.replay.conftest import act, reply


def scenario_test(**fields) -> ScenarioTest:
    return ScenarioTest.model_validate({"name": "a test", **fields})


def test_a_test_that_expects_an_unknown_event_is_an_error_not_a_failure_to_fire(recall):
    outcome = run_scenario_test(recall, scenario_test(expect_events=["pile_on.7"]))
    assert not outcome.passed
    assert outcome.error.startswith('the test expects an unknown event "pile_on.7"')


def test_a_test_passes_when_its_events_appear_and_the_absent_ones_do_not(recall):
    test = scenario_test(actions=[{"at": "1m", "action": "escalate", "event": "first_post"}],
                         expect_events=["quality_answers.0"], expect_absent=["pile_on.0"],
                         at="5m")
    outcome = run_scenario_test(recall, test)
    assert outcome.passed, outcome
    assert "quality_answers.0" in outcome.visible


def test_a_failing_test_lists_what_is_missing_and_what_fired(recall):
    outcome = run_scenario_test(recall, scenario_test(expect_absent=["pile_on.0"]))
    assert not outcome.passed and outcome.unexpected == ["pile_on.0"]
    assert [branch.goto for branch in outcome.fired] == ["pile_on"]


def test_without_guidelines_scripted_replies_keep_no_score(recall):
    actions = [reply(60), act(90, "like")]
    assert fill_scores(recall, None, actions) == actions
