"""What the editor knows of the file formats, for its field help and its completion.

Every key of the JSON Schema (sandbox.core.scenario.schema, built from the models) becomes an
entry with its description, type, allowed values and default, the row of the format guide's
field tables that explains it, and an example taken from the guide's complete example: nothing
is retyped here. The editor's script (sandbox/static/editor-assist.js) walks these entries along
the keys above the caret.

The values that name something are marked with what they name (`n`): the script offers the names
of that kind it reads in the file (personas, experts, scenes, events), and the server adds those
the file does not hold: `server_names` (its guidelines' topics, scorer criteria), refreshed by
every live check, and the guidelines files, listed with the page.

An entry is a dict with short keys, to keep the page light:
`d` description, `t` type, `v` allowed values, `df` default, `r` required, `x` example, `g` the
guide's row (HTML), `a` its anchor in the guide, `n` the kind of name it takes, and for what it
holds: `k` its keys (name -> entry), `any` the entry of a key the author names (a persona...)
with `kn` the kind of those names, `i` the entry of its list items, or `s` the name of a shared
definition (in `defs`) holding `k`/`any`/`i`.
"""

import re
import threading
from typing import Any

from sandbox import formatdocs
from sandbox.core.scenario import TOPICS, Guidelines, Scenario
from sandbox.core.scenario.schema import build_schema
from sandbox.core.scenario.yamlsource import parse_yaml
from sandbox.core.scoring.results import CRITERIA

ROOT = ""  # the definition name of the file itself
MODELS = {"scenario": Scenario, "guidelines": Guidelines}

# Values that name something: (definition, key) -> the kind of name.
NAMED_VALUES = {
    (ROOT, "guidelines"): "guidelines",
    ("Event", "from"): "sender", ("SceneEvent", "from"): "sender",
    ("Event", "reply_to"): "event", ("SceneEvent", "reply_to"): "event",
    ("Event", "topic"): "topic", ("SceneEvent", "topic"): "topic",
    ("Expect", "escalate_to"): "expert",
    ("Branch", "goto"): "scene",
    ("When", "reply_breaks"): "criterion", ("When", "reply_passes"): "criterion",
    ("Noise", "from"): "persona", ("Noise", "topics"): "topic",
    ("TestAction", "event"): "event", ("TestAction", "to"): "expert",
    ("ScenarioTest", "expect_events"): "event", ("ScenarioTest", "expect_absent"): "event",
}
# Mappings whose keys are names of a kind (a guidelines file's rules per topic).
NAMED_KEYS = {("guidelines", "topics"): "topic", ("guidelines", "response_time"): "delay"}

# Where the format guide explains each definition: its field table (the rows become `g`) or,
# without a table, the section its link opens.
GUIDE_TABLES = {
    "scenario": {ROOT: "the-scenario", "Event": "timeline-events-and-scene-events",
                 "SceneEvent": "timeline-events-and-scene-events", "Expect": "expectations-expect",
                 "When": "branches"},
    "guidelines": {ROOT: "guidelines-files"},
}
GUIDE_LINKS = {"Persona": "personas-and-crowds", "Crowd": "personas-and-crowds",
               "Fake": "personas-and-crowds", "Branch": "branches", "Noise": "noise",
               "ScenarioTest": "tests", "TestAction": "tests", "Platform": "the-scenario",
               "Expert": "the-scenario"}


