"""What the scorer returns: findings, criterion scores, a reply's score and a run's score.

`as_json()` produces exactly the shape of DESIGN section 6 ("Scorer output").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

SCORER_VERSION = "2.5.1"

DIMENSIONS = ("agility", "coherence", "efficiency")

CRITERIA: dict[str, str] = {
    "timeliness": "agility",
    "clarity": "agility",
    "length": "agility",
    "key_messages": "coherence",
    "forbidden": "coherence",
    "facts": "coherence",
    "consistency": "coherence",
    "voice": "coherence",
    "transparency": "coherence",
    "empathy": "efficiency",
    "politeness": "efficiency",
    "customer_focus": "efficiency",
    "resolution": "efficiency",
    "privacy": "efficiency",
    "action": "efficiency",
}

# How much each criterion counts inside its dimension. Saying the official line, doing the
# expected action and answering fast matter more than style. Rules that mostly say "nothing
# wrong" (forbidden, facts, privacy) weigh less, so silence on them cannot carry a reply;
# breaking a critical one caps the overall anyway.
WEIGHTS: dict[str, float] = {
    "timeliness": 1.0,
    "clarity": 0.5,
    "length": 0.5,
    "key_messages": 2.0,
    "forbidden": 0.75,
    "facts": 0.75,
    "consistency": 1.0,
    "voice": 0.5,
    "transparency": 1.0,
    "empathy": 1.0,
    "politeness": 1.0,
    "customer_focus": 0.75,
    "resolution": 1.0,
    "privacy": 0.75,
    "action": 1.5,
}

CRITICAL_CAP = 20

# What a criterion is for (DESIGN.md section 6 leaves the aggregation to the scorer):
# - "delivery": what the reply gives the customer (the official line, an answer, a next step,
#   empathy, openness, the expected actions, a timely answer). Only delivery and style lift.
# - "style": how it reads (clarity, voice, politeness).
# - "hygiene": mistakes to avoid (forbidden phrases, unapproved facts, contradictions, personal
#   data in public, over-long text). A clean hygiene check earns nothing: it only subtracts
#   and caps, so an empty or hollow reply cannot score on the mistakes it did not make.
ROLES: dict[str, str] = {
    "timeliness": "delivery", "clarity": "style", "length": "hygiene",
    "key_messages": "delivery", "forbidden": "hygiene", "facts": "hygiene",
    "consistency": "hygiene", "voice": "style", "transparency": "delivery",
    "empathy": "delivery", "politeness": "style", "customer_focus": "delivery",
    "resolution": "delivery", "privacy": "hygiene", "action": "delivery",
}

Span = tuple[int, int]


TONES = ("good", "bad", "note")


# Findings and criterion scores are values: nothing changes one once it is made. They are not
# declared frozen because a reply makes about 40 of them, and a frozen dataclass sets each
# field through object.__setattr__: five times slower to build, 5 % of a reply's scoring.
@dataclass(slots=True)
class Finding:
    """One piece of evidence: what the trainee did, the rule it relates to, where in the reply.

    `tone` says whether it is praise ("good"), a problem ("bad") or neutral information
    ("note"), whatever the criterion's score: the debrief colours the evidence by it.
    """

    message: str
    rule: str
    span: Span | None = None
    tone: str = "note"

    def as_json(self) -> dict[str, Any]:
        return {"message": self.message, "rule": self.rule,
                "span": list(self.span) if self.span is not None else None,
                "tone": self.tone}


def good(message: str, rule: str, span: Span | None = None) -> Finding:
    return Finding(message, rule, span, "good")


def bad(message: str, rule: str, span: Span | None = None) -> Finding:
    return Finding(message, rule, span, "bad")


@dataclass(slots=True)  # a value, not frozen: see `Finding`
class CriterionScore:
    id: str
    score: int
    findings: tuple[Finding, ...] = ()
    critical: bool = False  # a critical rule was broken: the overall is capped

    @property
    def dimension(self) -> str:
        return CRITERIA[self.id]

    @property
    def weight(self) -> float:
        return WEIGHTS[self.id]

    @property
    def role(self) -> str:
        return ROLES[self.id]

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "dimension": self.dimension, "score": self.score,
                "weight": self.weight, "critical": self.critical, "role": self.role,
                "findings": [f.as_json() for f in self.findings]}


TOPIC_WORDS = {"health_safety": "health and safety", "eco": "environmental"}


def count(number: int, noun: str, plural: str | None = None) -> str:
    """"1 sentence", "3 sentences"."""
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def as_words(identifier: str) -> str:
    """An id written for machines, as a trainee reads it: "quality_team" -> "quality team"."""
    return TOPIC_WORDS.get(identifier) or identifier.replace("_", " ").replace("-", " ")


def verdict_for(overall: int, pass_score: float, coach_score: float) -> str:
    if overall >= pass_score:
        return "pass"
    if overall >= coach_score:
        return "coach"
    return "fail"


@dataclass(frozen=True, slots=True)
class ReplyScore:
    overall: int
    verdict: str
    dimensions: dict[str, int]
    criteria: tuple[CriterionScore, ...]
    scorer: str = SCORER_VERSION
    explanation: str = ""  # one sentence: how the overall was reached (means, penalties, caps)

    @property
    def critical(self) -> bool:
        return any(c.critical for c in self.criteria)

    def criterion(self, criterion_id: str) -> CriterionScore | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def as_json(self) -> dict[str, Any]:
        return {"scorer": self.scorer, "overall": self.overall, "verdict": self.verdict,
                "dimensions": dict(self.dimensions),
                "criteria": [c.as_json() for c in self.criteria],
                "explanation": self.explanation}

    def to_json(self) -> str:
        """`json.dumps(self.as_json(), ensure_ascii=False)`, the very same text, written
        straight from the score: building the dicts and encoding them cost more than the
        scoring of a short reply (`sandbox score --batch` prints one per line).
        `test_results_json.py` holds it to the same text as `json.dumps`."""
        return "".join((
            '{"scorer": ', _string(self.scorer), ', "overall": ', _number(self.overall),
            ', "verdict": ', _string(self.verdict), ', "dimensions": {',
            ", ".join(f"{_string(k)}: {_number(v)}" for k, v in self.dimensions.items()),
            '}, "criteria": [', ", ".join(_criterion_json(c) for c in self.criteria),
            '], "explanation": ', _string(self.explanation), "}"))


_string = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses
_encode = json.encoder.JSONEncoder(ensure_ascii=False).encode


def _number(value: int | float) -> str:
    # json writes an int with int.__repr__ and a float with float.__repr__ (weights)
    if type(value) is int:
        return int.__repr__(value)
    return float.__repr__(value) if type(value) is float else _encode(value)


def _span_json(span: Span | None) -> str:
    return "null" if span is None else f"[{_number(span[0])}, {_number(span[1])}]"


@lru_cache(maxsize=1024)
def _said_once(text: str) -> str:
    """The JSON of a string that comes back in every score (a rule, a tone), kept."""
    return _string(text)


@lru_cache(maxsize=64)
def _criterion_parts(criterion_id: str) -> tuple[str, str, str]:
    """What a criterion's JSON says around its score and its critical flag."""
    return (f'{{"id": {_string(criterion_id)}, '
            f'"dimension": {_string(CRITERIA[criterion_id])}, "score": ',
            f', "weight": {_number(WEIGHTS[criterion_id])}, "critical": ',
            f', "role": {_string(ROLES[criterion_id])}, "findings": [')


