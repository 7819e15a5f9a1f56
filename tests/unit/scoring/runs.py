"""Runs written out by hand for the run-level tests: events with the trainee's replies, turned
into the attempts `sandbox.core.grading.grade_run` builds from a played scenario."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sandbox.core.scoring import run
from sandbox.core.scoring.attempt import Attempt, EarlierReply


@dataclass(frozen=True)
class ReplyAttempt:
    text: str
    delay_s: int | None = None
    channel: str = "public"
    at: int | None = None


@dataclass(frozen=True)
class EventAttempts:
    event_id: str
    post: str
    expect: Any
    topic: str | None = None
    replies: Sequence[ReplyAttempt] = ()
    actions: Sequence[str] = ()
    escalated_to: str | None = None
    customer_name: str | None = None
    customer_handle: str | None = None
    action_delay_s: int | None = None
    extra: dict = field(default_factory=dict)


def _attempt(event: EventAttempts, *, text: str = "", channel: str = "public",
             delay_s: int | None = None, facts: Sequence[str] = (), network: str = "twitter",
             language: str = "en", earlier: Sequence[EarlierReply] = ()) -> Attempt:
    action = {"public": "reply", "dm": "dm", "internal": "escalate"}[channel]
    done = frozenset(event.actions) | ({action} if text else set())
    return Attempt(reply=text, post=event.post, action=action, channel=channel, network=network,
                   language=language, topic=event.topic, expect=event.expect,
                   facts=tuple(facts), delay_s=delay_s, done=done,
                   escalated_to=event.escalated_to if "escalate" in done else None,
                   customer_name=event.customer_name, customer_handle=event.customer_handle,
                   event_id=event.event_id, earlier=tuple(earlier))


def score_run(*, guidelines: Any, events: Sequence[EventAttempts], facts: Sequence[str] = (),
              network: str = "twitter", language: str | None = None) -> run.RunScore:
    language = language or guidelines.language
    order = sorted(((e, r, reply) for e, event in enumerate(events)
                    for r, reply in enumerate(event.replies)),
                   key=lambda item: (item[2].at is None, item[2].at or 0, item[0], item[1]))
    earlier_of: dict[tuple[int, int], list[EarlierReply]] = {}
    sent: list[EarlierReply] = []
    for e, r, reply in order:
        earlier_of[(e, r)] = list(sent)
        if reply.channel != "internal" and reply.text.strip():
            event = events[e]
            sent.append(EarlierReply(reply.text, event.event_id,
                                     event.customer_handle or event.customer_name, event.post))
    built = []
    for e, event in enumerate(events):
        settings = {"facts": facts, "network": network, "language": language}
        base = _attempt(event, delay_s=event.action_delay_s, **settings)
        texts = tuple(run.Sent(_attempt(event, text=reply.text, channel=reply.channel,
                                        delay_s=reply.delay_s, earlier=earlier_of[(e, r)],
                                        **settings), reply.at)
                      for r, reply in enumerate(event.replies))
        built.append(run.EventAttempts(event.event_id, base, texts,
                                       acted=bool(event.actions or event.replies)))
    return run.score_run(guidelines=guidelines, events=built)
