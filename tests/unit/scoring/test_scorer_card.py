"""docs/scorer.md tells the truth: its figures are the ones the scorer reaches today, and it
documents every criterion and every harm rule. (Regenerate the figures with
`.venv/bin/python benchmarks/scorer_quality.py --skip-frozen --write-card`.)"""

import re
from pathlib import Path

import pytest

from benchmarks.evaluation import (
    FROZEN,
    PAIR_SETS,
    VERDICT_SETS,
    card_figures,
    evaluate,
    evaluate_verdicts,
    pair_folder,
    verdict_file,
)
from sandbox.core.scoring import harm
from sandbox.core.scoring.results import CRITERIA

ROOT = Path(__file__).resolve().parents[3]
CARD = ROOT / "docs" / "scorer.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"
# frozen.jsonl must not be scored while the scorer is being tuned: the lead engineer flips this
# once the tuning is finished and the card has been regenerated without --skip-frozen.
COMPARE_FROZEN = True


def _card_text() -> str:
    return CARD.read_text(encoding="utf-8")


def _figures_in_card() -> str:
    text = _card_text()
    assert START in text and END in text, "docs/scorer.md lost its figures markers"
    return text[text.index(START) + len(START):text.index(END)].strip("\n") + "\n"


def _without_frozen(figures: str) -> str:
    """The figures minus every line about frozen.jsonl: its table rows and its section."""
    kept, skipping = [], False
    for line in figures.splitlines():
        if line.startswith("#"):
            skipping = line.startswith("#### frozen")
        if not skipping and not line.startswith("| frozen"):
            kept.append(line)
    return "\n".join(kept)


@pytest.fixture(scope="module")
def current_figures() -> str:
    verdicts = {name: evaluate_verdicts(verdict_file(name))
                if name != FROZEN or COMPARE_FROZEN else None for name in VERDICT_SETS}
    pairs = {name: evaluate(pair_folder(name)) for name in PAIR_SETS}
    return card_figures(verdicts, pairs)


def test_the_scorer_card_shows_the_figures_the_scorer_reaches_today(current_figures):
    card, now = _figures_in_card(), current_figures
    if not COMPARE_FROZEN:
        card, now = _without_frozen(card), _without_frozen(now)
    assert card == now, ("docs/scorer.md is stale: run .venv/bin/python "
                         "benchmarks/scorer_quality.py --skip-frozen --write-card")


def test_the_frozen_rows_are_left_out_of_the_comparison_only_while_the_flag_says_so():
    figures = _figures_in_card()
    assert f"| {FROZEN}.jsonl" in figures and f"#### {FROZEN}.jsonl" in figures
    if not COMPARE_FROZEN:
        assert "not yet measured" in _figures_in_card()


def test_every_criterion_is_documented_on_the_card():
    text = _card_text()
    missing = [c for c in CRITERIA if f"`{c}`" not in text]
    assert not missing, f"document these criteria in docs/scorer.md: {missing}"


def test_every_harm_rule_is_documented_on_the_card():
    source = Path(harm.__file__).read_text(encoding="utf-8") + \
        Path(harm.__file__).with_name("contradictions.py").read_text(encoding="utf-8")
    rules = set(re.findall(r"\bharm\.(?!py\b)[a-z_]+", source))
    rules |= {f"harm.{kind}" for kind in harm._HOME}
    text = _card_text()
    missing = sorted(rule for rule in rules if f"`{rule}`" not in text)
    assert not missing, f"document these harm rules in docs/scorer.md: {missing}"


def test_the_card_documents_privacy_exposure_with_the_harms():
    assert "`guidelines.privacy.never_public`" in _card_text()
