"""The domain's words are defined once (sandbox.core.vocabulary) and never retyped elsewhere."""

import re
from pathlib import Path

from sandbox import runs
from sandbox.core import vocabulary

ROOT = Path(__file__).resolve().parents[2]


def test_every_action_has_a_label_and_every_action_that_writes_has_a_prompt():
    assert set(vocabulary.ACTION_LABELS) == set(vocabulary.ACTION_NAMES)
    assert set(vocabulary.COMPOSER_PROMPTS) == vocabulary.WRITES
    assert set(vocabulary.EXPECTED_ACTION_ADVICE) == set(vocabulary.EXPECTED_ACTIONS)


def test_the_practice_page_offers_only_actions_the_replay_accepts():
    assert set(vocabulary.PUBLIC_ITEM_ACTIONS) <= vocabulary.ACTIONS_ON["post"]
    assert set(vocabulary.DIRECT_MESSAGE_ACTIONS) <= vocabulary.ACTIONS_ON["dm"]


def test_no_template_retypes_an_action_label_or_the_longest_text():
    retyped = [str(label) for label in vocabulary.ACTION_LABELS.values() if " " in label]
    retyped += list(vocabulary.COMPOSER_PROMPTS.values()) + [str(runs.MAX_TEXT)]
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        for words in retyped:
            assert words not in text, f"{template.relative_to(ROOT)} retypes {words!r}"


def test_no_module_outside_the_vocabulary_lists_the_action_names_again():
    spelled_out = re.compile(r"""["']move_to_dm["'],\s*["']escalate["'],\s*["']hide["']""")
    for module in (ROOT / "sandbox").rglob("*.py"):
        if module.name == "vocabulary.py":
            continue
        assert not spelled_out.search(module.read_text()), module.relative_to(ROOT)
