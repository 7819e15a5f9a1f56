"""The feed the trainee sees at a simulated moment: a pure function of scenario, time, actions."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypedDict

from sandbox.core.fakes import PersonaView
from sandbox.core.replay.actions import WRITES, ActionRejected, TraineeAction
from sandbox.core.replay.branches import (
    ActionIndex,
    FiredBranch,
    Run,
    index_actions,
    simulate,
)
from sandbox.core.replay.compiled import CompiledScenario, EventSpec, compile_scenario
from sandbox.core.replay.engagement import counters_at, interaction_counters
from sandbox.core.scenario.durations import format_duration
from sandbox.core.vocabulary import ACTIONS_ON, PUBLIC_NOTES

if TYPE_CHECKING:
    from sandbox.core.scenario import Scenario

_ACTION_ORDER = 2 * 10**9  # the trainee's items sort after script events of the same second


class FeedItem(TypedDict, total=False):
    """One item as DESIGN.md section 5 prints it, plus display keys (name, handle, avatar, ...)."""

    id: str
    kind: str
    stream: str  # feed | dm | team
    at: int
    reply_to: str | None
    text: str
    engagement: dict[str, Any]
    topic: str | None
    name: str
    handle: str
    avatar: str | None
    verified: bool
    noise: bool
    hidden: bool
    liked: bool
    to: str | None
    score: int | None


@dataclass(frozen=True)
class Feed:
    """What the trainee sees at `at` (simulated seconds, clamped to the run)."""

    at: int
    finished: bool
    items: list[FeedItem]
    ended_at: int | None = None
    fired: tuple[FiredBranch, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "finished": self.finished, "items": self.items,
                "ended_at": self.ended_at,
                "fired_branches": [branch.to_json() for branch in self.fired]}

    def item(self, ref: str) -> FeedItem | None:
        return next((item for item in self.items if item["id"] == ref), None)

    def ids(self) -> list[str]:
        return [item["id"] for item in self.items]


def feed_at(scenario: Scenario | CompiledScenario, *, at: int,
            actions: Sequence[TraineeAction] = (),
            personas: Mapping[str, PersonaView] | None = None) -> Feed:
    """The feed at simulated time `at` after `actions` (those later than `at` are not taken yet).

    `scenario` is a Scenario or a CompiledScenario; `personas` overrides how accounts are shown
    (by default they are generated from the scenario seed). Raises ActionRejected for an action
    the trainee could not have taken.
    """
    compiled = compile_scenario(scenario)
    horizon = min(max(int(at), 0), compiled.duration)
    taken, index, run = _play(compiled, horizon, actions)
    return _build(compiled, taken, index, run, horizon=horizon, personas=personas)


def _play(compiled: CompiledScenario, horizon: int, actions: Sequence[TraineeAction]
          ) -> tuple[list[TraineeAction], ActionIndex, Run]:
    """The run up to `horizon` with the actions taken by then, each checked (ActionRejected)."""
    check_actions(compiled, actions)
    taken = [action for action in actions if action.at <= horizon]
    index = index_actions(compiled, taken)
    run = simulate(compiled, index, horizon=horizon)
    check_visibility(compiled, taken, run)
    return taken, index, run


def _build(compiled: CompiledScenario, taken: list[TraineeAction], index: ActionIndex, run: Run,
           *, horizon: int, personas: Mapping[str, PersonaView] | None) -> Feed:
    now = run.limit
    count = compiled.static_count(now)
    events = compiled.events
    # Items shown because of what happened in this run: scene events and the trainee's own.
    dynamic: list[tuple[tuple, dict[str, Any]]] = []
    scene_items: list[tuple[dict[str, Any], EventSpec]] = []
    for ref, shown_at in run.shown.items():
        spec = events[ref]
        item = spec.template.copy()  # a copy is faster than {**template, "at": ...}
        item["at"] = shown_at
        dynamic.append(((shown_at, spec.depth, spec.order), item))
        if spec.growth is not None:
            scene_items.append((item, spec))
    for number, action in enumerate(taken):
        if action.action in WRITES:
            dynamic.append(_action_entry(compiled, number, action))
    dynamic.sort(key=itemgetter(0))

    # Children of static items are static too and come after their parent, so the reply counts
    # of the shown static items are those of a prefix of `static_reply_parents`.
    replied = bisect_left(compiled.static_reply_positions, count)
    replies: dict[str, int] = Counter(compiled.static_reply_parents[:replied])
    for _, item in dynamic:
        parent = item["reply_to"]
        if parent is not None and item["stream"] == "feed":
            replies[parent] = replies.get(parent, 0) + 1

    # An item the trainee never acted on (nor DMed its author) grows at its base rate; the few
    # others go through `engage_item`.
    touched = index.touched
    dm_authors = index.dm_times
    replies_of = replies.get
    shown: list[Any] = []
    append = shown.append
    for template, ref, author, shown_at, growth, plain in compiled.static_rows[:count]:
        item = template.copy()
        if growth is not None:
            if ref in touched or author in dm_authors:
                engage_item(compiled, index, item, growth, now, replies_of(ref, 0))
            elif plain is None:
                item["engagement"] = growth.untouched(shown_at, now, replies_of(ref, 0))
            else:  # Growth.untouched without its method calls: most items of every poll
                item["engagement"] = interaction_counters(*plain, now - shown_at,
                                                          replies_of(ref, 0))
        append(item)
    for item, spec in scene_items:
        ref = spec.id
        if ref in touched or spec.author in dm_authors:
            engage_item(compiled, index, item, spec.growth, now, replies_of(ref, 0))
        else:
            item["engagement"] = spec.growth.untouched(item["at"], now, replies_of(ref, 0))

    items = _merge(shown, compiled.static_keys, dynamic) if dynamic else shown
    if personas is not None:
        _show_as(items, personas)
    finished = run.ended_at is not None or horizon >= compiled.duration
    return Feed(at=now, finished=finished, items=items, ended_at=run.ended_at,
                fired=tuple(run.fired))


def engage_item(compiled: CompiledScenario, index: ActionIndex, item: dict[str, Any], growth: Any,
            now: int, replies: int) -> None:
    """Counters and flags of a public item that the trainee may have acted on."""
    ref = item["id"]
    shown = item["at"]
    first = index.first_reply.get(ref)
    answered = first.at if first else None
    spec = compiled.events.get(ref)
    if spec is not None:  # answered_by, inlined: a DM to the author after the item appeared
        times = index.dm_times.get(spec.author)
        if times:
            position = bisect_left(times, shown)
            if position < len(times) and (answered is None or times[position] < answered):
                answered = times[position]
    hidden = index.hidden_at.get(ref)
    item["engagement"] = counters_at(growth, shown, now, answered, first.score if first else None,
                                     hidden, replies)
    if hidden is not None:
        item["hidden"] = True
    if ref in index.liked:
        item["liked"] = True
        counters = item["engagement"]  # the brand saw it, and liked it
        item["engagement"] = {**counters, "likes": counters["likes"] + 1,
                              "views": counters["views"] + 1}


def _merge(shown: list[Any], keys: list[tuple], dynamic: list[tuple[tuple, Any]]) -> list[Any]:
    """The static items (already in order) with the few dynamic ones slotted in."""
    merged: list[Any] = []
    start, end = 0, len(shown)
    for key, item in dynamic:
        position = bisect_right(keys, key, start, end)
        merged.extend(shown[start:position])
        merged.append(item)
        start = position
    merged.extend(shown[start:])
    return merged


def _action_entry(compiled: CompiledScenario, number: int,
                  action: TraineeAction) -> tuple[tuple, dict[str, Any]]:
    ref = compiled.canonical(action.event) or action.event
    spec = compiled.events.get(ref)
    name, text = action.action, action.text
    stream = action_stream(spec, name)
    to = None
    if name == "escalate":
        to = escalation_target(compiled, action)
        if not text:
            person = compiled.personas.get(to or "")
            text = f"Escalated to {person.name if person else 'the team'}."
    elif stream == "dm" or name == "move_to_dm":  # to the customer: their DM thread
        to = spec.author if spec else compiled.chatter.get(ref, {}).get("from")
        text = text or "Moved the conversation to direct messages."
    item = {**compiled.trainee_item, "id": f"action.{number}", "kind": name, "stream": stream,
            "at": action.at, "reply_to": ref, "text": text or "", "to": to,
            "score": action.score}
    depth = spec.depth + 1 if spec else 1
    return (action.at, depth, _ACTION_ORDER + number), item


def action_stream(spec: EventSpec | None, name: str) -> str:
    """The stream where the trainee's `name` action on `spec` (None: chatter) shows."""
    if name == "escalate":
        return "team"
    if name == "dm":
        return "dm"
    # a reply, or the public note of a move to DM: where the item is
    return spec.template["stream"] if spec else "feed"


