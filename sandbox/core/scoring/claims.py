"""Figures and promises in a reply: `facts` (only approved ones) and `consistency` (no
contradiction with the trainee's earlier replies).

A *claim* is a number (with its unit when one follows: "5 working days", "£50", "30%"), a
product or batch code ("22B"), or a promise ("refund", "voucher", "remboursement"). Clock
times ("by 5pm", "avant 17 h") are the trainee's own follow-up commitments and are left to
`resolution`.

`consistency` compares a claim only with earlier claims about the same thing:

- In the same conversation (an earlier reply to the same event or thread, or to the same
  customer), any figure with the same unit words and the same subject (the sentences share a
  content word besides the unit) contradicts when it differs, and a promise contradicts when
  one reply makes it and the other refuses it.
- Across conversations (another customer, another event, or a bare earlier reply whose
  conversation is unknown), customers' cases differ, so only claims that state a rule for
  everyone are compared: a delay or percentage that is not the customer's own figure ("refund
  within 5 working days" then "within 10 working days"), an amount that the approved facts
  set, and a promise that the approved facts cover. A figure a customer wrote in their post
  (their own £18 bill) is about their case only and is never compared with another's.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from sandbox.core.phrases import Folded, fold
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.lexicon import CACHED_TEXT_LIMIT, Lexicon
from sandbox.core.scoring.prefilter import Needles, might_match, needles
from sandbox.core.scoring.results import CriterionScore, Finding, bad, good

Span = tuple[int, int]

_NUMBER = re.compile(
    r"(?<![\w.,:])(?P<cur>[£$€]\s?)?(?P<num>\d+(?:[.,]\d+)*)(?P<glued>[a-z]+)?(?![\d])")
_CLOCK = re.compile(r"\s?(?:am|pm)\b|:\d\d")
_FR_CLOCK_BEFORE = re.compile(r"(?:avant|a|vers|jusqu'a|des|d'ici|apres)\s*$")
_UNIT_NAMES = ("minute", "hour", "day", "week", "month", "year", "percent", "money")
_NEGATION_WINDOW = 30
MAX_CLAIMS = 200  # a pasted essay is judged on its first 200 figures


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see `attempt.py`
class Claim:
    kind: str  # number | code | promise
    value: str  # canonical number, code, or promise stem
    unit: str | None
    unit_text: str
    span: Span
    negated: bool
    context: frozenset[str]  # content stems of the claim's sentence, for matching earlier claims


MAX_DIGITS = 15  # beyond this a "number" is not a figure anyone quotes; compare it as text
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")
_SEPARATOR = re.compile(r"[.,]")
_NOT_POSSIBLE = re.compile(r"\b(?:not possible|impossible|pas possible)\b")
_FR_HOUR = re.compile(r"\s?h\b")
_NOT_STEM = re.compile(r"[^a-z%]")


def _canonical(number: str) -> str:
    if len(number) > MAX_DIGITS:
        return number
    if _THOUSANDS.fullmatch(number):
        number = _SEPARATOR.sub("", number)
    number = number.replace(",", ".")
    try:
        value = float(number)
    except ValueError:
        return number
    return str(int(value)) if value == int(value) else str(value)


@lru_cache(maxsize=8)
def _units(lexicon: Lexicon) -> re.Pattern[str]:
    """One regex naming the unit that follows a number: `(?P<day>...)|(?P<hour>...)`."""
    groups = []
    for name in _UNIT_NAMES:
        pattern = lexicon.pattern(f"units.{name}")
        if pattern is not None:
            groups.append(f"(?P<{name}>{pattern.pattern})")
    return re.compile("|".join(groups))


def _unit_after(lexicon: Lexicon, text: str, position: int) -> tuple[str | None, str]:
    # a short window: slicing the rest of a 100 KB reply for every number would be quadratic
    match = _units(lexicon).match(text[position:position + 40].lstrip())
    if match is None or match.lastgroup is None:
        return None, ""
    return match.lastgroup, match.group()


_STOP = re.compile(r"[.!?\n]")


def _stops(text: str) -> list[int]:
    """Where the sentences of `text` may end (".", "!", "?" or a new line), in order: found
    once per text, then each claim's sentence is two bisections away."""
    return [match.start() for match in _STOP.finditer(text)]


def _sentence_bounds(text: str, position: int, stops: list[int]) -> tuple[int, int]:
    """The sentence around `position`, looking at most 300 characters either way: from just
    after the last stop before it to the first stop at or after it (`stops`: `_stops(text)`)."""
    low, high = max(0, position - 300), min(len(text), position + 300)
    index = bisect_left(stops, position)
    start = stops[index - 1] + 1 if index and stops[index - 1] >= low else low
    end = stops[index] if index < len(stops) and stops[index] < high else high
    return start, end


