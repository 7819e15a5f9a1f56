"""Politeness: how courteous a reply reads, from the request-politeness strategies of
Danescu-Niculescu-Mizil, Sudhof, Jurafsky, Leskovec and Potts (2013), "A computational approach
to politeness with application to social factors", ACL.

Each strategy found in the reply adds its weight once. The weights are the paper's Table 3
("politeness" column: the mean normalised human politeness score of the requests that use the
strategy), not fitted on any of our data. Three cues the paper does not list are ours and say
so (`OURS`): doubled "??"/"!!", telling the customer what they "should/must" do, and opening a
sentence with a bare order; "dismissive" and "rude" words keep their own lists. The sum `z`
becomes a score with a logistic curve: no strategy at all (z = 0) gives 60, a greeting and an
apology about 85, a thank-you on top about 95, a direct "So ..." start about 40.

Insults are critical; blame, condescension, sarcasm and threats are harms (`harm.py`) and fail
the reply whatever its politeness.

The phrase lists are `politeness.<strategy>` in each language's lexicon (French with "tu" and
"vous" forms); guidelines extend them like any list.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.lexicon import Lexicon
from sandbox.core.scoring.results import CriterionScore, Finding, bad, good
from sandbox.core.scoring.scan import Alternatives

# (strategy, weight, what the trainee reads). Table 3 of the paper, in its order.
PAPER: tuple[tuple[str, float, str], ...] = (
    ("gratitude", 0.87, "Thanks the customer"),
    ("deference", 0.78, "Recognises the customer's point"),
    ("greeting", 0.43, "Greets the customer"),
    ("positive", 0.12, "Positive words"),
    ("negative", -0.13, "Negative words"),
    ("apologizing", 0.36, "Apologises"),
    ("please", 0.49, "Says please"),
    ("please_start", -0.30, "Opens a sentence with \"please\", which reads as an order"),
    ("indirect_btw", 0.63, "Indirect (\"by the way\")"),
    ("direct_question", -0.27, "Asks a blunt direct question"),
    ("direct_start", -0.43, "Opens a sentence with \"so\", \"and\" or \"but\""),
    ("counterfactual_modal", 0.47, "Asks with \"could you\" / \"would you\""),
    ("indicative_modal", 0.09, "Asks with \"can you\" / \"will you\""),
    ("first_person_start", 0.12, "Opens with \"I\""),
    ("first_person_plural", 0.08, "Speaks as \"we\""),
    ("first_person", 0.08, "Speaks as \"I\""),
    ("second_person", 0.05, "Talks to the customer (\"you\")"),
    ("second_person_start", -0.30, "Opens a sentence with \"you\", which can sound accusing"),
    ("hedges", 0.14, "Hedges instead of asserting"),
    ("factuality", -0.38, "Insists (\"actually\", \"in fact\"), which sounds defensive"),
)
OURS: tuple[tuple[str, float, str], ...] = (
    ("doubled_marks", -0.30, "\"??\" or \"!!\" reads as exasperated"),
    ("obligation", -0.35, "Tells the customer what they \"should\" or \"must\" do"),
    ("bare_order", -0.15, "Opens a sentence with a bare order"),
    ("dismissive", -0.50, "Dismisses the customer"),
    ("rude", -0.60, "Rude word"),
)
STRATEGIES = PAPER + OURS
# Strategies read on the first word of a sentence (after a "Hi Tom," opening).
AT_START = frozenset({"please_start", "direct_question", "direct_start", "first_person_start",
                      "second_person_start", "bare_order"})
NEUTRAL = 60  # the score of a reply that uses no strategy at all
SLOPE = 1.6

_OPENING = re.compile(r"^(?:(?:hi|hello|hey|dear|bonjour|bonsoir|salut|coucou|hello)\b[^,:.!?]"
                      r"{0,40}[,:!]\s*)")
_DOUBLED = re.compile(r"\?\?|!!|\?!|!\?")
_OFFSET = math.log(NEUTRAL / (100 - NEUTRAL)) / SLOPE


def _score(z: float) -> int:
    return round(100 / (1 + math.exp(-SLOPE * (z + _OFFSET))))


def _sentence_starts(ctx: ReplyContext) -> list[tuple[int, str]]:
    """(offset in the reply, folded text) of each sentence, a leading "Hi Tom," removed."""
    starts = []
    for sentence in ctx.sentences:
        text = ctx.folded_slice(sentence.start, sentence.end)
        opening = _OPENING.match(text)
        cut = opening.end() if opening else 0
        starts.append((sentence.start + cut, text[cut:]))
    return starts


def _list_name(strategy: str) -> str:
    return strategy if strategy in ("dismissive", "rude") else f"politeness.{strategy}"


_LISTS = {strategy: _list_name(strategy) for strategy, _weight, _label in STRATEGIES}
_READ_IN_HITS = frozenset(_LISTS) - AT_START - {"doubled_marks"}  # found by the lexicon scan
# each strategy with the scan's list it is read from (None: read otherwise), in their order
_READ_FROM = tuple((strategy, weight, label, _LISTS[strategy] if strategy in _READ_IN_HITS
                    else None) for strategy, weight, label in STRATEGIES)


@lru_cache(maxsize=64)
def _openers(lexicon: Lexicon) -> Alternatives:
    """The strategies read at the start of a sentence, all tried there by one match."""
    return Alternatives([(strategy, pattern.pattern, None) for strategy in sorted(AT_START)
                         if (pattern := lexicon.pattern(_list_name(strategy))) is not None])


def _at_start(ctx: ReplyContext, starts: list[tuple[int, str]]) -> dict[str, tuple[int, int]]:
    """The first sentence start where each strategy of `AT_START` is found, as a span."""
    found: dict[str, tuple[int, int]] = {}
    openers = _openers(ctx.lexicon)
    for offset, text in starts:
        question = text.rstrip().endswith("?")
        for strategy, start, end, _entry in openers.at(text, 0):
            if strategy in found or (strategy == "direct_question" and not question) or \
                    (strategy == "bare_order" and question):
                continue
            found[strategy] = (offset + start, offset + end)
    return found


def _found(ctx: ReplyContext, strategy: str, starts: list[tuple[int, str]],
           at_start: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    if strategy == "doubled_marks":
        match = _DOUBLED.search(ctx.reply)
        return match.span() if match else None
    if strategy in AT_START:
        return at_start.get(strategy)
    hits = ctx.reply_hits.get(_LISTS[strategy])
    if not hits:
        return None
    if strategy == "please":  # "please" inside a sentence, not opening it
        openings = {offset for offset, _text in starts}
        hits = [h for h in hits if h[0] not in openings]
    return hits[0] if hits else None


_ABOUT_QUESTIONS = re.compile(r"\s*questions?\b")
_NEGATED_BEFORE = re.compile(r"\b(?:no|not|never|pas)\s*$")


def _insult(ctx: ReplyContext) -> tuple[int, int] | None:
    """An insult aimed at someone: not "no stupid questions", not "a stupid question"."""
    for span in ctx.hits("insults"):
        after = ctx.folded_slice(span[1], span[1] + 12)
        before = ctx.folded_slice(max(0, span[0] - 10), span[0])
        if _ABOUT_QUESTIONS.match(after) or _NEGATED_BEFORE.search(before):
            continue
        return span
    return None


def politeness(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer and ctx.channel != "internal":
        return None
    starts = _sentence_starts(ctx)
    at_start = _at_start(ctx, starts)
    z = 0.0
    findings: list[Finding] = []
    hits = ctx.reply_hits
    for strategy, weight, label, listed in _READ_FROM:
        if listed is not None and listed not in hits:
            continue  # most strategies are not in a reply: skip them without a call
        span = _found(ctx, strategy, starts, at_start)
        if span is None:
            continue
        z += weight
        if weight >= 0.3:
            findings.append(good(f"{label}: \"{ctx.quote(span)}\".", f"politeness.{strategy}",
                                 span))
        elif weight <= -0.25:
            findings.append(bad(f"{label}: \"{ctx.quote(span)}\".", f"politeness.{strategy}",
                                span))
    insult = _insult(ctx)
    if insult is not None:
        findings.insert(0, bad(f"\"{ctx.quote(insult)}\" insults the customer: never "
                               "acceptable in public.", "lexicon.insults", insult))
        return CriterionScore("politeness", 0, tuple(findings), critical=True)
    if not findings:
        findings.append(Finding("Neutral: no courtesy marker, nothing impolite.", "politeness"))
    return CriterionScore("politeness", _score(z), tuple(findings))
