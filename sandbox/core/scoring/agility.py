"""Agility: fast and clear — timeliness, clarity, length."""

from __future__ import annotations

import re
from collections import Counter

from sandbox.core.scenario.guidelines import max_chars
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.lexicon import SUPPORTED_LANGUAGES, get_lexicon
from sandbox.core.scoring.readability import reading_ease
from sandbox.core.scoring.results import CriterionScore, Finding, bad, good

DM_LIMIT = 10_000
# Long replies cost time to read: beyond this share of the platform limit (and never beyond
# 600 characters) concision points start to go.
CONCISE_SHARE = 0.75
CONCISE_CAP = 600

LONG_SENTENCE = {"en": 25, "fr": 28}
VERY_LONG_SENTENCE = {"en": 40, "fr": 45}
READABILITY_SAMPLE = 3000  # characters: readability of a 100 KB paste is not more informative
_PLAIN_WORD = re.compile(r"[^\W\d_]+")  # letters only: "we're" is "we" and "re"
_ASCII_PLAIN_WORD = re.compile(r"[a-zA-Z]+")  # the same in an ASCII text, found quicker
# A reply of at least KEYWORD_LIST_MIN words where under this share are function words
# ("the", "we", "is", ...) is a list of keywords, not sentences; natural replies hold 30-50 %.
KEYWORD_LIST_MIN = 8
LANGUAGE_NAMES = {"en": "English", "fr": "French"}
KEYWORD_LIST_SHARE = 0.15
# The same content word this many times, making up this share of a short reply: stuffing.
REPEATED_WORD = 3
REPEATED_SHARE = 0.06


def format_delay(seconds: float) -> str:
    """150 -> "2m30s", 3600 -> "1h"."""
    rest = max(0, int(round(seconds)))
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h" if hours else "", f"{minutes}m" if minutes else "",
             f"{secs}s" if secs else ""]
    return "".join(parts) or "0s"


def response_time(ctx: ReplyContext):
    """The guidelines' response time for this reply (its topic's, else its channel's) and the
    rule it comes from, or (None, "")."""
    table = ctx.rules("response_time", {}) or {}
    if ctx.topic and ctx.topic in table:
        return table[ctx.topic], f"guidelines.response_time.{ctx.topic}"
    key = "dm" if ctx.channel == "dm" else "public"
    if key in table:
        return table[key], f"guidelines.response_time.{key}"
    return None, ""


def timeliness(ctx: ReplyContext) -> CriterionScore | None:
    if ctx.delay_s is None:
        return None
    rule_time, rule = response_time(ctx)
    target = ctx.expected("reply_within")
    if target is not None:
        rule = "expect.reply_within"
    elif rule_time is not None:
        target = rule_time.target
    else:
        return None
    target = max(1, int(target))
    ceiling = int(getattr(rule_time, "max", 0) or 0) if rule_time is not None else 0
    if ceiling <= target:
        ceiling = 3 * target
    delay = max(0, int(ctx.delay_s))
    said, expected = format_delay(delay), format_delay(target)
    if delay <= target:
        return CriterionScore("timeliness", 100, (
            good(f"Replied after {said}; expected within {expected}.", rule),))
    if delay >= ceiling:
        return CriterionScore("timeliness", 0, (bad(
            f"Replied after {said}; expected within {expected}, and after "
            f"{format_delay(ceiling)} a reply earns nothing for speed.", rule),))
    score = round(100 * (ceiling - delay) / (ceiling - target))
    return CriterionScore("timeliness", score, (bad(
        f"Replied after {said}; expected within {expected} (no points left after "
        f"{format_delay(ceiling)}).", rule),))


def _reading_ease(text: str, language: str) -> float:
    return reading_ease(text[:READABILITY_SAMPLE], language)


