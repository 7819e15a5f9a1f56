"""The feed computed the plain way, for clarity rather than speed: the oracle for `feed_at`.

Every item is built from scratch, sorted once, and its counters come from `engagement()`;
branches are decided with `decide()` for every event, without shortcuts.
"""

from __future__ import annotations

import heapq
from typing import Any

from sandbox.core.replay import Feed, TraineeAction, compile_scenario
from sandbox.core.replay.actions import WRITES
from sandbox.core.replay.branches import (
    FiredBranch,
    Run,
    answered_by,
    decide,
    index_actions,
)
from sandbox.core.replay.engagement import engagement
from sandbox.core.replay.feed import check_actions, check_visibility, escalation_target


def reference_feed(scenario: Any, *, at: int, actions: list[TraineeAction] = (),
                   personas: Any = None) -> Feed:
    compiled = compile_scenario(scenario)
    horizon = min(max(int(at), 0), compiled.duration)
    check_actions(compiled, actions)
    taken = [action for action in actions if action.at <= horizon]
    index = index_actions(compiled, taken)
    run = reference_simulate(compiled, index, horizon=horizon)
    check_visibility(compiled, taken, run)
    now = run.limit

    entries = []  # (sort key, item, growth, shown whatever the trainee does)
    for spec in compiled.events.values():
        shown = spec.static_at if spec.static_at is not None else run.shown.get(spec.id)
        if shown is not None and shown <= now:
            entries.append(((shown, spec.depth, spec.order), {**spec.template, "at": shown},
                            spec.growth, spec.static_at is not None))
    for number, (ref, chatter) in enumerate(compiled.chatter.items()):
        if chatter["at"] <= now:
            entries.append(((chatter["at"], 0, 10**9 + number), dict(chatter),
                            compiled.chatter_growth[ref], True))
    for number, action in enumerate(taken):
        if action.action in WRITES:
            entries.append((*_action_item(compiled, number, action), None, False))
    entries.sort(key=lambda entry: entry[0])

    replies: dict[str, int] = {}
    for _, item, _, static in entries:
        if item["reply_to"] is not None and (static or item["stream"] == "feed"):
            replies[item["reply_to"]] = replies.get(item["reply_to"], 0) + 1
    for _, item, growth, _ in entries:
        if growth is None:
            continue
        ref = item["id"]
        spec = compiled.events.get(ref)
        first = index.first_reply.get(ref)
        if spec is not None:
            answered = answered_by(spec, item["at"], index)
        else:
            answered = first.at if first else None
        item["engagement"] = engagement(
            growth, shown_at=item["at"], now=now, answered_at=answered,
            score=first.score if first else None, hidden_at=index.hidden_at.get(ref),
            replies=replies.get(ref, 0))
        if ref in index.hidden_at:
            item["hidden"] = True
        if ref in index.liked:
            item["liked"] = True
            item["engagement"]["likes"] += 1  # the brand's own like, and its view
            item["engagement"]["views"] += 1
    items = [item for _, item, _, _ in entries]
    for item in items if personas is not None else ():
        person = personas.get(item["from"])
        if person is not None:
            item.update(name=person.name, handle=person.handle, avatar=person.avatar,
                        verified=person.verified)
    return Feed(at=now, finished=run.ended_at is not None or horizon >= compiled.duration,
                items=items, ended_at=run.ended_at, fired=tuple(run.fired))


def _action_item(compiled: Any, number: int, action: TraineeAction) -> tuple[tuple, dict]:
    ref = compiled.canonical(action.event) or action.event
    spec = compiled.events.get(ref)
    item = dict(compiled.trainee_item)
    text = action.text
    if action.action == "escalate":
        stream = "team"
        item["to"] = escalation_target(compiled, action)
        if not text:
            person = compiled.personas.get(item["to"] or "")
            text = f"Escalated to {person.name if person else 'the team'}."
    elif action.action in ("dm", "move_to_dm"):
        # a move to DM's public note shows where its item is; the private message in the DMs
        public = spec.template["stream"] if spec else "feed"
        stream = "dm" if action.action == "dm" else public
        item["to"] = spec.author if spec else compiled.chatter[ref]["from"]
        text = text or "Moved the conversation to direct messages."
    else:
        stream = spec.template["stream"] if spec else "feed"
        if stream == "dm":  # a reply to a customer's DM: in the thread with them
            item["to"] = spec.author
    item.update(id=f"action.{number}", kind=action.action, stream=stream, at=action.at,
                reply_to=ref, text=text or "", score=action.score)
    return (action.at, spec.depth + 1 if spec else 1, 2 * 10**9 + number), item


def reference_simulate(compiled: Any, actions: Any, *, horizon: int) -> Run:
    """The branch rules played with a heap of (time, show-before-fire, push order)."""
    events = compiled.events
    heap: list[tuple] = []
    pushed = 0

    def push(at: int, what: int, ref: str, arg: int = 0) -> None:
        nonlocal pushed
        if at <= horizon:
            heapq.heappush(heap, (at, what, pushed, ref, arg))
            pushed += 1

    for spec in compiled.static_branching:
        if spec.static_at <= horizon:
            winner = decide(spec, spec.static_at, actions)
            if winner is not None:
                push(winner[0], 1, spec.id, winner[1])
    run = Run(limit=horizon, shown={}, fired=[], ended_at=None, scenes_started={})
    waiting: dict[str, list[tuple[str, int]]] = {}
    while heap:
        at, what, _, ref, arg = heapq.heappop(heap)
        if at > run.limit:
            break
        spec = events[ref]
        if what == 0:
            run.shown[ref] = at
            if spec.branches:
                winner = decide(spec, at, actions)
                if winner is not None:
                    push(winner[0], 1, ref, winner[1])
            for child in compiled.waiting_children.get(ref, ()):
                push(max(events[child].at, at), 0, child)
            for child, earliest in waiting.pop(ref, ()):
                push(max(earliest, at), 0, child)
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
                    push(earliest, 0, child)
                elif parent.static_at is not None:
                    push(max(earliest, parent.static_at), 0, child)
                elif parent.id in run.shown:
                    push(max(earliest, run.shown[parent.id]), 0, child)
                else:
                    waiting.setdefault(parent.id, []).append((child, earliest))
    return run
