"""Where the replay meets the scorer: the one path from "what the trainee did" to a score.

`attempt_for_event` builds the `Attempt` for a text sent about a scenario event: the post, its
topic and expectations, the customer, the channel the text went to, the delay, what else the
trainee did on the event, the earlier answers. Every caller goes through it:

- the web app grades each action when it is sent (`grade_action`) and the run when it ends
  (`grade_run`); `sandbox rescore` and the scripted runs of `sandbox scenario test` call the
  same two functions;
- `sandbox score` (one event, or `--batch`) calls `score_event_reply`, which builds the
  attempt here too; an ad-hoc post outside any scenario uses `adhoc_attempt`.

A test plays every shipped event through the web path and the command-line path and compares
the JSON (tests/web/test_one_grading_path.py).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sandbox.core.replay import TraineeAction, compile_scenario, expected_replies
from sandbox.core.replay.branches import index_actions, simulate
from sandbox.core.replay.compiled import CompiledScenario
from sandbox.core.replay.feed import escalation_target, shown_at
from sandbox.core.scoring import EarlierReply, ReplyScore, RunScore, score_attempt
from sandbox.core.scoring.attempt import Attempt, LaterAction
from sandbox.core.scoring.results import verdict_for
from sandbox.core.scoring.rules import thresholds
from sandbox.core.scoring.run import EventAttempts, Sent, score_run
from sandbox.core.vocabulary import ACTION_NAMES, ANSWERS, WRITES

if TYPE_CHECKING:
    from sandbox.core.scenario.guidelines import Guidelines
    from sandbox.core.scenario.models import Scenario

GRADED = WRITES  # actions whose text is graded (an escalation's note included)
TEXT_ACTIONS = tuple(a for a in ACTION_NAMES if a in WRITES)  # `sandbox score --action`


class ScoreRequestError(ValueError):
    """Inputs that cannot be graded; the message is meant for a person."""


def channel_of(action: str, *, public_event: bool) -> str:
    """Where a text went: an escalation's note to colleagues, a public reply, or a DM.

    A reply to a DM stays private; the text of a "move to DM" is its public note ("we've sent
    you a message"), graded as a public reply (its private message is a `dm`, DESIGN.md
    section 5).
    """
    if action not in TEXT_ACTIONS:
        raise ScoreRequestError(f"unknown action \"{action}\": use one of "
                                f"{', '.join(TEXT_ACTIONS)}")
    if action == "escalate":
        return "internal"
    return "public" if action in ("reply", "move_to_dm") and public_event else "dm"


def _expert(compiled: CompiledScenario, event: str, to: str | None) -> str:
    target = escalation_target(compiled, TraineeAction(at=0, action="escalate", event=event,
                                                       to=to))
    return target or "an expert"


def attempt_for_event(scenario: Scenario, *, event: str, text: str, action: str = "reply",
                      delay_s: int | None = None, done: Collection[str] = (),
                      later: Sequence[LaterAction] = (), to: str | None = None,
                      earlier: Sequence[EarlierReply] = ()) -> Attempt:
    """The attempt for `text`, sent with `action` on scenario event `event` (an id or
    `scene.index`) `delay_s` seconds after it appeared.

    `done` are the other actions the trainee took on the event by the time it is judged,
    `later` those of them taken after this text; `to` the expert of the escalation, if any
    (default: the event's `escalate_to`); `earlier` the trainee's earlier answers in the run.
    """
    compiled = compile_scenario(scenario)
    ref = compiled.canonical(event) or event
    spec = compiled.events.get(ref)
    if spec is None:
        known = [e.id for e in scenario.timeline if e.id]
        hint = f"; events with an id: {', '.join(known)}" if known else ""
        raise ScoreRequestError(f"no event \"{event}\" in scenario \"{scenario.id}\"{hint}")
    everything = frozenset(done) | {action}
    author = compiled.personas.get(spec.author)
    return Attempt(
        reply=text or "", post=spec.template["text"], action=action,
        channel=channel_of(action, public_event=spec.public),
        network=scenario.platform.network, language=scenario.language,
        topic=spec.template.get("topic"), expect=spec.expect, facts=tuple(scenario.facts),
        delay_s=None if delay_s is None else max(0, int(delay_s)), done=everything,
        later=tuple(later),
        escalated_to=_expert(compiled, ref, to) if "escalate" in everything else None,
        customer_name=author.name if author else None,
        customer_handle=author.handle if author else None,
        event_id=ref, earlier=tuple(earlier),
        experts=tuple((key, expert.name) for key, expert in scenario.experts.items()))


def adhoc_attempt(*, post: str, reply: str, language: str, network: str = "twitter",
                  delay_s: int | None = None, action: str = "reply",
                  done: Collection[str] = ()) -> Attempt:
    """A reply to a customer post outside any scenario: guidelines only, no expectations."""
    return Attempt(reply=reply or "", post=post or "", action=action,
                   channel=channel_of(action, public_event=True), network=network,
                   language=language, delay_s=delay_s, done=frozenset(done) | {action})


def _earlier_reply(compiled: CompiledScenario, action: TraineeAction) -> EarlierReply:
    """An earlier answer with who it went to: consistency compares figures only where they are
    about the same thing (same conversation, or facts that apply to every customer)."""
    ref = compiled.canonical(action.event) or action.event
    spec = compiled.events.get(ref)
    author = compiled.personas.get(spec.author) if spec else None
    return EarlierReply(text=action.text or "", event_id=ref,
                        customer=(author.handle or author.name) if author else None,
                        post=spec.template["text"] if spec else "")


def _same_event(compiled: CompiledScenario, action: TraineeAction, ref: str) -> bool:
    return (compiled.canonical(action.event) or action.event) == ref


def _history_attempt(scenario: Scenario, compiled: CompiledScenario, *, action: TraineeAction,
                     history: Sequence[TraineeAction], shown: int | None,
                     judged_at: int) -> Attempt:
    """The attempt for `action` given everything in `history` (the run's actions, in order)
    up to simulated time `judged_at`."""
    ref = compiled.canonical(action.event) or action.event
    mine = [a for a in history if _same_event(compiled, a, ref) and a.at <= judged_at]
    escalation = action if action.action == "escalate" else \
        next((a for a in mine if a.action == "escalate"), None)
    later = tuple(LaterAction(a.action, a.at - action.at) for a in mine
                  if a.at > action.at and a.action not in ("reply", action.action))
    position = next(i for i, a in enumerate(history) if a is action)
    earlier = [_earlier_reply(compiled, a) for a in history[:position]
               if a.action in ANSWERS and (a.text or "").strip()]
    return attempt_for_event(
        scenario, event=ref, text=action.text or "", action=action.action,
        delay_s=None if shown is None else action.at - shown,
        done={a.action for a in mine if a.at <= judged_at}, later=later,
        to=escalation.to if escalation else None, earlier=earlier)


def grade_action(scenario: Scenario, guidelines: Guidelines, *,
                 earlier: Sequence[TraineeAction], action: TraineeAction) -> ReplyScore | None:
    """The score of `action` at the moment it is sent, after `earlier`; None when there is no
    text to grade or the event is background chatter."""
    if action.action not in GRADED or not (action.text or "").strip():
        return None
    compiled = compile_scenario(scenario)
    ref = compiled.canonical(action.event) or action.event
    if ref not in compiled.events:
        return None
    run = simulate(compiled, index_actions(compiled, list(earlier)), horizon=action.at)
    history = [*earlier, action]
    attempt = _history_attempt(scenario, compiled, action=action, history=history,
                               shown=shown_at(compiled, run, ref), judged_at=action.at)
    return score_attempt(attempt, guidelines)


def verdict_of(scenario: Scenario, guidelines: Guidelines, *, event: str, overall: int) -> str:
    """The verdict the scorer gives an overall of `overall` on `event` (its pass_score, else
    the guidelines' verdicts): for a score a scenario test pretends."""
    compiled = compile_scenario(scenario)
    spec = compiled.events.get(compiled.canonical(event) or event)
    return verdict_for(overall, *thresholds(guidelines, spec.expect if spec else None))


@dataclass(frozen=True)
class ResponseTarget:
    """How fast the debrief expects an answer to some of the scenario's posts: `target` for
    full marks, none left for speed after `limit` (simulated seconds)."""

    about: str  # what the posts are: a topic id, "public" or "dm"
    target: int
    limit: int


def response_target(scenario: Scenario, guidelines: Guidelines, event: str
                    ) -> tuple[int, int] | None:
    """(target, limit) that timeliness grades an answer to `event` against, or None when no
    delay is expected: read where the scorer reads it (expect.reply_within, else the
    guidelines' response time for the topic or the channel)."""
    from sandbox.core.scoring.agility import response_time
    from sandbox.core.scoring.context import ReplyContext

    compiled = compile_scenario(scenario)
    spec = compiled.events[compiled.canonical(event) or event]
    action = "dm" if spec.kind == "dm" else "reply"
    context = ReplyContext.of(attempt_for_event(scenario, event=spec.id, text="",
                                                action=action, delay_s=0), guidelines)
    rule_time, _ = response_time(context)
    target = context.expected("reply_within")
    if target is None and rule_time is None:
        return None
    target = max(1, int(target if target is not None else rule_time.target))
    limit = int(getattr(rule_time, "max", 0) or 0)
    return target, limit if limit > target else 3 * target


def response_targets(scenario: Scenario, guidelines: Guidelines) -> list[ResponseTarget]:
    """The response times the debrief grades this scenario's posts against, one per kind of
    post (topic, else public or DM), strictest first: what the briefing announces."""
    found: dict[str, ResponseTarget] = {}
    for spec in compile_scenario(scenario).events.values():
        expect = spec.expect
        if expect is None or spec.kind == "internal" or (
                expect.actions and not set(expect.actions) & set(ANSWERS)):
            continue
        times = response_target(scenario, guidelines, spec.id)
        if times is None:
            continue
        about = spec.template.get("topic") or ("dm" if spec.kind == "dm" else "public")
        known = found.get(about)
        if known is None or times[0] < known.target:
            found[about] = ResponseTarget(about, *times)
    return sorted(found.values(), key=lambda target: (target.target, target.about))


def score_event_reply(*, scenario: Scenario, guidelines: Guidelines, event_id: str, reply: str,
                      after_s: int | None = None, action: str = "reply", to: str | None = None,
                      also: Collection[str] = (),
                      earlier: Sequence[EarlierReply] = ()) -> ReplyScore:
    """Grade `reply` written `after_s` seconds after scenario event `event_id` appeared
    (`sandbox score`). `also` are other actions taken on the event (escalate, like, ...)."""
    attempt = attempt_for_event(scenario, event=event_id, text=reply, action=action,
                                delay_s=after_s, done=also, to=to, earlier=earlier)
    return score_attempt(attempt, guidelines)


def score_post_reply(*, post: str, reply: str, guidelines: Guidelines,
                     language: str | None = None, network: str = "twitter",
                     after_s: int | None = None, action: str = "reply",
                     also: Collection[str] = ()) -> ReplyScore:
    """Grade a reply to an ad-hoc customer post (`sandbox score --post`): guidelines only."""
    attempt = adhoc_attempt(post=post, reply=reply, language=language or guidelines.language,
                            network=network, delay_s=after_s, action=action, done=also)
    return score_attempt(attempt, guidelines)


def grade_run(scenario: Scenario, guidelines: Guidelines, *, at: int,
              actions: Sequence[TraineeAction]) -> RunScore:
    """The run-level result at simulated time `at`: every event that expected something and was
    shown, with what the trainee did about it (DESIGN.md section 6, run-level result).

    Each reply is judged with everything the trainee did on its event by then: an escalation
    made 4 seconds after the reply completes it (and its findings say so).
    """
    compiled = compile_scenario(scenario)
    taken = [action for action in actions if action.at <= at]
    events = []
    for expected in expected_replies(compiled, at=at, actions=taken):
        spec = compiled.events[expected.event]
        mine = [a for a in taken if _same_event(compiled, a, spec.id)]
        first_action = min((a.at for a in mine), default=None)
        escalation = next((a for a in mine if a.action == "escalate"), None)
        base = replace(attempt_for_event(
            scenario, event=spec.id, text="", action="reply",
            delay_s=None if first_action is None else first_action - expected.shown_at,
            done={a.action for a in mine}, to=escalation.to if escalation else None),
            done=frozenset(a.action for a in mine))
        sent = tuple(
            Sent(_history_attempt(scenario, compiled, action=a, history=taken,
                                  shown=expected.shown_at, judged_at=at), a.at)
            for a in mine if a.action in GRADED and (a.text or "").strip())
        events.append(EventAttempts(event_id=spec.id, base=base, sent=sent,
                                    acted=bool(mine)))
    return score_run(guidelines=guidelines, events=events)

