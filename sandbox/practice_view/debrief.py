"""The debrief of a finished run: scores, a timeline of events against replies, the evidence,
and the replay (sandbox.practice_view.replay). The replay is most of the page's weight (the
whole feed, laid out): the trainee's debrief builds it only when asked (`replay_of`)."""

from dataclasses import dataclass, field

from sqlmodel import Session

from sandbox import reviews, runs
from sandbox.core.grading import response_target, score_post_reply
from sandbox.core.replay import (
    CompiledScenario,
    ExpectedReply,
    compile_scenario,
    expected_replies,
    feed_at,
)
from sandbox.core.scenario import Scenario
from sandbox.core.vocabulary import ANSWERS
from sandbox.models import Run, RunAction
from sandbox.practice_view.replay import Replay, replay, sent_score, standing_scores


@dataclass
class Segment:
    text: str
    finding: str | None = None  # the finding a highlighted span carries
    good: bool = True  # praise (green) or a problem (red), as the finding says
    note: int | None = None  # its number in the list of evidence under the reply


@dataclass
class ReplyReview:
    action: RunAction
    delay: int | None
    segments: list[Segment]
    criteria: list[dict]
    score: dict | None = None  # the score that stands: graded with all done on the event
    sent_overall: int | None = None  # the score when it was sent, when it differs

    @property
    def notes(self) -> list[Segment]:
        return [segment for segment in self.segments if segment.note is not None]


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
class OtherReply:
    """A text the trainee sent on a post that expected nothing of them (background chatter, a
    passing comment): not graded, but checked against the brand's rules all the same, so a
    rude answer to a bystander does not go unseen."""

    action: RunAction
    who: str
    post: str
    problems: list[str]  # what the brand's rules find wrong with it, worst first


@dataclass
class Debrief:
    run: Run
    scenario: Scenario  # the version the run was played with
    result: dict
    events: list[EventReview]
    standing: reviews.Standing  # the score that counts: a trainer's review, else the scorer's
    end: int  # the run's end, in simulated seconds
    # the run at the moment asked for and the markers of the whole run; None: loaded on demand
    replay: Replay | None = None
    others: list[OtherReply] = field(default_factory=list)  # texts on posts expecting nothing

    @property
    def reviewed(self) -> frozenset[str]:
        """The events with a card of their own (a reply's score in the replay links to it)."""
        return frozenset(event.event_id for event in self.events)


def _good(finding: dict, criterion: dict) -> bool | None:
    """Praise or problem, as the finding says (scores of scorer 1.x carry no tone: their
    criterion's score decides); None for neutral notes, which are not highlighted."""
    tone = finding.get("tone")
    if tone is None:
        return criterion["score"] >= 80
    return {"good": True, "bad": False}.get(tone)


def highlight(text: str, criteria: list[dict]) -> list[Segment]:
    """The reply cut into plain and highlighted pieces, each highlight numbered for the list of
    evidence under the reply; overlapping evidence keeps the first (problems before praise)."""
    spans = sorted(
        (finding["span"][0], finding["span"][1], not good, finding["message"], good)
        for criterion in criteria for finding in criterion["findings"]
        if finding.get("span") and 0 <= finding["span"][0] < finding["span"][1] <= len(text)
        and (good := _good(finding, criterion)) is not None
    )
    segments, cursor = [], 0
    for start, end, _problem_first, message, good in spans:
        if start < cursor:
            continue
        if start > cursor:
            segments.append(Segment(text[cursor:start]))
        segments.append(Segment(text[start:end], message, good,
                                note=sum(1 for s in segments if s.note is not None) + 1))
        cursor = end
    if cursor < len(text):
        segments.append(Segment(text[cursor:]))
    return segments


