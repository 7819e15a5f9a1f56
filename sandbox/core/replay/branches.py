"""Which branches fire, when scenes start, when the run ends (DESIGN.md section 5).

An event's branches are decided in chronological order of when each condition becomes decidable;
at the same instant, list order wins; the first that fires closes that event's branches. A scene
starts the first time a branch goes to it (later branches to the same scene are recorded but do not
replay it); `goto: end` finishes the run at that instant.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from sandbox.core.phrases import contains
from sandbox.core.replay.actions import ANSWERS, TraineeAction
from sandbox.core.replay.compiled import CompiledScenario, EventSpec
from sandbox.core.vocabulary import PRIVATE_ANSWERS


@dataclass(frozen=True)
class FiredBranch:
    """A branch that fired: on which event, which condition, where it went and when."""

    event: str
    index: int
    condition: str
    value: int | str
    goto: str
    at: int
    when: tuple[tuple[str, Any], ...] = ()  # every condition of the branch, all of which held

    def to_json(self) -> dict[str, Any]:
        return {"event": self.event, "index": self.index, "condition": self.condition,
                "value": self.value, "goto": self.goto, "at": self.at,
                "when": dict(self.when or ((self.condition, self.value),))}


@dataclass
class FirstReply:
    """What the trainee's first answer to an event said, for the reply conditions. Answers sent
    at the same instant count together (a move to DM: its public note and private message)."""

    at: int
    score: int | None  # the first answer's overall score
    verdict: str | None  # and its verdict
    texts: list[str] = field(default_factory=list)
    broken: set[str] | None = None  # criteria broken by any of them; None: none was graded

    def add(self, action: TraineeAction) -> None:
        if action.text:
            self.texts.append(action.text)
        if action.broken is not None:
            self.broken = (self.broken or set()) | action.broken

    def holds(self, condition: str, value: Any, language: str) -> bool:
        """Whether this reply meets one reply condition; unknown (not graded) never holds."""
        if condition == "reply_score_below":
            return self.score is not None and self.score < int(value)
        if condition == "reply_score_at_least":
            return self.score is not None and self.score >= int(value)
        if condition in ("reply_mentions", "reply_lacks"):
            said = any(contains(text, value, language) for text in self.texts)
            return said == (condition == "reply_mentions")
        if condition == "reply_passes" and value is True:
            return self.verdict == "pass"
        if self.broken is None:
            return False
        criteria = {value} if isinstance(value, str) else set(value)
        broke = bool(criteria & self.broken)
        return broke == (condition == "reply_breaks")


@dataclass
class ActionIndex:
    """The trainee's actions grouped per event, for O(1) branch decisions."""

    language: str = "en"
    first_reply: dict[str, FirstReply] = field(default_factory=dict)  # event -> first answer
    first_action: dict[tuple[str, str], int] = field(default_factory=dict)
    dm_times: dict[str, list[int]] = field(default_factory=dict)  # persona -> DM times, sorted
    hidden_at: dict[str, int] = field(default_factory=dict)
    liked: set[str] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)  # events with any action on them


def index_actions(compiled: CompiledScenario, actions: list[TraineeAction]) -> ActionIndex:
    index = ActionIndex(language=compiled.scenario.language)
    for action in actions:
        ref = compiled.canonical(action.event) or action.event
        index.touched.add(ref)
        index.first_action.setdefault((ref, action.action), action.at)
        if action.action in ANSWERS:
            reply = index.first_reply.get(ref)
            if reply is None:
                reply = index.first_reply[ref] = FirstReply(action.at, action.score,
                                                            action.verdict)
            if reply.at == action.at:
                reply.add(action)
        spec = compiled.events.get(ref)
        private = action.action in PRIVATE_ANSWERS or (
            action.action == "reply" and spec is not None and spec.kind == "dm")
        if private:  # answering someone by DM answers their public posts too
            author = spec.author if spec else compiled.chatter.get(ref, {}).get("from")
            if author:
                index.dm_times.setdefault(author, []).append(action.at)
        if action.action == "hide":
            index.hidden_at.setdefault(ref, action.at)
        elif action.action == "like":
            index.liked.add(ref)
    return index


def answered_by(spec: EventSpec, shown_at: int, actions: ActionIndex) -> int | None:
    """When the trainee first answered this event, or its author by DM after it appeared."""
    first = actions.first_reply.get(spec.id)
    best = first.at if first else None
    times = actions.dm_times.get(spec.author)
    if times:
        position = bisect_left(times, shown_at)
        if position < len(times) and (best is None or times[position] < best):
            best = times[position]
    return best


