"""Pass 2: the document against the models; pydantic's errors become findings people can act on."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from sandbox.core.scenario.codes import for_file
from sandbox.core.scenario.diagnostics import Diagnostic, make
from sandbox.core.scenario.fields import LEXICON_NAME_PATTERN
from sandbox.core.scenario.modelpaths import (
    MISPLACED,
    field_names,
    in_scene,
    last_key,
    model_at,
    owner,
    owner_kind,
    when_model,
)
from sandbox.core.scenario.suggest import did_you_mean, hint_for, slugify
from sandbox.core.scenario.yamlsource import YamlDocument
from sandbox.core.vocabulary import BRANCH_CONDITIONS, REPLY_CONDITIONS

TYPE_ERRORS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "phrase": "a phrase, or a list of alternatives",
    "none_required": "empty",
}
SCORE_KEYS = {"pass_score", "reply_score_below", "reply_score_at_least", "score", "pass", "coach"}
LABELS = {
    "kind": "kind of event",
    "actions": "action",
    "action": "action",
    "must": "action",
    "network": "network",
    "language": "language",
    "difficulty": "difficulty",
    "virality": "virality level",
    "emoji": "emoji rule",
    "greeting": "greeting rule",
    "person": "voice person",
    "never_public": "kind of personal data",
    "channels": "network",
}
EXAMPLES = {
    "format": "format: 1",
    "id": "id: my-scenario",
    "title": "title: A worried parent",
    "language": "language: en",
    "duration": "duration: 30m",
    "platform": "platform: {network: twitter, brand: SunnyFoods, handle: SunnyFoods}",
    "guidelines": "guidelines: sunnyfoods",
    "timeline": "timeline: [...]",
    "kind": "kind: post",
    "from": "from: maria",
    "text": 'text: "..."',
    "at": "at: 30s",
    "after": "after: 0s",
    "when": "when: {no_reply_within: 10m}",
    "goto": "goto: pile_on",
    "name": "name: Maria Kowalski",
    "handle": "handle: maria_k",
    "count": "count: 25",
    "network": "network: twitter",
    "brand": "brand: SunnyFoods",
    "every": "every: 20s-90s",
    "reason": "reason: dismissive",
    "phrase": "phrase: calm down",
    "target": "target: 15m",
    "max": "max: 1h",
    "max_chars": "max_chars: 280",
    "fake": "fake: city",
    "action": "action: reply",
}

_TYPE_WORDS = [
    (bool, "true/false"),
    (int, "a number"),
    (float, "a number"),
    (str, "text"),
    (list, "a list"),
    (dict, "a mapping"),
]


def kind_of(value: object) -> str:
    if value is None:
        return "empty"
    for python_type, word in _TYPE_WORDS:
        if isinstance(value, python_type):
            return word
    return "something else"


def validate_model(document: YamlDocument, model: type[BaseModel], prefix: str = "SCN"):
    """Returns (instance or None, findings)."""
    if not isinstance(document.data, dict):
        what = kind_of(document.data)
        return None, [
            make(
                for_file("SCN112", prefix),
                document.path,
                (1, 1, 2),
                f"the file holds {what}, but it must be a mapping of keys such as `format: 1`",
                "start each top-level setting at column 1 as `key: value`",
            )
        ]
    try:
        return model.model_validate(document.data, context={"yaml": True}), []
    except ValidationError as error:
        return None, Translator(document, model, prefix).translate(error.errors(include_url=False))


class Translator:
    def __init__(self, document: YamlDocument, model: type[BaseModel], prefix: str):
        self.document = document
        self.model = model
        self.prefix = prefix

    def translate(self, errors: list[dict]) -> list[Diagnostic]:
        resolved = []
        for error in errors:
            path, key_error = _resolve(self.document.data, error["loc"], error["type"])
            resolved.append((path, key_error, error))
        resolved = _drop_union_noise(resolved)
        resolved = self._drop_missing_explained_by_typos(resolved)
        seen: set = set()
        findings = []
        for path, key_error, error in resolved:
            finding = self.one(path, key_error, error)
            if finding is None:
                continue
            identity = (finding.line, finding.column, finding.code)
            if identity not in seen:
                seen.add(identity)
                findings.append(finding)
        return findings

    def _drop_missing_explained_by_typos(self, resolved: list) -> list:
        """`{faker: city}` is one typo, not a typo plus a missing `fake`."""
        guesses = set()
        for path, _, error in resolved:
            if error["type"] == "extra_forbidden" and path:
                model = model_at(self.model, path[:-1], self.document.data)
                guess = did_you_mean(path[-1], field_names(model)) if model else None
                if guess:
                    guesses.add((path[:-1], guess))
        return [
            item
            for item in resolved
            if not (item[2]["type"] == "missing" and (item[0], str(item[2]["loc"][-1])) in guesses)
        ]

    def diag(self, code: str, position, message: str, *hints: str, severity=None) -> Diagnostic:
        return make(
            for_file(code, self.prefix),
            self.document.path,
            position,
            message,
            *hints,
            severity=severity,
        )

    def one(self, path: tuple, key_error: bool, error: dict) -> Diagnostic | None:
        kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
        doc = self.document
        key = last_key(path)
        where = doc.key_at(path) if key_error else doc.value_at(path)
        if kind == "missing":
            return self.missing(path, str(error["loc"][-1]))
        if kind == "extra_forbidden":
            return self.extra(path)
        if kind == "duration":
            return self.diag("SCN106", where, f"`{key}`: {ctx.get('message')}", ctx.get("hint", ""))
        if kind == "duration_too_long":
            return self.diag("SCN113", where, f"`{key}`: {ctx.get('message')}", ctx.get("hint", ""))
        if kind == "literal_error" and key == "reply_passes":
            return self.diag(
                "SCN105",
                where,
                f"`reply_passes` is {str(value).lower()}; it is `true` or scorer criteria",
                "write reply_passes: true (the verdict is pass) or a criterion such as privacy; "
                "for a reply that does not pass, use reply_score_below or reply_breaks",
            )
        if kind == "literal_error":
            return self.choice(path, key_error, value, ctx, where)
        if kind == "criteria":
            return self.diag(
                "SCN105",
                where,
                f"`{key}` is an empty list",
                "name a scorer criterion such as privacy, or a list: [privacy, facts]",
            )
        if kind == "branch_condition":
            conditions = (
                [k for k in value if k in typing.get_type_hints(when_model())]
                if isinstance(value, dict)
                else []
            )
            if not conditions:
                return self.diag(
                    "SCN110",
                    where,
                    "this branch has no condition",
                    "add one of " + ", ".join(BRANCH_CONDITIONS),
                )
            alone = [name for name in conditions if name not in REPLY_CONDITIONS]
            return self.diag(
                "SCN110",
                where,
                f"this branch has {len(conditions)} conditions "
                f"({', '.join(conditions)}); `{alone[0]}` must be alone in its branch",
                "split it into one branch per condition; the first that fires wins "
                "(only reply conditions combine: " + ", ".join(sorted(REPLY_CONDITIONS)) + ")",
            )
        if kind in {"less_than_equal", "greater_than_equal", "less_than", "greater_than"}:
            limit = ctx.get("le", ctx.get("ge", ctx.get("lt", ctx.get("gt"))))
            if key in SCORE_KEYS:
                return self.diag(
                    "SCN107",
                    where,
                    f"`{key}` is {value}, but scores go from 0 to 100",
                    "use a whole number between 0 and 100",
                )
            side = "at most" if kind.startswith("less") else "at least"
            return self.diag(
                "SCN113",
                where,
                f"`{key}` is {value}; it must be {side} {limit}",
                f"use a number {side} {limit}",
            )
        if kind == "string_pattern_mismatch" and ctx.get("pattern") == LEXICON_NAME_PATTERN:
            return self.diag(
                "SCN109",
                where,
                f'"{value}" is not a lexicon name: use lower-case letters, digits, `_` and `-`, '
                "starting with a letter; a dot reaches a nested list",
                'for example "empathy" or "personal_data.email"',
            )
        if kind == "string_pattern_mismatch":
            what = "name" if key_error else f"`{key}`"
            return self.diag(
                "SCN109",
                where,
                f'"{value}" is not a valid {what}: use lower-case '
                "letters, digits, `_` and `-`, starting with a letter",
                f'for example "{slugify(value)}"',
            )
        if kind in {"string_too_short", "empty_phrase", "too_short"}:
            return self.diag(
                "SCN111",
                where,
                f"`{key}` is empty",
                "write the text, or remove the key if it is optional",
            )
        if kind in TYPE_ERRORS or kind.endswith("_type"):
            return self.wrong_type(path, key, value, error, where)
        return self.diag(
            "SCN105",
            where,
            f"`{key}` has a value that is not allowed here",
            "compare with docs/scenario-format.md",
        )

    def missing(self, path: tuple, field: str) -> Diagnostic | None:
        parent = self.document.data
        for part in path:
            parent = parent[part] if isinstance(parent, dict | list) else None
        if field in {"at", "after"} and isinstance(parent, dict) and {"at", "after"} & set(parent):
            return None  # `at` in a scene / `after` in the timeline is reported on its own
        return self.diag(
            "SCN101",
            self.document.key_at(path),
            f"{owner(path)} has no `{field}`",
            f"add `{EXAMPLES.get(field, field + ': ...')}`",
        )

    def extra(self, path: tuple) -> Diagnostic:
        key, parent = path[-1], path[:-1]
        where = self.document.key_at(path)
        model = model_at(self.model, parent, self.document.data)
        allowed = field_names(model) if model else []
        if key == "at" and in_scene(parent):
            return self.diag(
                "SCN209",
                where,
                "scene events use `after`, not `at`",
                "`after` counts from the moment the branch fired: after: 0s shows it at once",
            )
        if key == "after" and parent[:1] == ("timeline",):
            return self.diag(
                "SCN210",
                where,
                "timeline events use `at`, not `after`",
                "`at` counts from the start of the run, e.g. at: 2m",
            )
        home = MISPLACED.get(str(key))
        if home and home[0] != owner_kind(parent):
            return self.diag(
                "SCN103",
                where,
                f"`{key}` does not belong here; it goes {home[1]}",
                f"move it {home[1]}",
            )
        guess = did_you_mean(key, allowed)
        hints = [
            f'did you mean "{guess}"?' if guess else "",
            "allowed here: " + ", ".join(allowed) if allowed and len(allowed) <= 16 else "",
        ]
        return self.diag("SCN102", where, f'unknown key "{key}" in {owner(parent)}', *hints)

    def choice(self, path, key_error, value, ctx, where) -> Diagnostic:
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", ""))) or re.findall(
            r"\w+", str(ctx.get("expected", ""))
        )
        key = last_key(path)
        if key == "format" and len(path) == 1:
            return self.diag(
                "SCN108",
                where,
                f"format version {value!r} is not supported; this "
                "version of Community Sandbox reads format 1",
                "write `format: 1`",
            )
        label = LABELS.get(key, f"`{key}`" if key else "value")
        message = f'"{value}" is not a valid {label}'
        return self.diag(
            "SCN104",
            where,
            message,
            hint_for(value, choices),
            "choose one of: " + ", ".join(choices),
        )

    def wrong_type(self, path, key, value, error, where) -> Diagnostic:
        expected = error.get("_expected") or TYPE_ERRORS.get(error["type"], "another kind of value")
        if value is None:
            hashtag = self.swallowed_hashtag(path)
            if hashtag:
                return hashtag
            if "text" in expected:
                return self.diag(
                    "SCN111",
                    where,
                    f"`{key}` is empty",
                    "write the text after the colon, or remove the key if it is optional",
                )
        label = f"`{key}`" if key else "this value"
        return self.diag(
            "SCN105",
            where,
            f"{label} should be {expected}, not {kind_of(value)}",
            _type_hint(key, expected, value),
        )

    def swallowed_hashtag(self, path: tuple) -> Diagnostic | None:
        located = self.document.positions.get(path)
        if located is None or located.key is None:
            return None
        line = self.document.line_text(located.key.line)
        match = re.search(r":[ \t]+(#\S.*)$", line[located.key.column - 1 :])
        if not match:
            return None
        column = located.key.column + match.start(1)
        return self.diag(
            "SCN302",
            (located.key.line, column, column + len(match.group(1))),
            f"`{last_key(path)}` is empty: YAML reads everything from `#` as a comment",
            f'put the text in double quotes: "{match.group(1).strip()}"',
            severity="error",
        )


def _type_hint(key: str, expected: str, value: object) -> str:
    if expected == "a list" and isinstance(value, str | int | float):
        return f"write it as a list: [{value}]"
    if expected == "text" and isinstance(value, int | float | bool):
        return f'put it in quotes: "{value}"'
    if expected == "true or false":
        return "write true or false"
    if expected in ("a whole number", "a number"):
        return "write digits only, without quotes or words, e.g. 1240"
    return f"write `{EXAMPLES[key]}`" if key in EXAMPLES else ""


def _resolve(data: Any, loc: tuple, kind: str) -> tuple[tuple, bool]:
    path: list = []
    current = data
    key_error = False
    last = len(loc) - 1
    for index, part in enumerate(loc):
        if part == "[key]":
            key_error = True
            continue
        if (
            isinstance(current, dict)
            and part in current
            or isinstance(current, list)
            and isinstance(part, int)
            and 0 <= part < len(current)
        ):
            path.append(part)
            current = current[part]
        elif kind == "missing" and index == last:
            break
    return tuple(path), key_error


def _drop_union_noise(resolved: list) -> list:
    """A value that is `text or {fake: ...}` fails both ways: keep the errors that matter."""
    kept, type_errors = [], {}
    for item in resolved:
        path, _, error = item
        if error["type"] in TYPE_ERRORS or error["type"].endswith("_type"):
            type_errors.setdefault(path, []).append(item)
        else:
            kept.append(item)
    deeper = {path for path, _, _ in kept}
    for path, items in type_errors.items():
        if any(other[: len(path)] == path and (len(other) > len(path)) for other in deeper):
            continue
        if path in deeper and any(e["type"] != "missing" for p, _, e in kept if p == path):
            continue
        words = []
        for _, _, error in items:
            word = TYPE_ERRORS.get(error["type"], "another kind of value")
            if word not in words:
                words.append(word)
        first = dict(items[0][2])
        first["_expected"] = " or ".join(words)
        kept.append((path, items[0][1], first))
    kept.sort(key=lambda item: [str(p) for p in item[0]])
    return kept
