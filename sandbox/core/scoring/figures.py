"""Figures, clock times and months other than the approved facts give, about the same thing:
checks of `contradictions.py` (rule `harm.contradiction`), which files what they find.

What the facts and the post give is read once per event and cached; a reply's own figures
are its claims (`claims.extract_claims`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from sandbox.core.phrases import fold
from sandbox.core.scoring.claims import (
    Claim,
    Figure,
    _corpus_figures,
    _corpus_values,
    _figure,
    _known_figure,
    _worked_out,
    extract_claims,
)
from sandbox.core.scoring.context import ReplyContext, per_text
from sandbox.core.scoring.lexicon import Lexicon

Span = tuple[int, int]

_CLOCK = re.compile(r"\b(\d{1,2})(?:[:h](\d{2})| ?(am|pm))\b")


@per_text
def _clock_times(text: str) -> tuple[tuple[tuple[int, int], Span], ...]:
    found = []
    for match in _CLOCK.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if match.group(3) == "pm" and hour < 12:
            hour += 12
        if hour < 24 and minute < 60:
            found.append(((hour, minute), match.span()))
    return tuple(found)


@lru_cache(maxsize=256)
def _known_times(facts: tuple[str, ...], post: str) -> frozenset[tuple[int, int]]:
    """The clock times the facts and the post give: read once per event, not per reply."""
    return frozenset(t for text in (*facts, post) for t, _ in _clock_times(fold(text).text))


def wrong_times(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """A clock time given nowhere in the facts or the post, in a sentence about something a
    fact gives another time for ("the 14:40" when the facts say "the 14:10")."""
    if not _facts_give(ctx.compiled.approved_facts, "times"):
        return []  # no fact gives a time: no time of the reply contradicts one
    known = _known_times(ctx.compiled.approved_facts, ctx.post)
    wrong = []
    folded = ctx.folded
    for (time, span) in _clock_times(folded.text):
        if time in known:
            continue
        original = folded.span(*span)
        sentence = ctx.sentence_at(original[0])
        if sentence is None:
            continue
        stems = ctx.lexicon.content_stems(ctx.folded_slice(sentence.start, sentence.end))
        for fact in ctx.compiled.approved_facts:
            if _clock_times(fold(fact).text) and \
                    len(stems & ctx.lexicon.content_stems(fold(fact).text)) >= 2:
                wrong.append((original, fact))
                break
    return wrong


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|"
           "december|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|"
           "novembre|decembre")
_SINCE = re.compile(rf"\b(?:since|from|depuis|des|from the start of) ({_MONTHS})\b")


@lru_cache(maxsize=256)
def _facts_give(facts: tuple[str, ...], what: str) -> bool:
    """Whether some fact gives a clock time ("times") or a starting month ("months"): the
    checks below find nothing otherwise, and are not run."""
    if what == "times":
        return any(_clock_times(fold(fact).text) for fact in facts)
    return any(_SINCE.search(fold(fact).text) for fact in facts)


def wrong_months(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """"Since January" when a fact says "since April" about the same thing."""
    if not _facts_give(ctx.compiled.approved_facts, "months"):
        return []
    wrong = []
    folded = ctx.folded
    for match in _SINCE.finditer(folded.text):
        span = folded.span(*match.span())
        sentence = ctx.sentence_at(span[0])
        stems = ctx.lexicon.content_stems(ctx.folded_slice(sentence.start, sentence.end)) \
            if sentence else frozenset()
        for fact in ctx.compiled.approved_facts:
            theirs = _SINCE.findall(fold(fact).text)
            if theirs and match.group(1) not in theirs and \
                    len(stems & ctx.lexicon.content_stems(fold(fact).text)) >= 2:
                wrong.append((span, fact))
                break
    return wrong[:1]


@lru_cache(maxsize=256)
def _checked_against(facts_text: str, post: str, language: str, lexicon: Lexicon
                     ) -> tuple[frozenset[str], frozenset[Figure], frozenset[Figure]]:
    """What a reply's figures are checked against, read once per event (not per reply): the
    values and the figures of the facts and the post together, and the facts' own figures."""
    corpus = facts_text + "\n" + post
    known, _ = _corpus_values(corpus, language, lexicon)
    return known, _corpus_figures(corpus, lexicon), _corpus_figures(facts_text, lexicon)


@lru_cache(maxsize=256)
def _fact_numbers(facts: tuple[str, ...], lexicon: Lexicon
                  ) -> tuple[tuple[str, tuple[tuple[str | None, Claim], ...]], ...]:
    """Each fact with the figures it gives: (kind of figure, claim) for each of its numbers."""
    return tuple((fact, tuple((_figure(c.value, c.unit)[1], c)
                              for c in extract_claims(fact, lexicon) if c.kind == "number"))
                 for fact in facts)


def wrong_figures(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """A figure the facts give differently for the same thing: "3 conductor vacancies" when a
    fact says "18 conductor vacancies" (same unit, two content words in common)."""
    lexicon = ctx.lexicon
    facts = ctx.compiled.approved_facts
    known, figures, fact_figures = _checked_against(ctx.compiled.facts_text, ctx.post,
                                                    ctx.language, lexicon)
    wrong = []
    for claim in extract_claims(ctx.reply[:4000], lexicon):
        if claim.kind != "number" or claim.negated or _known_figure(claim, figures, known) \
                or _worked_out(claim, fact_figures, figures):
            continue
        if claim.unit == "hour" and claim.unit_text.strip() == "h" and _is_hour(claim.value):
            continue  # "18 h" is a French clock time, not a duration
        mine = _figure(claim.value, claim.unit)
        for fact, numbers in _fact_numbers(facts, lexicon):
            same_kind = next((c for kind, c in numbers if kind == mine[1]), None)
            if same_kind is not None and len((claim.context & same_kind.context)
                                             - lexicon.content_stems(claim.unit_text)) >= 2:
                wrong.append((claim.span, fact))
                break
        else:
            fact = _the_only_duration_in(facts, claim, lexicon)
            if fact is not None:
                wrong.append((claim.span, fact))
    return wrong


def _unit_words(claim) -> str:
    return _plain_unit(claim.unit_text)


_PLURAL = re.compile(r"s\b")


@lru_cache(maxsize=256)
def _plain_unit(unit_text: str) -> str:
    """"working days" -> "working day": a unit's words, read once per wording."""
    return _PLURAL.sub("", fold(unit_text).text.strip())


def _the_only_duration_in(facts: Sequence[str], claim, lexicon: Lexicon) -> str | None:
    """The fact giving the one delay the facts state in the claim's own words ("10 working
    days" when the only "working days" of the facts are 5), or None: with two delays in those
    words, or none, nothing says which one the reply meant."""
    if _figure(claim.value, claim.unit)[1] != "duration" or len(_unit_words(claim)) < 3:
        return None
    found = [(_figure(c.value, c.unit), fact) for fact in facts
             for c in extract_claims(fact, lexicon)
             if c.kind == "number" and c.unit == claim.unit
             and _unit_words(c) == _unit_words(claim)]
    if len({figure for figure, _ in found}) != 1:
        return None
    return found[0][1]  # the first fact to give it: the evidence is the same every run


def _is_hour(value: str) -> bool:
    try:
        return 0 <= float(value) < 24
    except ValueError:
        return False
