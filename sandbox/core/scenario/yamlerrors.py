"""Pass 1 findings: a YAML parser's error, explained in words a trainer can act on."""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

from sandbox.core.scenario.diagnostics import Diagnostic
from sandbox.core.scenario.yamldoc import MAX_DEPTH


def second_document(text: str, mark, diag) -> Diagnostic:
    line = mark.line
    lines = text.splitlines()
    for index in range(min(line, len(lines) - 1), -1, -1):
        if re.match(r"^(---|\.\.\.)(\s|$)", lines[index]) and index > 0:
            line = index
            break
    return diag(
        "SCN006",
        (line + 1, 1, 4),
        "a second YAML document starts here; a file holds exactly one",
        "remove the `---` line, or move what follows to its own file",
    )


def _mark(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def explain_error(error: Exception, text: str, diag) -> Diagnostic:
    if isinstance(error, RecursionError):
        return diag(
            "SCN012",
            (1, 1, 2),
            "the file is nested too deeply to read",
            f"keep nesting under {MAX_DEPTH} levels",
        )
    problem = str(getattr(error, "problem", "") or "")
    context = str(getattr(error, "context", "") or "")
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    line, column = _mark(mark) if mark is not None else (1, 1)
    lines = text.splitlines()
    for index, source in enumerate(lines[:line]):
        indent = re.match(r"^[ \t]*", source).group(0)
        if "\t" in indent:
            return diag(
                "SCN001",
                (index + 1, indent.index("\t") + 1, indent.index("\t") + 2),
                "a tab is used for indentation; YAML indents with spaces only",
                "replace the tab with spaces (set your editor to insert spaces)",
            )
    if not isinstance(error, MarkedYAMLError) or mark is None:
        if "special characters are not allowed" in str(error) or "unacceptable character" in str(
            error
        ):
            return diag(
                "SCN010",
                (1, 1, 2),
                "the file contains characters that are not text",
                "save it as UTF-8 text from a text editor",
            )
        return diag(
            "SCN007",
            (1, 1, 2),
            "the file is not valid YAML",
            "compare it with a shipped scenario or start from `sandbox new-scenario`",
        )
    found = re.search(r"found character '(.)' that cannot start any token", problem)
    if found and found.group(1) == "\t":
        return diag(
            "SCN001",
            (line, column, column + 1),
            "a tab character is not allowed here",
            "replace the tab with spaces",
        )
    if found and found.group(1) in "@`":
        char = found.group(1)
        value = lines[line - 1][column - 1 :].rstrip() if line <= len(lines) else char
        return diag(
            "SCN002",
            (line, column, column + len(value)),
            f"a value cannot start with `{char}` unless it is in quotes",
            f'put the text in double quotes: "{value}"',
        )
    opened = _runaway_quote(lines, line) if "quoted scalar" not in context else None
    if opened is not None:
        q_line, q_col = opened
        return diag(
            "SCN005",
            (q_line, q_col, q_col + 1),
            "this quote is never closed: the text runs on over the lines below",
            "add the matching closing quote at the end of the text",
            f"YAML reported the problem on line {line}, where the text finally ends",
        )
    if "mapping values are not allowed" in problem:
        key_line = lines[line - 1] if line <= len(lines) else ""
        key = re.match(r"^\s*(-\s+)?([^:#]+):\s*", key_line)
        start = key.end() + 1 if key and key.end() < column else column
        return diag(
            "SCN003",
            (line, column, column + 1),
            "this text contains a colon followed by a space, which YAML reads as a new key",
            'put the whole text in double quotes, e.g. text: "Update: we are on it"',
            f"the text starts at column {start}" if start != column else "",
        )
    if "while scanning a quoted scalar" in context and context_mark is not None:
        q_line, q_col = _mark(context_mark)
        return diag(
            "SCN005",
            (q_line, q_col, q_col + 1),
            "this quote is never closed",
            "add the matching closing quote at the end of the text",
            'to put a quote inside the text, use the other kind: "it\'s" or \'say "hi"\'',
        )
    if ("flow sequence" in context or "flow mapping" in context) and context_mark is not None:
        b_line, b_col = _mark(context_mark)
        closing = "]" if "sequence" in context else "}"
        line_text = lines[b_line - 1] if b_line <= len(lines) else ""
        hashtag = re.search(r"\s(#\w+)", line_text[b_col:])
        return diag(
            "SCN014",
            (b_line, b_col, b_col + 1),
            "this bracket is never closed",
            f"add `{closing}` after the last item; separate items with commas",
            f"`{hashtag.group(1)}` starts a YAML comment that hides the rest of the line: "
            "put that text in double quotes"
            if hashtag
            else "",
        )
    source = lines[line - 1] if line <= len(lines) else ""
    if "\t" in source:  # a tab in a line's structure ("-\tid:") breaks it wherever it is
        tab = source.index("\t") + 1
        return diag(
            "SCN001",
            (line, tab, tab + 1),
            "a tab character is not allowed here",
            "replace the tab with spaces",
        )
    message, hint = _plain_words(problem, context)
    return diag("SCN007", (line, column, column + 1), message, hint)


_UNESCAPED_QUOTE = re.compile(r'(?<!\\)"')
_OPENS_QUOTED = re.compile(r'^\s*(?:-\s+)?(?:[\w.-]+:\s+)?"')
_LOOKS_LIKE_KEY = re.compile(r"^\s*(?:-\s+)?[\w.-]+:(?:\s|$)")


def _runaway_quote(lines: list[str], line: int) -> tuple[int, int] | None:
    """(line, column) of a double-quoted value left open above the error on `line`, which
    swallowed lines that read as keys (`summary: ...`) until a quote further down closed it:
    the parser then reports a confusing error where the text ends, not where it starts."""
    for index in range(min(line - 1, len(lines))):
        source = lines[index]
        opened = _OPENS_QUOTED.match(source)
        if not opened or len(_UNESCAPED_QUOTE.findall(source)) % 2 == 0:
            continue
        if any(_LOOKS_LIKE_KEY.match(lines[below]) for below in range(index + 1, line - 1)):
            return index + 1, opened.end()
    return None


def _plain_words(problem: str, context: str) -> tuple[str, str]:
    if "block end" in problem or "expected key" in problem or "block mapping" in context:
        return (
            "this line is not indented like the lines around it",
            "keys of the same block must start in the same column; use 2 spaces per level",
        )
    if "could not find expected ':'" in problem or "simple key" in context:
        return (
            "a key is missing its colon, or a text spans lines without quotes",
            "write `key: value`, and put long text in quotes or after `|`",
        )
    if "alias" in problem:
        return (
            "this alias (`*name`) refers to an anchor (`&name`) that does not exist",
            "define the anchor first, or write the value out",
        )
    if "block sequence entries are not allowed" in problem:
        return (
            "a list item (`- `) is not allowed here",
            "put the list on the lines below its key, indented by two spaces",
        )
    if "expected a comment or a line break" in problem or "expected <document start>" in problem:
        return ("unexpected text after a value", "put the whole value in double quotes")
    return (
        "the YAML structure is broken here",
        "check the indentation and quotes on this line and the one before",
    )
