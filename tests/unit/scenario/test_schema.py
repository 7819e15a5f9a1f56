"""The editors' JSON Schemas stay in step with the models and accept what the validator accepts."""

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from sandbox.core.scenario import SHIPPED_SCENARIOS
from sandbox.core.scenario.schema import schema_texts

FIXTURES = Path(__file__).parents[2] / "data" / "scenarios"
SCHEMAS = SHIPPED_SCENARIOS / "schema"


def load_yaml(path: Path):
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    return yaml.load(path.read_text())


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text())


@pytest.mark.parametrize("name", sorted(schema_texts()))
def test_the_committed_schema_matches_the_models(name):
    assert (SCHEMAS / name).read_text() == schema_texts()[name], (
        "the schema drifted from the models: run `sandbox schema` and commit the result"
    )


@pytest.mark.parametrize(
    "path",
    [SHIPPED_SCENARIOS / "sunnyfoods-recall.yaml", FIXTURES / "valid.yaml"],
    ids=["shipped", "fixture"],
)
def test_valid_scenarios_pass_the_editor_schema(path):
    jsonschema.validate(load_yaml(path), schema("scenario.schema.json"))


@pytest.mark.parametrize(
    "path", sorted((SHIPPED_SCENARIOS / "guidelines").glob("*.yaml")), ids=lambda p: p.stem
)
def test_shipped_guidelines_pass_the_editor_schema(path):
    jsonschema.validate(load_yaml(path), schema("guidelines.schema.json"))


@pytest.mark.parametrize(
    ("change", "old", "new"),
    [
        ("a duration without a unit", "at: 30s", "at: 30"),
        ("a comment without reply_to", "      reply_to: first_post\n", ""),
        ("an unknown kind", "kind: post", "kind: tweet"),
    ],
)
def test_the_editor_schema_flags_common_mistakes(tmp_path, change, old, new):
    path = tmp_path / "broken.yaml"
    path.write_text((FIXTURES / "valid.yaml").read_text().replace(old, new))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(load_yaml(path), schema("scenario.schema.json"))


def _properties(node):
    if isinstance(node, dict):
        yield from (node.get("properties") or {}).items()
        for key, value in node.items():
            if key not in ("allOf", "defaultSnippets"):
                yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


@pytest.mark.parametrize("name", sorted(schema_texts()))
def test_every_field_has_a_description_for_hover_help(name):
    missing = [field for field, prop in _properties(schema(name)) if "description" not in prop]
    assert missing == []


def test_events_use_if_then_on_kind_rather_than_a_discriminator():
    event = schema("scenario.schema.json")["$defs"]["Event"]
    assert {
        "if": {"properties": {"kind": {"const": "comment"}}, "required": ["kind"]},
        "then": {"required": ["reply_to"]},
    } in event["allOf"]
    assert "oneOf" not in json.dumps(schema("scenario.schema.json"))


def test_snippets_exist_for_a_post_a_branch_and_a_scene():
    defs = schema("scenario.schema.json")["$defs"]
    labels = [s["label"] for d in ("Event", "Branch") for s in defs[d]["defaultSnippets"]]
    labels += [
        s["label"]
        for s in schema("scenario.schema.json")["properties"]["scenes"]["defaultSnippets"]
    ]
    assert {"New post", "New branch (silence)", "New scene"} <= set(labels)


def test_vscode_maps_scenario_files_to_the_schema():
    settings = json.loads((SHIPPED_SCENARIOS.parent / ".vscode" / "settings.json").read_text())
    mapping = settings["yaml.schemas"]
    assert mapping["./scenarios/schema/scenario.schema.json"] == ["scenarios/*.yaml"]
    assert "scenarios/guidelines/*.yaml" in mapping["./scenarios/schema/guidelines.schema.json"]