def _negated(lexicon: Lexicon, text: str, start: int, end: int, stops: list[int]) -> bool:
    sentence_start, sentence_end = _sentence_bounds(text, start, stops)
    before = text[max(sentence_start, start - _NEGATION_WINDOW):start]
    after = text[end:min(sentence_end, end + 25)]
    pattern = lexicon.pattern("negation")
    if pattern is not None and pattern.search(before):
        return True
    return bool(_NOT_POSSIBLE.search(after))


@lru_cache(maxsize=1024)
def extract_claims(text: str, lexicon: Lexicon) -> tuple[Claim, ...]:
    """Every figure, code and promise in `text`, with original spans (cached per text)."""
    stems = lexicon.content_stems
    folded: Folded = fold(text)
    plain = folded.text
    claims: list[Claim] = []
    stops = _stops(plain)

    def context_at(position: int) -> frozenset[str]:
        start, end = _sentence_bounds(plain, position, stops)
        return frozenset(stems(plain[start:end]))

    for match in itertools.islice(_NUMBER.finditer(plain), MAX_CLAIMS):
        number, glued, end = match.group("num"), match.group("glued") or "", match.end()
        after = plain[match.end("num"):match.end("num") + 6]
        if _CLOCK.match(after):
            continue
        if lexicon.language == "fr" and _FR_HOUR.match(after) and \
                _FR_CLOCK_BEFORE.search(plain[:match.start()]):
            continue
        if glued and not lexicon.pattern("units.hour").fullmatch(glued or "x"):
            claims.append(Claim("code", number + glued, None, "", folded.span(match.start(), end),
                                False, context_at(match.start())))
            continue
        unit, unit_text = _unit_after(lexicon, plain, match.end("num"))
        if match.group("cur"):
            unit, unit_text = "money", match.group("cur").strip()
        if unit and unit_text and not match.group("cur"):
            end = plain.index(unit_text, match.end("num")) + len(unit_text)
        claims.append(Claim("number", _canonical(number), unit, unit_text,
                            folded.span(match.start(), end), False, context_at(match.start())))

    words = lexicon.number_word_pattern
    if words is not None and might_match(_number_word_needles(lexicon), plain):
        for match in words.finditer(plain):
            unit, unit_text = _unit_after(lexicon, plain, match.end())
            if unit is None:
                continue
            value = lexicon.number_words[match.group(1)]
            end = plain.index(unit_text, match.end()) + len(unit_text)
            claims.append(Claim("number", _canonical(str(value)), unit, unit_text,
                                folded.span(match.start(), end), False,
                                context_at(match.start())))

    for start, end in lexicon.scan(plain).get("promise", ()):
        stem = _NOT_STEM.sub("", plain[start:end])[:5]
        claims.append(Claim("promise", stem, None, "", folded.span(start, end),
                            _negated(lexicon, plain, start, end, stops), context_at(start)))
    claims.sort(key=lambda c: c.span)
    return tuple(claims)


@lru_cache(maxsize=8)
def _number_word_needles(lexicon: Lexicon) -> Needles | None:
    """The number words themselves: a text holding none of them has none to read (the
    pattern, led by a lookbehind, would be tried at every position)."""
    return needles([lexicon.number_word_pattern])


@lru_cache(maxsize=512)
def _corpus_values(corpus: str, language: str, lexicon: Lexicon) -> tuple[frozenset, frozenset]:
    """Numbers/codes and promise stems that the approved facts (and the post) contain."""
    plain = fold(corpus).text
    values = {_canonical(n) for n in re.findall(r"\d+(?:[.,]\d+)*", plain)}
    values |= {n for n in re.findall(r"\d+[a-z]+", plain)}
    words = lexicon.number_word_pattern
    if words is not None:
        values |= {_canonical(str(lexicon.number_words[m])) for m in words.findall(plain)}
    promises = lexicon.pattern("promise")
    stems = set()
    if promises is not None:
        stems = {_NOT_STEM.sub("", m.group())[:5] for m in promises.finditer(plain)}
    return frozenset(values), frozenset(stems)


_last_long: list[tuple[str, Lexicon, tuple[Claim, ...]]] = []


