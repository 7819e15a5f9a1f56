"""What the editor's field help and completion read: every key of the format with the schema's
description, type and allowed values, the format guide's row and an example from its complete
example (nothing retyped), and the names the server adds to the file's own."""

import html as markup
import json
import re

import pytest

from sandbox import formatdocs
from sandbox.core.scenario import TOPICS, Guidelines, Scenario
from sandbox.core.scenario.schema import build_schema
from sandbox.core.scoring.results import CRITERIA
from sandbox.web.author import fields

RECALL = "sunnyfoods-recall"
HTMX = {"HX-Request": "true"}


def entry_at(tree: dict, *path: str) -> dict:
    """The entry of a key, as editor-assist.js walks it ("[]": a list item)."""
    entry = tree["root"]
    for step in path:
        if step == "[]":
            entry = entry["i"]
        else:
            held = tree["defs"][entry["s"]] if "s" in entry else entry
            entry = held.get("k", {}).get(step) or held["any"]
    return entry


def schema_keys(schema: dict, node: dict, path=()):
    """Every key of the JSON Schema with its description, as (path, description)."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    for alternative in node.get("anyOf", []):
        yield from schema_keys(schema, alternative, path)
    for key, value in (node.get("properties") or {}).items():
        yield (*path, key), value["description"]
        yield from schema_keys(schema, value, (*path, key))
    if node.get("type") == "array" and "items" in node:
        yield from schema_keys(schema, node["items"], (*path, "[]"))
    for value in (node.get("patternProperties") or {}).values():
        yield from schema_keys(schema, value, (*path, "name"))


@pytest.mark.parametrize("kind, model", [("scenario", Scenario), ("guidelines", Guidelines)])
def test_every_key_of_the_schema_has_its_description(kind, model):
    tree = fields.tree(kind)
    schema = build_schema(model)
    found: dict[tuple, set[str]] = {}
    for path, description in schema_keys(schema, schema):
        found.setdefault(path, set()).add(description)
    assert len(found) > 40 if kind == "scenario" else len(found) > 20
    for path, descriptions in found.items():
        # a persona or a crowd: the key both have (locale) says the persona's
        assert entry_at(tree, *path)["d"] in descriptions, path


def test_an_entry_says_its_type_values_default_and_whether_it_is_required():
    tree = fields.tree("scenario")
    kind = entry_at(tree, "timeline", "[]", "kind")
    assert (kind["t"], kind["v"], kind.get("r")) == (
        "choice", ["post", "comment", "mention", "dm", "internal"], 1)
    assert entry_at(tree, "difficulty")["df"] == "intermediate"
    assert entry_at(tree, "timeline", "[]", "at")["t"] == "duration"
    assert entry_at(tree, "timeline", "[]", "expect", "pass_score")["t"] == \
        "whole number from 0 to 100"
    actions = entry_at(tree, "timeline", "[]", "expect", "actions")
    assert actions["t"] == "list of choices" and "move_to_dm" in actions["i"]["v"]
    assert entry_at(tree, "scenes", "name", "[]", "branches", "[]", "when", "action")["v"][0] \
        == "reply"
    crowd_and_persona = entry_at(tree, "personas", "name")
    assert {"name", "handle", "count"} <= set(tree["defs"][crowd_and_persona["s"]]["k"])


def test_examples_and_notes_come_from_the_format_guide():
    guide = formatdocs.guide()
    tree = fields.tree("scenario")
    assert entry_at(tree, "timeline", "[]", "kind")["x"] == "kind: post"
    platform = entry_at(tree, "platform")["x"]
    assert platform.startswith("platform:") and "network: twitter" in platform
    assert "platform:" in guide.example and "network: twitter" in guide.example
    note = entry_at(tree, "timeline", "[]", "kind")["g"]
    assert note == guide.fields["timeline-events-and-scene-events"]["kind"]
    assert "(needs <code>reply_to</code>)" in note
    assert entry_at(tree, "timeline", "[]", "kind")["a"] == "timeline-events-and-scene-events"
    assert "at the deadline" in entry_at(
        tree, "timeline", "[]", "branches", "[]", "when", "no_reply_within")["g"]
    # a guidelines file's examples come from the file the guide's example names
    assert entry_at(fields.tree("guidelines"), "voice", "emoji")["x"] == "emoji: allowed"


def test_values_that_name_something_say_what_they_name():
    tree = fields.tree("scenario")
    assert entry_at(tree, "timeline", "[]", "from")["n"] == "sender"
    assert entry_at(tree, "timeline", "[]", "branches", "[]", "goto")["n"] == "scene"
    assert entry_at(tree, "timeline", "[]", "expect", "escalate_to")["n"] == "expert"
    assert entry_at(tree, "scenes", "name", "[]", "topic")["n"] == "topic"
    assert entry_at(tree, "tests", "[]", "expect_events", "[]")["n"] == "event"
    assert entry_at(fields.tree("guidelines"), "topics")["kn"] == "topic"


def test_the_server_adds_the_topics_of_the_guidelines_and_the_scorer_criteria():
    names = fields.server_names()
    assert names["topic"] == list(TOPICS) and names["criterion"] == list(CRITERIA)


def page_assist(page: str) -> dict:
    blob = re.search(r'<script type="application/json" id="editor-assist">(.*?)</script>',
                     page, re.S).group(1)
    return json.loads(blob)


def test_the_editor_carries_the_entries_as_data_never_as_a_script(client, library, trainer):
    page = client.get(f"/scenarios/{RECALL}/edit").get_data(as_text=True)
    assist = page_assist(page)
    assert assist["tree"] == json.loads(json.dumps(fields.tree("scenario")))
    assert "sunnyfoods" in assist["guidelines"]
    names = json.loads(markup.unescape(re.search(
        r"<div id=\"editor-names\" hidden data-names='([^']*)'", page).group(1)))
    assert names["topic"][:len(TOPICS)] == list(TOPICS)
    assert 'id="field-help"' in page and 'src="/static/editor-assist.js"' in page


def test_the_live_check_refreshes_the_names_out_of_band(client, library, trainer):
    text = (library / f"{RECALL}.yaml").read_text()
    page = client.get(f"/scenarios/{RECALL}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post(f"/scenarios/{RECALL}/validate", data={"text": text},
                         headers={**HTMX, "X-CSRFToken": token}).get_data(as_text=True)
    assert re.search(r"<div id=\"editor-names\" hidden data-names='[^']+' hx-swap-oob=\"true\">",
                     answer)
    assert "editor-assist" not in answer  # the entries travel once, with the page


def test_the_guidelines_editor_explains_its_keys_too(client, library, trainer):
    page = client.get("/scenarios/guidelines/sunnyfoods/edit").get_data(as_text=True)
    assert page_assist(page)["tree"]["root"]["k"]["voice"]["s"] == "Voice"
    assert 'id="field-help"' in page and "#guidelines-files" in page


def test_a_codes_documentation_closes_beside_the_editor(client, library, trainer):
    section = client.get("/scenarios/format/SCN202", headers=HTMX).get_data(as_text=True)
    assert "data-close-doc" in section
