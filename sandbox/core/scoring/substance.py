"""Substance: does the reply give the customer anything?

A reply *delivers* when it does at least one thing a customer can use: says one of the
required messages in a sentence, gives a next step (a DM, a link, an action, a time frame, a
question that moves things on), picks up what the customer actually wrote, or shares an
approved fact. A reply that does none of these is *hollow* — one word, emoji, markup, a stock
formula, pleasantries, a list of keywords — and the scorer keeps it below the coach line
whatever its other criteria say (see `scorer.py`).

A reply that delivers something but leaves an upset customer with no next step, or says none
of the required messages, cannot pass: it is kept just below the pass line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.results import CriterionScore
from sandbox.core.scoring.sentiment import post_is_positive

_TAG = re.compile(r"<[^>]{0,200}>")
_LETTERS = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_LETTERS_ONLY = re.compile(r"[^\W\d_]+")  # "we're" is "we" and "re": small words count
# the same words in an ASCII text (\w is [a-zA-Z0-9_] there), found by a quicker class test
_ASCII_WORD = re.compile(r"[a-zA-Z0-9]+(?:'[a-zA-Z0-9]+)*")
_ASCII_LETTERS = re.compile(r"[a-zA-Z]+")
MIN_WORDS = 4  # "ok", "noted thanks", "DM us": too short to help anyone
# A reply of at least this many words where under this share are function words is a list of
# keywords, not sentences (natural replies hold 30-50 % of them).
KEYWORD_LIST_MIN = 4
KEYWORD_LIST_SHARE = 0.15
# Words of a stock formula or a pleasantry do not count as saying something.
_FILLER_LISTS = ("greeting", "gratitude", "apology", "canned", "vague", "cheerful")


_URL = re.compile(r"https?://\S+|www\.\S+")
# "Vous avez raison / pas encore / nos engagements": phrases strung on slashes, bars or dashes
_INLINE_SEPARATOR = re.compile(r"\s+[/|\-\u2013]\s+")
STRUNG_FRAGMENTS, FRAGMENT_WORDS = 3, 4


def _strung_phrases(ctx: ReplyContext) -> bool:
    """At least three short phrases strung on one line with slashes or bars, no sentence."""
    if "/" not in ctx.reply and "|" not in ctx.reply and " - " not in ctx.reply and \
            "\u2013" not in ctx.reply:
        return False  # nothing to string them on
    for line in _URL.sub(" ", ctx.reply).splitlines():
        fragments = [f for f in _INLINE_SEPARATOR.split(line) if f.strip()]
        if len(fragments) >= STRUNG_FRAGMENTS and not re.search(r"[.!?]\s", line) and \
                all(len(_WORD.findall(f)) <= FRAGMENT_WORDS for f in fragments):
            return True
    return False


LEAD_WORDS = 6  # "Your health comes first. Stop. Refund. Doctor.": one short sentence leads


def _fragments_only(ctx: ReplyContext) -> bool:
    """"Refund. Replacement. No receipt. Batch 22B.": at least three sentences of at most
    three words, and at most one other, itself short."""
    # the words of each sentence as `_WORD` finds them, already counted for the criteria
    sentences = [n for n in ctx.sentence_word_counts if n]
    fragments = sum(n <= FRAGMENT_WORDS - 1 for n in sentences)
    return fragments >= STRUNG_FRAGMENTS and fragments >= len(sentences) - 1 and \
        max(sentences) <= LEAD_WORDS


def _plain_words(ctx: ReplyContext) -> list[str]:
    """The reply's words, without markup, links and a sign-off on the last line."""
    text = ctx.folded.text
    if "<" in text:  # markup: most replies hold none
        text = _TAG.sub(" ", text)
    if "http" in text or "www." in text:  # what every link `_URL` finds starts with
        text = _URL.sub(" ", text)
    lines = [line for line in text.splitlines() if line.strip()]
    words = _ASCII_WORD if text.isascii() else _WORD
    if len(lines) > 1 and len(words.findall(lines[-1])) <= 3:
        lines = lines[:-1]
    return words.findall("\n".join(lines))


def _criterion(results: Sequence[CriterionScore], criterion_id: str) -> CriterionScore | None:
    return next((r for r in results if r.id == criterion_id), None)


