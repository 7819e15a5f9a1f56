"""Figures, clock times, months and codes other than the approved facts give, about the same thing:
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

_CLOCK = re.compile(r"\b(\d{1,2})(?:[:h](\d{2})| ?(am|pm)| h(?: ?(\d{2}))?)\b")  # 18 h 30


@per_text
def _clock_times(text: str) -> tuple[tuple[tuple[int, int], Span], ...]:
    found = []
    for match in _CLOCK.finditer(text):
        hour, minute = int(match.group(1)), int(match.group(2) or match.group(4) or 0)
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
    if not _facts_give_times(ctx.compiled.approved_facts):
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
# a month named anywhere; "may" only after a date word or a day ("in May", "3 May")
_MONTH = re.compile(rf"(?:\b(in|since|from|of|by|until|on|\d{{1,2}}(?:st|nd|rd|th)?) )?"
                    rf"\b({_MONTHS})\b")


_WEEKDAY = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|"
                      r"mercredi|jeudi|vendredi|samedi|dimanche)\b")


@per_text
def _weekdays(text: str) -> tuple[tuple[str, Span], ...]:
    return tuple((match.group(1), match.span(1)) for match in _WEEKDAY.finditer(text))


@per_text
def _months(text: str) -> tuple[tuple[str, Span], ...]:
    return tuple((match.group(2), match.span(2)) for match in _MONTH.finditer(text)
                 if match.group(2) != "may" or match.group(1))


@lru_cache(maxsize=256)
def _facts_give_times(facts: tuple[str, ...]) -> bool:
    """Whether some fact gives a clock time: `wrong_times` finds nothing otherwise, and is not
    run."""
    return any(_clock_times(fold(fact).text) for fact in facts)


@lru_cache(maxsize=256)
def _post_dates(post: str, dates=_months) -> frozenset[str]:
    """The months (or what `dates` reads: the days of the week) the customer's post names."""
    return frozenset(value for value, _ in dates(fold(post).text))


_DAY_BEFORE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|er)? $")


def _dated_by_us(text: str, at: Span, post: str) -> bool:
    """"Since 1 March": a day and a month the post does not give is a date the reply states,
    even in the month the customer named ("I joined in March")."""
    day = _DAY_BEFORE.search(text[max(0, at[0] - 6):at[0]])
    return day is not None and f"{day.group(1)} {text[at[0]:at[1]]}" not in fold(post).text