def _type_of(node: dict, defs: dict) -> str:
    """The type in words, from the schema's own terms."""
    if "$ref" in node:
        title = defs[node["$ref"].rsplit("/", 1)[-1]].get("title", "mapping")
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", title).lower()
    if "const" in node:
        return _shown(node["const"])
    kind = node.get("type")
    if kind == "string":
        advice = node.get("patternErrorMessage", "").lower()
        if "duration" in advice:
            return "duration"
        if "range" in advice:
            return "range of durations"
        return "choice" if "enum" in node else "name" if "pattern" in node else "text"
    if kind == "integer":
        low, high = node.get("minimum"), node.get("maximum")
        if "enum" in node:
            return "choice"
        if low is not None and high is not None:
            return f"whole number from {low} to {high}"
        return "whole number" + (f", at least {low}" if low is not None else "")
    if kind == "boolean":
        return "true or false"
    if kind == "array":
        item = _type_of(node.get("items", {}), defs)
        if " or " in item or item == "value" or item[-1].isdigit():
            return "list"
        return f"list of {item}{'es' if item.endswith(('s', 'x', 'ch', 'sh')) else 's'}"
    if kind == "object":
        return "mapping"
    return "value"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _Builder:
    def __init__(self, kind: str, guide: formatdocs.Guide):
        self.kind = kind
        self.schema = build_schema(MODELS[kind])
        self.tables = {name: guide.fields.get(section, {})
                       for name, section in GUIDE_TABLES[kind].items()}
        self.defs: dict[str, dict] = {}

    def anchor(self, definition: str) -> str:
        return GUIDE_TABLES[self.kind].get(definition) or GUIDE_LINKS.get(definition) \
            or GUIDE_TABLES[self.kind][ROOT]

    def structure(self, *names: str) -> str:
        """The shared definition `names` (several: their keys together, as a persona or a
        crowd), built once; returns its name for `s`."""
        joined = "|".join(names)
        if joined not in self.defs:
            self.defs[joined] = {}  # no definition refers to itself, but stay safe if one does
            merged: dict[str, Any] = {}
            for name in names:
                held = self.holds(self.schema["$defs"][name], name)
                merged.setdefault("k", {}).update(
                    {k: v for k, v in held.get("k", {}).items() if k not in merged.get("k", {})})
                merged.setdefault("any", held.get("any"))
            self.defs[joined] = {key: value for key, value in merged.items() if value}
        return joined

    def holds(self, node: dict, definition: str) -> dict:
        """What a mapping holds: its keys, and the entry of keys the author names."""
        held: dict[str, Any] = {}
        required = set(node.get("required", ()))
        if node.get("properties"):
            held["k"] = {key: self.entry(value, definition, key, key in required)
                         for key, value in node["properties"].items()}
        extra = next(iter((node.get("patternProperties") or {}).values()), None) \
            or (node.get("additionalProperties") if isinstance(
                node.get("additionalProperties"), dict) else None)
        if extra is not None:
            held["any"] = self.entry(extra, definition, None, False)
            if names := (node.get("propertyNames") or {}).get("enum"):
                held["kv"] = names
        return held

    def entry(self, node: dict, definition: str, key: str | None, required: bool) -> dict:
        entry: dict[str, Any] = {}
        description = node.get("description")
        alternatives = [node]
        if "$ref" in node or "anyOf" in node:
            alternatives = [self.schema["$defs"][a["$ref"].rsplit("/", 1)[-1]] | {"ref": a["$ref"]}
                            if "$ref" in a else a
                            for a in node.get("anyOf", [node]) if a.get("type") != "null"]
        types, values, refs = [], [], []
        for alternative in alternatives:
            inner = alternative.get("anyOf")
            for choice in inner or [alternative]:
                if choice.get("type") == "null":
                    continue
                types.append(_type_of(choice, self.schema["$defs"]))
                values += [_shown(v) for v in choice.get("enum", [])]
                if "const" in choice:
                    values.append(_shown(choice["const"]))
                elif choice.get("type") == "boolean":
                    values += ["true", "false"]
                if choice.get("type") == "array":
                    entry["i"] = self.entry(choice.get("items", {}), definition, None, False)
                if "ref" in choice:
                    refs.append(choice["ref"].rsplit("/", 1)[-1])
                elif choice.get("type") == "object":
                    entry.update(self.holds(choice, definition))
                description = description or choice.get("description")
        if refs:
            entry["s"] = self.structure(*refs)
            entry["a"] = self.anchor(refs[0])
        entry["d"] = description or ""
        entry["t"] = " or ".join(dict.fromkeys(types)) or "value"
        if values:
            entry["v"] = list(dict.fromkeys(values))
        default = node.get("default")
        if default not in (None, [], {}, ""):
            entry["df"] = _shown(default)
        if required:
            entry["r"] = 1
        if key is not None:
            if (named := NAMED_VALUES.get((definition, key))) is not None:
                entry["n"] = named
                if "i" in entry:
                    entry["i"]["n"] = named
            if (named := NAMED_KEYS.get((self.kind, key))) is not None:
                entry["kn"] = named
            if row := self.tables.get(definition, {}).get(key):
                entry["g"] = row
            entry.setdefault("a", self.anchor(definition))
        return entry

    def build(self) -> dict:
        root = {"d": self.schema.get("description", ""), "t": "mapping", "a": self.anchor(ROOT)}
        root.update(self.holds(self.schema, ROOT))
        return {"root": root, "defs": self.defs}


