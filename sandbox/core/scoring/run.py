"""Grade a whole run: every event with expectations, the best reply to each, misses at 0.

An internal note (an escalation's message to colleagues) is not a reply: where the event
expects an answer to the customer, only public replies and DMs compete for the best, and an
event handled with a note alone is missed. Where the event expects only actions (escalate,
hide), the note stands.

The run's criteria are the mean of each criterion over the graded events (a missed event
counts 0 on every criterion it would have had), except `consistency`, which compares all the
trainee's replies with each other in the order they were sent, by the same rule as a single
reply (see `claims.py`: any figure within one conversation, only rules for everyone across
customers). Dimensions and the overall are then aggregated exactly like a single reply's.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sandbox.core.scoring import claims
from sandbox.core.scoring.context import EarlierReply, ReplyContext
from sandbox.core.scoring.results import (
    CRITERIA,
    CriterionScore,
    EventScore,
    Finding,
    ReplyScore,
    RunScore,
    count,
)
from sandbox.core.scoring.scorer import aggregate, score_context

MISSED_DELAY = 10**9  # a reply that never came is later than any limit


@dataclass(frozen=True)
class ReplyAttempt:
    """One text the trainee sent about an event."""

    text: str
    delay_s: int | None = None  # since the event appeared
    channel: str = "public"  # public | dm | internal
    at: int | None = None  # simulated time it was sent; orders the run's replies


@dataclass(frozen=True)
class EventAttempts:
    """An event with expectations, and everything the trainee did about it."""

    event_id: str
    post: str
    expect: Any
    topic: str | None = None
    replies: Sequence[ReplyAttempt] = ()
    actions: Collection[str] = ()
    escalated_to: str | None = None
    customer_name: str | None = None
    customer_handle: str | None = None
    action_delay_s: int | None = None  # for events handled without a reply (hide, escalate)


def _context(event: EventAttempts, text: str, *, guidelines: Any, facts: Sequence[str],
             network: str, language: str, channel: str = "public", delay_s: int | None = None,
             earlier: Sequence[EarlierReply] = ()) -> ReplyContext:
    return ReplyContext(
        reply=text, post=event.post, guidelines=guidelines, expect=event.expect,
        topic=event.topic, network=network, channel=channel, delay_s=delay_s,
        actions=frozenset(event.actions), escalated_to=event.escalated_to,
        customer_name=event.customer_name, customer_handle=event.customer_handle,
        facts=tuple(facts), language=language, event_id=event.event_id,
        earlier=tuple(earlier))


def _earlier_reply(event: EventAttempts, reply: ReplyAttempt) -> EarlierReply:
    return EarlierReply(reply.text, event.event_id,
                        event.customer_handle or event.customer_name, event.post)


def _missed(ctx: ReplyContext, event_id: str, *, noted: bool = False) -> ReplyScore:
    result = score_context(ctx)
    message = (f"Only an internal note about \"{event_id}\": the customer got no answer, so "
               "the event counts as missed." if noted
               else f"No reply to \"{event_id}\": a missed event scores 0.")
    zeroed = tuple(CriterionScore(c.id, 0, (Finding(message, "run.missed"),))
                   for c in result.criteria)
    overall, verdict, dimensions = aggregate(zeroed, ctx.guidelines, ctx.expect)
    return ReplyScore(overall, verdict, dimensions, zeroed)


def _only_actions(ctx: ReplyContext) -> ReplyScore:
    from sandbox.core.scoring.agility import timeliness
    from sandbox.core.scoring.protocol import action

    kept = tuple(c for c in (timeliness(ctx), action(ctx)) if c is not None)
    overall, verdict, dimensions = aggregate(kept, ctx.guidelines, ctx.expect)
    return ReplyScore(overall, verdict, dimensions, kept)


def _needs_reply(event: EventAttempts) -> bool:
    expected = list(getattr(event.expect, "actions", None) or [])
    return not expected or "reply" in expected


def _chronology(events: Sequence[EventAttempts]) -> list[tuple[int, int, ReplyAttempt]]:
    """(event index, reply index, reply) in the order the replies were sent."""
    sent = [(e, r, reply) for e, event in enumerate(events)
            for r, reply in enumerate(event.replies)]
    return sorted(sent, key=lambda item: (item[2].at is None, item[2].at or 0, item[0], item[1]))


def _run_consistency(ordered, events, *, guidelines, facts, network, language):
    sent = [(events[e], reply) for e, _r, reply in ordered
            if reply.channel != "internal" and reply.text.strip()]
    if len(sent) < 2:
        return None
    earlier = [_earlier_reply(event, reply) for event, reply in sent]
    findings: list[Finding] = []
    contradictions = 0
    for index in range(1, len(sent)):
        event, reply = sent[index]
        ctx = _context(event, reply.text, guidelines=guidelines, facts=facts, network=network,
                       language=language, channel=reply.channel, earlier=earlier[:index])
        result = claims.consistency(ctx)
        if result is None:
            continue
        broken = [f for f in result.findings if f.span is not None]
        contradictions += len(broken)
        findings += [replace(f, message=f"Reply {index + 1}: {f.message}", span=None)
                     for f in broken]
    if not findings:
        findings.append(Finding(f"All {len(sent)} replies tell the same story.",
                                "consistency.run"))
    return CriterionScore("consistency", max(0, 100 - 50 * contradictions), tuple(findings))


def score_run(*, guidelines: Any, events: Sequence[EventAttempts], facts: Sequence[str] = (),
              network: str = "twitter", language: str | None = None) -> RunScore:
    """Grade a run. `events` are the events with `expect`, in timeline order."""
    language = language or str(getattr(guidelines, "language", None) or "en")
    settings = {"guidelines": guidelines, "facts": facts, "network": network,
                "language": language}
    ordered = _chronology(events)
    earlier_for: dict[tuple[int, int], list[EarlierReply]] = {}
    sent: list[EarlierReply] = []
    for e, r, reply in ordered:
        earlier_for[(e, r)] = list(sent)
        if reply.channel != "internal" and reply.text.strip():
            sent.append(_earlier_reply(events[e], reply))

    results: list[EventScore] = []
    for e, event in enumerate(events):
        if not event.replies:
            if event.actions and not _needs_reply(event):
                ctx = _context(event, "", delay_s=event.action_delay_s, **settings)
                results.append(EventScore(event.event_id, _only_actions(ctx)))
            else:
                ctx = _context(event, "", delay_s=MISSED_DELAY, **settings)
                results.append(EventScore(event.event_id, _missed(ctx, event.event_id), True))
            continue
        # a note to colleagues does not answer the customer: it cannot stand for the reply
        answers = [r for r, reply in enumerate(event.replies)
                   if reply.channel != "internal" or not _needs_reply(event)]
        if not answers:
            ctx = _context(event, "", delay_s=MISSED_DELAY, **settings)
            results.append(EventScore(event.event_id,
                                      _missed(ctx, event.event_id, noted=True), True))
            continue
        scored = []
        for r in answers:
            reply = event.replies[r]
            ctx = _context(event, reply.text, channel=reply.channel, delay_s=reply.delay_s,
                           earlier=earlier_for[(e, r)], **settings)
            scored.append((score_context(ctx), r))
        best, index = max(scored, key=lambda item: (item[0].overall, -item[1]))
        results.append(EventScore(event.event_id, best, False, index))

    criteria: list[CriterionScore] = []
    for criterion_id in CRITERIA:
        if criterion_id == "consistency":
            continue
        members = [c for ev in results for c in ev.result.criteria if c.id == criterion_id]
        if not members:
            continue
        mean = sum(c.score for c in members) / len(members)
        critical = any(c.critical for c in members)
        summary = Finding(f"Mean over {count(len(members), 'event')}.", f"run.{criterion_id}")
        criteria.append(CriterionScore(criterion_id, int(mean + 0.5), (summary,), critical))
    consistency = _run_consistency(ordered, events, **settings) if events else None
    if consistency is not None:
        criteria.append(consistency)
    criteria.sort(key=lambda c: list(CRITERIA).index(c.id))
    overall, verdict, dimensions = aggregate(criteria, guidelines)
    missed = tuple(ev.event for ev in results if ev.missed)
    return RunScore(overall, verdict, dimensions, tuple(criteria), tuple(results),
                    missed=missed)
