"""The validator on branches about what the reply said: combinations allowed, criteria known,
contradictions and shadowed branches reported, and narrow-before-broad left alone."""

from pathlib import Path

from sandbox.core.scenario import parse_scenario_text

BASE = (Path(__file__).parents[2] / "data" / "scenarios" / "scn218.yaml").read_text()
BRANCH = "      - when: {reply_breaks: personal_data}\n        goto: pile_on\n"


def findings(*whens: str) -> list[tuple[str, str]]:
    branches = "".join(f"      - when: {when}\n        goto: pile_on\n" for when in whens)
    loaded = parse_scenario_text(BASE.replace(BRANCH, branches), "scenarios/replies.yaml")
    return [(d.code, d.message) for d in loaded.diagnostics if d.severity != "info"]


def codes(*whens: str) -> list[str]:
    return [code for code, _ in findings(*whens)]


def test_reply_conditions_combine_and_narrow_branches_before_broad_ones_are_clean():
    assert codes("{reply_breaks: privacy}", "{reply_mentions: [refund, money back], "
                 "reply_passes: true}", "{reply_passes: true}", "{reply_lacks: sorry}",
                 "{reply_score_at_least: 0}") == []


def test_a_wait_or_an_action_does_not_combine_with_a_reply_condition():
    assert codes("{no_reply_within: 10m, reply_passes: true}") == ["SCN110"]
    assert codes("{action: escalate, reply_mentions: sorry}") == ["SCN110"]


def test_an_unknown_criterion_is_an_error_that_suggests_the_right_one():
    [(code, message)] = findings("{reply_breaks: [privacy, politness]}")
    assert (code, message) == ("SCN218", 'unknown scorer criterion "politness"')


def test_a_pass_after_a_catch_all_score_branch_is_shadowed():
    assert codes("{reply_score_at_least: 0}", "{reply_passes: true}") == ["SCN318"]


def test_a_narrower_phrase_after_a_broader_one_is_shadowed_but_not_the_reverse():
    assert codes("{reply_mentions: [sorry, apologise]}", "{reply_mentions: sorry}") == ["SCN318"]
    assert codes("{reply_mentions: sorry}", "{reply_mentions: [sorry, apologise]}") == []
    assert codes("{reply_lacks: sorry}", "{reply_lacks: [sorry, apologise]}") == ["SCN318"]


def test_a_combined_branch_after_one_of_its_own_conditions_is_shadowed():
    assert codes("{reply_breaks: privacy}", "{reply_breaks: privacy, reply_score_below: 30}") \
        == ["SCN318"]
    assert codes("{reply_breaks: privacy, reply_score_below: 30}", "{reply_breaks: privacy}") \
        == []


def test_two_plain_score_branches_stay_reported_as_scn307_only():
    assert codes("{reply_score_below: 60}", "{reply_score_below: 40}") == ["SCN307"]


def test_conditions_no_reply_can_meet_together_are_reported():
    assert codes("{reply_score_below: 50, reply_score_at_least: 60}") == ["SCN319"]
    assert codes("{reply_mentions: refund, reply_lacks: [refund, money back]}") == ["SCN319"]
    assert codes("{reply_passes: true, reply_score_below: 50}") == ["SCN319"]
    assert codes("{reply_breaks: facts, reply_passes: [facts, privacy]}") == ["SCN319"]


def test_the_schema_offers_exactly_the_scorers_criteria_to_editors():
    import json
    import re

    from sandbox.core.scenario import SHIPPED_SCENARIOS
    from sandbox.core.scoring.results import CRITERIA

    schema = (SHIPPED_SCENARIOS / "schema" / "scenario.schema.json").read_text()
    [described] = {d for d in re.findall(r'"description": ("A scorer criterion id[^"]*")', schema)}
    named = json.loads(described).split("(", 1)[1].split(")", 1)[0].split(", ")
    assert named == list(CRITERIA)