def _snippet(key: str, value: Any, depth: int = 0) -> list[str]:
    """`key: value` as a few lines of YAML, shortened."""
    def flat(item: Any) -> str | None:
        if isinstance(item, bool | int | float):
            return _shown(item)
        if isinstance(item, str):
            line = item.strip().split("\n")[0]
            if any(c in line for c in ":#{}[],") or line[:1] in "@`*&!|>%'\"-":
                line = '"' + line.replace('"', '\\"') + '"'
            return line + (" …" if "\n" in item.strip() else "")
        if isinstance(item, list):
            parts = [flat(x) for x in item[:4]]
            if None not in parts:
                return "[" + ", ".join(parts) + (", …" if len(item) > 4 else "") + "]"
        if isinstance(item, dict):
            parts = [f"{k}: {flat(v)}" for k, v in list(item.items())[:4]]
            if not any(p.endswith("None") for p in parts):
                return "{" + ", ".join(parts) + (", …" if len(item) > 4 else "") + "}"
        return None

    pad = "  " * depth
    if isinstance(value, str) and "\n" in value.strip():
        lines = value.strip().split("\n")
        return [f"{pad}{key}: |", *(f"{pad}  {line}" for line in lines[:2])] + \
            ([f"{pad}  …"] if len(lines) > 2 else [])
    one = flat(value)
    if one is not None and len(one) + len(key) < 72:
        return [f"{pad}{key}: {one}"]
    if isinstance(value, dict):
        inner = [line for k, v in list(value.items())[:3] for line in _snippet(k, v, depth + 1)]
        return [f"{pad}{key}:", *inner[:5], *([f"{pad}  …"] if len(value) > 3 else [])]
    if isinstance(value, list):
        first = flat(value[0]) if value else ""
        item = f"{pad}  - {first or '…'}"
        return [f"{pad}{key}:", item if len(item) < 80 else item[:78] + "…",
                *([f"{pad}  - …"] if len(value) > 1 else [])]
    return [f"{pad}{key}: …"]


def _add_examples(tree: dict, data: Any) -> None:
    """Give each entry met in `data` (a parsed example file) its first value as an example."""
    defs = tree["defs"]

    def walk(entry: dict, value: Any) -> None:
        held = defs.get(entry.get("s"), entry)
        if isinstance(value, dict):
            for key, inner in value.items():
                child = held.get("k", {}).get(key) or held.get("any")
                if child is None:
                    continue
                if key in held.get("k", {}) and "x" not in child:
                    child["x"] = "\n".join(_snippet(key, inner))
                walk(child, inner)
        elif isinstance(value, list) and "i" in entry:
            for item in value:
                walk(entry["i"], item)

    walk(tree["root"], data)


def _example_texts(kind: str, guide: formatdocs.Guide) -> list[str]:
    """The guide's complete example; for guidelines, the file that example names."""
    if kind == "scenario":
        return [guide.example]
    document, _ = parse_yaml(guide.example, "<guide>")
    slug = (document.data or {}).get("guidelines") if document is not None else None
    path = formatdocs.GUIDE.parent.parent / "scenarios" / "guidelines" / f"{slug}.yaml"
    return [path.read_text(encoding="utf-8")] if slug and path.is_file() else []


_lock = threading.Lock()
_built: dict[str, tuple[formatdocs.Guide, dict]] = {}


def tree(kind: str) -> dict:
    """The entries of a scenario or guidelines file, rebuilt when the guide changes."""
    guide = formatdocs.guide()
    with _lock:
        if kind in _built and _built[kind][0] is guide:
            return _built[kind][1]
    built = _Builder(kind, guide).build()
    for text in _example_texts(kind, guide):
        document, _ = parse_yaml(text, "<example>")
        if document is not None:
            _add_examples(built, document.data)
    with _lock:
        _built[kind] = (guide, built)
    return built


def server_names(*, guidelines=None) -> dict[str, list[str]]:
    """The names a value can take that the file itself does not hold and that can change as the
    author types: the topics of the guidelines the text names (and what every name list needs
    besides). The guidelines files are listed once, with the page (views._assist)."""
    topics = list(dict.fromkeys([*TOPICS, *(guidelines.topics if guidelines else ())]))
    return {"topic": topics, "criterion": list(CRITERIA), "delay": ["public", "dm", *topics]}
