"""Grade one reply: run every criterion that applies and aggregate A.C.E.

How a reply's overall is reached (the `explanation` of every score says it in one sentence):

1. Each criterion that found something to judge scores 0-100 (one that did not is left out).
2. A dimension's score is the weighted mean of its *delivery* and *style* criteria (what the
   reply gives the customer and how it reads), minus the *hygiene* penalties of that dimension
   (forbidden phrases, unapproved facts, contradictions, personal data, length). A clean
   hygiene check earns nothing, so it cannot lift a reply that says nothing.
3. The overall is the weighted mean of the dimensions (guidelines `weights`).
4. Caps, lowest first: a critical finding (a harm, a critical forbidden phrase, personal data
   in public) caps it at 20; a reply that delivers nothing the customer can use (one word,
   emoji, markup, a stock formula, pleasantries only, a keyword list) stays below the coach
   line; a reply that leaves an upset customer with no next step stays below the pass line.
5. The verdict compares the overall with `expect.pass_score` (or guidelines
   `verdicts.pass`) and `verdicts.coach`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sandbox.core.scoring import (
    agility,
    claims,
    coherence,
    efficiency,
    harm,
    politeness,
    protocol,
    substance,
)
from sandbox.core.scoring.attempt import Attempt, EarlierReply, LaterAction
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.results import CRITERIA as CRITERIA_DIMENSIONS
from sandbox.core.scoring.results import (
    CRITICAL_CAP,
    DIMENSIONS,
    ROLES,
    WEIGHTS,
    CriterionScore,
    ReplyScore,
    bad,
    verdict_for,
)
from sandbox.core.scoring.rules import RuleSet, thresholds, weights_of

if TYPE_CHECKING:
    from collections.abc import Callable

    from sandbox.core.scenario.guidelines import Guidelines
    from sandbox.core.scenario.models import Expect

    Criterion = Callable[[ReplyContext], CriterionScore | None]

# In the order a trainee reads them: agility, coherence, efficiency.
CRITERIA: tuple[Criterion, ...] = (
    agility.timeliness, agility.clarity, agility.length,
    coherence.key_messages, coherence.forbidden, claims.facts, claims.consistency,
    coherence.voice, coherence.transparency,
    efficiency.empathy, politeness.politeness, efficiency.customer_focus, efficiency.resolution,
    protocol.privacy, protocol.action,
)
# Criteria that grade something other than the text: they stay meaningful for an empty reply.
NOT_ABOUT_TEXT = frozenset({"action"})
# Points a hygiene criterion takes from its dimension when it scores 0 (in proportion above).
HYGIENE_COST = {"forbidden": 50, "facts": 40, "consistency": 40, "privacy": 50, "length": 30}


def _round(value: float) -> int:
    return int(value + 0.5)


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see `attempt.py`
class Cap:
    """A ceiling on the overall, and why (shown in the explanation)."""

    limit: int
    reason: str


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see `attempt.py`
class Aggregate:
    overall: int
    verdict: str
    dimensions: dict[str, int]
    explanation: str


CAP_BAND = 10  # a capped score keeps its order in the band [cap - 10, cap]


def _under(score: float, cap: int) -> float:
    """`score` brought under `cap` without losing its order: scores above `cap - 10` are
    squeezed into the last ten points below the cap, so two replies that break the same rule
    are still told apart by everything else they did."""
    floor = max(0, cap - CAP_BAND)
    if score <= floor:
        return score
    return floor + (score - floor) * (cap - floor) / max(1e-9, 100 - floor)


# per criterion: its dimension, its hygiene cost when it is a hygiene criterion (else None: it
# counts with its weight); a hygiene criterion takes cost * (100 - score) / 100 points
_AGGREGATION = {id: (dimension, HYGIENE_COST.get(id, 30) if ROLES[id] == "hygiene" else None,
                     WEIGHTS[id])
                for id, dimension in CRITERIA_DIMENSIONS.items()}


def aggregate(criteria: Sequence[CriterionScore], guidelines: Guidelines,
              expect: Expect | None = None, rules: RuleSet | None = None,
              caps: Sequence[Cap] = ()) -> Aggregate:
    """The overall, verdict, dimensions and a one-sentence explanation for criterion scores
    (`rules`: the compiled weights and thresholds, when already at hand; `caps`: ceilings
    found by the caller besides the critical one)."""
    sums: dict[str, list[float]] = {}
    penalties: dict[str, float] = {}
    penalised: list[str] = []
    critical = [c for c in criteria if c.critical]
    for criterion in criteria:
        dimension, hygiene, weight = _AGGREGATION[criterion.id]
        if hygiene is not None:
            cost = hygiene * (100 - criterion.score) / 100
            if cost:
                penalties[dimension] = penalties.get(dimension, 0.0) + cost
                penalised.append(f"{criterion.id.replace('_', ' ')} -{_round(cost)}")
            continue
        bucket = sums.setdefault(dimension, [0.0, 0.0])
        bucket[0] += criterion.score * weight
        bucket[1] += weight
    dimensions = {d: max(0.0, sums[d][0] / sums[d][1] - penalties.get(d, 0.0))
                  for d in DIMENSIONS if d in sums and sums[d][1]}
    weights = rules.weights if rules is not None else weights_of(guidelines)
    total = weighted = orphan = 0  # summed in the order of `sum`, so to the same floats
    for d, value in dimensions.items():
        total += weights[d]
        weighted += value * weights[d]
    overall = weighted / total if total else 0.0
    for d, cost in penalties.items():
        if d not in dimensions:
            orphan += cost
    overall = max(0.0, overall - orphan)
    rounded = _round(overall)
    passing, coach = rules.thresholds if rules is not None else thresholds(guidelines, expect)
    ceilings = list(caps)
    if critical:
        ceilings.append(Cap(CRITICAL_CAP, "a critical rule was broken ("
                            + ", ".join(c.id.replace("_", " ") for c in critical) + ")"))
    shown = {d: _round(v) for d, v in dimensions.items()}  # rounded once: said and returned
    said = ", ".join([f"{d} {value}" for d, value in shown.items()])
    explanation = f"Mean of {said}" if said else "Nothing to grade"
    if penalised:
        explanation += " after hygiene penalties (" + ", ".join(penalised) + ")"
    explanation += f" = {rounded}"
    binding = min(ceilings, key=lambda cap: cap.limit, default=None)
    if binding is not None and rounded > binding.limit:
        before, rounded = rounded, _round(_under(overall, binding.limit))
        explanation += (f"; capped at {binding.limit} because {binding.reason}: {before} counts "
                        f"as {rounded}")
    elif binding is not None:
        explanation += f", already under the cap of {binding.limit} ({binding.reason})"
    return Aggregate(rounded, verdict_for(rounded, passing, coach), shown, explanation + ".")


def _hollowed(result: CriterionScore, why: str) -> CriterionScore:
    return CriterionScore(result.id, 0, (bad(why, "substance"),))


def score_context(ctx: ReplyContext) -> ReplyScore:
    results: list[CriterionScore] = []
    for criterion in CRITERIA:
        result = criterion(ctx)
        if result is not None:
            results.append(result)
    results = harm.apply(ctx, results)
    caps: list[Cap] = []
    passing, coach = ctx.compiled.thresholds
    hollow = substance.hollow(ctx, results)
    if hollow is not None:
        why = ("The reply is empty: nothing to grade." if ctx.empty else
               f"{hollow[:1].upper()}{hollow[1:]}: nothing the customer can use.")
        # what the reply did wrong stays said: an insult is not "pleasantries only"
        results = [r if r.id in NOT_ABOUT_TEXT or ROLES[r.id] == "hygiene" or r.critical
                   else _hollowed(r, why) for r in results]
        caps.append(Cap(max(0, int(coach) - 1), f"the reply delivers nothing ({hollow})"))
    elif ctx.to_customer:
        missing = substance.pass_blockers(ctx, results)
        if missing:
            caps.append(Cap(max(0, int(passing) - 1), missing))
    summary = aggregate(results, ctx.guidelines, ctx.expect, ctx.compiled, caps)
    return ReplyScore(summary.overall, summary.verdict, summary.dimensions, tuple(results),
                      explanation=summary.explanation)


def score_attempt(attempt: Attempt, guidelines: Guidelines) -> ReplyScore:
    """Grade one attempt against the guidelines. Pure and deterministic: the one function every
    caller reaches (see `attempt.py` for how attempts are built)."""
    return score_context(ReplyContext.of(attempt, guidelines))


def reply_attempt(*, reply: str, post: str, guidelines: Guidelines, expect: Expect | None = None,
                topic: str | None = None, network: str = "twitter",
                  channel: str = "public", delay_s: int | None = None,
                  actions: Collection[str] = (), escalated_to: str | None = None,
                  customer_name: str | None = None, customer_handle: str | None = None,
                  facts: Sequence[str] = (), earlier_replies: Sequence[str] = (),
                  language: str | None = None, event_id: str | None = None,
                  earlier: Sequence[EarlierReply] = (), action: str | None = None,
                  later: Sequence[LaterAction] = ()) -> Attempt:
    """The `Attempt` of one reply given as keywords (what `score_reply` grades).

    `earlier_replies` are earlier replies of the run as bare texts (conversation unknown);
    `earlier` gives them with their event, customer and post (`EarlierReply`), so
    `consistency` compares any figure within one conversation but only rules for everyone
    across customers (see `claims.py`).
    """
    known = {e.text for e in earlier}
    earlier_all = (*earlier, *(EarlierReply(text) for text in earlier_replies
                               if text not in known))
    done = frozenset(actions or ())
    return Attempt(
        reply=reply or "", post=post or "",
        action=action or ("escalate" if channel == "internal" else
                          "reply" if channel == "public" else "dm"),
        channel=channel, network=network or "twitter",
        language=language or str(guidelines.language or "en"), topic=topic, expect=expect,
        facts=tuple(facts or ()), delay_s=delay_s, done=done, later=tuple(later),
        escalated_to=escalated_to, customer_name=customer_name, customer_handle=customer_handle,
        event_id=event_id, earlier=tuple(earlier_all))


def score_reply(*, reply: str, post: str, guidelines: Guidelines, expect: Expect | None = None,
                topic: str | None = None, network: str = "twitter", channel: str = "public",
                delay_s: int | None = None, actions: Collection[str] = (),
                escalated_to: str | None = None, customer_name: str | None = None,
                customer_handle: str | None = None, facts: Sequence[str] = (),
                earlier_replies: Sequence[str] = (), language: str | None = None,
                event_id: str | None = None, earlier: Sequence[EarlierReply] = (),
                action: str | None = None, later: Sequence[LaterAction] = ()) -> ReplyScore:
    """Grade one reply given as keywords: builds the `Attempt` (`reply_attempt`) and calls
    `score_attempt`."""
    return score_attempt(reply_attempt(
        reply=reply, post=post, guidelines=guidelines, expect=expect, topic=topic,
        network=network, channel=channel, delay_s=delay_s, actions=actions,
        escalated_to=escalated_to, customer_name=customer_name, customer_handle=customer_handle,
        facts=facts, earlier_replies=earlier_replies, language=language, event_id=event_id,
        earlier=earlier, action=action, later=later), guidelines)
