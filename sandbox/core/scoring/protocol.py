"""Efficiency, protocol side: privacy and channel rules, and the expected actions."""

from __future__ import annotations

import re
from functools import lru_cache

from sandbox.core.phrases import fold
from sandbox.core.scoring.agility import format_delay
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.lexicon import Lexicon
from sandbox.core.scoring.results import CriterionScore, Finding, as_words, bad, good

Span = tuple[int, int]

_LABELS = {"email": "an email address", "phone": "a phone number",
           "order_number": "an order number", "account_number": "an account number",
           "address": "a postal address", "card": "card or bank details",
           "date_of_birth": "a date of birth", "password": "a password"}

# Personal data written out in the reply itself.
_VALUES = {
    # starts where a run of address characters starts: tried inside a 100 KB word, the
    # pattern would take minutes
    "email": re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "phone": re.compile(r"(?<![\w+])\+?\d[\d ().-]{7,}\d(?!\w)"),
    "card": re.compile(r"(?<!\d)(?:\d[ -]?){13,19}(?!\d)|(?i:\b(?:ending(?: in| with)?|last "
                       r"(?:4|four)(?: digits)?(?: of)?|se termin\w* par|finissant par|"
                       r"termin\w* par)\s*:?\s*\d{4}\b)"),
    "order_number": re.compile(r"#\s?\d{5,}|(?i:\b(?:order|commande|account|compte|n°|no\.|ref\.?|"
                               r"reference|référence)\s?(?:number\s|n°\s?|#\s?)?"
                               r"[a-z]{0,3}-?\d{4,}[-\w]*)"),
    "address": re.compile(
        r"\b\d{1,4}(?:bis|ter)?,? (?i:rue|avenue|av\.|boulevard|bd|allée|allee|chemin|impasse|"
        r"place|quai|route|cours) [\w'’ -]{2,40}|\b\d{1,4}[a-z]? [A-Z][a-z]+(?: [A-Z][a-z]+)? "
        r"(?:Road|Street|Close|Lane|Avenue|Drive|Way|Court|Place|Crescent|Gardens|Terrace|"
        r"Rd|St|Ave|Grove|Row|Hill|Square|Mews|Walk|Rise|Park|View|Vale|Green|Parade|Gate|Wharf)\b"),
}
# What every match of each pattern above holds, as a regex the engine finds quickly (it
# starts with a character, where the patterns start with a lookbehind or \b and so are tried
# at every position): most replies hold none, and are not searched further.
_HELD = {
    "email": re.compile("@"),
    "phone": re.compile(r"\d[\d ().-]{7,}\d"),
    "card": re.compile(r"\d{4}|(?:\d[ -]?){13}"),  # "ending in 1234", or 13 digits and more
    "order_number": re.compile(r"\d{4}"),
    # "12 rue", "12bis, rue", "4b High St": a number, then a street word or a capital
    "address": re.compile(r"\d(?:bis|ter|[a-z])?,? (?:[A-Z]|(?i:rue|avenue|av\.|boulevard|bd|"
                          r"allée|allee|chemin|impasse|place|quai|route|cours))"),
}
# For the patterns with an alternative led by case-blind words (tried at every position; the
# four digits the second alternative needs are in most replies: an order reference), what
# every match holds, as quick searches: a match of the first regex (the first alternative),
# or one of the case-blind words (the second regex; in an ASCII text, the third regex in its
# lower case, as no other character matches an ASCII letter there) and four digits.
_HELD_TOO = {
    "card": (re.compile(r"\d(?:[ -]?\d){12}"), re.compile(r"(?i:ending|last|termin|finissant)"),
             re.compile("ending|last|termin|finissant")),
    "order_number": (re.compile(r"#\s?\d{5}"),
                     re.compile(r"(?i:order|commande|account|compte|n°|no\.|ref|référence)"),
                     re.compile(r"order|commande|account|compte|no\.|ref")),
}
_FOUR_DIGITS = re.compile(r"\d{4}")


def _may_hold(category: str, text: str) -> bool:
    """Whether `text` may hold a match of `_VALUES[category]` (`_HELD`, `_HELD_TOO`)."""
    too = _HELD_TOO.get(category)
    if too is None:
        return _HELD[category].search(text) is not None
    first, words, ascii_words = too
    if first.search(text):
        return True
    found = ascii_words.search(text.lower()) if text.isascii() else words.search(text)
    return found is not None and _FOUR_DIGITS.search(text) is not None


# Values specific enough to be the customer's whoever the sentence names; an email or a phone
# number may be the brand's own ("call us on 0800 ..."), so those need "your" nearby.
_ALWAYS_PERSONAL = frozenset({"card", "order_number", "address"})
# a mobile number is a person's (a brand gives a landline or a free number: 0800, 03..., 09...)
_MOBILE = re.compile(r"(?:\+44 ?|0)7\d{3}|(?:\+33 ?|0)[67](?:[ .]?\d{2}){4}")
_CUSTOMER_SIDE = re.compile(r"\b(you|your|vous|votre|vos|te|toi)\b")