def build(session: Session, run: Run, at: int | None = None, *,
          with_replay: bool = True) -> Debrief:
    """The debrief of a finished run, its replay at `at` (the run's end by default) included
    unless `with_replay` is False (the page then loads it with `replay_of` when opened)."""
    game = runs.played(session, run)
    compiled = compile_scenario(game.scenario)
    end = run.finished_sim_s or 0
    actions = runs.trainee_actions(run)
    results = {entry["event"]: entry for entry in (run.result or {}).get("events", [])}
    scores = standing_scores(run, compiled)
    events = []
    for expected in _expected(game, compiled, actions, end):
        spec = compiled.events[expected.event]
        author = compiled.personas.get(spec.author)
        review = EventReview(
            event_id=spec.id, who=author.name if author else spec.author,
            text=spec.template["text"], expected=expected,
            model_answer=spec.expect.model_answer if spec.expect else None,
            result=results.get(spec.id, {}).get("result"),
            missed=bool(results.get(spec.id, {}).get("missed")),
        )
        for number, stored in enumerate(run.actions):
            if (compiled.canonical(stored.event_id) or stored.event_id) != spec.id:
                continue
            score = scores[number]
            criteria = (score or {}).get("criteria", [])
            review.replies.append(ReplyReview(
                action=stored, delay=max(0, stored.sim_at - expected.shown_at),
                segments=highlight(stored.text or "", criteria), criteria=criteria,
                score=score, sent_overall=sent_score(stored, score)))
        events.append(review)
    standing = reviews.standing(run)
    assert standing is not None  # a finished run has its result
    found = Debrief(run=run, scenario=game.scenario, result=run.result or {}, events=events,
                    standing=standing, end=end)
    found.others = _other_replies(game, compiled, run, actions, end, found.reviewed)
    if with_replay:
        found.replay = replay(run, game.scenario, game.guidelines, compiled, actions,
                              at=_within(at, end), end=end, scores=scores,
                              reviewed=found.reviewed)
    return found


def _other_replies(game: runs.Played, compiled: CompiledScenario, run: Run, actions: list,
                   end: int, reviewed: frozenset[str]) -> list[OtherReply]:
    """The trainee's texts to customers on posts without a card of their own, each checked
    as a reply to an ad-hoc post under the brand's guidelines: its critical and hygiene
    problems (an insult, a forbidden phrase, personal data in public)."""
    sent = [stored for stored in run.actions
            if stored.action in ANSWERS and (stored.text or "").strip()
            and (compiled.canonical(stored.event_id) or stored.event_id) not in reviewed]
    if not sent:
        return []
    items = {item["id"]: item for item in feed_at(compiled, at=end, actions=actions).items}
    found = []
    for stored in sent:
        item = items.get(stored.event_id, {})
        score = score_post_reply(post=item.get("text", ""), reply=stored.text,
                                 guidelines=game.guidelines, language=game.scenario.language,
                                 network=game.scenario.platform.network, action=stored.action)
        problems = [f.message for c in sorted(score.criteria, key=lambda c: not c.critical)
                    if c.critical or c.role == "hygiene" for f in c.findings if f.tone == "bad"]
        found.append(OtherReply(stored, item.get("name") or "a customer", item.get("text", ""),
                                list(dict.fromkeys(problems))))
    return found


def replay_of(session: Session, run: Run, at: int | None = None) -> Replay:
    """The debrief's replay alone, at `at` (the run's end by default): what the replay section
    of the debrief shows when it is opened, the same as `build(...).replay`."""
    game = runs.played(session, run)
    compiled = compile_scenario(game.scenario)
    end = run.finished_sim_s or 0
    actions = runs.trainee_actions(run)
    reviewed = frozenset(expected.event
                         for expected in _expected(game, compiled, actions, end))
    return replay(run, game.scenario, game.guidelines, compiled, actions, at=_within(at, end),
                  end=end, scores=standing_scores(run, compiled), reviewed=reviewed)


def _expected(game: runs.Played, compiled: CompiledScenario, actions: list,
              end: int) -> list[ExpectedReply]:
    """The events that expected something of the trainee during the run, with what was done."""
    targets = {event: target[0] for event, spec in compiled.events.items()
               if spec.expect is not None and spec.expect.reply_within is None
               and (target := response_target(game.scenario, game.guidelines, event))}
    return list(expected_replies(compiled, at=end, actions=actions, targets=targets))


def _within(at: int | None, end: int) -> int:
    return end if at is None else min(max(0, at), end)
