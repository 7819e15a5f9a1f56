"""Scripted runs: scores for scripted replies, and the scenario `tests:` block.

The replay never grades anything itself: a live run gets its scores from the web app. A scripted
run (an actions file, a scenario test) has no web app, so replies without a `score:` are graded
here with the scorer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sandbox.core.replay.actions import (
    ANSWERS,
    ReplayError,
    TraineeAction,
    actions_from_records,
    graded,
)
from sandbox.core.replay.branches import FiredBranch
from sandbox.core.replay.compiled import compile_scenario
from sandbox.core.replay.feed import Feed, feed_at


def fill_scores(scenario: Any, guidelines: Any, actions: Sequence[TraineeAction]
                ) -> list[TraineeAction]:
    """The actions with what the scorer says of every answer that has a text, graded exactly
    as the web app grades them (sandbox.core.grading): the score, the verdict and the
    criteria broken (for `reply_breaks`, `reply_passes`).

    A `score:` given in the script stands for the overall (and the verdict follows it); the
    criteria still come from the scorer. Without guidelines, answers keep only their given
    score: the branches on verdicts and criteria then do not fire for them.
    """
    if guidelines is None:
        return list(actions)
    from sandbox.core.grading import grade_action, verdict_of

    filled: list[TraineeAction] = []
    for action in actions:
        if action.action in ANSWERS and action.text:
            result = grade_action(scenario, guidelines, earlier=filled, action=action)
            if result is not None:
                given = action.score
                action = graded(action, result.as_json())
                if given is not None:
                    action = replace(action, score=given, verdict=verdict_of(
                        scenario, guidelines, event=action.event, overall=given))
        filled.append(action)
    return filled


@dataclass
class TestOutcome:
    """What one scenario test showed: passed, or what was expected against what happened."""

    __test__ = False  # not a pytest class
    name: str
    passed: bool
    at: int
    missing: list[str] = field(default_factory=list)  # expected but not visible
    unexpected: list[str] = field(default_factory=list)  # in expect_absent but visible
    visible: list[str] = field(default_factory=list)  # scenario events visible at `at`
    fired: list[FiredBranch] = field(default_factory=list)
    error: str | None = None


def run_scenario_test(scenario: Any, test: Any, *, guidelines: Any = None) -> TestOutcome:
    """Play one entry of the scenario's `tests:` and compare what appeared with what it expects."""
    compiled = compile_scenario(scenario)
    at = test.at if getattr(test, "at", None) is not None else scenario.duration
    outcome = TestOutcome(name=test.name, passed=False, at=at)
    unknown = [ref for ref in [*test.expect_events, *getattr(test, "expect_absent", ())]
               if ref not in compiled.events and ref not in compiled.aliases]
    if unknown:
        outcome.error = (f'the test expects an unknown event "{unknown[0]}"; events are timeline '
                         "ids and scene events as scene.index (pile_on.0)")
        return outcome
    try:
        actions = actions_from_records(test.actions)
        if guidelines is not None:
            actions = fill_scores(scenario, guidelines, actions)
        feed: Feed = feed_at(compiled, at=at, actions=actions)
    except ReplayError as error:
        outcome.error = str(error)
        return outcome
    visible = {compiled.canonical(ref) for ref in feed.ids()}
    outcome.visible = [item["id"] for item in feed.items if item["id"] in compiled.events]
    outcome.fired = list(feed.fired)
    outcome.missing = [ref for ref in test.expect_events if compiled.canonical(ref) not in visible]
    outcome.unexpected = [ref for ref in getattr(test, "expect_absent", ())
                          if compiled.canonical(ref) in visible]
    outcome.passed = not outcome.missing and not outcome.unexpected
    return outcome


def run_scenario_tests(scenario: Any, *, guidelines: Any = None) -> list[TestOutcome]:
    """Every entry of the scenario's `tests:`, in order: what `sandbox scenario test` prints and
    the editor's "Run tests" shows."""
    return [run_scenario_test(scenario, test, guidelines=guidelines) for test in scenario.tests]