def _never_public(ctx: ReplyContext) -> list[str]:
    return list(ctx.compiled.never_public)


def _in_sentence(spans: list[Span], start: int, end: int) -> bool:
    return any(start <= s[0] < end for s in spans)


def _private_request(ctx: ReplyContext, span: Span) -> bool:
    """The request is made for a private channel: "DM us your order number"."""
    sentence = ctx.sentence_at(span[0])
    if sentence is None:
        return False
    private = ctx.hits("private_channel")
    if _in_sentence(private, sentence.start, sentence.end):
        return True
    if ctx.hits("public_request"):
        return False
    index = ctx.sentences.index(sentence)
    neighbours = ctx.sentences[max(0, index - 1):index + 2]
    return any(_in_sentence(private, s.start, s.end) for s in neighbours)


_WORDS = re.compile(r"\w+")
_REQUEST_REACH = 5  # words from "send us" to "your order number"
_OWNER_REACH = 30  # characters after the data: "the email address on your account"
_SHORT_QUESTION = 6  # "Your order number?" asks without a verb


def _words(text: str) -> int:
    return len(_WORDS.findall(text))


def _asks_for(ctx: ReplyContext, span: Span, markers: list[Span]) -> bool:
    """The sentence asks the customer for the data `span` names.

    A request is an asking phrase ("send us", "what's your", "could you confirm") a few words
    before the customer's own data ("your order number", "the email on your account"), not
    negated ("we don't need your card details") and not advice about a thing they own
    ("restart your phone", "check your email", "no need to cancel your card"). A very short
    question that names the data asks for it on its own: "Your order number?".
    """
    sentence = ctx.sentence_at(span[0])
    if sentence is None:
        return False
    before = ctx.folded_slice(sentence.start, span[0])
    negation = ctx.lexicon.pattern("negation")
    advice = ctx.lexicon.pattern("data_advice")
    asking = [m for m in markers if sentence.start <= m[0] and m[1] <= span[0]
              and _words(ctx.reply[m[1]:span[0]]) <= _REQUEST_REACH]
    if not asking:
        return sentence.text.endswith("?") and _words(sentence.text) <= _SHORT_QUESTION \
            and not (negation and negation.search(before))
    marker = asking[-1]
    between = ctx.folded_slice(marker[1], span[0])
    if advice is not None and advice.search(between):
        return False
    lead = ctx.folded_slice(max(sentence.start, marker[0] - 25), marker[0])
    if negation is not None and (negation.search(lead) or negation.search(between)):
        return False
    owned = ctx.folded_slice(marker[0], min(sentence.end, span[1] + _OWNER_REACH))
    return bool(_CUSTOMER_SIDE.search(owned))


def _requests(ctx: ReplyContext, category: str) -> list[Span]:
    mentions = ctx.reply_hits.get(f"personal_data.{category}")
    if not mentions:  # most replies name no personal data at all
        return []
    markers = ctx.hits("request_markers")
    return [span for span in mentions if _asks_for(ctx, span, markers)]


@lru_cache(maxsize=64)
def _known_categories(lexicon: Lexicon) -> tuple[str, ...]:
    """Every kind of personal data the lexicon knows: "email", "phone", ..."""
    return tuple(name.removeprefix("personal_data.") for name in lexicon.names("personal_data"))


def _written_values(ctx: ReplyContext, category: str) -> list[Span]:
    pattern = _VALUES.get(category)
    if pattern is None or not _may_hold(category, ctx.reply):
        return []
    spans = []
    for match in pattern.finditer(ctx.reply):
        if category == "phone" and sum(c.isdigit() for c in match.group()) < 9:
            continue
        before = ctx.folded_slice(max(0, match.start() - 40), match.start())
        if category in _ALWAYS_PERSONAL or match.group() in ctx.post \
                or _CUSTOMER_SIDE.search(before) or _holds_their_name(ctx, match.group()) \
                or (category == "phone" and _MOBILE.match(match.group())):
            spans.append(match.span())
    return spans


def _holds_their_name(ctx: ReplyContext, value: str) -> bool:
    """"oli.brandt@example.com" to Oliver Brandt: the customer's own address."""
    folded = fold(value).text
    return any(len(part) >= 3 and part in folded
               for name in ctx.customer_names for part in fold(name).text.lstrip("@").split())