def _criterion_json(criterion: CriterionScore) -> str:
    head, middle, tail = _criterion_parts(criterion.id)
    findings = ", ".join(
        f'{{"message": {_string(f.message)}, "rule": {_said_once(f.rule)}, '
        f'"span": {_span_json(f.span)}, "tone": {_said_once(f.tone)}}}'
        for f in criterion.findings)
    return (f'{head}{_number(criterion.score)}{middle}'
            f'{"true" if criterion.critical else "false"}{tail}{findings}]}}')


@dataclass(frozen=True, slots=True)
class EventScore:
    """The result for one event of a run: its best reply's score, or a miss."""

    event: str
    result: ReplyScore
    missed: bool = False
    reply_index: int | None = None  # which of the event's replies was the best
    # every text sent about the event, graded with all that was done on it by the end of the
    # run: the score each reply shows on the debrief, in the order they were sent
    replies: tuple[ReplyScore, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"event": self.event, "missed": self.missed, "reply_index": self.reply_index,
                "result": self.result.as_json(),
                "replies": [reply.as_json() for reply in self.replies]}


@dataclass(frozen=True, slots=True)
class RunScore:
    """A whole run: the same top-level shape as a reply, plus the events and the misses."""

    overall: int
    verdict: str
    dimensions: dict[str, int]
    criteria: tuple[CriterionScore, ...]
    events: tuple[EventScore, ...] = ()
    scorer: str = SCORER_VERSION
    missed: tuple[str, ...] = field(default=())
    explanation: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"scorer": self.scorer, "overall": self.overall, "verdict": self.verdict,
                "dimensions": dict(self.dimensions),
                "criteria": [c.as_json() for c in self.criteria],
                "events": [e.as_json() for e in self.events],
                "missed": list(self.missed), "explanation": self.explanation}
