"""Every starting point of "New scenario" is a scenario that could be published as it is: no error
or warning, its tests pass, and its model answer passes its guidelines."""

import itertools

import pytest

from sandbox.core.grading import grade_action
from sandbox.core.replay import TraineeAction
from sandbox.core.replay.scripted import run_scenario_test
from sandbox.core.scenario import SHIPPED_GUIDELINES, load_guidelines, parse_scenario_text
from sandbox.core.situations import LEVELS, SITUATIONS, scenario_text

GUIDELINES = sorted(path.stem for path in SHIPPED_GUIDELINES.glob("*.yaml"))


def generated(guidelines_id, situation, network="twitter", level="intermediate"):
    guidelines = load_guidelines(SHIPPED_GUIDELINES / f"{guidelines_id}.yaml").guidelines
    text = scenario_text(f"new-{situation}", situation=situation, guidelines=guidelines,
                         network=network, level=level)
    return parse_scenario_text(text, f"new-{situation}.yaml", [SHIPPED_GUIDELINES])


@pytest.mark.parametrize(("guidelines_id", "situation"),
                         list(itertools.product(GUIDELINES, SITUATIONS)))
def test_each_situation_for_each_brand_validates_strictly_and_its_tests_pass(guidelines_id,
                                                                             situation):
    for network in ("twitter", "facebook"):
        loaded = generated(guidelines_id, situation, network)
        assert [(d.code, d.message) for d in loaded.diagnostics] == []
        assert len(loaded.scenario.tests) == 2
        for test in loaded.scenario.tests:
            assert run_scenario_test(loaded.scenario, test, guidelines=loaded.guidelines).passed


@pytest.mark.parametrize("guidelines_id", GUIDELINES)
def test_the_model_answer_passes_the_brands_guidelines(guidelines_id):
    for situation in SITUATIONS:
        loaded = generated(guidelines_id, situation)
        event = loaded.scenario.timeline[0]
        answer = TraineeAction(at=120, action="reply", event=event.id,
                               text=event.expect.model_answer)
        score = grade_action(loaded.scenario, loaded.guidelines, earlier=[], action=answer)
        assert score.verdict == "pass", (situation, score.overall)


def test_the_level_sets_the_length_the_expected_delay_and_the_virality():
    for level, (duration, delay, virality) in LEVELS.items():
        scenario = generated("sunnyfoods", "recall", level=level).scenario
        event = scenario.timeline[0]
        assert scenario.difficulty == level
        assert (scenario.duration, event.expect.reply_within) == (
            int(duration[:-1]) * 60, int(delay[:-1]) * 60)
        assert event.virality == virality


def test_the_guidelines_protocol_is_expected_and_names_an_expert():
    event = generated("sunnyfoods", "recall").scenario.timeline[0]
    assert event.expect.actions == ["reply", "escalate"]
    assert event.expect.escalate_to == "quality_team"


def test_the_same_name_gives_the_same_people():
    assert generated("default", "complaint").scenario.personas == \
        generated("default", "complaint").scenario.personas