def _asked(ctx: ReplyContext, categories: list[str]) -> list[tuple[str, Span]]:
    """The first request for each category of personal data, one finding per request.

    "email address" is an email, not a postal address: the longest mention wins an overlap,
    and every kind of personal data the lexicon knows takes part, so guidelines that guard
    addresses but not emails still do not read "email address" as a postal address.
    """
    known = _known_categories(ctx.lexicon)
    hits = ctx.reply_hits
    if not any(f"personal_data.{category}" in hits for category in (*categories, *known)):
        return []  # the reply names no personal data: most replies
    asked = sorted(((span, category) for category in dict.fromkeys([*categories, *known])
                    for span in _requests(ctx, category)),
                   key=lambda item: (item[0][0] - item[0][1], item[0][0]))
    kept: dict[str, Span] = {}
    taken: list[Span] = []
    for span, category in asked:
        if any(s[0] < span[1] and span[0] < s[1] for s in taken):
            continue
        taken.append(span)
        if category in categories and category not in kept:
            kept[category] = span
    return sorted(kept.items(), key=lambda item: item[1])


def privacy(ctx: ReplyContext) -> CriterionScore | None:
    categories = _never_public(ctx)
    if not categories or not ctx.to_customer:
        return None
    findings: list[Finding] = []
    critical = False
    rule = "guidelines.privacy.never_public"
    for category in categories:
        label = _LABELS.get(category) or category.replace("_", " ")
        for span in _written_values(ctx, category):
            if ctx.public:
                critical = True
                findings.append(bad(f"Shows {label} in a public reply: personal data must "
                                        "stay private.", rule, span))
            break
    for category, span in _asked(ctx, categories):
        label = _LABELS.get(category) or category.replace("_", " ")
        if not ctx.public:
            findings.append(good(f"Asks for {label} in a private message: fine.", rule, span))
        elif _private_request(ctx, span):
            findings.append(good(f"Asks for {label} by private message, not in public.",
                                    rule, span))
        else:
            critical = True
            findings.append(bad(f"Asks for {label} in a public reply: ask for it by "
                                    "private message only.", rule, span))
    if not ctx.public and not findings:
        return None
    if not findings:
        findings.append(good("No personal data asked for or shown in public.", rule))
    return CriterionScore("privacy", 0 if critical else 100, tuple(findings), critical=critical)


def _expected_actions(ctx: ReplyContext) -> list[tuple[str, str]]:
    return list(ctx.compiled.expected_actions)


def _expert_name(ctx: ReplyContext, key: str, article: str = "") -> str:
    """An expert as the trainee saw it in the scenario ("Qualité & Sécurité"), else its key in
    words after `article` ("the quality team")."""
    return next((name for known, name in ctx.experts if known == key), None) \
        or article + as_words(key)


def action(ctx: ReplyContext) -> CriterionScore | None:
    expected = _expected_actions(ctx)
    graded = [(a, r) for a, r in expected if a != "reply"]
    if not graded:
        return None
    done = set(ctx.actions)
    later = {a.action: a.seconds_after for a in ctx.later}

    def when(*names: str) -> str:
        """" 4s after this reply" when the action completing the reply came after it."""
        seconds = min((later[n] for n in names if n in later), default=None)
        return "" if seconds is None else f" {format_delay(seconds)} after this reply"

    earned = 0.0
    findings: list[Finding] = []
    for name, rule in graded:
        if name == "escalate":
            target = ctx.expected("escalate_to")
            needed = _expert_name(ctx, target, article="the ") if target else "an expert"
            escalated = "escalate" in done or ctx.escalated_to is not None
            if not escalated:
                findings.append(bad(f"Not escalated: this needed {needed}.", rule))
            elif target and ctx.escalated_to and as_words(ctx.escalated_to) != as_words(target):
                earned += 0.5
                findings.append(bad(f"Escalated to {_expert_name(ctx, ctx.escalated_to)}"
                                    f"{when('escalate')}; this needed {needed}.",
                                    "expect.escalate_to"))
            else:
                earned += 1
                findings.append(good(f"Escalated{' to ' + needed if target else ''}"
                                     f"{when('escalate')}, as expected.", rule))
        elif name == "move_to_dm":
            invite = ctx.first("next_step_dm")
            if done & {"move_to_dm", "dm"} or ctx.channel == "dm":
                earned += 1
                findings.append(good(f"Moved the conversation to DM{when('move_to_dm', 'dm')}, "
                                     "as expected.", rule))
            elif promised := ctx.first("dm_promised"):
                earned += 0.5
                findings.append(bad(f"Says \"{ctx.quote(promised)}\" but no DM was opened: "
                                        "move the conversation to DM so it really happens.",
                                        rule, promised))
            elif invite:
                earned += 1
                findings.append(good(f"Invites the customer to DM: \"{ctx.quote(invite)}\".",
                                        rule, invite))
            else:
                findings.append(bad("Did not move the conversation to DM.", rule))
        elif name == "ignore":
            if ctx.empty:
                earned += 1
                findings.append(good("Left it unanswered, as expected.", rule))
            else:
                findings.append(bad("This message did not need an answer.", rule))
        elif name in done:
            earned += 1
            findings.append(good(f"Did \"{name}\"{when(name)}, as expected.", rule))
        else:
            findings.append(bad(f"Expected action \"{name}\" was not taken.", rule))
    return CriterionScore("action", round(100 * earned / len(graded)), tuple(findings))
