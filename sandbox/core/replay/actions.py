"""What the trainee did, when (in simulated seconds), and the errors a bad action gets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from sandbox.core.scenario.durations import DurationError, format_duration, parse_duration
from sandbox.core.vocabulary import ACTION_NAMES, ANSWERS, BROKEN_BELOW, WRITES

__all__ = ["ACTION_NAMES", "ANSWERS", "WRITES", "ActionName", "ActionRejected", "ReplayError",
           "TraineeAction", "action_from_record", "actions_from_records", "broken_criteria",
           "graded", "moved_to_dm"]

ActionName = Literal[ACTION_NAMES]  # type: ignore[valid-type]


class ReplayError(ValueError):
    """A problem a person reads: what is wrong and how to fix it, never a traceback."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ActionRejected(ReplayError):
    """The trainee's action cannot be taken: unknown event, not visible yet, after the end, ..."""

    def __init__(self, message: str, hint: str | None = None, *, index: int | None = None,
                 reason: str | None = None):
        super().__init__(message, hint)
        self.index = index  # position of the offending action in the list, from 0
        self.reason = reason  # the message without "action N (...)", for a form next to it


@dataclass(frozen=True)
class TraineeAction:
    """One thing the trainee did. `score` is the reply's overall score, `verdict` its verdict
    and `broken` the scorer criteria it broke, supplied by the caller (`graded`); None when
    the reply was not graded."""

    at: int
    action: ActionName
    event: str
    text: str | None = None
    to: str | None = None
    score: int | None = None
    verdict: str | None = None
    broken: frozenset[str] | None = None

    def describe(self) -> str:
        return f'{self.action} on "{self.event}" at {format_duration(self.at)}'


def broken_criteria(criteria: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The criteria a reply broke: scored below BROKEN_BELOW, or raised a critical finding."""
    return frozenset(c["id"] for c in criteria
                     if c.get("critical") or c.get("score", 100) < BROKEN_BELOW)


def graded(action: TraineeAction, result: Mapping[str, Any] | None) -> TraineeAction:
    """`action` with what the scorer said of it (the JSON of DESIGN.md section 6), for the
    branches on scores and criteria. The one way a score reaches the replay."""
    if not result:
        return action
    return replace(action, score=result["overall"], verdict=result.get("verdict"),
                   broken=broken_criteria(result.get("criteria", ())))


def action_from_record(record: Mapping[str, Any] | Any, *, where: str = "action") -> TraineeAction:
    """A TraineeAction from a mapping (`{at: 3m, action: reply, ...}`) or a model with those fields.

    `at` is a duration with a unit (`3m`) or already a number of seconds from a typed model.
    """
    get = record.get if isinstance(record, Mapping) else (lambda key: getattr(record, key, None))
    if isinstance(record, Mapping):
        unknown = sorted(set(record) - {"at", "action", "event", "text", "to", "score", "dm"})
        if unknown:
            raise ReplayError(f'{where}: unknown key "{unknown[0]}"',
                              "an action has at, action, event, text, to, score and dm")
    at = get("at")
    if at is None:
        raise ReplayError(f"{where}: missing `at`", "write when it happens, e.g. at: 3m")
    if isinstance(at, bool) or (isinstance(at, int | float) and isinstance(record, Mapping)):
        raise ReplayError(f'{where}: "{at}" has no unit', f"write at: {at}s or at: {at}m")
    if isinstance(at, str):
        try:
            at = parse_duration(at)
        except DurationError as error:
            raise ReplayError(f"{where}: {error.message}", error.hint) from None
    name = get("action")
    if name not in ACTION_NAMES:
        raise ReplayError(f'{where}: "{name}" is not an action',
                          "use one of " + ", ".join(ACTION_NAMES))
    event = get("event")
    if not isinstance(event, str) or not event:
        raise ReplayError(f"{where}: missing `event`", "name the event acted on, e.g. first_post")
    score = get("score")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int)
                              or not 0 <= score <= 100):
        raise ReplayError(f'{where}: score "{score}" is not a number from 0 to 100')
    text, to = get("text"), get("to")
    return TraineeAction(at=int(at), action=name, event=event,
                         text=None if text is None else str(text),
                         to=None if to is None else str(to), score=score)


def moved_to_dm(action: TraineeAction, message: str | None) -> list[TraineeAction]:
    """A move to DM as it is played and graded: the public note (`action`, its text shown in
    the public thread) and, when there is one, the first private message, at the same instant
    (DESIGN.md section 5). The one way the web app and the actions files split it."""
    if action.action != "move_to_dm" or not (message or "").strip():
        return [action]
    return [action, TraineeAction(at=action.at, action="dm", event=action.event,
                                  text=message.strip())]


def actions_from_records(records: Iterable[Any], *, where: str = "action") -> list[TraineeAction]:
    """Actions from a YAML list or typed test actions; errors name the item (1-based). A
    `move_to_dm` with a `dm:` becomes its public note and its private message."""
    if isinstance(records, str | bytes | Mapping):
        raise ReplayError(f"{where}s must be a list of actions",
                          "write a list: - {at: 3m, action: reply, event: first_post, text: ...}")
    actions: list[TraineeAction] = []
    for number, record in enumerate(records, start=1):
        action = action_from_record(record, where=f"{where} {number}")
        message = record.get("dm") if isinstance(record, Mapping) else getattr(record, "dm", None)
        if message is not None and action.action != "move_to_dm":
            raise ReplayError(f"{where} {number}: `dm` goes with move_to_dm only",
                              "write the private message of a move to DM in `dm`, and its "
                              "public note in `text`")
        actions += moved_to_dm(action, None if message is None else str(message))
    return actions
