"""Likes, shares, views and replies on public posts, and the heat meter (DESIGN.md section 5).

Interactions arrive at a rate set by the post's virality and its author's reach. While a post that
needs an answer is ignored, the rate climbs (silence speeds it up); after the first answer it drops
to a level set by the answer's score (a good reply slows the growth, a bad one fuels it); hiding
stops it. Likes, shares and views are the integral of that rate, so they never go down as time
passes, and a post is seen far more often than it is liked (views >= likes).

Replies are not grown: the count is the comments the feed shows under the post at that moment
(DESIGN.md section 5), so a post never says "2 replies" over one visible reply.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

PER_MINUTE = {"low": 0.4, "medium": 1.5, "high": 5.0}
SHARE_RATIO = {"low": 0.03, "medium": 0.1, "high": 0.25}
# Views per interaction: people scroll past far more than they like (and the brand's like is
# one view more: sandbox.core.replay.feed.engage_item).
VIEW_RATIO = {"low": 35.0, "medium": 55.0, "high": 80.0}
SILENCE_RAMP = 600.0  # every 10 minutes of silence adds the base rate once more...
SILENCE_CAP = 4.0  # ...up to four times the base rate
SILENCE_CAP_AFTER = (SILENCE_CAP - 1.0) * SILENCE_RAMP
HOT_PER_MINUTE = 20.0  # the rate at which the heat meter reads 100


def after_answer(score: int | None) -> float:
    """The rate multiplier once the post has been answered, from the answer's overall score."""
    if score is None:
        return 0.5
    if score >= 70:
        return 0.25
    if score >= 40:
        return 0.6
    return 1.5


@dataclass(frozen=True, slots=True)
class Growth:
    """The static part of a post's engagement: its base rate and what its interactions look like."""

    per_second: float
    share_ratio: float
    view_ratio: float
    needs_answer: bool
    heat_per_multiplier: float  # heat at the base rate; the multiplier scales it
    base_heat: int  # the heat at the base rate, and its label: most items never leave it
    base_level: str

    def counters(self, weighted: float, multiplier: float, replies: int) -> dict[str, int | str]:
        if multiplier == 1.0:
            heat, level = self.base_heat, self.base_level
        else:
            heat = round(min(100.0, multiplier * self.heat_per_multiplier))
            level = heat_level(heat)
        return interaction_counters(self.per_second, self.share_ratio, self.view_ratio, heat,
                                    level, weighted, replies)

    def untouched(self, shown_at: int, now: int, replies: int) -> dict[str, int | str]:
        """The counters of a post the trainee has not acted on (the common, fast case)."""
        quiet = now - shown_at if now > shown_at else 0
        if self.needs_answer:
            return self.counters(_silence(quiet), min(SILENCE_CAP, 1 + quiet / SILENCE_RAMP),
                                 replies)
        return self.counters(quiet, 1.0, replies)

    @property
    def base_rate(self) -> tuple[float, float, float, int, str]:
        """The first five arguments of `interaction_counters` for a post that grows at its base
        rate: the feed's hot loops keep them unpacked per item."""
        return (self.per_second, self.share_ratio, self.view_ratio, self.base_heat,
                self.base_level)


def interaction_counters(per_second: float, share_ratio: float, view_ratio: float, heat: int,
                         level: str, weighted: float, replies: int) -> dict[str, int | str]:
    """The one formula for a post's counters: `weighted` seconds at `per_second` interactions.

    `replies` is the number of comments the feed shows under the post, as it is.
    """
    interactions = per_second * weighted
    return {
        "likes": int(interactions),
        "shares": int(interactions * share_ratio),
        "views": int(interactions * view_ratio),
        "replies": replies,
        "heat": heat,
        "heat_level": level,
    }


def heat_level(heat: int) -> str:
    return "burning" if heat >= 75 else "hot" if heat >= 50 else "warm" if heat >= 25 else "calm"


def growth_for(*, virality: str, followers: int, needs_answer: bool, jitter_seed: int) -> Growth:
    reach = 0.6 + math.log10(1 + max(0, followers)) / 5
    jitter = random.Random(jitter_seed).uniform(0.85, 1.15)
    per_minute = PER_MINUTE[virality] * reach * jitter
    heat = 100 * per_minute / HOT_PER_MINUTE
    base_heat = round(min(100.0, heat))
    return Growth(per_second=per_minute / 60, share_ratio=SHARE_RATIO[virality],
                  view_ratio=VIEW_RATIO[virality], needs_answer=needs_answer,
                  heat_per_multiplier=heat, base_heat=base_heat,
                  base_level=heat_level(base_heat))


def _silence(elapsed: float) -> float:
    """∫ of the silence multiplier min(cap, 1 + t/ramp) from 0 to `elapsed`."""
    if elapsed <= SILENCE_CAP_AFTER:
        return elapsed + elapsed * elapsed / (2 * SILENCE_RAMP)
    ramp = SILENCE_CAP_AFTER + SILENCE_CAP_AFTER ** 2 / (2 * SILENCE_RAMP)
    return ramp + SILENCE_CAP * (elapsed - SILENCE_CAP_AFTER)


def engagement(growth: Growth, *, shown_at: int, now: int, answered_at: int | None = None,
               score: int | None = None, hidden_at: int | None = None,
               replies: int = 0) -> dict[str, int | str]:
    """The counters at `now` of a post shown at `shown_at`.

    `answered_at`/`score` are the trainee's first answer, `hidden_at` when it was hidden, `replies`
    the comments visible under it in the feed.
    """
    return counters_at(growth, shown_at, now, answered_at, score, hidden_at, replies)


def counters_at(growth: Growth, shown_at: int, now: int, answered_at: int | None,
                score: int | None, hidden_at: int | None, replies: int) -> dict[str, int | str]:
    """`engagement` with positional arguments, for the feed's loop over the items acted on."""
    if answered_at is None and hidden_at is None:
        return growth.untouched(shown_at, now, replies)
    stop = now if hidden_at is None else min(now, hidden_at)
    quiet_until = stop if answered_at is None else min(stop, answered_at)
    quiet = max(0, quiet_until - shown_at)
    if growth.needs_answer:
        weighted = _silence(quiet)
        multiplier = min(SILENCE_CAP, 1 + quiet / SILENCE_RAMP)
    else:
        weighted = quiet
        multiplier = 1.0
    if answered_at is not None and stop > answered_at:
        multiplier = after_answer(score)
        weighted += multiplier * (stop - max(answered_at, shown_at))
    if hidden_at is not None and now >= hidden_at:
        multiplier = 0.0
    return growth.counters(weighted, multiplier, replies)
