"""JSON Schemas for editors (yaml-language-server): completion, hover text, snippets, checks."""

from __future__ import annotations

import copy
import json

from sandbox.core.scenario.guidelines import Guidelines
from sandbox.core.scenario.models import Scenario
from sandbox.core.vocabulary import NOT_EXPECTABLE_ON

SCHEMA_FILES = {"scenario.schema.json": Scenario, "guidelines.schema.json": Guidelines}


_EVENT_SNIPPETS = [
    {
        "label": "New post",
        "description": "A public post from a persona",
        "body": {
            "id": "${1:event_id}",
            "at": "${2:1m}",
            "kind": "post",
            "from": "${3:persona}",
            "topic": "${4:other}",
            "text": "${5:What the customer writes}",
        },
    },
    {
        "label": "New post with expectations",
        "description": "A post the trainee must answer",
        "body": {
            "id": "${1:event_id}",
            "at": "${2:1m}",
            "kind": "post",
            "from": "${3:persona}",
            "topic": "${4:other}",
            "text": "${5:What the customer writes}",
            "expect": {
                "reply_within": "${6:10m}",
                "actions": ["reply"],
                "must_mention": ["${7:sorry}"],
                "model_answer": "${8:A good reply}",
            },
        },
    },
]
_SCENE_EVENT_SNIPPETS = [
    {
        "label": "New scene comment",
        "description": "A comment shown when the scene fires",
        "body": {
            "after": "${1:0s}",
            "kind": "comment",
            "reply_to": "${2:event_id}",
            "from": "${3:persona}",
            "text": "${4:What they write}",
        },
    }
]
_BRANCH_SNIPPETS = [
    {
        "label": "New branch (silence)",
        "body": {"when": {"no_reply_within": "${1:10m}"}, "goto": "${2:scene}"},
    },
    {
        "label": "New branch (low score)",
        "body": {"when": {"reply_score_below": "${1:40}"}, "goto": "${2:scene}"},
    },
]
_SCENE_SNIPPETS = [
    {
        "label": "New scene",
        "description": "Events shown when a branch goes to this scene",
        "body": {
            "${1:scene_name}": [
                {
                    "after": "${2:0s}",
                    "kind": "comment",
                    "reply_to": "${3:event_id}",
                    "from": "${4:persona}",
                    "text": "${5:What they write}",
                }
            ]
        },
    }
]


def _kind_rules() -> list[dict]:
    rules = [
        {
            "if": {"properties": {"kind": {"const": "comment"}}, "required": ["kind"]},
            "then": {"required": ["reply_to"]},
        }
    ]
    for kind, actions in NOT_EXPECTABLE_ON.items():
        not_expectable = {"items": {"not": {"enum": list(actions)}}}
        rules.append(
            {
                "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                "then": {
                    "properties": {
                        "expect": {"properties": {"actions": not_expectable}}
                    }
                },
            }
        )
    return rules


def _describe_everything(node: object, inherited: str = "") -> None:
    """Every property gets a description (hover text), borrowed from its target when needed."""
    if isinstance(node, dict):
        if "oneOf" in node:  # editors explain anyOf failures better; the choices never overlap
            node["anyOf"] = node.pop("oneOf")
        for name, prop in (node.get("properties") or {}).items():
            if isinstance(prop, dict) and "description" not in prop:
                prop["description"] = name.replace("_", " ").capitalize() + "."
        for key, value in node.items():
            if key not in ("allOf", "defaultSnippets"):  # conditions and snippets are not fields
                _describe_everything(value)
    elif isinstance(node, list):
        for value in node:
            _describe_everything(value)


def build_schema(model: type) -> dict:
    schema = copy.deepcopy(model.model_json_schema(by_alias=True, mode="validation"))
    defs = schema.get("$defs", {})
    for name in ("Event", "SceneEvent"):
        if name in defs:
            defs[name]["allOf"] = _kind_rules()
    if "Event" in defs:
        defs["Event"]["defaultSnippets"] = _EVENT_SNIPPETS
    if "SceneEvent" in defs:
        defs["SceneEvent"]["defaultSnippets"] = _SCENE_EVENT_SNIPPETS
    if "Branch" in defs:
        defs["Branch"]["defaultSnippets"] = _BRANCH_SNIPPETS
    if model is Scenario:
        schema["properties"]["scenes"]["defaultSnippets"] = _SCENE_SNIPPETS
    _describe_everything(schema)
    kind = "scenario" if model is Scenario else "guidelines"
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"https://community-sandbox.local/schema/{kind}.schema.json",
        **schema,
    }


def schema_texts() -> dict[str, str]:
    """File name -> JSON text, exactly as `sandbox schema` writes it."""
    return {
        name: json.dumps(build_schema(model), indent=2, ensure_ascii=False) + "\n"
        for name, model in SCHEMA_FILES.items()
    }
