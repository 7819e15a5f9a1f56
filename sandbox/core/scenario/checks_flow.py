"""Meaning pass, timing and logic (SCN3xx): when things happen and which branches can fire."""

from __future__ import annotations

from sandbox.core.scenario.context import Context
from sandbox.core.scenario.durations import format_duration
from sandbox.core.vocabulary import NOT_EXPECTABLE_ON


def check_flow(ctx: Context) -> None:
    earliest = scene_earliest_times(ctx)
    _after_the_end(ctx, earliest)
    for path, event in ctx.events():
        _branches(ctx, path, event)
        _actions(ctx, path, event)
    _parents_first(ctx, earliest)
    _unused_and_empty_scenes(ctx)
    _zero_delay_loops(ctx)
    _test_actions(ctx)


def _branch_delay(branch) -> int:
    name, value = branch.when.condition
    return value if name == "no_reply_within" and isinstance(value, int) else 0


def scene_earliest_times(ctx: Context) -> dict[str, int]:
    """The earliest simulated second each reachable scene can fire."""

    def jumps(event) -> list[tuple[int, str]]:
        return [(_branch_delay(b), b.goto) for b in event.branches if b.goto in ctx.scenes]

    timeline = [(event.at, jumps(event)) for _, event in ctx.timeline]
    scenes = {
        name: [(event.after, jumps(event)) for _, event in events]
        for name, events in ctx.scenes.items()
    }
    earliest: dict[str, int] = {}
    for _ in range(len(scenes) + 1):  # each pass reaches at least one more scene, or stops
        changed = False
        owners = list(timeline)
        for name, events in scenes.items():
            if name in earliest:
                owners += [(earliest[name] + after, targets) for after, targets in events]
        for shown, targets in owners:
            for delay, goto in targets:
                fire = max(shown, 0) + delay
                if fire < earliest.get(goto, 1 << 60):
                    earliest[goto] = fire
                    changed = True
        if not changed:
            break
    return earliest


def _after_the_end(ctx: Context, earliest: dict[str, int]) -> None:
    duration = ctx.scenario.duration
    if not duration:
        return
    end = format_duration(duration)
    for index, event in ctx.timeline:
        if event.at > duration:
            ctx.add(
                "SCN301",
                ctx.value_at("timeline", index, "at"),
                f"this event is at "
                f"{format_duration(event.at)}, after the end of the scenario ({end})",
                f"move it before {end}, or make `duration` longer",
            )
    for name, events in ctx.scenes.items():
        if name not in earliest:
            continue
        for index, event in events:
            if earliest[name] + event.after > duration:
                ctx.add(
                    "SCN301",
                    ctx.value_at("scenes", name, index, "after"),
                    "this event "
                    f"cannot show before the end of the scenario ({end}): the scene fires at "
                    f"{format_duration(earliest[name])} at the earliest",
                    "shorten `after`, or make `duration` longer",
                )


def _branches(ctx: Context, path: tuple, event) -> None:
    expect = event.expect
    covered: set[int] = set()
    seen_actions: set[str] = set()
    fastest_silence: int | None = None
    for index, branch in enumerate(event.branches):
        name, value = branch.when.condition
        where = (*path, "branches", index, "when", name)
        shadowed = ""
        if name == "no_reply_within":
            if expect and expect.reply_within is not None and value < expect.reply_within:
                ctx.add(
                    "SCN306",
                    ctx.value_at(*where),
                    f"this branch fires after {format_duration(value)} without "
                    f"a reply, before the {format_duration(expect.reply_within)} that "
                    "`reply_within` allows",
                    "make no_reply_within at least as long as "
                    "reply_within, or shorten reply_within",
                )
            if fastest_silence is not None and value >= fastest_silence:
                shadowed = (
                    f"an earlier branch already fires after {format_duration(fastest_silence)}"
                )
            fastest_silence = value if fastest_silence is None else min(fastest_silence, value)
        elif name in ("reply_score_below", "reply_score_at_least"):
            # (SCN311, a score branch on an event with nothing to score: checks_replies)
            scores = set(range(value)) if name == "reply_score_below" else set(range(value, 101))
            if scores and scores <= covered:
                shadowed = "earlier score branches already cover every score it would catch"
            if len(branch.when.conditions) == 1:  # with more conditions it catches fewer
                covered |= scores
        elif name == "action":
            if value in seen_actions:
                shadowed = f'an earlier branch already fires on "{value}"'
            seen_actions.add(value)
        if shadowed:
            ctx.add(
                "SCN307",
                ctx.value_at(*path, "branches", index, "when"),
                f"this branch can never fire: {shadowed}",
                "remove it, or change its condition or order",
            )


