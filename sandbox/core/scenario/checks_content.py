"""Meaning pass, content (SCN3xx): texts fit the platform; the model answer obeys its own rules."""

from __future__ import annotations

import functools
import re

from sandbox.core.phrases import find_phrase, find_regex
from sandbox.core.scenario.context import Context
from sandbox.core.scenario.guidelines import max_chars
from sandbox.core.scenario.yamlsource import YamlDocument

PUBLIC_KINDS = {"post", "comment", "mention"}
_HASHTAG_AFTER = re.compile(r"^[ \t]+(#[^\s#]\S*)")


def check_content(ctx: Context) -> None:
    _swallowed_hashtags(ctx)
    network = ctx.scenario.platform.network if ctx.scenario.platform else "twitter"
    limit = max_chars(ctx.guidelines, network)
    for path, event in ctx.events():
        if event.kind in PUBLIC_KINDS and len(event.text.strip()) > limit:
            ctx.add(
                "SCN313",
                ctx.value_at(*path, "text"),
                f"this {event.kind} has "
                f"{len(event.text.strip())} characters; {network} allows {limit}",
                f"shorten it to {limit} characters or fewer",
            )
        if event.kind == "mention" and ctx.scenario.platform is not None:
            handle = ctx.scenario.platform.handle.lstrip("@")
            if not _brand_tag(handle).search(event.text):
                ctx.add(
                    "SCN314",
                    ctx.value_at(*path, "text"),
                    f"a mention must tag the brand, but this text does not contain @{handle}",
                    f"add @{handle} to the text, or use `kind: post`",
                )
        if event.expect is not None:
            _expectation(ctx, path, event, network, limit)


def _expectation(ctx: Context, path: tuple, event, network: str, limit: int) -> None:
    expect, language = event.expect, ctx.language
    impossible = _required_and_forbidden(ctx, path, event)
    answer = expect.model_answer
    if answer is None:
        ctx.add(
            "SCN305",
            ctx.key_at(*path, "expect"),
            "this expectation has no `model_answer`",
            "add one: trainees see it at the debrief, and the validator checks it against "
            "must_mention and must_not_say",
        )
        return
    answer_path = (*path, "expect", "model_answer")
    for phrase in expect.must_not_say:
        span = find_phrase(answer, phrase, language)
        if span:
            ctx.add(
                "SCN303",
                text_position(ctx.document, answer_path, span),
                "the model answer "
                f'says "{answer[span[0] : span[1]]}", which `must_not_say` forbids',
                "reword the model answer; it must pass its own rules",
            )
    for rule in _forbidden_rules(ctx, event):
        span = (
            find_regex(answer, rule.phrase)
            if rule.regex
            else find_phrase(answer, rule.phrase, language)
        )
        if span:
            ctx.add(
                "SCN303",
                text_position(ctx.document, answer_path, span),
                "the model answer "
                f'says "{answer[span[0] : span[1]]}", which the guidelines forbid ({rule.reason})',
                "reword the model answer; it must pass the guidelines",
            )
    for index, phrase in enumerate(expect.must_mention):
        if index not in impossible and find_phrase(answer, phrase, language) is None:
            shown = phrase if isinstance(phrase, str) else " / ".join(phrase)
            ctx.add(
                "SCN304",
                ctx.value_at(*path, "expect", "must_mention", index),
                f'the model answer does not mention "{shown}"',
                "add it to the model answer, or remove it from must_mention",
            )
    if event.kind in PUBLIC_KINDS and len(answer.strip()) > limit:
        ctx.add(
            "SCN313",
            ctx.value_at(*answer_path),
            f"the model answer has {len(answer.strip())} characters; {network} allows {limit}",
            f"shorten it to {limit} characters or fewer",
        )


def _forbidden_rules(ctx: Context, event) -> list:
    if ctx.guidelines is None:
        return []
    rules = list(ctx.guidelines.forbidden)
    if event.topic and event.topic in ctx.guidelines.topics:
        rules += ctx.guidelines.topics[event.topic].forbidden
    return [rule for rule in rules if not rule.regex or _valid_regex(rule.phrase)]


