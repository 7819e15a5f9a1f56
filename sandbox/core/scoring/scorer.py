"""Grade one reply: run every criterion that applies and aggregate A.C.E.

- A dimension's score is the weighted mean of its applicable criteria.
- The overall is the weighted mean of the dimensions (guidelines `weights`).
- A failed critical criterion caps the overall at 20.
- The verdict compares the overall with `expect.pass_score` (or guidelines `verdicts.pass`)
  and `verdicts.coach`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from sandbox.core.scoring import agility, claims, coherence, efficiency, protocol
from sandbox.core.scoring.context import EarlierReply, ReplyContext
from sandbox.core.scoring.results import CRITERIA as CRITERIA_DIMENSIONS
from sandbox.core.scoring.results import (
    CRITICAL_CAP,
    DIMENSIONS,
    WEIGHTS,
    CriterionScore,
    Finding,
    ReplyScore,
    verdict_for,
)
from sandbox.core.scoring.rules import RuleSet, thresholds, weights_of

Criterion = Callable[[ReplyContext], CriterionScore | None]

# In the order a trainee reads them: agility, coherence, efficiency.
CRITERIA: tuple[Criterion, ...] = (
    agility.timeliness, agility.clarity, agility.length,
    coherence.key_messages, coherence.forbidden, claims.facts, claims.consistency,
    coherence.voice, coherence.transparency,
    efficiency.empathy, efficiency.politeness, efficiency.customer_focus, efficiency.resolution,
    protocol.privacy, protocol.action,
)
# Criteria that grade something other than the text: they stay meaningful for an empty reply.
NOT_ABOUT_TEXT = frozenset({"timeliness", "action"})

def _round(value: float) -> int:
    return int(value + 0.5)


def aggregate(criteria: Sequence[CriterionScore], guidelines: Any, expect: Any = None,
              rules: RuleSet | None = None) -> tuple[int, str, dict[str, int]]:
    """(overall, verdict, dimensions) for a set of criterion scores (`rules`: the compiled
    weights and thresholds of these guidelines and expectations, when already at hand)."""
    sums: dict[str, list[float]] = {}
    critical = False
    for criterion in criteria:
        weight = WEIGHTS[criterion.id]
        bucket = sums.setdefault(CRITERIA_DIMENSIONS[criterion.id], [0.0, 0.0])
        bucket[0] += criterion.score * weight
        bucket[1] += weight
        critical = critical or criterion.critical
    dimensions = {d: sums[d][0] / sums[d][1] for d in DIMENSIONS if d in sums and sums[d][1]}
    weights = rules.weights if rules is not None else weights_of(guidelines)
    total = sum(weights[d] for d in dimensions)
    overall = sum(dimensions[d] * weights[d] for d in dimensions) / total if total else 0.0
    rounded = _round(overall)
    if critical:
        rounded = min(rounded, CRITICAL_CAP)
    passing, coach = rules.thresholds if rules is not None else thresholds(guidelines, expect)
    return rounded, verdict_for(rounded, passing, coach), {
        d: _round(v) for d, v in dimensions.items()}


def score_context(ctx: ReplyContext) -> ReplyScore:
    results: list[CriterionScore] = []
    for criterion in CRITERIA:
        result = criterion(ctx)
        if result is None:
            continue
        if ctx.empty and result.id not in NOT_ABOUT_TEXT:
            result = CriterionScore(result.id, 0, (
                Finding("The reply is empty: nothing to grade.", "reply"),))
        results.append(result)
    overall, verdict, dimensions = aggregate(results, ctx.guidelines, ctx.expect, ctx.compiled)
    return ReplyScore(overall, verdict, dimensions, tuple(results))


def score_reply(*, reply: str, post: str, guidelines: Any, expect: Any = None,
                topic: str | None = None, network: str = "twitter", channel: str = "public",
                delay_s: int | None = None, actions: Collection[str] = (),
                escalated_to: str | None = None, customer_name: str | None = None,
                customer_handle: str | None = None, facts: Sequence[str] = (),
                earlier_replies: Sequence[str] = (), language: str | None = None,
                event_id: str | None = None,
                earlier: Sequence[EarlierReply] = ()) -> ReplyScore:
    """Grade one reply to one customer post against the guidelines (and the scenario's
    expectations when given). Pure and deterministic.

    `channel` is where the text went: "public" (a reply on the feed), "dm" (a private
    message) or "internal" (the note sent with an escalation). `delay_s` is the time between
    the post appearing and the reply; `actions` what the trainee did on the post (reply,
    move_to_dm, escalate, hide, like); `facts` the scenario's approved facts;
    `earlier_replies` the trainee's previous replies in the same run, as bare texts whose
    conversation is unknown. `earlier` gives them with their event, customer and post
    (`EarlierReply`), and `event_id` names the event this reply answers: `consistency` then
    compares any figure within one conversation but only rules for everyone across customers
    (see `claims.py`). Both kinds may be given; bare texts are compared as other
    conversations.
    """
    ctx = ReplyContext(
        reply=reply or "", post=post or "", guidelines=guidelines, expect=expect, topic=topic,
        network=network or "twitter", channel=channel, delay_s=delay_s,
        actions=frozenset(actions or ()), escalated_to=escalated_to,
        customer_name=customer_name, customer_handle=customer_handle, facts=tuple(facts or ()),
        earlier_replies=tuple(earlier_replies or ()),
        language=language or str(getattr(guidelines, "language", None) or "en"),
        event_id=event_id, earlier=tuple(earlier or ()))
    return score_context(ctx)


class Scorer:
    """Binds the guidelines (and optionally a scenario's facts) once; grades many replies."""

    def __init__(self, guidelines: Any, *, facts: Sequence[str] = (), network: str = "twitter",
                 language: str | None = None):
        self.guidelines = guidelines
        self.facts = tuple(facts)
        self.network = network
        self.language = language

    def score(self, *, reply: str, post: str, **kwargs: Any) -> ReplyScore:
        kwargs.setdefault("facts", self.facts)
        kwargs.setdefault("network", self.network)
        kwargs.setdefault("language", self.language)
        return score_reply(reply=reply, post=post, guidelines=self.guidelines, **kwargs)


def warm_up(languages: Sequence[str] = ("en", "fr")) -> None:
    """Load lexicons, VADER and the syllable dictionary now rather than on the first reply
    (about a second of work). Call it from a worker's start-up, never at import time."""
    from sandbox.core.scoring.lexicon import get_lexicon
    from sandbox.core.scoring.readability import reading_ease
    from sandbox.core.scoring.sentiment import vader_compound

    for language in languages:
        get_lexicon(language).scan("warm up")
        reading_ease("Warming up the syllable dictionary for readability.", language)
    vader_compound("warm up")