def _actions(ctx: Context, path: tuple, event) -> None:
    impossible = NOT_EXPECTABLE_ON.get(event.kind, ())
    expect = event.expect
    if expect is not None:
        for index, action in enumerate(expect.actions):
            if action in impossible:
                ctx.add(
                    "SCN312",
                    ctx.value_at(*path, "expect", "actions", index),
                    f"`{action}` is not possible on a `{event.kind}`",
                    _action_hint(event.kind),
                )
        if "ignore" in expect.actions and len(set(expect.actions)) > 1:
            ctx.add(
                "SCN312",
                ctx.value_at(*path, "expect", "actions"),
                "`ignore` cannot be expected together with other actions",
                "keep `ignore` alone, or remove it",
            )
        if "escalate" in expect.actions and expect.escalate_to is None and ctx.expert_names:
            ctx.add(
                "SCN317",
                ctx.value_at(*path, "expect", "actions"),
                "escalation is expected but `escalate_to` does not say to whom",
                "add `escalate_to: <expert>`",
            )
        if expect.escalate_to is not None and "escalate" not in expect.actions:
            ctx.add(
                "SCN317",
                ctx.key_at(*path, "expect", "escalate_to"),
                "`escalate_to` is set but `escalate` is not among the expected actions",
                "add escalate to `actions`",
            )
    for index, branch in enumerate(event.branches):
        name, value = branch.when.condition
        if name == "action" and value in impossible:
            ctx.add(
                "SCN312",
                ctx.value_at(*path, "branches", index, "when", "action"),
                f"`{value}` is not possible on a `{event.kind}`, so this branch never fires",
                _action_hint(event.kind),
            )


def _action_hint(kind: str) -> str:
    if kind == "dm":
        return "the conversation is already private: expect reply or escalate"
    return "internal messages can be replied to or escalated"


def _test_actions(ctx: Context) -> None:
    for index, test in enumerate(ctx.scenario.tests):
        for number, action in enumerate(test.actions if test else []):
            event = ctx.scenario.event(action.event) if action.event else None
            if event is not None and action.action in NOT_EXPECTABLE_ON.get(event.kind, ()):
                ctx.add(
                    "SCN312",
                    ctx.value_at("tests", index, "actions", number, "action"),
                    f"`{action.action}` is not possible on a `{event.kind}`",
                    _action_hint(event.kind),
                )


def _parents_first(ctx: Context, earliest: dict[str, int]) -> None:
    timeline_at = {event.id: event.at for _, event in ctx.timeline if event.id}
    for index, event in ctx.timeline:
        parent = timeline_at.get(event.reply_to or "")
        if parent is not None and event.at < parent:
            ctx.add(
                "SCN309",
                ctx.value_at("timeline", index, "at"),
                f"this comment shows at "
                f'{format_duration(event.at)}, before its parent "{event.reply_to}" '
                f"({format_duration(parent)})",
                f"set `at` to {format_duration(parent)} or later",
            )
    for name, events in ctx.scenes.items():
        after = {e.id: e.after for _, e in events if e.id}
        after.update({f"{name}.{i}": e.after for i, e in events})
        for index, event in events:
            ref = event.reply_to or ""
            if ref in after and event.after < after[ref]:
                ctx.add(
                    "SCN309",
                    ctx.value_at("scenes", name, index, "after"),
                    f'this comment shows before its parent "{ref}" in the same scene',
                    f"make `after` at least {format_duration(after[ref])}",
                )
            elif (
                ref in timeline_at
                and name in earliest
                and earliest[name] + event.after < timeline_at[ref]
            ):
                ctx.add(
                    "SCN309",
                    ctx.value_at("scenes", name, index, "after"),
                    "this comment can "
                    f"show at {format_duration(earliest[name] + event.after)}, before its parent "
                    f'"{ref}" ({format_duration(timeline_at[ref])})',
                    "make `after` longer, or branch from a later event",
                )


def _unused_and_empty_scenes(ctx: Context) -> None:
    targets = {branch.goto for _, event in ctx.events() for branch in event.branches}
    if not ctx.scene_names <= targets:  # events that failed the structure pass count too
        targets |= _raw_gotos(ctx.document.data)
    raw = ctx.document.data.get("scenes") if isinstance(ctx.document.data, dict) else None
    for name in ctx.scene_names:
        if isinstance(raw, dict) and raw.get(name) in ([], None):
            ctx.add(
                "SCN316",
                ctx.key_at("scenes", name),
                f'the scene "{name}" has no events',
                "add at least one event (with `after:`), or remove the scene",
            )
        elif name not in targets and name not in ctx.near_miss_scenes:
            ctx.add(
                "SCN308",
                ctx.key_at("scenes", name),
                f'no branch goes to the scene "{name}"',
                f"add a branch with `goto: {name}`, or remove the scene",
            )


def _zero_delay_loops(ctx: Context) -> None:
    edges: dict[str, list[tuple[str, tuple]]] = {}
    for name, events in ctx.scenes.items():
        for index, event in events:
            for number, branch in enumerate(event.branches):
                if event.after + _branch_delay(branch) == 0 and branch.goto in ctx.scenes:
                    edges.setdefault(name, []).append(
                        (branch.goto, ("scenes", name, index, "branches", number, "goto"))
                    )
    reported: set[frozenset] = set()
    for start in edges:
        stack = [(start, [start], None)]
        while stack:
            node, trail, _ = stack.pop()
            for target, where in edges.get(node, []):
                if target == start:
                    loop = frozenset(trail)
                    if loop not in reported:
                        reported.add(loop)
                        cycle = " -> ".join([*trail, start])
                        ctx.add(
                            "SCN310",
                            ctx.value_at(*where),
                            f"these scenes call each other with no delay: {cycle}",
                            "give an event of the loop an `after:` delay, or branch to `end`",
                        )
                elif target not in trail and len(trail) < 50:
                    stack.append((target, [*trail, target], where))


def _raw_gotos(data) -> set[str]:
    found: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("goto"), str):
                found.add(item["goto"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
