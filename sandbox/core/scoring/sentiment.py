"""Is the customer upset? VADER for English, a word list for French (VADER reads only English).

Both are cached per post: a scenario event's post is graded against many replies.
"""

from __future__ import annotations

from functools import lru_cache

from sandbox.core.scoring.context import ReplyContext

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
    """A score in [-1, 1]: below 0 the customer is unhappy."""
    if not ctx.post.strip():
        return 0.0
    extra = len(ctx.hits("upset_extra", of="post"))
    if ctx.lexicon.language == "en":
        return max(-1.0, min(1.0, vader_compound(ctx.post) - 0.3 * extra))
    negative = len(ctx.hits("negative_words", of="post")) + extra
    positive = len(ctx.hits("positive_words", of="post"))
    total = negative + positive
    return 0.0 if total == 0 else (positive - negative) / total


def customer_is_upset(ctx: ReplyContext) -> bool:
    return ctx.topic == "health_safety" or _mood(ctx) < UPSET_BELOW


def post_is_positive(ctx: ReplyContext) -> bool:
    return ctx.topic != "health_safety" and _mood(ctx) > POSITIVE_ABOVE and "?" not in ctx.post
