"""Findings, and three ways to print them: text for people, JSON for tools, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sandbox.core.scenario.codes import CODES, Severity

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Diagnostic:
    """One finding, at a 1-based line and column; `end_column` (exclusive) bounds the carets."""

    path: str
    line: int
    column: int
    end_column: int | None
    severity: Severity
    code: str
    message: str
    hints: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return CODES[self.code].title if self.code in CODES else ""

    def as_json(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hints": list(self.hints),
        }

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, SEVERITY_ORDER[self.severity], self.code)


class HasDiagnostics:
    """Errors and warnings of anything holding `diagnostics` (a library entry, an edited text)."""

    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def id_position(text: str) -> tuple[int, int, int]:
    """Where a file's top-level `id:` value is, for findings about the id (else line 1)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("id:"):
            value = line[3:].split("#")[0].strip()
            column = line.index(value, 3) + 1 if value else 1
            return (number, column, column + max(1, len(value)))
    return (1, 1, 2)


def make(
    code: str,
    path: str,
    position: tuple[int, int, int | None],
    message: str,
    *hints: str,
    severity: Severity | None = None,
) -> Diagnostic:
    """A diagnostic with the code's default severity, at (line, column, end_column)."""
    line, column, end = position
    return Diagnostic(
        path=path,
        line=line,
        column=column,
        end_column=end,
        code=code,
        message=message,
        severity=severity or CODES[code].severity,
        hints=[h for h in hints if h],
    )


def render_text(diagnostics: Iterable[Diagnostic], sources: Mapping[str, str] | None = None) -> str:
    """rustc-like blocks: the location line, the source line with carets, then `= hint` lines."""
    sources = sources or {}
    split_cache: dict[str, list[str]] = {}
    blocks = []
    for diag in diagnostics:
        head = (
            f"{diag.path}:{diag.line}:{diag.column}: {diag.severity}[{diag.code}]: {diag.message}"
        )
        text = sources.get(diag.path)
        if text is None:
            blocks.append("\n".join([head, *(f"  = {hint}" for hint in diag.hints)]))
            continue
        lines = split_cache.setdefault(diag.path, text.splitlines())
        gutter = " " * (len(str(diag.line)) + 1)
        out = [head]
        if 1 <= diag.line <= len(lines):
            source_line = lines[diag.line - 1].replace("\t", " ")
            if len(source_line) > 160:
                source_line = source_line[:160] + "…"
            width = max(1, (diag.end_column or diag.column + 1) - diag.column)
            width = min(width, max(1, len(source_line) - diag.column + 1))
            out += [
                f"{gutter}|",
                f"{diag.line} | {source_line}",
                f"{gutter}| {' ' * (diag.column - 1)}{'^' * width}",
            ]
        out += [f"{gutter}= {hint}" for hint in diag.hints]
        blocks.append("\n".join(out))
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def render_json(diagnostics: Iterable[Diagnostic]) -> str:
    return json.dumps([d.as_json() for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one per finding (info becomes a notice)."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    lines = []
    for diag in diagnostics:
        message = f"{diag.code}: {diag.message}"
        if diag.hints:
            message += " (" + "; ".join(diag.hints) + ")"
        lines.append(
            f"::{level[diag.severity]} file={_escape_property(diag.path)},line={diag.line},"
            f"col={diag.column}::{_escape_data(message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def summary_line(files: int, diagnostics: Iterable[Diagnostic]) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for diag in diagnostics:
        counts[diag.severity] += 1

    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    parts = [plural(counts["error"], "error"), plural(counts["warning"], "warning")]
    if counts["info"]:
        parts.append(plural(counts["info"], "note"))
    return f"Checked {plural(files, 'file')}: {', '.join(parts)}."
