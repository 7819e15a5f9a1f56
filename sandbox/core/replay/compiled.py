"""A scenario prepared once for fast replays: canonical ids, static times, item templates, chatter.

`feed_at` is called on every poll of every trainee, so everything that depends only on the scenario
is computed here, once per scenario object, and `feed_at` stays O(events + actions).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from sandbox.core.fakes import PersonaView, chatter, resolve_personas, stable_seed
from sandbox.core.replay.engagement import Growth, growth_for
from sandbox.core.vocabulary import REPLY_CONDITIONS

STREAMS = {"post": "feed", "comment": "feed", "mention": "feed", "dm": "dm", "internal": "team"}
PUBLIC_KINDS = frozenset({"post", "comment", "mention"})

@dataclass(frozen=True)
class BranchSpec:
    index: int
    condition: str  # the first of `when` (the only one, but for combined reply conditions)
    value: Any
    goto: str  # a scene name or "end"
    when: tuple[tuple[str, Any], ...]  # every (condition, value); all must hold

    @property
    def on_reply(self) -> bool:
        """Decided at the first reply to the event (scores and content)."""
        return self.condition in REPLY_CONDITIONS


@dataclass(eq=False)
class EventSpec:
    """One scenario event under its canonical id (`first_post`, `timeline.3`, `pile_on.0`)."""

    id: str
    kind: str
    author: str
    reply_to: str | None
    branches: tuple[BranchSpec, ...]
    expect: Any
    order: int  # script order, breaks ties between events shown at the same second
    depth: int = 0  # 0 for a post, 1 for a comment on it, ...
    at: int | None = None  # timeline events
    scene: str | None = None  # scene events
    after: int | None = None
    static_at: int | None = None  # shown at this time whatever the trainee does; None = dynamic
    template: dict[str, Any] = field(default_factory=dict)
    growth: Growth | None = None  # None for private items (DMs, team messages)
    # (delay, branch index) of the branch that fires when the trainee leaves the event alone:
    # the earliest `no_reply_within`, list order breaking ties. None when no such branch.
    silent_branch: tuple[int, int] | None = None

    @property
    def public(self) -> bool:
        return self.growth is not None


@dataclass(eq=False)
class CompiledScenario:
    scenario: Any
    duration: int
    events: dict[str, EventSpec]
    aliases: dict[str, str]  # own ids of scene events -> scene.index
    personas: dict[str, PersonaView]
    # Events shown at a fixed time and chatter, in feed order, as parallel lists:
    static_times: list[int]
    static_keys: list[tuple]  # sort keys (time, depth, order)
    static_items: list[dict[str, Any]]  # item templates with "at" filled in
    static_growth: list[Growth | None]  # None for private items
    static_branching: list[EventSpec]  # static events with branches, by time
    waiting_children: dict[str, list[str]]  # dynamic parent -> timeline events shown after it
    scenes: dict[str, list[str]]
    chatter: dict[str, dict[str, Any]]  # noise.N -> item template
    chatter_growth: dict[str, Growth]
    trainee_item: dict[str, Any]  # the template of the trainee's own items
    # The same static items unpacked for the hot loop of `feed_at`:
    # (template, id, author, at, growth, plain), one tuple per item, in feed order; `plain` is
    # growth's (per_second, share_ratio, view_ratio, base_heat, base_level) for public items
    # whose counters follow the base rate until the trainee acts, None otherwise.
    static_rows: list[tuple[dict[str, Any], str, str, int, Growth | None, tuple | None]] = field(
        default_factory=list)
    # Positions (ascending) of the static items that reply to another item, and that item's id:
    # the reply counts of a prefix of the static items, without walking all of them.
    static_reply_positions: list[int] = field(default_factory=list)
    static_reply_parents: list[str] = field(default_factory=list)
    static_positions: dict[str, int] = field(default_factory=dict)  # id -> position in the rows

    def canonical(self, ref: str) -> str | None:
        if ref in self.events or ref in self.chatter:
            return ref
        return self.aliases.get(ref)

    def static_count(self, at: int) -> int:
        """How many of the static items are shown by `at`."""
        return bisect_right(self.static_times, at)


# The most recently used compiled scenarios, by scenario object. The objects come from the two
# caches that own parsed scenarios: library entries (one per file, kept while the file is
# unchanged) and sandbox.runs (one per stored version played, CACHE_SIZE of them).
_CACHE: OrderedDict[int, tuple[Any, CompiledScenario]] = OrderedDict()
_CACHE_LOCK = threading.Lock()
CACHE_SIZE = 64


def compile_scenario(scenario: Any) -> CompiledScenario:
    """The compiled form of `scenario`, cached by object identity (scenarios are immutable).

    The cache holds the scenario itself, so its id cannot be reused while the entry lives.
    """
    if isinstance(scenario, CompiledScenario):
        return scenario
    key = id(scenario)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is scenario:
            _CACHE.move_to_end(key)
            return hit[1]
    compiled = _compile(scenario)
    with _CACHE_LOCK:
        _CACHE[key] = (scenario, compiled)
        _CACHE.move_to_end(key)
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return compiled


def _branches(event: Any) -> tuple[BranchSpec, ...]:
    specs = []
    for index, branch in enumerate(event.branches):
        when = branch.when.conditions
        name, value = when[0]
        specs.append(BranchSpec(index=index, condition=name, value=value, goto=branch.goto,
                                when=when))
    return tuple(specs)


def _silent_branch(branches: tuple[BranchSpec, ...]) -> tuple[int, int] | None:
    deadlines = [(int(branch.value), branch.index) for branch in branches
                 if branch.condition == "no_reply_within"]
    return min(deadlines) if deadlines else None


def _compile(scenario: Any) -> CompiledScenario:
    personas = resolve_personas(scenario)
    events: dict[str, EventSpec] = {}
    aliases: dict[str, str] = {}
    raw: dict[str, Any] = {}
    for index, event in enumerate(scenario.timeline):
        ref = event.id or f"timeline.{index}"
        raw[ref] = event
        events[ref] = EventSpec(id=ref, kind=event.kind, author=event.from_, reply_to=None,
                                branches=_branches(event), expect=event.expect, order=index,
                                at=event.at)
        events[ref].silent_branch = _silent_branch(events[ref].branches)
    scenes: dict[str, list[str]] = {}
    order = len(scenario.timeline)
    for name, scene_events in scenario.scenes.items():
        scenes[name] = []
        for index, event in enumerate(scene_events):
            ref = f"{name}.{index}"
            raw[ref] = event
            if event.id:
                aliases[event.id] = ref
            events[ref] = EventSpec(id=ref, kind=event.kind, author=event.from_, reply_to=None,
                                    branches=_branches(event), expect=event.expect, order=order,
                                    scene=name, after=event.after)
            events[ref].silent_branch = _silent_branch(events[ref].branches)
            scenes[name].append(ref)
            order += 1
    for ref, spec in events.items():
        target = raw[ref].reply_to
        if target:
            spec.reply_to = target if target in events else aliases.get(target, target)
    _place(events)
    seed, scenario_id = scenario.seed, scenario.id
    for ref, spec in events.items():
        event = raw[ref]
        spec.template = _template(spec, event, personas)
        if spec.kind in PUBLIC_KINDS:
            follower_count = personas[spec.author].followers if spec.author in personas else 0
            spec.growth = growth_for(
                virality=event.virality or ("low" if spec.kind == "comment" else "medium"),
                followers=follower_count, needs_answer=_needs_answer(spec.expect),
                jitter_seed=stable_seed(seed, scenario_id, "engagement", ref))

    static: list[tuple[tuple, dict[str, Any], Growth | None]] = []
    for spec in events.values():
        if spec.static_at is not None:
            static.append(((spec.static_at, spec.depth, spec.order),
                           {**spec.template, "at": spec.static_at}, spec.growth))
    authors = _chatter_authors(scenario, personas)
    chatter_items: dict[str, dict[str, Any]] = {}
    chatter_growth: dict[str, Growth] = {}
    for number, item in enumerate(chatter(scenario, authors)):
        person = personas[item.author]
        chatter_items[item.id] = {
            "id": item.id, "kind": "post", "stream": "feed", "from": item.author, "at": item.at,
            "reply_to": None, "text": item.text, "engagement": {}, "topic": item.topic,
            "name": person.name, "handle": person.handle, "avatar": person.avatar,
            "verified": person.verified, "noise": True, "hidden": False, "liked": False,
        }
        chatter_growth[item.id] = growth_for(
            virality="low", followers=person.followers, needs_answer=False,
            jitter_seed=stable_seed(seed, scenario_id, "engagement", item.id))
        # Chatter sorts after script events of the same second.
        static.append(((item.at, 0, 10**9 + number), chatter_items[item.id],
                       chatter_growth[item.id]))
    static.sort(key=lambda entry: entry[0])
    static_branching = sorted((spec for spec in events.values()
                               if spec.static_at is not None and spec.branches),
                              key=lambda spec: (spec.static_at, spec.depth, spec.order))
    waiting: dict[str, list[str]] = {}
    for spec in events.values():
        if spec.scene is None and spec.static_at is None and spec.reply_to in events:
            waiting.setdefault(spec.reply_to, []).append(spec.id)
    static_items = [entry[1] for entry in static]
    replying = [(position, item["reply_to"]) for position, item in enumerate(static_items)
                if item["reply_to"] is not None]
    return CompiledScenario(
        scenario=scenario, duration=scenario.duration, events=events, aliases=aliases,
        personas=personas, static_times=[entry[0][0] for entry in static],
        static_keys=[entry[0] for entry in static], static_items=static_items,
        static_growth=[entry[2] for entry in static],
        static_branching=static_branching, waiting_children=waiting, scenes=scenes,
        chatter=chatter_items, chatter_growth=chatter_growth,
        trainee_item=_trainee_template(personas["trainee"]),
        static_rows=[(item, item["id"], item["from"], item["at"], growth, _plain(growth))
                     for (_, item, growth) in static],
        static_reply_positions=[position for position, _ in replying],
        static_reply_parents=[parent for _, parent in replying],
        static_positions={item["id"]: position for position, item in enumerate(static_items)})


def _plain(growth: Growth | None) -> tuple | None:
    if growth is None or growth.needs_answer:
        return None
    return growth.base_rate


def _needs_answer(expect: Any) -> bool:
    if expect is None:
        return False
    wanted = set(expect.actions or ())
    return not wanted or bool(wanted - {"ignore", "hide"})


def _place(events: dict[str, EventSpec]) -> None:
    """Depth of every event, and the fixed time of timeline events that depend on nothing dynamic.

    A comment is never shown before its parent: its time is the later of its own and its parent's.
    A timeline comment under a scene event waits for that scene (it stays dynamic).
    """
    resolving: set[str] = set()

    def visit(spec: EventSpec) -> tuple[int, int | None]:
        parent = events.get(spec.reply_to) if spec.reply_to else None
        if parent is None or spec.id in resolving:  # unknown target or a loop: the validator says
            spec.depth = 0
            spec.static_at = spec.at
            return 0, spec.static_at
        resolving.add(spec.id)
        parent_depth, parent_at = visit(parent)
        resolving.discard(spec.id)
        spec.depth = parent_depth + 1
        if spec.at is None or parent_at is None:
            spec.static_at = None
        else:
            spec.static_at = max(spec.at, parent_at)
        return spec.depth, spec.static_at

    for spec in events.values():
        visit(spec)


def _template(spec: EventSpec, event: Any, personas: dict[str, PersonaView]) -> dict[str, Any]:
    person = personas.get(spec.author)
    return {
        "id": spec.id, "kind": spec.kind, "stream": STREAMS[spec.kind], "from": spec.author,
        "at": None, "reply_to": spec.reply_to, "text": event.text.strip(), "engagement": {},
        "topic": event.topic, "name": person.name if person else spec.author,
        "handle": person.handle if person else spec.author,
        "avatar": person.avatar if person else None,
        "verified": person.verified if person else False,
        "noise": False, "hidden": False, "liked": False,
    }


def _trainee_template(brand: PersonaView) -> dict[str, Any]:
    return {
        "id": None, "kind": None, "stream": None, "from": "trainee", "at": None,
        "reply_to": None, "text": "", "engagement": {}, "topic": None, "name": brand.name,
        "handle": brand.handle, "avatar": brand.avatar, "verified": True, "noise": False,
        "hidden": False, "liked": False, "to": None, "score": None,
    }


def _chatter_authors(scenario: Any, personas: dict[str, PersonaView]) -> list[str]:
    if scenario.noise is None:
        return []
    source = scenario.noise.from_
    members = [key for key in personas if key.startswith(source + ".")]
    if members:
        return members
    return [source] if source in personas else []
