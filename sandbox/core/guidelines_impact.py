"""What a change of guidelines does to the scenarios that use them: each model answer scored
with the saved guidelines and with the new text, through the one grading path
(sandbox.core.grading.grade_action), so the editor shows which would now fail or change verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.core.grading import grade_action
from sandbox.core.replay import TraineeAction, compile_scenario

if TYPE_CHECKING:
    from sandbox.core.scenario.guidelines import Guidelines
    from sandbox.core.scenario.models import Scenario

PROMPT = 60  # a model answer is sent a minute after its post appears: a prompt answer


@dataclass(frozen=True)
class AnswerChange:
    """One model answer's score with the saved guidelines (before) and the new ones (after)."""

    scenario: str  # the scenario's id
    title: str
    event: str
    before: int
    before_verdict: str
    after: int
    after_verdict: str

    @property
    def verdict_changed(self) -> bool:
        return self.before_verdict != self.after_verdict

    @property
    def now_fails(self) -> bool:
        return self.after_verdict == "fail" and self.before_verdict != "fail"

    @property
    def changed(self) -> bool:
        return self.verdict_changed or self.before != self.after


def model_answer_changes(scenario: Scenario, before: Guidelines, after: Guidelines
                         ) -> list[AnswerChange]:
    """Every model answer of `scenario`, scored with `before` and with `after`, in event order."""
    compiled = compile_scenario(scenario)
    found = []
    for event in compiled.events.values():
        answer = event.expect.model_answer if event.expect is not None else None
        if not answer:
            continue
        action = TraineeAction(at=(event.static_at or 0) + PROMPT, action="reply",
                               event=event.id, text=answer)
        old = grade_action(scenario, before, earlier=[], action=action)
        new = grade_action(scenario, after, earlier=[], action=action)
        if old is None or new is None:
            continue
        found.append(AnswerChange(scenario.id, scenario.title, event.id, old.overall,
                                  old.verdict, new.overall, new.verdict))
    return found