def public_note(compiled: CompiledScenario, ref: str) -> str:
    """The public note a move to DM on `ref` proposes: addressed to its author, in the
    scenario's language (vocabulary.PUBLIC_NOTES)."""
    spec = compiled.events.get(compiled.canonical(ref) or ref)
    author = spec.author if spec else compiled.chatter.get(ref, {}).get("from")
    person = compiled.personas.get(author or "")
    name = person.name.split()[0] if person and person.name.split() else ""
    note = PUBLIC_NOTES.get(compiled.scenario.language, PUBLIC_NOTES["en"])
    return note.format(name=name).replace(" ,", ",")


def _show_as(items: list[Any], personas: Mapping[str, PersonaView]) -> None:
    for item in items:
        person = personas.get(item["from"])
        if person is not None:
            item.update(name=person.name, handle=person.handle, avatar=person.avatar,
                        verified=person.verified)


def escalation_target(compiled: CompiledScenario, action: TraineeAction) -> str | None:
    """The expert an escalation goes to: the one named, else the event's `escalate_to`."""
    if action.to:
        return action.to
    spec = compiled.events.get(compiled.canonical(action.event) or "")
    expect = spec.expect if spec else None
    if expect is not None and expect.escalate_to:
        return expect.escalate_to
    experts = list(compiled.scenario.experts)
    return experts[0] if len(experts) == 1 else None