def _said_something(ctx: ReplyContext, results: Sequence[CriterionScore]) -> bool:
    """At least one thing the customer can use, found by the criteria or in the words."""
    resolution = _criterion(results, "resolution")
    if resolution is not None and resolution.score > 0:
        return True
    key_messages = _criterion(results, "key_messages")
    if key_messages is not None and any(
            f.span is not None and f.tone == "good" and not _inside_filler(ctx, f.span)
            for f in key_messages.findings):
        return True
    if ctx.post_specifics & _meaningful_stems(ctx):
        return True
    transparency = _criterion(results, "transparency")
    if transparency is not None and any(f.rule == "facts" for f in transparency.findings):
        return True
    return bool(ctx.compiled.fact_stems) and any(
        len(stems) >= 2 and len(stems & ctx.reply_stems) >= 2
        for _fact, stems in ctx.compiled.fact_stems)


def _inside_filler(ctx: ReplyContext, span: tuple[int, int]) -> bool:
    """A required phrase said only as a pleasantry ("thanks" when "thank" is required)."""
    return any(start <= span[0] and span[1] <= end
               for name in _FILLER_LISTS for start, end in ctx.hits(name))


def _meaningful_stems(ctx: ReplyContext) -> frozenset[str]:
    """The reply's content stems, minus those inside stock phrases and pleasantries."""
    text = list(ctx.folded.text)
    table = ctx.lexicon.scan(ctx.folded.text)  # the reply's own scan, already cached
    for name in _FILLER_LISTS:
        for start, end in table.get(name, ()):
            text[start:end] = " " * (end - start)
    return ctx.content_stems("".join(text))


def hollow(ctx: ReplyContext, results: Sequence[CriterionScore]) -> str | None:
    """Why the reply delivers nothing (a short phrase), or None when it delivers something.

    Only replies to a customer are judged this way; a note to colleagues is not.
    """
    if ctx.empty:
        return "empty"
    if not ctx.to_customer:
        return None
    markup = "<" in ctx.reply and _TAG.search(ctx.reply) is not None  # most replies hold none
    if not _LETTERS.search(_TAG.sub(" ", ctx.reply) if markup else ctx.reply):
        return "no words, only symbols or emoji"
    words = _plain_words(ctx)
    if markup and len(words) < MIN_WORDS:
        return "markup, not a message"
    if len(words) < MIN_WORDS:
        return f"{len(words)} word{'s' if len(words) != 1 else ''} only"
    small = ctx.lexicon.function_words
    said = " ".join(words)
    letters = (_ASCII_LETTERS if said.isascii() else _LETTERS_ONLY).findall(said)
    if len(letters) >= KEYWORD_LIST_MIN and small and \
            sum(map(small.__contains__, letters)) < KEYWORD_LIST_SHARE * len(letters):
        from sandbox.core.scoring.agility import LANGUAGE_NAMES, _other_language

        other = _other_language(letters, ctx.lexicon.language)
        if other:
            return (f"written in {LANGUAGE_NAMES[other]}, but this brand answers in "
                    f"{LANGUAGE_NAMES[ctx.lexicon.language]}: write in the customer's language")
        return "a list of keywords, not sentences"
    if _strung_phrases(ctx) or _fragments_only(ctx):
        return "a list of keywords, not sentences"
    if praise(ctx):
        return None  # a warm thank-you is what a compliment asks for
    if not _said_something(ctx, results):
        if ctx.hits("canned"):
            return "a stock formula with nothing specific"
        return "pleasantries only, nothing specific"
    return None


def praise(ctx: ReplyContext) -> bool:
    return ctx.topic == "praise" or post_is_positive(ctx)


def pass_blockers(ctx: ReplyContext, results: Sequence[CriterionScore]) -> str | None:
    """Why a reply that delivers something still cannot pass, or None."""
    resolution = _criterion(results, "resolution")
    if resolution is not None and resolution.score == 0 and not resolution.critical:
        return "it gives the customer no next step"
    key_messages = _criterion(results, "key_messages")
    if key_messages is not None and key_messages.score == 0:
        return "it says none of the required messages"
    if key_messages is not None:
        missing = [f for f in key_messages.findings
                   if f.rule.startswith("expect.must_mention") and f.tone == "bad"
                   and f.message.startswith("Does not mention")]
        if missing:
            return "it leaves out what this post required (" + \
                missing[0].message.removeprefix("Does not mention ").rstrip(".") + ")"
    return None
