"""Meaning pass for guidelines files (GDL3xx)."""

from __future__ import annotations

import re

from sandbox.core.phrases import find_phrase, normalise
from sandbox.core.scenario.diagnostics import Diagnostic, make
from sandbox.core.scenario.durations import format_duration
from sandbox.core.scenario.guidelines import Guidelines
from sandbox.core.scenario.models import TOPICS
from sandbox.core.scenario.suggest import hint_for
from sandbox.core.scenario.yamlsource import YamlDocument


def check_guidelines(document: YamlDocument, guidelines: Guidelines) -> list[Diagnostic]:
    findings: list[Diagnostic] = []

    def add(code: str, path: tuple, message: str, *hints: str, key: bool = False) -> None:
        where = document.key_at(path) if key else document.value_at(path)
        findings.append(make(code, document.path, where, message, *hints))

    rules = [(("forbidden", i), rule) for i, rule in enumerate(guidelines.forbidden)]
    for topic, topic_rules in guidelines.topics.items():
        rules += [
            (("topics", topic, "forbidden", i), r) for i, r in enumerate(topic_rules.forbidden)
        ]
    for path, rule in rules:
        if rule.regex:
            error = _regex_error(rule.phrase)
            if error:
                add(
                    "GDL301",
                    (*path, "phrase"),
                    f"this regular expression is invalid: {error}",
                    "check brackets and escapes; set `regex: false` to match the words literally",
                )
    if guidelines.voice.sign_off is not None:
        error = _regex_error(guidelines.voice.sign_off)
        if error:
            add(
                "GDL301",
                ("voice", "sign_off"),
                f"this regular expression is invalid: {error}",
                "check brackets and escapes",
            )
    for name, times in guidelines.response_time.items():
        if times.target > times.max:
            add(
                "GDL302",
                ("response_time", name, "target"),
                f"the target "
                f"({format_duration(times.target)}) is longer than the maximum "
                f"({format_duration(times.max)})",
                "make the target shorter than the maximum",
            )
        if name not in {"public", "dm", *TOPICS, *guidelines.topics}:
            add(
                "GDL304",
                ("response_time", name),
                f'unknown topic "{name}"',
                hint_for(name, ["public", "dm", *TOPICS]),
                "use public, dm, or a topic",
                key=True,
            )
    for name in guidelines.topics:
        if name not in TOPICS:
            guess = hint_for(name, TOPICS)
            add(
                "GDL304",
                ("topics", name),
                f'"{name}" is not a standard topic',
                guess,
                "scenarios may use it, but check it is not a typo",
                key=True,
            )
    if guidelines.verdicts.coach > guidelines.verdicts.pass_:
        add(
            "GDL303",
            ("verdicts", "coach"),
            f"`coach` ({guidelines.verdicts.coach}) is above "
            f"`pass` ({guidelines.verdicts.pass_}), so no reply could get a coach verdict",
            "set coach below pass",
        )
    weights = guidelines.weights
    if weights.agility + weights.coherence + weights.efficiency == 0:
        add(
            "GDL307",
            ("weights",),
            "all weights are zero, so no overall score can be computed",
            "give at least one dimension a weight above 0",
            key=True,
        )
    _duplicates(guidelines, add)
    _key_messages(guidelines, add)
    return findings


def _regex_error(pattern: str) -> str | None:
    try:
        re.compile(pattern)
    except re.error as error:
        return str(error.msg)
    return None


def _duplicates(guidelines: Guidelines, add) -> None:
    seen: dict[str, int] = {}
    for index, rule in enumerate(guidelines.forbidden):
        key = normalise(rule.phrase)
        if key in seen:
            add(
                "GDL306",
                ("forbidden", index, "phrase"),
                f'"{rule.phrase}" is already forbidden (item {seen[key] + 1})',
                "keep one rule and delete the other",
            )
        else:
            seen[key] = index


def _key_messages(guidelines: Guidelines, add) -> None:
    for topic, rules in guidelines.topics.items():
        forbidden = [r for r in [*guidelines.forbidden, *rules.forbidden] if not r.regex]
        for index, message in enumerate(rules.key_messages):
            alternatives = [message] if isinstance(message, str) else message
            clashing = [
                a
                for a in alternatives
                if any(find_phrase(a, r.phrase, guidelines.language) for r in forbidden)
            ]
            if clashing and len(clashing) == len(alternatives):
                add(
                    "GDL305",
                    ("topics", topic, "key_messages", index),
                    f'the key message "{clashing[0]}" contains a forbidden phrase',
                    "reword the key message or the forbidden rule: a reply cannot satisfy both",
                )