def decide(spec: EventSpec, shown_at: int, actions: ActionIndex) -> tuple[int, int] | None:
    """(time, branch index) of the branch of `spec` that fires first, or None."""
    best: tuple[int, int] | None = None
    for branch in spec.branches:
        when: int | None = None
        if branch.condition == "no_reply_within":
            deadline = shown_at + int(branch.value)
            answer = answered_by(spec, shown_at, actions)
            if answer is None or answer > deadline:
                when = deadline
        elif branch.on_reply:
            reply = actions.first_reply.get(spec.id)
            # An answer without a score decides no score or criterion condition: the caller
            # supplies scores (`graded`).
            if reply is not None and all(reply.holds(name, value, actions.language)
                                         for name, value in branch.when):
                when = reply.at
        elif branch.condition == "action":
            when = actions.first_action.get((spec.id, str(branch.value)))
        if when is not None and (best is None or (when, branch.index) < best):
            best = (when, branch.index)
    return best


@dataclass
class Run:
    """What the simulation decided up to `limit`: dynamic visibility, fired branches, the end."""

    limit: int
    shown: dict[str, int]  # scene events and timeline events waiting on them -> time shown
    fired: list[FiredBranch]
    ended_at: int | None
    scenes_started: dict[str, int]


_SHOW, _FIRE = 0, 1


def simulate(compiled: CompiledScenario, actions: ActionIndex, *, horizon: int) -> Run:
    """Play the branches forward until `horizon` (already clamped to the run's duration)."""
    events = compiled.events
    heap: list[tuple[int, int, int, str, int]] = []
    push = heapq.heappush
    sequence = 0  # the order of pushing breaks ties between equal (time, kind)
    touched = actions.touched
    dm_authors = actions.dm_times

    for spec in compiled.static_branching:
        if spec.static_at > horizon:
            break
        winner = _first_branch(spec, spec.static_at, actions, touched, dm_authors)
        if winner is not None and winner[0] <= horizon:
            push(heap, (winner[0], _FIRE, sequence, spec.id, winner[1]))
            sequence += 1

    run = Run(limit=horizon, shown={}, fired=[], ended_at=None, scenes_started={})
    shown = run.shown
    waiting: dict[str, list[tuple[str, int]]] = {}
    while heap:
        at, what, _, ref, arg = heapq.heappop(heap)
        if at > run.limit:
            break
        spec = events[ref]
        if what == _SHOW:
            shown[ref] = at
            if spec.branches:
                winner = _first_branch(spec, at, actions, touched, dm_authors)
                if winner is not None and winner[0] <= horizon:
                    push(heap, (winner[0], _FIRE, sequence, ref, winner[1]))
                    sequence += 1
            for child in compiled.waiting_children.get(ref, ()):
                when = max(events[child].at, at)
                if when <= horizon:
                    push(heap, (when, _SHOW, sequence, child, 0))
                    sequence += 1
            for child, earliest in waiting.pop(ref, ()):
                when = max(earliest, at)
                if when <= horizon:
                    push(heap, (when, _SHOW, sequence, child, 0))
                    sequence += 1
            continue
        branch = spec.branches[arg]
        run.fired.append(FiredBranch(event=ref, index=arg, condition=branch.condition,
                                     value=branch.value, goto=branch.goto, at=at,
                                     when=branch.when))
        if branch.goto == "end":
            run.ended_at = run.limit = at
        elif branch.goto in compiled.scenes and branch.goto not in run.scenes_started:
            run.scenes_started[branch.goto] = at
            for child in compiled.scenes[branch.goto]:
                child_spec = events[child]
                earliest = at + child_spec.after
                parent = events.get(child_spec.reply_to) if child_spec.reply_to else None
                if parent is None:
                    when = earliest
                elif parent.static_at is not None:
                    when = max(earliest, parent.static_at)
                elif parent.id in shown:
                    when = max(earliest, shown[parent.id])
                else:
                    waiting.setdefault(parent.id, []).append((child, earliest))
                    continue
                if when <= horizon:
                    push(heap, (when, _SHOW, sequence, child, 0))
                    sequence += 1
    return run


def _first_branch(spec: EventSpec, shown_at: int, actions: ActionIndex, touched: set[str],
                  dm_authors: dict[str, list[int]]) -> tuple[int, int] | None:
    """`decide`, with a shortcut for the common case of an event the trainee left alone."""
    if spec.id in touched or spec.author in dm_authors:
        return decide(spec, shown_at, actions)
    silent = spec.silent_branch
    return None if silent is None else (shown_at + silent[0], silent[1])
