"""Is the customer upset? VADER for English, a word list for French (VADER reads only English).

Both are cached per post: a scenario event's post is graded against many replies.
"""

from __future__ import annotations

from functools import lru_cache

from sandbox.core.phrases import fold
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.lexicon import CACHED_TEXT_LIMIT, Lexicon

UPSET_BELOW = -0.05
POSITIVE_ABOVE = 0.3


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1024)
def vader_compound(text: str) -> float:
    return float(_vader().polarity_scores(text[:5000])["compound"])


def _mood(ctx: ReplyContext) -> float:
    """A score in [-1, 1]: below 0 the customer is unhappy (asked by several criteria of
    every reply to the same post: cached per post, unless it is a long paste)."""
    if len(ctx.post) > CACHED_TEXT_LIMIT:
        return _mood_of.__wrapped__(ctx.post, ctx.lexicon)
    return _mood_of(ctx.post, ctx.lexicon)


@lru_cache(maxsize=1024)
def _mood_of(post: str, lexicon: Lexicon) -> float:
    if not post.strip():
        return 0.0
    table = lexicon.scan(fold(post).text)  # the post's scan: only the counts matter here
    extra = len(table.get("upset_extra", ()))
    if lexicon.language == "en":
        return max(-1.0, min(1.0, vader_compound(post) - 0.3 * extra))
    negative = len(table.get("negative_words", ())) + extra
    positive = len(table.get("positive_words", ()))
    total = negative + positive
    return 0.0 if total == 0 else (positive - negative) / total


def customer_is_upset(ctx: ReplyContext) -> bool:
    return ctx.topic == "health_safety" or _mood(ctx) < UPSET_BELOW


def post_is_positive(ctx: ReplyContext) -> bool:
    return ctx.topic != "health_safety" and _mood(ctx) > POSITIVE_ABOVE and "?" not in ctx.post
