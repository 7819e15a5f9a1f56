"""YAML events -> plain values and positions, with YAML 1.2 core-schema scalars."""

from __future__ import annotations

import re

from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from sandbox.core.scenario.diagnostics import Diagnostic
from sandbox.core.scenario.yamldoc import MAX_DEPTH, MAX_NODES, Path, YamlDocument
from sandbox.core.scenario.yamlerrors import second_document

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "map", "seq", "merge")}

_STR = _STD + "str"
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true", "True", "TRUE", "false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)"
    r"|\.(nan|NaN|NAN)"
)


def resolve_plain(value: str) -> str:
    """The YAML 1.2 core-schema tag of a plain scalar: `NO` is text, `2:30` is text."""
    if value in _NULL:
        return _STD + "null"
    if value in _BOOL:
        return _STD + "bool"
    if value[:1] in "0123456789-+.":
        if _INT.fullmatch(value):
            return _STD + "int"
        if _FLOAT.fullmatch(value):
            return _STD + "float"
    return _STR


class TooLarge(Exception):
    pass


def _tag(event) -> str | None:
    ctag = getattr(event, "ctag", None)
    if ctag is None:
        return None
    if getattr(ctag, "handle", None) is None and isinstance(ctag.suffix, str):
        return ctag.suffix
    return str(ctag)


_COMPLEX = object()  # a key that is itself a list or a mapping


class _Frame:
    __slots__ = (
        "container",
        "path",
        "event",
        "key",
        "key_event",
        "merge",
        "merges",
        "first_seen",
        "weight",
        "discard",
        "is_map",
    )

    def __init__(self, container, path, event, discard=False):
        self.container = container
        self.is_map = container.__class__ is dict
        self.path = path
        self.event = event
        self.key = None
        self.key_event = None
        self.merge = False
        self.merges: list = []
        self.first_seen: dict[str, object] = {}  # key -> the event where it was first given
        self.weight = 1
        self.discard = discard


