"""What the debrief asks of a run: the branches that fired and how each expected reply went."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.core.replay.actions import ANSWERS, TraineeAction
from sandbox.core.replay.branches import FiredBranch, answered_by, index_actions, simulate
from sandbox.core.replay.compiled import CompiledScenario, compile_scenario
from sandbox.core.replay.feed import feed_at, shown_at
from sandbox.core.scenario.durations import format_duration

if TYPE_CHECKING:
    from sandbox.core.scenario import Scenario


def fired_branches(scenario: Scenario | CompiledScenario, *, at: int,
                   actions: Sequence[TraineeAction] = ()) -> list[FiredBranch]:
    """The branches that fired by `at`, in the order they fired."""
    return list(feed_at(scenario, at=at, actions=actions).fired)


@dataclass(frozen=True)
class ExpectedReply:
    """How the trainee handled one event that expected something (for the debrief timeline)."""

    event: str
    shown_at: int
    reply_within: int | None
    expected_actions: tuple[str, ...]
    answered_at: int | None  # first reply, DM or move to DM (or a DM to its author)
    delay: int | None  # answered_at - shown_at
    score: int | None  # the score of the first answer to this event
    on_time: bool | None  # None when no response time applies
    actions_taken: dict[str, int]  # action -> first time it was taken on this event
    missing_actions: tuple[str, ...]
    missed: bool  # nothing expected was done and the time for it is over


def expected_replies(scenario: Scenario | CompiledScenario, *, at: int,
                     actions: Sequence[TraineeAction] = (),
                     targets: Mapping[str, int] | None = None) -> list[ExpectedReply]:
    """Every visible event with `expect`, in the order they appeared, with what was done.

    `targets` gives the response time (seconds) of events whose `expect` sets no
    `reply_within`, as the scorer grades them (the guidelines' time for the topic or channel:
    sandbox.core.grading.response_target); without it such events have no deadline."""
    compiled = compile_scenario(scenario)
    feed = feed_at(compiled, at=at, actions=actions)
    taken = [action for action in actions if action.at <= feed.at]
    index = index_actions(compiled, taken)
    run = simulate(compiled, index, horizon=feed.at)
    results = []
    for item in feed.items:
        spec = compiled.events.get(item["id"])
        if spec is None or spec.expect is None:
            continue
        shown = shown_at(compiled, run, spec.id)
        expect = spec.expect
        wanted = tuple(expect.actions or ())
        done = {name: time for (ref, name), time in index.first_action.items() if ref == spec.id}
        answered = answered_by(spec, shown, index)
        first = index.first_reply.get(spec.id)
        within = expect.reply_within if expect.reply_within is not None \
            else (targets or {}).get(spec.id)
        deadline = None if within is None else shown + within
        answering = set(wanted) & ANSWERS or (set() if wanted else {"reply"})
        missing = tuple(name for name in wanted if name != "ignore" and name not in done
                        and not (name in ANSWERS and answered is not None))
        responded = (answered is not None if answering else False) or any(
            name in done for name in wanted) or wanted == ("ignore",)
        over = feed.finished or (deadline is not None and feed.at > deadline)
        results.append(ExpectedReply(
            event=spec.id, shown_at=shown, reply_within=within,
            expected_actions=wanted, answered_at=answered,
            delay=None if answered is None else answered - shown,
            score=first.score if first else None,
            on_time=None if deadline is None else (answered is not None and answered <= deadline),
            actions_taken=done, missing_actions=missing, missed=not responded and over))
    return results


def describe_condition(branch: FiredBranch) -> str:
    """`no reply within 10m`, `reply mentions "refund" or "money back" and reply passes`."""
    return " and ".join(_one_condition(name, value)
                        for name, value in branch.when or ((branch.condition, branch.value),))


def _one_condition(name: str, value) -> str:
    if name == "no_reply_within":
        return f"no reply within {format_duration(int(value))}"
    if name == "action":
        return f"action {value}"
    if value is True:
        return name.replace("_", " ")
    if isinstance(value, list | tuple):
        joined = " or " if name in ("reply_mentions", "reply_breaks") else " and "
        value = joined.join(f'"{item}"' for item in value)
    elif isinstance(value, str):
        value = f'"{value}"'
    return f"{name.replace('_', ' ')} {value}"
