"""The stable diagnostic codes. A code never changes meaning; new codes get new numbers.

SCN0xx YAML syntax, SCN1xx structure, SCN2xx references, SCN3xx timing, logic and content.
Guidelines files use the same numbers with a GDL prefix for syntax and structure, plus GDL3xx.
Every code is documented in docs/scenario-format.md with a failing and a fixed example.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str


_SYNTAX = {
    "001": "tab used for indentation",
    "002": "value starts with a reserved character",
    "003": "colon and space inside plain text",
    "004": "duplicate key",
    "005": "unclosed quote",
    "006": "several documents in one file",
    "007": "YAML syntax error",
    "008": "empty file",
    "009": "file cannot be read",
    "010": "not a text file",
    "011": "file too large",
    "012": "nesting too deep",
    "013": "YAML tags are not allowed",
    "014": "unclosed bracket or brace",
}

_STRUCTURE = {
    "101": "missing key",
    "102": "unknown key",
    "103": "key in the wrong place",
    "104": "value not among the allowed choices",
    "105": "wrong kind of value",
    "106": "unreadable duration",
    "107": "score outside 0-100",
    "108": "unsupported format version",
    "109": "invalid name",
    "111": "empty text",
    "112": "the file must be a mapping of keys",
    "113": "number out of range",
}

_SCENARIO_ONLY = {
    "SCN110": ("error", "a branch needs one condition (only reply conditions combine)"),
    "SCN201": ("error", "duplicate event id"),
    "SCN202": ("error", "unknown persona"),
    "SCN203": ("error", "unknown topic"),
    "SCN204": ("error", "unknown expert"),
    "SCN205": ("error", "unknown scene"),
    "SCN206": ("error", "unknown reply_to target"),
    "SCN207": ("error", "guidelines not found"),
    "SCN208": ("error", "comment without reply_to"),
    "SCN209": ("error", "`at` used in a scene"),
    "SCN210": ("error", "`after` used in the timeline"),
    "SCN211": ("error", "unknown Faker provider"),
    "SCN212": ("error", "unknown Faker locale"),
    "SCN213": ("error", "duplicate handle"),
    "SCN214": ("error", "unknown event in a test"),
    "SCN215": ("error", "event from the wrong kind of sender"),
    "SCN216": ("error", "scenario id used by another file"),
    "SCN217": ("error", "guidelines file has errors"),
    "SCN218": ("error", "unknown scorer criterion"),
    "SCN301": ("warning", "event after the end of the scenario"),
    "SCN302": ("warning", "hashtag swallowed as a YAML comment"),
    "SCN303": ("error", "model answer says a forbidden phrase"),
    "SCN304": ("error", "model answer misses a required phrase"),
    "SCN305": ("info", "expectation without a model answer"),
    "SCN306": ("warning", "branch can fire before reply_within allows"),
    "SCN307": ("warning", "branch that can never fire"),
    "SCN308": ("warning", "unused scene"),
    "SCN309": ("error", "comment shown before its parent"),
    "SCN310": ("error", "zero-delay goto loop"),
    "SCN311": ("error", "score branch on an event with nothing to score"),
    "SCN312": ("error", "impossible action"),
    "SCN313": ("warning", "text over the platform limit"),
    "SCN314": ("warning", "mention that does not tag the brand"),
    "SCN315": ("error", "phrase both required and forbidden"),
    "SCN316": ("error", "empty scene"),
    "SCN317": ("warning", "escalation without a team, or a team without escalation"),
    "SCN318": ("warning", "reply branch shadowed by an earlier one"),
    "SCN319": ("warning", "reply conditions that no reply can meet"),
}

_GUIDELINES_ONLY = {
    "GDL301": ("error", "invalid regular expression"),
    "GDL302": ("error", "response-time target longer than its maximum"),
    "GDL303": ("error", "coach threshold above pass threshold"),
    "GDL304": ("warning", "unknown topic"),
    "GDL305": ("error", "key message that is also forbidden"),
    "GDL306": ("warning", "duplicate forbidden phrase"),
    "GDL307": ("error", "all weights are zero"),
}


def _build() -> dict[str, Code]:
    table: dict[str, Code] = {}
    for prefix in ("SCN", "GDL"):
        for number, title in {**_SYNTAX, **_STRUCTURE}.items():
            table[prefix + number] = Code(prefix + number, "error", title)
    for code, (severity, title) in {**_SCENARIO_ONLY, **_GUIDELINES_ONLY}.items():
        table[code] = Code(code, severity, title)  # type: ignore[arg-type]
    return dict(sorted(table.items()))


CODES: dict[str, Code] = _build()


def for_file(code: str, prefix: str) -> str:
    """`SCN004` in a guidelines file is `GDL004`: syntax and structure share numbers."""
    return prefix + code[3:] if code[3] in "01" else code