def _claims(ctx: ReplyContext) -> list[Claim]:
    if len(ctx.reply) > CACHED_TEXT_LIMIT:
        # keep only the latest long reply: `facts` and `consistency` both read its claims
        last = _last_long[0] if _last_long else None  # one read: safe across threads
        if last is not None and last[1] is ctx.lexicon and last[0] == ctx.reply:
            return list(last[2])
        found = extract_claims.__wrapped__(ctx.reply, ctx.lexicon)
        _last_long[:] = [(ctx.reply, ctx.lexicon, found)]
        return list(found)
    return list(extract_claims(ctx.reply, ctx.lexicon))


# Durations compare in minutes, so "48 hours" is the "2 days" of the facts.
_MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080, "month": 43200,
            "year": 525600}

Figure = tuple[float | str, str | None]


def _figure(value: str, unit: str | None) -> Figure:
    try:
        number = float(value)
    except ValueError:
        return value, unit
    if unit in _MINUTES:
        return round(number * _MINUTES[unit], 6), "duration"
    return round(number, 6), unit


@lru_cache(maxsize=512)
def _corpus_figures(corpus: str, lexicon: Lexicon) -> frozenset[Figure]:
    """The figures of the approved facts (or a post) with their units: "28 days", "50%", "£5";
    a figure written without a unit ("15-29 minutes" gives a bare 15) is (value, None)."""
    claims = extract_claims(corpus[:CACHED_TEXT_LIMIT], lexicon) if corpus else ()
    return frozenset(_figure(c.value, c.unit) for c in claims if c.kind == "number")


def _known_figure(claim: Claim, figures: frozenset[Figure], values: frozenset[str]) -> bool:
    """A figure with a unit must appear with the same unit (or none); a bare one anywhere."""
    if claim.unit is None:
        return claim.value in values
    return _figure(claim.value, claim.unit) in figures or _figure(claim.value, None) in figures


def _worked_out(claim: Claim, facts: frozenset[Figure], known: frozenset[Figure]) -> str | None:
    """An amount the facts' percentage gives of a known amount: "50%" of "£18.40" is "£9.20"."""
    if claim.unit != "money":
        return None
    value = _figure(claim.value, None)[0]
    rates = [v for v, u in facts if u == "percent" and isinstance(v, float)]
    amounts = [v for v, u in known if u == "money" and isinstance(v, float)]
    for rate in rates:
        for amount in amounts:
            if isinstance(value, float) and abs(rate * amount / 100 - value) < 0.006:
                return f"{rate:g}% of {amount:.2f}"
    return None


def facts(ctx: ReplyContext) -> CriterionScore | None:
    """Only approved figures and promises; left out when there is no fact sheet to check
    against (no scenario facts, no approved facts in the guidelines)."""
    if ctx.channel == "internal" or not ctx.compiled.approved_facts:
        return None
    fact_values, fact_promises = _corpus_values(ctx.compiled.facts_text, ctx.language,
                                                ctx.lexicon)
    fact_figures = _corpus_figures(ctx.compiled.facts_text, ctx.lexicon)
    known_figures = fact_figures | _corpus_figures(ctx.post, ctx.lexicon)
    post_values, _ = _corpus_values(ctx.post, ctx.language, ctx.lexicon)
    known_values = fact_values | post_values
    score = 100
    findings: list[Finding] = []
    for claim in _claims(ctx):
        quoted = ctx.quote(claim.span)
        if claim.kind == "promise":
            if claim.negated:
                continue
            if claim.value in fact_promises:
                findings.append(good(f"Promises \"{quoted}\", which the approved facts allow.",
                                        "facts", claim.span))
            else:
                score -= 35
                findings.append(bad(f"Promises \"{quoted}\", which no approved fact "
                                        "covers: only promise what the facts say.", "facts",
                                        claim.span))
            continue
        known = (claim.value in known_values or claim.value.lower() in known_values) \
            if claim.kind == "code" else _known_figure(claim, known_figures, known_values)
        derived = None if known else _worked_out(claim, fact_figures, known_figures)
        if known:
            findings.append(good(f"\"{quoted}\" matches the approved facts or the customer's "
                                    "own post.", "facts", claim.span))
        elif derived:
            findings.append(good(f"\"{quoted}\" is worked out from the approved facts "
                                    f"({derived}).", "facts", claim.span))
        else:
            score -= 35
            findings.append(bad(f"\"{quoted}\" is not in the approved facts: do not "
                                    "invent figures, delays or dates.", "facts", claim.span))
    if not findings:
        findings.append(good("Asserts no figure or promise beyond the approved facts.",
                                "facts"))
    return CriterionScore("facts", max(0, score), tuple(findings))