def wrong_months(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """"Published in September" or "since January" when the facts about the same thing (two
    content words in common) give other months ("published in January"). A month of the post
    is the customer's, unless the reply dates it to a day the post does not give."""
    facts = _dated_facts(ctx.compiled.approved_facts, ctx.lexicon)
    if not facts:
        return []
    post_months = _post_dates(ctx.post)
    said = [(month, at) for month, at in _months(ctx.folded.text)
            if month not in post_months or _dated_by_us(ctx.folded.text, at, ctx.post)]
    return _unbacked(ctx, said, facts)


def wrong_weekdays(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """"Finished by Sunday evening" when the facts about the same thing (two content words in
    common) give another day ("the work ends on Friday"). A day of the post is the customer's."""
    facts = _dated_facts(ctx.compiled.approved_facts, ctx.lexicon, _weekdays)
    if not facts:
        return []
    post_days = _post_dates(ctx.post, _weekdays)
    said = [(day, at) for day, at in _weekdays(ctx.folded.text) if day not in post_days]
    return _unbacked(ctx, said, facts)


def _unbacked(ctx: ReplyContext, said: list[tuple[str, Span]],
              facts: tuple[tuple[str, frozenset[str], frozenset[str]], ...]
              ) -> list[tuple[Span, str]]:
    """The first of the reply's dates (`said`: (value, span in the folded text)) in a sentence
    about dated facts (two content words in common) none of which gives it."""
    for value, at in said:
        span = ctx.folded.span(*at)
        sentence = ctx.sentence_at(span[0])
        stems = ctx.lexicon.content_stems(ctx.folded_slice(sentence.start, sentence.end)) \
            if sentence else frozenset()
        about = [(fact, values) for fact, values, fact_stems in facts
                 if len(stems & fact_stems) >= 2]
        if about and not any(value in values for _fact, values in about):
            return [(span, about[0][0])]
    return []


@lru_cache(maxsize=256)
def _dated_facts(facts: tuple[str, ...], lexicon: Lexicon, dates=_months
                 ) -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """Each fact naming a month (or what `dates` reads: the days of the week): (fact, the
    months it names, its content stems)."""
    found = []
    for fact in facts:
        text = fold(fact).text
        named = frozenset(value for value, _ in dates(text))
        if named:
            found.append((fact, named, lexicon.content_stems(text)))
    return tuple(found)


@lru_cache(maxsize=256)
def _checked_against(facts_text: str, post: str, language: str, lexicon: Lexicon
                     ) -> tuple[frozenset[str], frozenset[Figure], frozenset[Figure]]:
    """What a reply's figures are checked against, read once per event (not per reply): the
    values and the figures of the facts and the post together, and the facts' own figures."""
    corpus = facts_text + "\n" + post
    known, _ = _corpus_values(corpus, language, lexicon)
    return known, _corpus_figures(corpus, lexicon), _corpus_figures(facts_text, lexicon)


@lru_cache(maxsize=256)
def _facts_by_kind(facts: tuple[str, ...], lexicon: Lexicon
                   ) -> dict[str | None, tuple[tuple[str, Claim], ...]]:
    """Per kind of figure (a unit, "duration", None), each fact giving one with the first such
    figure it gives, in the facts' order: what `wrong_figures` compares a reply's figure with,
    read once per fact sheet (not per reply)."""
    found: dict[str | None, list[tuple[str, Claim]]] = {}
    for fact in facts:
        firsts: dict[str | None, Claim] = {}
        for claim in extract_claims(fact, lexicon):
            if claim.kind == "number":
                firsts.setdefault(_figure(claim.value, claim.unit)[1], claim)
        for kind, claim in firsts.items():
            found.setdefault(kind, []).append((fact, claim))
    return {kind: tuple(pairs) for kind, pairs in found.items()}


def wrong_figures(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """A figure the facts give differently for the same thing: "3 conductor vacancies" when a
    fact says "18 conductor vacancies" (same unit, two content words in common)."""
    lexicon = ctx.lexicon
    facts = ctx.compiled.approved_facts
    known, figures, fact_figures = _checked_against(ctx.compiled.facts_text, ctx.post,
                                                    ctx.language, lexicon)
    wrong = []
    for claim in extract_claims(ctx.reply[:4000], lexicon):
        if claim.kind != "number" or claim.negated or _worked_out(claim, fact_figures, figures):
            continue
        if _known_figure(claim, figures, known):
            fact = _given_for_something_else(claim, facts, ctx.post, lexicon)
            if fact is not None:
                wrong.append((claim.span, fact))
            continue
        if claim.unit == "hour" and claim.unit_text.strip() == "h" and _is_hour(claim.value):
            continue  # "18 h" is a French clock time, not a duration
        kind = _figure(claim.value, claim.unit)[1]
        unit_stems = lexicon.content_stems(claim.unit_text)
        for fact, same_kind in _facts_by_kind(facts, lexicon).get(kind, ()):
            if len((claim.context & same_kind.context) - unit_stems) >= 2:
                wrong.append((claim.span, fact))
                break
        else:
            fact = _the_only_duration_in(facts, claim, lexicon)
            if fact is not None:
                wrong.append((claim.span, fact))
    return wrong


SAME_THING = 3  # content words a figure's sentence shares with a fact about the same thing


def _given_for_something_else(claim: Claim, facts: Sequence[str], post: str,
                              lexicon: Lexicon) -> str | None:
    """The fact about the same thing (three content words in common) that gives another
    figure, when the claim's figure is given only about other things: "lost property is kept
    for 7 days" when the facts' 7 days are "seven days a week" and lost property is "kept for
    30 days". None for a bare number ("from 7 to 11pm" says too little of what it counts),
    when the post gives it (the customer's own figure) or when there is no such fact."""
    if claim.unit is None:
        return None
    figure = _figure(claim.value, claim.unit)
    if claim.value in _post_values(post, lexicon):
        return None
    unit_stems = lexicon.content_stems(claim.unit_text)
    about = [fact for fact, same_kind in _facts_by_kind(facts, lexicon).get(figure[1], ())
             if len((claim.context & same_kind.context) - unit_stems) >= SAME_THING]
    if not about or any(figure in _corpus_figures(fact, lexicon) for fact in about):
        return None
    return about[0]


@lru_cache(maxsize=256)
def _post_values(post: str, lexicon: Lexicon) -> frozenset[str]:
    return frozenset(c.value for c in extract_claims(post, lexicon) if c.kind == "number")


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


# a product or batch code: two to eight letters and digits, both (22b, pa22)
_CODE = r"\b(?=[a-z0-9]{2,8}\b)(?:[a-z]+\d|\d+[a-z])[a-z0-9]*\b"
_PRODUCT_CODE = re.compile(_CODE)
_UNIT = re.compile(r"\d+(?:h|hr|hrs|min|mins|s|d|j|am|pm|st|nd|rd|th|e|er|eme|g|k|m|km|kg|ml|mg|"
                   r"mm|cm|x|p|gb|mb|mbps)")
_SHAPE = str.maketrans("0123456789abcdefghijklmnopqrstuvwxyz", "9" * 10 + "a" * 26)
_CODE_CLAUSE = re.compile(r"[,;:()]|\s(?:so|but|mais|donc|alors)\s")
# words that set a code apart from what the facts say of another ("19A is not recalled")
_SENTENCE_BREAK = re.compile(r"[.!?]\s")
_SETS_APART = re.compile(r"\b(?:not|no|never|only|just|except|fine|safe|unaffected|if|whether|"
                         r"pas|ne|aucun\w*|seul\w*|uniquement|sauf|hors|si)\b|n't|n'")


def _product_codes(text: str) -> list[re.Match[str]]:
    """The product codes of a folded text that are not a unit (5g, 24h)."""
    return [m for m in _PRODUCT_CODE.finditer(text) if not _UNIT.fullmatch(m.group())]


@lru_cache(maxsize=256)
def _fact_codes(facts: tuple[str, ...], lexicon: Lexicon
                ) -> tuple[frozenset[str], tuple[tuple[str, frozenset[str], frozenset[str]], ...]]:
    """The codes the facts give, and each fact naming one: (fact, the shapes of its codes, its
    content stems)."""
    given: set[str] = set()
    found = []
    for fact in facts:
        text = fold(fact).text
        codes = [m.group() for m in _product_codes(text)]
        if codes:
            given.update(codes)
            found.append((fact, frozenset(c.translate(_SHAPE) for c in codes),
                          lexicon.content_stems(text) - frozenset(codes)))
    return frozenset(given), tuple(found)


def wrong_codes(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """"Batches 19A and 22B are recalled" when the facts recall 22B alone: a code the facts
    do not give, shaped like one they do, said of the same thing (two content words of the
    fact in its clause) and not set apart ("19A is not recalled", "only 22B", "if")."""
    given, facts = _fact_codes(ctx.compiled.approved_facts, ctx.lexicon)
    if not facts:
        return []
    folded = ctx.folded
    for match in _product_codes(folded.text):
        if match.group() in given:
            continue
        starts = [0] + [m.end() for m in _CODE_CLAUSE.finditer(folded.text, 0, match.start())]
        end = _CODE_CLAUSE.search(folded.text, match.end())
        clause = folded.text[starts[-1]:end.start() if end else len(folded.text)]
        clause = _SENTENCE_BREAK.split(clause)[-1]
        if _SETS_APART.search(clause):
            continue
        stems = ctx.lexicon.content_stems(clause)
        shape = match.group().translate(_SHAPE)
        for fact, shapes, fact_stems in facts:
            if shape in shapes and len(stems & fact_stems) >= 2:
                return [(folded.span(*match.span()), fact)]
    return []


_CODE_OR_TIME = re.compile(rf"\b\d{{1,2}}(?::|h| h ?)\d{{2}}\b|\b\d{{1,2}} ?h\b|{_CODE}")
_TIME_PARTS = re.compile(r"(\d{1,2})\s*(?::|h)\s*(\d{2})?$")


def _code(found: str) -> str | None:
    """"17:42", "17h42" and "17 h 42" are 17:42; "16 h" and "16h" are 16:00; "22b" is 22b;
    "24 h" is a duration, not a clock time."""
    time = _TIME_PARTS.match(found)
    if time is None:
        return found
    return f"{int(time.group(1))}:{time.group(2) or '00'}" if int(time.group(1)) < 24 else None


@per_text
def codes(folded_text: str) -> frozenset[str]:
    """Product and batch codes (22b, pa22) and clock times (17:42, 16 h) of a folded text."""
    found = (_code(match) for match in _CODE_OR_TIME.findall(folded_text))
    return frozenset(code for code in found if code)


def codes_before(text: str, at: int) -> frozenset[str]:
    """The code a statement at `at` is about: the nearest one before it ("your ticket for the
    17:42 is valid on the 18:12, which is running" says the 18:12 runs), else any."""
    before = codes(text[:at])
    if not before:
        return codes(text)
    nearest = _code(_CODE_OR_TIME.findall(text[:at])[-1])
    return frozenset({nearest}) if nearest else before
