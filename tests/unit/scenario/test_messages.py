"""Findings read like a patient teacher: where, what, how to fix; no Python, no cascades."""

import json
import re
from pathlib import Path

import pytest

from sandbox.core.scenario import (
    Diagnostic,
    parse_scenario_text,
    render_github,
    render_json,
    render_text,
    validate_paths,
)

FIXTURES = Path(__file__).parents[2] / "data" / "scenarios"
VALID = (FIXTURES / "valid.yaml").read_text()
PYTHON_WORDS = re.compile(
    r"\b(str|int|dict|list\[|NoneType|None|bool|float|Traceback|pydantic|"
    r"ValidationError|Literal)\b"
)


def codes(text: str) -> list[str]:
    return [d.code for d in parse_scenario_text(text, "x.yaml").diagnostics]


def test_a_typo_in_a_persona_name_suggests_the_right_one():
    loaded = parse_scenario_text(
        VALID.replace("    from: maria\n    topic", "    from: mariaa\n    topic"), "recall.yaml"
    )
    [finding] = loaded.diagnostics
    assert finding.message == 'unknown persona "mariaa"'
    assert finding.hints == ['did you mean "maria"?']


def test_the_text_output_matches_the_documented_layout():
    loaded = parse_scenario_text(
        VALID.replace("    from: maria\n    topic", "    from: mariaa\n    topic"),
        "scenarios/recall.yaml",
    )
    assert render_text(loaded.diagnostics, loaded.sources) == (
        'scenarios/recall.yaml:18:11: error[SCN202]: unknown persona "mariaa"\n'
        "   |\n"
        "18 |     from: mariaa\n"
        "   |           ^^^^^^\n"
        '   = did you mean "maria"?\n'
    )


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("kind: tweet", "post"),
        ("kind: pm", "dm"),
        ("kind: reply", "comment"),
    ],
)
def test_words_from_other_tools_are_translated_by_the_alias_table(wrong, right):
    [finding] = parse_scenario_text(VALID.replace("kind: post", wrong)).diagnostics
    assert finding.code == "SCN104"
    assert f'did you mean "{right}"?' in finding.hints


def test_an_en_uk_locale_suggests_en_gb():
    [finding] = parse_scenario_text(VALID.replace("locale: en_GB", "locale: en_UK")).diagnostics
    assert finding.hints[0] == 'did you mean "en_GB"?'


def test_a_near_miss_goto_does_not_also_report_the_scene_as_unused():
    assert codes(VALID.replace("goto: pile_on", "goto: pileon")) == ["SCN205"]


def test_a_scene_nobody_goes_to_is_reported_as_unused():
    assert codes(VALID.replace("goto: pile_on", "goto: end")) == ["SCN308"]


def test_a_broken_event_does_not_make_its_scene_look_unused():
    assert codes(VALID.replace("kind: post", "kind: tweet")) == ["SCN104"]


def test_at_in_a_scene_is_one_finding_not_also_a_missing_after():
    assert codes(VALID.replace("    - after: 0s", "    - at: 0s")) == ["SCN209"]


def test_a_misspelt_fake_key_is_one_finding_not_also_a_missing_fake():
    text = VALID.replace("name: Maria Kowalski,", "name: {faker: name},")
    [finding] = parse_scenario_text(text).diagnostics
    assert (finding.code, finding.hints[0]) == ("SCN102", 'did you mean "fake"?')


def test_reference_errors_are_still_found_when_another_part_is_broken():
    text = VALID.replace("title: Fixture scenario", "title: [a list]").replace(
        "escalate_to: quality_team", "escalate_to: qualiti_team"
    )
    assert codes(text) == ["SCN105", "SCN204"]


def test_a_hashtag_that_empties_a_text_is_explained_as_a_hashtag():
    [finding] = parse_scenario_text(
        VALID.replace("text: Still no answer?", "text: #recall")
    ).diagnostics
    assert (finding.code, finding.severity) == ("SCN302", "error")
    assert finding.hints == ['put the text in double quotes: "#recall"']


def test_a_misplaced_key_says_where_it_belongs():
    [finding] = parse_scenario_text(
        VALID.replace("    kind: post\n", "    kind: post\n    must_mention: [sorry]\n")
    ).diagnostics
    assert finding.code == "SCN103"
    assert "under `expect:`" in finding.message


def test_a_model_answer_phrase_is_pointed_at_inside_a_block_text():
    text = VALID.replace(
        "      model_answer: Hi Maria, batch 22B is recalled - please DM us for a refund.\n",
        "      must_not_say: [our fault]\n      model_answer: |\n        Hi Maria, batch 22B is "
        "recalled.\n        Sorry, this is our fault.\n",
    )
    [finding] = [d for d in parse_scenario_text(text).diagnostics if d.code == "SCN303"]
    line = text.splitlines()[finding.line - 1]
    assert line[finding.column - 1 : finding.end_column - 1] == "our fault"


def test_messages_never_show_python_type_names():
    fixtures = sorted(FIXTURES.glob("*.yaml")) + sorted((FIXTURES / "guidelines").glob("*.yaml"))
    report = validate_paths(fixtures)
    assert report.diagnostics
    for finding in report.diagnostics:
        for text in [finding.message, *finding.hints]:
            assert not PYTHON_WORDS.search(text), (finding.code, text)


def test_json_output_has_exactly_the_contract_keys():
    finding = Diagnostic("a.yaml", 3, 5, None, "error", "SCN202", 'unknown persona "x"', ["hint"])
    [item] = json.loads(render_json([finding]))
    assert item == {
        "path": "a.yaml",
        "line": 3,
        "column": 5,
        "severity": "error",
        "code": "SCN202",
        "message": 'unknown persona "x"',
        "hints": ["hint"],
    }


def test_github_output_is_one_workflow_command_per_finding():
    findings = [
        Diagnostic("a, b.yaml", 3, 5, None, "error", "SCN202", "50% wrong\nreally"),
        Diagnostic("a.yaml", 1, 1, 2, "info", "SCN305", "no model answer"),
    ]
    assert render_github(findings).splitlines() == [
        "::error file=a%2C b.yaml,line=3,col=5::SCN202: 50%25 wrong%0Areally",
        "::notice file=a.yaml,line=1,col=1::SCN305: no model answer",
    ]


def test_a_phrase_both_required_and_forbidden_is_one_finding_not_also_a_missing_mention():
    text = VALID.replace("must_mention: [batch 22B]", "must_mention: [batch 22B, calm down]")
    assert codes(text) == ["SCN315"]


def test_a_number_written_as_words_says_how_to_write_it():
    text = VALID.replace("handle: maria_k}", "handle: maria_k, followers: lots}")
    [finding] = parse_scenario_text(text).diagnostics
    assert finding.message == "`followers` should be a whole number, not text"
    assert finding.hints == ["write digits only, without quotes or words, e.g. 1240"]


def test_a_quote_left_open_is_reported_where_it_opens_not_where_the_text_ends():
    text = VALID.replace("title: Fixture scenario", 'title: "Fixture scenario').replace(
        "id: first_post", 'id: first_post  # "the first"')
    [finding] = parse_scenario_text(text, "open.yaml").diagnostics
    assert (finding.code, finding.line, finding.column) == ("SCN005", 4, 8)
    assert "never closed" in finding.message


def test_a_tab_after_a_list_dash_is_named_as_a_tab():
    text = VALID.replace("  - id: first_post", "  -\tid: first_post")
    [finding] = parse_scenario_text(text, "tab.yaml").diagnostics
    assert (finding.code, finding.line, finding.column) == ("SCN001", 15, 4)
