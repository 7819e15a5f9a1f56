"""docs/scenario-format.md documents every code, and its examples are real."""

import re

import pytest

from sandbox.core.scenario import CODES, SHIPPED_SCENARIOS, parse_scenario_text

ROOT = SHIPPED_SCENARIOS.parent
DOC = (ROOT / "docs" / "scenario-format.md").read_text()
# The two examples of the design document (its sections 3 and 4), kept here so that every clone
# checks them: the design document itself lives outside the repository.
DESIGN_EXAMPLES = ROOT / "tests" / "data" / "design"


def section(code: str) -> str:
    match = re.search(rf"^### {code} — .*?(?=^### |\Z)", DOC, re.M | re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_documented_with_a_failing_and_a_fixed_example(code):
    text = section(code)
    assert text, f"{code} is not documented in docs/scenario-format.md"
    assert CODES[code].title in text
    assert re.search(r"Failing:\n\n```yaml\n", text) and re.search(r"Fixed:\n\n```yaml\n.+", text)


def test_the_documentation_mentions_no_code_that_does_not_exist():
    assert set(re.findall(r"^### ([A-Z]{3}\d{3})", DOC, re.M)) == set(CODES)


def test_the_complete_example_in_the_documentation_validates_cleanly():
    example = DOC.split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    loaded = parse_scenario_text(example, "example.yaml")
    assert loaded.ok and loaded.diagnostics == []


def test_the_shipped_scenarios_and_guidelines_validate_strictly():
    from sandbox.core.scenario import validate_paths

    report = validate_paths([SHIPPED_SCENARIOS])
    assert [d for d in report.diagnostics if d.severity != "info"] == []
    assert report.exit_code(strict=True) == 0


def test_the_design_examples_validate_cleanly():
    from sandbox.core.scenario import parse_guidelines_text

    scenario = (DESIGN_EXAMPLES / "scenario.yaml").read_text()
    guidelines = (DESIGN_EXAMPLES / "guidelines.yaml").read_text()
    assert parse_scenario_text(scenario, "design.yaml").diagnostics == []
    assert parse_guidelines_text(guidelines, "design-guidelines.yaml").diagnostics == []


def _model_answer_block(text: str) -> str:
    """The text with its `model_answer: |` block taken out."""
    return re.sub(r"( *)model_answer: \|\n(?:\1  .*\n|\n)*", "", text)


def test_the_shipped_recall_scenario_is_the_design_example_plus_tests_of_its_other_branches():
    """Word for word, but for its model answer, with lines added and none changed or removed:
    the design's example answer misses the brand's health-and-safety key message and sign-off
    (a shipped model answer passes its own brand's rules, tests/unit/test_shipped_scenarios.py),
    and the library's scenarios also react to a good answer and test every branch."""
    scenario = _model_answer_block((DESIGN_EXAMPLES / "scenario.yaml").read_text()).splitlines()
    shipped = _model_answer_block((SHIPPED_SCENARIOS / "sunnyfoods-recall.yaml").read_text())
    added = iter(shipped.splitlines())
    missing = [line for line in scenario if line not in added]  # in order: a subsequence
    assert missing == []
    assert scenario[-1].startswith("  "), "the example ends with `tests:`"
    assert len(shipped.splitlines()) > len(scenario)
