"""Grade a reply to a scenario event, or to an ad-hoc post: the one path the command line, the
web app and the replay engine share to turn "what the trainee did" into `score_reply` inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sandbox.core.scoring.context import EarlierReply
from sandbox.core.scoring.results import ReplyScore
from sandbox.core.scoring.scorer import score_reply

TRAINEE_ACTIONS = ("reply", "dm", "move_to_dm", "escalate")


class ScoreRequestError(ValueError):
    """Inputs that cannot be graded; the message is meant for a person."""


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def customer_of(scenario: Any, event: Any) -> tuple[str | None, str | None]:
    """The display name and handle of the persona behind an event (None when generated)."""
    persona = (getattr(scenario, "personas", None) or {}).get(getattr(event, "from_", None))
    return _text(getattr(persona, "name", None)), _text(getattr(persona, "handle", None))


def channel_for(action: str) -> str:
    if action not in TRAINEE_ACTIONS:
        raise ScoreRequestError(f"unknown action \"{action}\": use one of "
                                f"{', '.join(TRAINEE_ACTIONS)}")
    return {"reply": "public", "dm": "dm", "move_to_dm": "dm", "escalate": "internal"}[action]


def score_event_reply(*, scenario: Any, guidelines: Any, event_id: str, reply: str,
                      after_s: int | None = None, action: str = "reply", to: str | None = None,
                      earlier_replies: Sequence[str] = (),
                      customer_name: str | None = None,
                      earlier: Sequence[EarlierReply] = ()) -> ReplyScore:
    """Grade `reply` written `after_s` seconds after scenario event `event_id` appeared.

    `action` is what the trainee did with the text (reply, dm, move_to_dm, escalate); `to` is
    the expert for escalate, defaulting to the event's `escalate_to`.
    """
    event = scenario.event(event_id)
    if event is None:
        known = [e.id for e in scenario.timeline if e.id]
        hint = f"; events with an id: {', '.join(known)}" if known else ""
        raise ScoreRequestError(f"no event \"{event_id}\" in scenario \"{scenario.id}\"{hint}")
    channel = channel_for(action)
    expect = event.expect
    escalated_to = None
    if action == "escalate":
        escalated_to = to or getattr(expect, "escalate_to", None) or "an expert"
    name, handle = customer_of(scenario, event)
    return score_reply(
        reply=reply, post=event.text, guidelines=guidelines, expect=expect, topic=event.topic,
        network=scenario.platform.network, channel=channel, delay_s=after_s,
        actions=(action,), escalated_to=escalated_to,
        customer_name=customer_name or name, customer_handle=handle,
        facts=scenario.facts, earlier_replies=earlier_replies, language=scenario.language,
        event_id=event_id, earlier=earlier)


def score_post_reply(*, post: str, reply: str, guidelines: Any, language: str | None = None,
                     network: str = "twitter", after_s: int | None = None,
                     action: str = "reply") -> ReplyScore:
    """Grade a reply to an ad-hoc customer post: guidelines only, no scenario expectations."""
    return score_reply(reply=reply, post=post, guidelines=guidelines, network=network,
                       channel=channel_for(action), delay_s=after_s, actions=(action,),
                       language=language)
