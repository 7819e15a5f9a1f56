"""Where the replay meets the scorer: grade one trainee action, or a whole run, in context.

The replay knows when each event appeared, who wrote it and what the trainee did about it; the
scorer knows how to grade a text. These two functions put the first into the second, so the web
app, the scripted runs and the debrief all grade the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sandbox.core.replay import TraineeAction, compile_scenario, expected_replies
from sandbox.core.replay.actions import ANSWERS
from sandbox.core.replay.branches import index_actions, simulate
from sandbox.core.replay.feed import escalation_target, shown_at
from sandbox.core.scoring import EarlierReply, ReplyScore, RunScore, score_reply
from sandbox.core.scoring.run import EventAttempts, ReplyAttempt, score_run

GRADED = ANSWERS | {"escalate"}  # actions whose text is graded (an escalation's note included)


def channel_of(action: TraineeAction, *, public_event: bool) -> str:
    if action.action == "escalate":
        return "internal"
    return "public" if action.action == "reply" and public_event else "dm"


def grade_action(scenario: Any, guidelines: Any, *, earlier: Sequence[TraineeAction],
                 action: TraineeAction) -> ReplyScore | None:
    """The score of `action` taken after `earlier`; None when there is no text to grade or the
    event is background chatter."""
    if action.action not in GRADED or not (action.text or "").strip():
        return None
    compiled = compile_scenario(scenario)
    ref = compiled.canonical(action.event) or action.event
    spec = compiled.events.get(ref)
    if spec is None:
        return None
    run = simulate(compiled, index_actions(compiled, list(earlier)), horizon=action.at)
    shown = shown_at(compiled, run, ref)
    done = {a.action for a in earlier if (compiled.canonical(a.event) or a.event) == ref}
    author = compiled.personas.get(spec.author)
    return score_reply(
        reply=action.text, post=spec.template["text"], guidelines=guidelines,
        expect=spec.expect, topic=spec.template.get("topic"),
        network=scenario.platform.network,
        channel=channel_of(action, public_event=spec.public),
        delay_s=None if shown is None else max(0, action.at - shown),
        actions=sorted(done | {action.action}),
        escalated_to=escalation_target(compiled, action) if action.action == "escalate" else None,
        customer_name=author.name if author else None,
        customer_handle=author.handle if author else None,
        facts=scenario.facts,
        event_id=ref,
        earlier=tuple(_earlier_reply(compiled, a) for a in earlier
                      if a.action in ANSWERS and (a.text or "").strip()),
        language=scenario.language,
    )


def _earlier_reply(compiled: Any, action: TraineeAction) -> EarlierReply:
    """An earlier answer with who it went to: consistency compares figures only where they are
    about the same thing (same conversation, or facts that apply to every customer)."""
    ref = compiled.canonical(action.event) or action.event
    spec = compiled.events.get(ref)
    author = compiled.personas.get(spec.author) if spec else None
    return EarlierReply(text=action.text, event_id=ref,
                        customer=(author.handle or author.name) if author else None,
                        post=spec.template["text"] if spec else "")


def grade_run(scenario: Any, guidelines: Any, *, at: int,
              actions: Sequence[TraineeAction]) -> RunScore:
    """The run-level result at simulated time `at`: every event that expected something and was
    shown, with what the trainee did about it (DESIGN.md section 6, run-level result)."""
    compiled = compile_scenario(scenario)
    taken = [action for action in actions if action.at <= at]
    events = []
    for expected in expected_replies(compiled, at=at, actions=taken):
        spec = compiled.events[expected.event]
        mine = [a for a in taken if (compiled.canonical(a.event) or a.event) == spec.id]
        author = compiled.personas.get(spec.author)
        escalations = [a for a in mine if a.action == "escalate"]
        first_action = min((a.at for a in mine), default=None)
        events.append(EventAttempts(
            event_id=spec.id,
            post=spec.template["text"],
            expect=spec.expect,
            topic=spec.template.get("topic"),
            replies=tuple(
                ReplyAttempt(text=a.text, delay_s=max(0, a.at - expected.shown_at),
                             channel=channel_of(a, public_event=spec.public), at=a.at)
                for a in mine if a.action in GRADED and (a.text or "").strip()
            ),
            actions=frozenset(a.action for a in mine),
            escalated_to=escalation_target(compiled, escalations[0]) if escalations else None,
            customer_name=author.name if author else None,
            customer_handle=author.handle if author else None,
            action_delay_s=None if first_action is None else max(0, first_action
                                                                 - expected.shown_at),
        ))
    return score_run(guidelines=guidelines, events=events, facts=scenario.facts,
                     network=scenario.platform.network, language=scenario.language)