@functools.lru_cache(maxsize=256)
def _brand_tag(handle: str) -> re.Pattern[str]:
    return re.compile(rf"@{re.escape(handle)}\b", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _valid_regex(pattern: str) -> bool:
    """Invalid ones are the guidelines' own finding (GDL301), not the scenario's."""
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


@functools.lru_cache(maxsize=4096)
def _contains(text: str, phrase: str, language: str) -> bool:
    """Scenarios sharing guidelines compare the same phrases again and again."""
    return find_phrase(text, phrase, language) is not None


def _required_and_forbidden(ctx: Context, path: tuple, event) -> set[int]:
    """SCN315; returns the must_mention items no reply can satisfy (not reported again)."""
    expect, language = event.expect, ctx.language
    impossible: set[int] = set()
    if not expect.must_mention:
        return impossible
    forbidden = [
        (o, "`must_not_say`")
        for p in expect.must_not_say
        for o in ([p] if isinstance(p, str) else p)
    ]
    forbidden += [(r.phrase, "the guidelines") for r in _forbidden_rules(ctx, event) if not r.regex]
    for index, required in enumerate(expect.must_mention):
        alternatives = [required] if isinstance(required, str) else list(required)
        clashes = []
        for alternative in alternatives:
            for option, source in forbidden:
                if _contains(alternative, option, language):
                    clashes.append((alternative, source))
                    break
        if clashes and len(clashes) == len(alternatives):
            impossible.add(index)
            word, source = clashes[0]
            ctx.add(
                "SCN315",
                ctx.value_at(*path, "expect", "must_mention", index),
                f'"{word}" is required by `must_mention` and forbidden by {source}',
                "a reply cannot satisfy both: remove it from one of the lists",
            )
    return impossible


def _text_paths(ctx: Context):
    for key in ("title", "summary", "briefing"):
        yield (key,)
    for index in range(len(ctx.scenario.facts)):
        yield ("facts", index)
    if ctx.scenario.noise is not None:
        for index in range(len(ctx.scenario.noise.texts)):
            yield ("noise", "texts", index)
    for path, event in ctx.events():
        yield (*path, "text")
        if event.expect is not None and event.expect.model_answer is not None:
            yield (*path, "expect", "model_answer")


def _swallowed_hashtags(ctx: Context) -> None:
    document = ctx.document
    if " #" not in document.text and "\t#" not in document.text:
        return
    positions = document.positions
    with_hash = {number for number, line in enumerate(document.lines, 1) if "#" in line}
    for path in _text_paths(ctx):
        if positions.end_line(path) not in with_hash:
            continue  # nothing after the value can be a comment
        located = positions.get(path)
        if located is None or located.style is not None:
            continue
        if (located.end_line, located.end_column) == (located.value.line, located.value.column):
            continue  # an empty value: reported by the structure pass as a swallowed hashtag
        rest = document.line_text(located.end_line)[located.end_column - 1 :]
        match = _HASHTAG_AFTER.match(rest)
        if match:
            column = located.end_column + match.start(1)
            ctx.add(
                "SCN302",
                (located.end_line, column, column + len(match.group(1))),
                f"`{match.group(1)}` and what follows are read as a YAML comment, not as "
                "part of the text",
                "put the whole text in double quotes, or use `|` and "
                "write the text on the next lines",
            )


def text_position(document: YamlDocument, path: tuple, span: tuple[int, int]):
    """Line and columns of characters [start, end) of a text value, as written in the file."""
    located = document.positions.get(path)
    if located is None:
        return document.value_at(path)
    start, end = span
    value = located.value
    if located.style in (None, '"', "'") and value.line == located.end_line:
        offset = 1 if located.style else 0
        return (value.line, value.column + offset + start, value.column + offset + end)
    if located.style == "|":
        text = _block_text(document, value.line)
        before = text[:start]
        line_index = before.count("\n")
        column_in_line = start - (before.rfind("\n") + 1)
        line = value.line + 1 + line_index
        indent = len(document.line_text(line)) - len(document.line_text(line).lstrip(" "))
        column = indent + column_in_line + 1
        return (line, column, column + max(1, min(end - start, 200)))
    return value.as_position()


def _block_text(document: YamlDocument, indicator_line: int) -> str:
    lines = []
    line = indicator_line + 1
    while line <= len(document.lines):
        text = document.line_text(line)
        if text.strip() and not text.startswith(" "):
            break
        lines.append(text.strip())
        line += 1
    return "\n".join(lines)
