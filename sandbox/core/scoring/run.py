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

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sandbox.core.scoring import claims
from sandbox.core.scoring.attempt import Attempt, EarlierReply
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.results import (
    CRITERIA,
    ROLES,
    CriterionScore,
    EventScore,
    Finding,
    ReplyScore,
    RunScore,
    bad,
    count,
    good,
)
from sandbox.core.scoring.scorer import aggregate, score_attempt, score_context

MISSED_DELAY = 10**9  # a reply that never came is later than any limit


@dataclass(frozen=True)
class Sent:
    """One text the trainee sent about an event, and when (simulated seconds)."""

    attempt: Attempt
    at: int | None = None


@dataclass(frozen=True)
class EventAttempts:
    """An event with expectations, and everything the trainee did about it.

    `base` is the event as an attempt without text (what was done, how fast): it grades a
    missed event or one handled by actions alone. `sent` are the texts, each already an
    attempt built by `sandbox.core.grading`.
    """

    event_id: str
    base: Attempt
    sent: Sequence[Sent] = ()
    acted: bool = False  # the trainee did something (any action) about the event


def _missed(base: Attempt, guidelines, event_id: str, *, noted: bool = False) -> ReplyScore:
    result = score_context(ReplyContext.of(replace(base, delay_s=MISSED_DELAY), guidelines))
    message = (f"Only an internal note about \"{event_id}\": the customer got no answer, so "
               "the event counts as missed." if noted
               else f"No reply to \"{event_id}\": a missed event scores 0.")
    zeroed = tuple(CriterionScore(c.id, 0, (bad(message, "run.missed"),))
                   for c in result.criteria)
    summary = aggregate(zeroed, guidelines, base.expect)
    return ReplyScore(summary.overall, summary.verdict, summary.dimensions, zeroed,
                      explanation=f"Missed: every criterion scores 0 = {summary.overall}.")


def _only_actions(base: Attempt, guidelines) -> ReplyScore:
    from sandbox.core.scoring.agility import timeliness
    from sandbox.core.scoring.protocol import action

    ctx = ReplyContext.of(base, guidelines)
    kept = tuple(c for c in (timeliness(ctx), action(ctx)) if c is not None)
    summary = aggregate(kept, guidelines, base.expect)
    return ReplyScore(summary.overall, summary.verdict, summary.dimensions, kept,
                      explanation=summary.explanation)


def _needs_reply(event: EventAttempts) -> bool:
    expected = list(getattr(event.base.expect, "actions", None) or [])
    return not expected or "reply" in expected


def _chronology(events: Sequence[EventAttempts]) -> list[tuple[int, int, Sent]]:
    """(event index, reply index, reply) in the order the replies were sent."""
    sent = [(e, r, item) for e, event in enumerate(events)
            for r, item in enumerate(event.sent)]
    return sorted(sent, key=lambda item: (item[2].at is None, item[2].at or 0, item[0], item[1]))


def _run_consistency(ordered: list[tuple[int, int, Sent]], guidelines):
    sent = [item.attempt for _e, _r, item in ordered
            if item.attempt.channel != "internal" and item.attempt.reply.strip()]
    if len(sent) < 2:
        return None
    earlier = [EarlierReply(a.reply, a.event_id, a.customer_handle or a.customer_name, a.post)
               for a in sent]
    findings: list[Finding] = []
    contradictions = 0
    for index in range(1, len(sent)):
        ctx = ReplyContext.of(replace(sent[index], earlier=tuple(earlier[:index])), guidelines)
        result = claims.consistency(ctx)
        if result is None:
            continue
        broken = [f for f in result.findings if f.span is not None]
        contradictions += len(broken)
        findings += [replace(f, message=f"Reply {index + 1}: {f.message}", span=None)
                     for f in broken]
    if not findings:
        findings.append(good(f"All {len(sent)} replies tell the same story.",
                             "consistency.run"))
    return CriterionScore("consistency", max(0, 100 - 50 * contradictions), tuple(findings))


def score_run(*, guidelines, events: Sequence[EventAttempts]) -> RunScore:
    """Grade a run. `events` are the events with `expect`, in timeline order."""
    results: list[EventScore] = []
    for event in events:
        if not event.sent:
            if event.acted and not _needs_reply(event):
                results.append(EventScore(event.event_id,
                                          _only_actions(event.base, guidelines)))
            else:
                results.append(EventScore(event.event_id,
                                          _missed(event.base, guidelines, event.event_id),
                                          True))
            continue
        scores = tuple(score_attempt(item.attempt, guidelines) for item in event.sent)
        # a note to colleagues does not answer the customer: it cannot stand for the reply
        answers = [r for r, item in enumerate(event.sent)
                   if item.attempt.channel != "internal" or not _needs_reply(event)]
        if not answers:
            results.append(EventScore(
                event.event_id, _missed(event.base, guidelines, event.event_id, noted=True),
                True, replies=scores))
            continue
        index = max(answers, key=lambda r: (scores[r].overall, -r))
        results.append(EventScore(event.event_id, scores[index], False, index,
                                  replies=scores))

    criteria: list[CriterionScore] = []
    for criterion_id in CRITERIA:
        if criterion_id == "consistency":
            continue
        # a missed event scores 0 on every criterion, but its hygiene checks (length, forbidden
        # phrases, facts, privacy) had no text to judge: the run's penalties come from what was
        # written, so its explanation never blames an unanswered post for a rule nobody broke
        judged = [ev for ev in results if not (ev.missed and ROLES[criterion_id] == "hygiene")]
        members = [c for ev in judged for c in ev.result.criteria if c.id == criterion_id]
        if not members:
            continue
        mean = sum(c.score for c in members) / len(members)
        critical = any(c.critical for c in members)
        summary = Finding(f"Mean over {count(len(members), 'event')}.", f"run.{criterion_id}")
        criteria.append(CriterionScore(criterion_id, int(mean + 0.5), (summary,), critical))
    consistency = _run_consistency(_chronology(events), guidelines) if events else None
    if consistency is not None:
        criteria.append(consistency)
    criteria.sort(key=lambda c: list(CRITERIA).index(c.id))
    summary = aggregate(criteria, guidelines)
    missed = tuple(ev.event for ev in results if ev.missed)
    return RunScore(summary.overall, summary.verdict, summary.dimensions, tuple(criteria),
                    tuple(results), missed=missed, explanation=summary.explanation)