def _contradicts(claim: Claim, earlier: Claim) -> bool:
    if claim.kind == "promise" and earlier.kind == "promise":
        return claim.value == earlier.value and claim.negated != earlier.negated
    if claim.kind == "number" and earlier.kind == "number" and claim.unit and \
            claim.unit == earlier.unit and claim.value != earlier.value:
        same_unit_words = fold(claim.unit_text).text == fold(earlier.unit_text).text
        return same_unit_words and bool(claim.context & earlier.context)
    return False


@dataclass(frozen=True, slots=True)
class _Grounds:
    """What makes a claim a rule for everyone rather than one customer's case."""

    fact_values: frozenset[str]
    fact_promises: frozenset[str]
    post_figures: frozenset[tuple[str, str | None]]  # (value, unit) the customer wrote


def _own_figure(claim: Claim, grounds: _Grounds) -> bool:
    """The customer wrote this figure ("took my £25 twice"): it is about their own case."""
    figures = grounds.post_figures
    return (claim.value, claim.unit) in figures or (claim.value, None) in figures


def _for_everyone(claim: Claim, grounds: _Grounds) -> bool:
    if claim.kind == "promise":
        return claim.value in grounds.fact_promises
    if claim.kind != "number" or _own_figure(claim, grounds):
        return False
    if claim.unit == "money":
        return claim.value in grounds.fact_values
    return claim.unit is not None


def _grounds(ctx: ReplyContext, post: str, facts_text: str) -> _Grounds:
    if len(post) > CACHED_TEXT_LIMIT:
        return _grounds_of.__wrapped__(post, facts_text, ctx.language, ctx.lexicon)
    return _grounds_of(post, facts_text, ctx.language, ctx.lexicon)


@lru_cache(maxsize=256)
def _grounds_of(post: str, facts_text: str, language: str, lexicon: Lexicon) -> _Grounds:
    """What makes a claim about `post` a rule for everyone: read once per post and facts."""
    fact_values, fact_promises = _corpus_values(facts_text, language, lexicon)
    figures = frozenset((c.value, c.unit) for c in extract_claims(post[:CACHED_TEXT_LIMIT],
                                                                 lexicon)
                        if c.kind == "number") if post else frozenset()
    return _Grounds(fact_values, fact_promises, figures)


def _comparable(claim: Claim, mine: _Grounds, before: Claim, theirs: _Grounds,
                same_conversation: bool) -> bool:
    if not _contradicts(claim, before):
        return False
    if same_conversation:
        return True
    if claim.kind == "promise":
        return _for_everyone(claim, mine)
    # an amount is a rule when the facts set either figure; a delay when neither is a case's own
    if claim.unit == "money":
        return (not _own_figure(claim, mine) and not _own_figure(before, theirs)
                and (_for_everyone(claim, mine) or _for_everyone(before, theirs)))
    return _for_everyone(claim, mine) and _for_everyone(before, theirs)


def consistency(ctx: ReplyContext) -> CriterionScore | None:
    earlier_replies = ctx.earlier_in_run
    if not earlier_replies or ctx.channel == "internal":
        return None
    claims = _claims(ctx)
    facts_text = ctx.compiled.facts_text
    mine = _grounds(ctx, ctx.post, facts_text) if claims else None
    earlier = []
    for reply in earlier_replies if claims else ():  # nothing to contradict: skip the work
        theirs = mine if reply.post == ctx.post else _grounds(ctx, reply.post, facts_text)
        same = ctx.same_conversation(reply)
        earlier += [(reply.text, c, theirs, same) for c in extract_claims(reply.text, ctx.lexicon)]
    score = 100
    findings: list[Finding] = []
    for claim in claims:
        for text, before, theirs, same in earlier:
            if not _comparable(claim, mine, before, theirs, same):
                continue
            said = " ".join(text[before.span[0]:before.span[1]].split())
            score -= 50
            what = "refuses" if claim.negated else "promises"
            if claim.kind == "promise":
                message = (f"This reply {what} \"{ctx.quote(claim.span)}\" but an earlier reply "
                           f"{'promised' if claim.negated else 'refused'} it (\"{said}\").")
            else:
                message = (f"Says \"{ctx.quote(claim.span)}\" but an earlier reply said "
                           f"\"{said}\" for the same thing.")
            findings.append(bad(message, "consistency.earlier_replies", claim.span))
            break
    if not findings:
        findings.append(good(f"Consistent with the {len(earlier_replies)} earlier "
                                f"repl{'y' if len(earlier_replies) == 1 else 'ies'}.",
                                "consistency.earlier_replies"))
    return CriterionScore("consistency", max(0, score), tuple(findings))
