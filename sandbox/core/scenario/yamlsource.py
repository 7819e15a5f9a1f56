"""Pass 1: YAML 1.2 text -> plain values plus the position of every key and value.

libyaml (ruamel.yaml.clib) produces the events when installed, the pure parser otherwise and to
explain errors; `yamlbuild` turns events into plain dicts/lists itself so that duplicate keys,
tags, aliases and nesting depth are findings, never exceptions.
"""

from __future__ import annotations

import contextlib
import gc

from ruamel.yaml import YAML

try:  # ruamel.yaml.clib: the C parser, about ten times faster than the pure one
    from _ruamel_yaml import CParser as _CParser
except ImportError:  # pragma: no cover
    _CParser = None
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import StreamEndEvent

from sandbox.core.scenario.codes import for_file
from sandbox.core.scenario.diagnostics import Diagnostic, make
from sandbox.core.scenario.yamlbuild import EventBuilder, TooLarge
from sandbox.core.scenario.yamldoc import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_NODES,
    Located,
    Path,
    Positions,
    Span,
    YamlDocument,
)
from sandbox.core.scenario.yamlerrors import explain_error

__all__ = [
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_NODES",
    "Located",
    "Path",
    "Positions",
    "Span",
    "YamlDocument",
    "parse_yaml",
    "paused_cyclic_gc",
]


def _loader(pure: bool) -> YAML:
    yaml = YAML(typ="safe", pure=pure)
    yaml.version = (1, 2)
    return yaml


_PURE = _loader(pure=True)


def parse_yaml(
    text: str, path: str, prefix: str = "SCN"
) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Pass 1. Returns the document (None when unusable) and every syntax finding."""

    def diag(code: str, position, message: str, *hints: str) -> Diagnostic:
        return make(for_file(code, prefix), path, position, message, *hints)

    if len(text) > MAX_CHARS:
        return None, [
            diag(
                "SCN011",
                (1, 1, 2),
                f"the file has {len(text):,} characters; the limit is {MAX_CHARS:,}",
                "split it into several scenarios",
            )
        ]
    if "\x00" in text:
        return None, [
            diag(
                "SCN010",
                (1, 1, 2),
                "the file contains binary data, not text",
                "save it as UTF-8 text from a text editor",
            )
        ]
    document = YamlDocument(path=path, text=text, data=None)
    builder = None
    if _CParser is not None:
        try:
            builder = EventBuilder(document, diag)
            parser = _CParser(text)
            try:
                with paused_cyclic_gc():
                    builder.run(parser.get_event)
            finally:
                parser.dispose()
        except (YAMLError, ValueError, TypeError, AttributeError, KeyError):
            builder = None  # the pure parser explains errors better
        except RecursionError:
            return None, [_too_deep(diag)]
        except TooLarge:
            return None, [_too_large(diag)]
    if builder is None:
        document = YamlDocument(path=path, text=text, data=None)
        builder = EventBuilder(document, diag)
        try:
            builder.run(_pure_events(text))
        except RecursionError:
            return None, [_too_deep(diag)]
        except TooLarge:
            return None, [_too_large(diag)]
        except (YAMLError, ValueError, TypeError) as error:
            return None, [explain_error(error, text, diag)]
    if builder.documents == 0 or builder.empty:
        return None, [
            diag(
                "SCN008",
                (1, 1, 2),
                "the file is empty",
                "start from `sandbox new-scenario SLUG`, or copy a shipped scenario",
            )
        ]
    document.data = builder.root
    return document, builder.findings


@contextlib.contextmanager
def paused_cyclic_gc():
    """Checking a file creates thousands of objects and no reference cycles (a test keeps it
    so): reference counting frees them all, and pausing the cyclic collector meanwhile saves it
    scanning them, and now and then the whole heap (a tenth of the time, more on a busy machine)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _pure_events(text: str):
    """`next_event` for the pure parser; ends with StreamEndEvent like the C one."""
    events = iter(_PURE.parse(text))

    def next_event():
        return next(events, None) or StreamEndEvent()

    return next_event


def _too_deep(diag) -> Diagnostic:
    return diag(
        "SCN012",
        (1, 1, 2),
        "the file is nested too deeply to read",
        f"keep nesting under {MAX_DEPTH} levels",
    )


def _too_large(diag) -> Diagnostic:
    return diag(
        "SCN011",
        (1, 1, 2),
        "the file expands to too many values (anchors and aliases that repeat each other)",
        "write the values out instead of repeating aliases",
    )
