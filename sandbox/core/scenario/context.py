"""What the meaning checks look at: typed values (whole, or the parts that passed) and positions."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from sandbox.core.scenario.diagnostics import Diagnostic, make
from sandbox.core.scenario.durations import DurationError, parse_duration
from sandbox.core.scenario.guidelines import Guidelines
from sandbox.core.scenario.models import (
    Event,
    Expert,
    Noise,
    PersonaOrCrowd,
    Platform,
    Scenario,
    ScenarioTest,
    SceneEvent,
)
from sandbox.core.scenario.yamlsource import YamlDocument


@functools.cache
def _adapter(annotation: Any) -> TypeAdapter:
    return TypeAdapter(annotation)


def _try(annotation: Any, value: Any):
    try:
        return _adapter(annotation).validate_python(value, context={"yaml": True})
    except ValidationError:
        return None


@dataclass
class Context:
    document: YamlDocument
    scenario: Scenario
    guidelines: Guidelines | None
    timeline: list[tuple[int, Event]]
    scenes: dict[str, list[tuple[int, SceneEvent]]]
    persona_names: set[str]
    expert_names: set[str]
    scene_names: set[str]
    event_refs: set[str]
    findings: list[Diagnostic] = field(default_factory=list)
    near_miss_scenes: set[str] = field(default_factory=set)

    def add(self, code: str, position, message: str, *hints: str, severity=None) -> None:
        self.findings.append(
            make(code, self.document.path, position, message, *hints, severity=severity)
        )

    def value_at(self, *path) -> tuple[int, int, int]:
        return self.document.value_at(tuple(path))

    def key_at(self, *path) -> tuple[int, int, int]:
        return self.document.key_at(tuple(path))

    def events(self) -> Iterator[tuple[tuple, Event | SceneEvent]]:
        for index, event in self.timeline:
            yield ("timeline", index), event
        for name, events in self.scenes.items():
            for index, event in events:
                yield ("scenes", name, index), event

    @property
    def language(self) -> str:
        return self.scenario.language if isinstance(self.scenario.language, str) else "en"


def build_context(
    document: YamlDocument, scenario: Scenario | None, guidelines: Guidelines | None
) -> Context:
    data = document.data if isinstance(document.data, dict) else {}
    if scenario is None:
        scenario = _partial(data)
    raw_timeline = data.get("timeline") if isinstance(data.get("timeline"), list) else []
    raw_scenes = data.get("scenes") if isinstance(data.get("scenes"), dict) else {}
    refs = {
        item["id"]
        for item in raw_timeline
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }
    for name, items in raw_scenes.items():
        for index, item in enumerate(items if isinstance(items, list) else []):
            refs.add(f"{name}.{index}")
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                refs.add(item["id"])
    timeline = [(i, e) for i, e in enumerate(scenario.timeline) if e is not None]
    scenes = {
        name: [(i, e) for i, e in enumerate(events) if e is not None]
        for name, events in scenario.scenes.items()
    }

    def names(key: str) -> set[str]:
        value = data.get(key)
        return {str(k) for k in value} if isinstance(value, dict) else set()

    return Context(
        document=document,
        scenario=scenario,
        guidelines=guidelines,
        timeline=timeline,
        scenes=scenes,
        persona_names=names("personas"),
        expert_names=names("experts"),
        scene_names=names("scenes"),
        event_refs=refs,
    )


def _partial(data: dict) -> Scenario:
    """The parts of a broken scenario that are fine, so meaning checks still run on them.

    Lists keep their length (broken items are None) so positions stay right.
    """

    def each(items: Any, annotation: Any) -> list:
        return [_try(annotation, item) for item in items] if isinstance(items, list) else []

    def mapping(items: Any, annotation: Any) -> dict:
        if not isinstance(items, dict):
            return {}
        checked = {str(k): _try(annotation, v) for k, v in items.items()}
        return {k: v for k, v in checked.items() if v is not None}

    def text(key: str, default: str = "") -> str:
        value = data.get(key)
        return value if isinstance(value, str) else default

    try:
        duration = parse_duration(data["duration"]) if isinstance(data.get("duration"), str) else 0
    except DurationError:
        duration = 0
    raw_scenes = data.get("scenes") if isinstance(data.get("scenes"), dict) else {}
    return Scenario.model_construct(
        format=1,
        id=text("id"),
        title=text("title"),
        summary=text("summary"),
        language=text("language", "en") if text("language") in ("en", "fr") else "en",
        difficulty="intermediate",
        duration=duration,
        seed=data.get("seed") if isinstance(data.get("seed"), int) else 0,
        platform=_try(Platform, data.get("platform")),
        guidelines=text("guidelines"),
        briefing=text("briefing"),
        facts=[f for f in data.get("facts") or [] if isinstance(f, str)]
        if isinstance(data.get("facts"), list)
        else [],
        personas=mapping(data.get("personas"), PersonaOrCrowd),
        experts=mapping(data.get("experts"), Expert),
        timeline=each(data.get("timeline"), Event),
        scenes={str(name): each(events, SceneEvent) for name, events in raw_scenes.items()},
        noise=_try(Noise, data.get("noise")) if data.get("noise") is not None else None,
        tests=each(data.get("tests"), ScenarioTest),
    )