# ---------------------------------------------------------------------------------------------
# Checking actions


_WHERE = {"dm": "a direct message", "internal": "a message from the team"}


def _reject(number: int, action: TraineeAction, reason: str,
            hint: str | None = None) -> ActionRejected:
    return ActionRejected(f"action {number} ({action.describe()}): {reason}", hint,
                          index=number - 1, reason=reason)


def check_actions(compiled: CompiledScenario, actions: Sequence[TraineeAction]) -> None:
    """What can be said about each action without playing the run: event, order, time, kind."""
    previous = 0
    experts = compiled.scenario.experts
    for number, action in enumerate(actions, start=1):
        ref = compiled.canonical(action.event)
        if ref is None:
            raise _reject(number, action, f'there is no event "{action.event}" in this scenario',
                          _suggest_event(compiled, action.event))
        if action.at < 0:
            raise _reject(number, action, "an action cannot happen before the run starts")
        if action.at > compiled.duration:
            raise _reject(number, action,
                          f"the run ends at {format_duration(compiled.duration)}",
                          "actions must happen during the run")
        if action.at < previous:
            raise _reject(number, action,
                          f"it comes before the previous action ({format_duration(previous)})",
                          "list actions in the order they happened")
        previous = action.at
        spec = compiled.events.get(ref)
        kind = spec.kind if spec else "post"
        if action.action not in ACTIONS_ON[kind]:
            raise _reject(number, action, f"cannot {action.action.replace('_', ' ')} "
                          f"{_WHERE.get(kind, 'this item')}",
                          "allowed: " + ", ".join(sorted(ACTIONS_ON[kind])))
        if action.action in ("reply", "dm") and not (action.text or "").strip():
            raise _reject(number, action, f"a {action.action} needs a text")
        if action.action == "escalate" and action.to is not None and action.to not in experts:
            raise _reject(number, action, f'there is no expert "{action.to}"',
                          "experts: " + (", ".join(experts) or "none"))


def check_visibility(compiled: CompiledScenario, taken: Sequence[TraineeAction], run: Run) -> None:
    """Each action's event must be on screen when the action happens, and the run not over."""
    for number, action in enumerate(taken, start=1):
        if run.ended_at is not None and action.at > run.ended_at:
            raise _reject(number, action,
                          f"the scenario ended at {format_duration(run.ended_at)}")
        ref = compiled.canonical(action.event) or action.event
        shown = shown_at(compiled, run, ref)
        if shown is None or shown > action.at:
            when = "" if shown is None else f" (it appears at {format_duration(shown)})"
            raise _reject(number, action, f'"{action.event}" is not visible yet{when}')


def shown_at(compiled: CompiledScenario, run: Run, ref: str) -> int | None:
    """When `ref` appears in this run (None if not by `run.limit`)."""
    spec = compiled.events.get(ref)
    if spec is None:
        item = compiled.chatter.get(ref)
        at = item["at"] if item else None
    elif spec.static_at is not None:
        at = spec.static_at
    else:
        at = run.shown.get(ref)
    return at if at is not None and at <= run.limit else None


def check_action(scenario: Scenario | CompiledScenario, *, at: int,
                 actions: Sequence[TraineeAction], new_action: TraineeAction) -> None:
    """Raise ActionRejected when `new_action` cannot be stored after `actions` at clock time `at`.

    The message of an error about `new_action` itself says only what is wrong with it.
    """
    compiled = compile_scenario(scenario)
    if new_action.at > at:
        raise ActionRejected(f"it is only {format_duration(at)} on the run's clock",
                             "the server's clock decides when an action happens",
                             index=len(actions))
    try:  # the checks of feed_at, without laying out the feed
        _play(compiled, min(max(int(new_action.at), 0), compiled.duration),
              [*actions, new_action])
    except ActionRejected as error:
        if error.index == len(actions) and error.reason:
            raise ActionRejected(error.reason, error.hint, index=error.index) from None
        raise


def _suggest_event(compiled: CompiledScenario, ref: str) -> str:
    from difflib import get_close_matches

    known = [*compiled.events, *compiled.aliases]
    close = get_close_matches(ref, known, n=1)
    if close:
        return f'did you mean "{close[0]}"?'
    return "events: " + ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