def clarity(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer and ctx.channel != "internal":
        return None
    findings: list[Finding] = []
    score = 100
    language = ctx.lexicon.language
    long_limit, very_long = LONG_SENTENCE[language], VERY_LONG_SENTENCE[language]
    for sentence, count in zip(ctx.sentences[:50], ctx.sentence_word_counts, strict=False):
        if count > very_long:
            score -= 25
            findings.append(bad(f"A {count}-word sentence is very hard to follow on social "
                                    "media; split it.", "clarity.sentence_length",
                                    (sentence.start, sentence.end)))
        elif count > long_limit:
            score -= 15
            findings.append(bad(f"A {count}-word sentence is long; aim for under "
                                    f"{long_limit} words.", "clarity.sentence_length",
                                    (sentence.start, sentence.end)))
    if ctx.word_count >= 12:
        ease = _reading_ease(ctx.reply, language)
        if ease < 30:
            score -= 35
            findings.append(bad(f"Very hard to read (reading ease {ease:.0f}/100): use "
                                    "shorter, everyday words.", "clarity.readability"))
        elif ease < 50:
            score -= 15
            findings.append(bad(f"Fairly hard to read (reading ease {ease:.0f}/100): "
                                    "prefer shorter, everyday words.", "clarity.readability"))
        else:
            findings.append(good(f"Easy to read (reading ease {ease:.0f}/100).",
                                    "clarity.readability"))
    score -= _stuffing(ctx, findings)
    jargon = ctx.compiled.jargon
    seen: set[str] = set()
    for span in ctx.compiled.jargon_phrases.every(ctx.folded) if jargon else ():
        term = ctx.quote(span).lower()
        if term in seen:
            continue
        seen.add(term)
        score -= 20
        findings.append(bad(f"\"{ctx.quote(span)}\" is internal jargon the customer may not "
                                "understand.", "guidelines.voice.jargon", span))
    if not findings:
        findings.append(good("Short, plain sentences.", "clarity.readability"))
    return CriterionScore("clarity", max(0, score), tuple(findings))


def _stuffing(ctx: ReplyContext, findings: list[Finding]) -> int:
    """Points lost for keyword stuffing: a list of keywords instead of sentences, or the same
    word over and over (both make a reply that ticks boxes but says little)."""
    text = ctx.folded.text[:READABILITY_SAMPLE]
    words = (_ASCII_PLAIN_WORD if text.isascii() else _PLAIN_WORD).findall(text)
    if len(words) < KEYWORD_LIST_MIN:
        return 0
    lexicon = ctx.lexicon
    penalty = 0
    small = lexicon.function_words
    # counted by map and Counter, in C: a Python loop over the words cost more than the rest
    if small and sum(map(small.__contains__, words)) < KEYWORD_LIST_SHARE * len(words):
        penalty += 35
        other = _other_language(words, lexicon.language)
        if other:
            findings.append(bad(f"Written in {LANGUAGE_NAMES[other]}, but this brand "
                                    f"answers in {LANGUAGE_NAMES[lexicon.language]}: write in "
                                    "the customer's language.", "clarity.language"))
        else:
            findings.append(bad("Reads like a list of keywords, not sentences: say what "
                                    "happens next in a full sentence.", "clarity.keyword_list"))
    names = ctx.customer_name_words
    repeated = sorted((n, w) for w, n in Counter(words).items()
                      if n >= REPEATED_WORD and n >= REPEATED_SHARE * len(words)
                      and len(w) >= 4 and w not in small and w not in names)
    if repeated:
        count, word = repeated[-1]
        penalty += 20
        findings.append(bad(f"\"{word}\" comes {count} times: repeating a word does not "
                                "make the message clearer.", "clarity.repetition",
                                ctx.folded.span(*_word_span(ctx.folded.text, word))))
    return penalty


def _other_language(words: list[str], language: str) -> str | None:
    """The supported language a reply without the small words of `language` is written in."""
    for other in SUPPORTED_LANGUAGES:
        small = get_lexicon(other).function_words if other != language else frozenset()
        if small and sum(1 for word in words if word in small) >= 2 * KEYWORD_LIST_SHARE * \
                len(words):
            return other
    return None


def _word_span(text: str, word: str) -> tuple[int, int]:
    match = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text)
    return match.span() if match else (0, 0)


def length(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer:
        return None
    size = len(ctx.reply)
    if ctx.channel == "dm":
        limit, rule, critical = DM_LIMIT, "length.dm", False
    else:
        limit = max_chars(ctx.guidelines, ctx.network)
        rule = f"guidelines.channels.{ctx.network}.max_chars"
        critical = ctx.network == "twitter"
    if size > limit:
        tail = "it could not be posted" if critical else "cut it down"
        return CriterionScore("length", 0, (bad(
            f"{size} characters: over the {limit}-character limit on {ctx.network}; {tail}.",
            rule, (limit, size)),), critical=critical)
    concise = min(int(limit * CONCISE_SHARE), CONCISE_CAP)
    if ctx.channel == "dm" or size <= concise:
        return CriterionScore("length", 100, (good(
            f"{size} characters: fits {ctx.network} (limit {limit}).", rule),))
    over = (size - concise) / max(1, limit - concise)
    score = round(100 - 35 * min(1.0, over))
    return CriterionScore("length", score, (Finding(
        f"{size} characters: within the limit of {limit}, but long for a reply; aim for "
        f"under {concise}.", rule, (concise, size)),))
