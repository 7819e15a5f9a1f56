"""Where a path in a document sits in the models, and how to name it to a person."""

from __future__ import annotations

import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


def last_key(path: tuple) -> str:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return ""


def in_scene(path: tuple) -> bool:
    return len(path) == 3 and path[0] == "scenes"


def owner_kind(path: tuple) -> str:
    if not path:
        return "top"
    if path[0] in {"timeline", "scenes"} and isinstance(path[-1], int):
        return "event"
    return str(last_key(path))


def owner(path: tuple) -> str:
    if not path:
        return "the top level of the file"
    if path[0] == "timeline" and len(path) == 2:
        return f"timeline event {path[1] + 1}"
    if path[0] == "scenes" and len(path) == 3:
        return f"event {path[1]}.{path[2]}"
    if path[0] in {"personas", "experts", "topics"} and len(path) == 2:
        return f'{path[0][:-1]} "{path[1]}"'
    if isinstance(path[-1], int):
        return f"item {path[-1] + 1} of `{last_key(path)}`"
    return f"`{last_key(path)}`"


MISPLACED = {
    **{
        key: ("expect", "under `expect:` of the event")
        for key in (
            "reply_within",
            "must_mention",
            "must_not_say",
            "pass_score",
            "model_answer",
            "escalate_to",
            "actions",
        )
    },
    **{
        key: ("when", "under `when:` of the branch")
        for key in ("no_reply_within", "reply_score_below", "reply_score_at_least")
    },
    **{key: ("platform", "under `platform:`") for key in ("network", "brand", "handle")},
    **{
        key: ("event", "in an event of `timeline:` or a scene")
        for key in ("kind", "text", "reply_to", "virality", "branches")
    },
    "goto": ("branches", "beside `when:` in a branch"),
    **{
        key: ("voice", "under `voice:`")
        for key in ("person", "greeting", "sign_off", "max_exclamations", "emoji", "jargon")
    },
    **{key: ("verdicts", "under `verdicts:`") for key in ("pass", "coach")},
    **{key: ("weights", "under `weights:`") for key in ("agility", "coherence", "efficiency")},
    "never_public": ("privacy", "under `privacy:`"),
    "key_messages": ("topic", "under a topic in `topics:`"),
    "max_chars": ("channel", "under a network in `channels:`"),
    "expect_events": ("tests", "in an entry of `tests:`"),
}


def when_model():
    from sandbox.core.scenario.models import When

    return When


def _unwrap(annotation: Any) -> list:
    """The models and containers an annotation may hold."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _unwrap(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [inner for arg in get_args(annotation) for inner in _unwrap(arg)]
    if origin is Literal:
        return []
    return [annotation]


def model_at(root: type[BaseModel], path: tuple, data: Any) -> type[BaseModel] | None:
    """The model class that describes the mapping at `path` in `data`."""
    candidates: list = [root]
    current = data
    for part in path:
        next_candidates: list = []
        for candidate in candidates:
            origin = get_origin(candidate)
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                field = _field(candidate, part)
                if field is not None:
                    next_candidates += _unwrap(field.annotation)
            elif origin is list and isinstance(part, int):
                next_candidates += _unwrap(get_args(candidate)[0])
            elif origin is dict:
                next_candidates += _unwrap(get_args(candidate)[1])
        current = current[part] if isinstance(current, dict | list) else None
        candidates = next_candidates
    models = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
    if len(models) > 1 and isinstance(current, dict):
        best = [m for m in models if set(current) & set(field_names(m))]
        models = best or models
    return models[0] if models else None


def _field(model: type[BaseModel], name: Any):
    for field_name, field in model.model_fields.items():
        if name in (field_name, field.alias):
            return field
    return None


def field_names(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]
