"""An attempt: one text the trainee sent about one customer post, with everything it is judged
against. It is the scorer's only input besides the guidelines.

The web app, `sandbox score` (event, ad-hoc post and batch), the scripted runs of
`sandbox scenario test`, `sandbox rescore` and the run-level result all build their attempts
with `sandbox.core.grading.attempt_for_event` (or `adhoc_attempt` for a post outside any
scenario), so the same reply in the same situation gets the same score everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scenario package grades model answers: import its types lazily
    from sandbox.core.scenario.models import Expect


# Attempts and their parts are values: nothing changes one once it is made. They are not declared
# frozen because a frozen dataclass sets each field through object.__setattr__ (five times
# slower to build) and several are built for every reply graded; `unsafe_hash` keeps them
# hashable as frozen ones are.
@dataclass(slots=True, unsafe_hash=True)
class EarlierReply:
    """One of the trainee's earlier replies in the run, and the conversation it belongs to.

    `customer` is the handle (or, without one, the name) of the customer it answered; `post`
    is what that customer wrote, so figures taken from it count as their own case. A bare
    string in `earlier_replies` is an EarlierReply with neither: its conversation is unknown.
    """

    text: str
    event_id: str | None = None
    customer: str | None = None
    post: str = ""


@dataclass(slots=True, unsafe_hash=True)  # a value: see `EarlierReply`
class LaterAction:
    """Something the trainee did on the same event after sending this text: it completes the
    reply (an escalation made 4 seconds later still escalates), and the debrief says so."""

    action: str
    seconds_after: int


@dataclass(slots=True, unsafe_hash=True)  # a value: see `EarlierReply`
class Attempt:
    """What one reply is graded on.

    `action` is what the trainee did with the text (reply, dm, move_to_dm, escalate) and
    `channel` where it went: "public" (on the feed), "dm" (a private message) or "internal"
    (the note sent with an escalation). `done` holds every action the trainee took on the event
    by the time the reply is judged, this one included; `later` the ones taken after it.
    `delay_s` is the time between the post appearing and the reply.
    """

    reply: str
    post: str
    action: str = "reply"
    channel: str = "public"
    network: str = "twitter"
    language: str = "en"
    topic: str | None = None
    expect: Expect | None = None
    facts: tuple[str, ...] = ()
    delay_s: int | None = None
    done: frozenset[str] = frozenset()
    later: tuple[LaterAction, ...] = ()
    escalated_to: str | None = None
    customer_name: str | None = None
    customer_handle: str | None = None
    event_id: str | None = None
    earlier: tuple[EarlierReply, ...] = field(default=())
    # the scenario's experts, (key, name), so that findings name them as the trainee saw them
    experts: tuple[tuple[str, str], ...] = ()
