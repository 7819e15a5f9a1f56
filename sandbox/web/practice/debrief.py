"""The debrief of a finished run: scores, a timeline of events against replies, the evidence."""

from dataclasses import dataclass, field

from sqlmodel import Session

from sandbox import reviews, runs
from sandbox.core.replay import ExpectedReply, compile_scenario, expected_replies, feed_at
from sandbox.models import Run, RunAction
from sandbox.web.practice.workspace import Workspace, arrange


@dataclass
class Segment:
    text: str
    finding: str | None = None  # the finding a highlighted span carries
    good: bool = True  # evidence for a criterion that scored well, or against one that did not


@dataclass
class ReplyReview:
    action: RunAction
    delay: int | None
    segments: list[Segment]
    criteria: list[dict]


@dataclass
class EventReview:
    event_id: str
    who: str
    text: str
    expected: ExpectedReply
    model_answer: str | None
    replies: list[ReplyReview] = field(default_factory=list)
    result: dict | None = None  # this event's entry in the run result
    missed: bool = False


@dataclass
class Debrief:
    run: Run
    result: dict
    events: list[EventReview]
    snapshot: Workspace
    at: int
    end: int
    standing: reviews.Standing  # the score that counts: a trainer's review, else the scorer's


def highlight(text: str, criteria: list[dict]) -> list[Segment]:
    """The reply cut into plain and highlighted pieces; overlapping evidence keeps the first."""
    spans = sorted(
        (finding["span"][0], finding["span"][1], finding["message"], criterion["score"] >= 80)
        for criterion in criteria for finding in criterion["findings"]
        if finding.get("span") and 0 <= finding["span"][0] < finding["span"][1] <= len(text)
    )
    segments, cursor = [], 0
    for start, end, message, good in spans:
        if start < cursor:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], message, good))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def build(session: Session, run: Run, at: int | None = None) -> Debrief:
    game = runs.played(session, run)
    compiled = compile_scenario(game.scenario)
    end = run.finished_sim_s or 0
    actions = runs.trainee_actions(run)
    results = {entry["event"]: entry for entry in (run.result or {}).get("events", [])}
    events = []
    for expected in expected_replies(compiled, at=end, actions=actions):
        spec = compiled.events[expected.event]
        author = compiled.personas.get(spec.author)
        review = EventReview(
            event_id=spec.id, who=author.name if author else spec.author,
            text=spec.template["text"], expected=expected,
            model_answer=spec.expect.model_answer if spec.expect else None,
            result=results.get(spec.id, {}).get("result"),
            missed=bool(results.get(spec.id, {}).get("missed")),
        )
        for stored in run.actions:
            if (compiled.canonical(stored.event_id) or stored.event_id) != spec.id:
                continue
            criteria = (stored.score or {}).get("criteria", [])
            review.replies.append(ReplyReview(
                action=stored, delay=max(0, stored.sim_at - expected.shown_at),
                segments=highlight(stored.text or "", criteria), criteria=criteria))
        events.append(review)
    moment = end if at is None else min(max(0, at), end)
    feed = feed_at(compiled, at=moment, actions=actions)
    snapshot = arrange(run, game.scenario, game.guidelines, feed)
    standing = reviews.standing(run)
    assert standing is not None  # a finished run has its result
    return Debrief(run=run, result=run.result or {}, events=events, snapshot=snapshot,
                   at=moment, end=end, standing=standing)
