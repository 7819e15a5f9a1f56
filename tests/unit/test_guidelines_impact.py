"""A change of guidelines re-scores each model answer of a scenario with the old and new text."""

from sandbox.core.guidelines_impact import model_answer_changes
from sandbox.core.scenario import load_scenario, parse_guidelines_text
from tests.conftest import SHIPPED


def recall():
    loaded = load_scenario(SHIPPED / "sunnyfoods-recall.yaml")
    return loaded.scenario, loaded.guidelines, (SHIPPED / "guidelines" / "sunnyfoods.yaml")


def test_the_same_guidelines_change_no_model_answer():
    scenario, guidelines, _ = recall()
    changes = model_answer_changes(scenario, guidelines, guidelines)
    assert changes and not any(change.changed for change in changes)
    assert all(change.before_verdict == "pass" for change in changes)


def test_forbidding_a_word_of_the_model_answers_makes_them_fail():
    scenario, guidelines, path = recall()
    text = path.read_text().replace(
        "  - {phrase: no comment, reason: evasive}\n",
        "  - {phrase: no comment, reason: evasive}\n"
        "  - {phrase: refund, reason: not before Legal agrees, critical: true}\n")
    stricter = parse_guidelines_text(text, "sunnyfoods.yaml").guidelines
    changes = model_answer_changes(scenario, guidelines, stricter)
    failing = [change.event for change in changes if change.now_fails]
    assert len(failing) == 6 and "first_post" in failing  # the six that promise a refund
    assert all(change.after <= 20 for change in changes if change.now_fails)  # critical cap


def test_a_higher_pass_mark_changes_verdicts_but_not_scores():
    scenario, guidelines, path = recall()
    text = path.read_text().replace("verdicts: {pass: 70, coach: 50}",
                                    "verdicts: {pass: 99, coach: 98}")
    demanding = parse_guidelines_text(text, "sunnyfoods.yaml").guidelines
    changes = model_answer_changes(scenario, guidelines, demanding)
    moved = [change for change in changes if change.verdict_changed]
    assert moved and all(change.before == change.after for change in moved)