class EventBuilder:
    """YAML events -> plain values, recording positions, duplicate keys, odd tags, aliases.

    Iterative, so nesting depth never reaches Python's recursion limit or libyaml's C stack.
    """

    def __init__(self, document: YamlDocument, diag):
        self.document = document
        self.diag = diag
        self.findings: list[Diagnostic] = []
        self.root = None
        self.documents = 0
        self.empty = False
        self.total = 0
        self.anchors: dict[str, tuple] = {}

    def run(self, next_event) -> None:
        stack: list[_Frame] = []
        skipping = False
        nodes = self.document.positions.nodes
        str_tag, null, bools = _STR, _NULL, _BOOL
        while True:
            event = next_event()
            kind = type(event)
            if kind is ScalarEvent and not skipping:
                parent = stack[-1] if stack else None
                if parent is None or event.ctag is not None or event.anchor:
                    self.scalar(parent, event)
                    continue
                text = event.value
                if parent.is_map and parent.key is None:
                    parent.key = text
                    parent.key_event = event
                    parent.merge = text == "<<" and event.implicit[0]
                    continue
                # The common case, inlined (it is most of the events): an untagged value.
                # Plain text that cannot be a number, a boolean or null skips the resolver.
                if event.implicit[0] and (
                    text[:1] in "0123456789-+.~" or text in null or text in bools
                ):
                    tag = resolve_plain(text)
                    value = text if tag is str_tag else _scalar(text, tag)
                else:
                    value = text
                if not parent.is_map:
                    container = parent.container
                    nodes[(*parent.path, len(container))] = (None, event)
                    container.append(value)
                    parent.weight += 1
                    self.total += 1
                    continue
                key = parent.key
                nodes[(*parent.path, key)] = (parent.key_event, event)
                if key is _COMPLEX or parent.merge or key in parent.first_seen:
                    self.attach(parent, value, 1)
                    continue
                self.total += 1
                parent.weight += 1
                parent.first_seen[key] = parent.key_event
                parent.container[key] = value
                parent.key = None
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if skipping:
                    continue
                if event.ctag is not None:
                    self.check_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise RecursionError()
                parent = stack[-1] if stack else None
                if parent is not None and parent.is_map and parent.key is None:
                    stack.append(_Frame({} if kind is MappingStartEvent else [], (), event, True))
                    continue
                path = self.path_for(parent)
                nodes[path] = (parent.key_event if parent else None, event)
                stack.append(_Frame({} if kind is MappingStartEvent else [], path, event))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                if skipping:
                    continue
                self.close(stack)
            elif kind is AliasEvent:
                if not skipping:
                    self.alias(stack[-1] if stack else None, event)
            elif kind is DocumentStartEvent:
                self.documents += 1
                if self.documents == 2:
                    self.findings.append(
                        second_document(self.document.text, event.start_mark, self.diag)
                    )
                skipping = self.documents > 1
            elif kind is StreamEndEvent:
                break
        if self.total > MAX_NODES:
            raise TooLarge()

    def close(self, stack: list[_Frame]) -> None:
        frame = stack.pop()
        value = frame.container
        for merged in frame.merges:
            for item in merged if isinstance(merged, list) else [merged]:
                if isinstance(item, dict):
                    for key, inner in item.items():
                        value.setdefault(key, inner)
        if frame.event.anchor:
            self.anchors[frame.event.anchor] = (value, frame.weight)
        parent = stack[-1] if stack else None
        if frame.discard:
            self.complex_key(parent, frame.event)
            return
        self.attach(parent, value, frame.weight)

    def check_tag(self, event) -> None:
        tag = _tag(event)
        if tag is not None and tag not in _ALLOWED_TAGS and tag != "!":
            shown = tag.replace(_STD, "!!")
            span = self.document.node_span(event)
            self.findings.append(
                self.diag(
                    "SCN013",
                    span.as_position(),
                    f"the tag `{shown}` is "
                    "not allowed here: values are plain text, numbers, "
                    "lists and mappings",
                    "remove the tag",
                )
            )

    def path_for(self, parent: _Frame | None) -> Path:
        if parent is None:
            return ()
        if parent.container.__class__ is dict:
            return (*parent.path, parent.key)
        return (*parent.path, len(parent.container))

    def complex_key(self, parent: _Frame | None, event) -> None:
        span = self.document.node_span(event)
        self.findings.append(
            self.diag(
                "SCN105",
                span.as_position(),
                "a key must be a single word, not a list or a mapping",
                "write `name: value`",
            )
        )
        if parent is not None:
            parent.key = _COMPLEX

    def scalar(self, parent: _Frame | None, event) -> None:
        if parent is not None and parent.container.__class__ is dict and parent.key is None:
            parent.key = event.value
            parent.key_event = event
            parent.merge = event.value == "<<" and event.implicit[0]
            return
        if event.ctag is None:
            tag = resolve_plain(event.value) if event.implicit[0] else _STR
        else:
            self.check_tag(event)
            tag = _tag(event)
            if tag == "!":
                tag = _STR
        value = event.value if tag == _STR else _scalar(event.value, tag)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)
        if parent is None:
            self.root = value
            self.empty = value is None and not event.value
            self.document.positions.add((), None, event)
            return
        self.document.positions.add(self.path_for(parent), parent.key_event, event)
        self.attach(parent, value, 1)

    def alias(self, parent: _Frame | None, event) -> None:
        if parent is not None and parent.container.__class__ is dict and parent.key is None:
            self.complex_key(parent, event)
            return
        if event.anchor not in self.anchors:
            span = self.document.node_span(event)
            self.findings.append(
                self.diag(
                    "SCN007",
                    span.as_position(),
                    f"the alias `*{event.anchor}`"
                    f" refers to an anchor `&{event.anchor}` defined nowhere "
                    "before it",
                    "define the anchor first, or write the value out",
                )
            )
            value, weight = None, 1
        else:
            value, weight = self.anchors[event.anchor]
        if parent is None:
            self.root = value
            return
        self.document.positions.add(self.path_for(parent), parent.key_event, event)
        self.attach(parent, value, weight)

    def attach(self, parent: _Frame | None, value, weight: int) -> None:
        self.total += weight
        if self.total > MAX_NODES:
            raise TooLarge()
        if parent is None:
            self.root = value
            return
        parent.weight += weight
        container = parent.container
        if container.__class__ is list:
            container.append(value)
            return
        key, key_event = parent.key, parent.key_event
        parent.key = None
        if key is _COMPLEX:
            return
        if parent.merge:
            parent.merges.append(value)
            parent.merge = False
            return
        if key in parent.first_seen:
            span = self.document.node_span(key_event)
            self.findings.append(
                self.diag(
                    "SCN004",
                    span.as_position(),
                    f'the key "{key}" appears twice in the same block',
                    f"it was first given on line {parent.first_seen[key].start_mark.line + 1}; "
                    "keep one and delete the "
                    "other",
                )
            )
            return
        parent.first_seen[key] = key_event
        container[key] = value


def _scalar(value: str, tag: str):
    try:
        if tag == _STD + "int":
            cleaned = value.replace("_", "")
            try:
                return int(cleaned, 0)
            except ValueError:
                return int(cleaned, 10)
        if tag == _STD + "float":
            cleaned = value.replace("_", "").lower()
            if cleaned.endswith(".inf"):
                return float("-inf") if cleaned.startswith("-") else float("inf")
            if cleaned.endswith(".nan"):
                return float("nan")
            return float(cleaned)
        if tag == _STD + "bool":
            return value.lower() == "true"
        if tag == _STD + "null":
            return None
    except ValueError:
        return value
    return value
