"""Tiers: a share the facts give for one band of a delay, said of another band.

"Delay Repay pays 25% of the single fare for a 15-29 minute delay, 50% for 30-59 minutes and
100% for 60 minutes or more": a reply that says "for a delay of over an hour, Delay Repay pays
50%" gives a figure the facts do give, for the wrong band. A check of `contradictions.py`,
which files what it finds under `harm.contradiction`.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from sandbox.core.phrases import fold
from sandbox.core.scoring.context import ReplyContext

Span = tuple[int, int]
Tier = tuple[int, float, float]  # share in %, from, to (minutes)

_SHARE = r"(\d{1,3}) ?%"
_RANGE = r"(\d{1,3}) ?(?:-|–|to|a) ?(\d{1,3})[- ]minutes?"
_AT_LEAST = r"(\d{1,3}) minutes? (?:or more|ou plus)"
_TIER_RANGE = re.compile(rf"{_SHARE}[^%;]{{0,40}}?\b(?:for|pour)\b[^%;]{{0,25}}?{_RANGE}")
_TIER_OVER = re.compile(rf"{_SHARE}[^%;]{{0,40}}?\b(?:for|pour)\b[^%;]{{0,25}}?{_AT_LEAST}")

# what a reply says of a delay, in minutes (a range: "over an hour" is anything above 60)
_DELAYS = (
    (re.compile(r"\b(\d{1,3})[- ]minutes?\b"), None),
    (re.compile(r"\b(?:over|more than|at least|upwards of) (?:an|one) hour\b|"
                r"\ban hour or (?:more|longer)\b|\b(?:\d|two|three) hours?\b|"
                r"\bplus d'une heure\b|\bune heure ou plus\b"), (60.0, math.inf)),
)
_SHARES = (
    (re.compile(rf"\b{_SHARE}"), None),
    (re.compile(r"\bhalf (?:of )?(?:your|the) (?:single )?(?:fare|ticket)\b|"
                r"\bla moitie (?:de votre|du) billet\b"), 50),
    (re.compile(r"\b(?:your|the) (?:full|whole|entire) (?:single )?fare\b|"
                r"\bl'integralite (?:de votre|du) billet\b"), 100),
)


@lru_cache(maxsize=256)
def _tiers(facts: tuple[str, ...]) -> tuple[tuple[str, tuple[Tier, ...]], ...]:
    """Each fact that gives shares by band of a delay, with its tiers."""
    found = []
    for fact in facts:
        text = fold(fact).text
        tiers = [(int(m.group(1)), float(m.group(2)), float(m.group(3)))
                 for m in _TIER_RANGE.finditer(text)]
        tiers += [(int(m.group(1)), float(m.group(2)), math.inf)
                  for m in _TIER_OVER.finditer(text)]
        if len(tiers) >= 2:
            found.append((fact, tuple(tiers)))
    return tuple(found)


def _delay(text: str) -> tuple[float, float] | None:
    for pattern, band in _DELAYS:
        match = pattern.search(text)
        if match:
            return band or (float(match.group(1)), float(match.group(1)))
    return None


def _share(text: str) -> tuple[int, re.Match[str]] | None:
    for pattern, share in _SHARES:
        match = pattern.search(text)
        if match:
            return (share if share is not None else int(match.group(1))), match
    return None


def wrong_tiers(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """A share given for a delay whose band the facts pay another share for ("50%" for "over
    an hour" when 60 minutes or more pays 100%)."""
    facts = _tiers(ctx.compiled.approved_facts)
    if not facts or "%" not in ctx.reply and "fare" not in ctx.reply and \
            "billet" not in ctx.reply:
        return []
    for sentence in ctx.sentences:
        text = ctx.folded_slice(sentence.start, sentence.end)
        said, delay = _share(text), _delay(text)
        if said is None or delay is None:
            continue
        share, match = said
        for fact, tiers in facts:
            owed = {s for s, low, high in tiers if low <= delay[1] and delay[0] <= high}
            if owed and share not in owed:
                start = sentence.start + match.start()
                return [((start, start + len(match.group())), fact)]
    return []
