"""The debrief's replay: the run's workspace as it was at any moment, and a marker on the slider for
everything that happened, so a trainee can watch their run again and jump to what mattered.

Both are derived like the practice page (sandbox.core.replay.feed_at, then
sandbox.practice_view.feed.arrange into a Workspace, so the page's own item partials show it),
from the stored actions: nothing here writes.
"""

from dataclasses import dataclass, field
from textwrap import shorten
from typing import ClassVar

from sandbox.core.replay import CompiledScenario, feed_at
from sandbox.core.replay.summary import describe_condition
from sandbox.models import Run, RunAction
from sandbox.practice_view.feed import FeedEntry, FeedView, arrange
from sandbox.practice_view.workspace import Workspace

# How many simulated seconds one second of Play shows.
REPLAY_SPEEDS: tuple[int, ...] = (1, 5, 10, 30)

# What the markers stand for, in the legend's order: scenario events and the branches that
# fired (the "Feed" lane), then what the trainee did (the "You" lane).
MARKER_KINDS: dict[str, str] = {
    "event": "Post, message or team answer",
    "branch": "Scenario reaction",
    "reply": "Your reply or DM",
    "move_to_dm": "Move to DM",
    "escalate": "Escalation",
    "like": "Like",
    "hide": "Hide or mute",
}
FEED_LANE = ("event", "branch")

_WHAT = {"post": "post", "comment": "comment", "mention": "mention", "dm": "message",
         "internal": "message"}
_DID = {"post": "posted", "comment": "commented", "mention": "mentioned you", "dm": "sent a DM",
        "internal": "wrote in the team panel"}


@dataclass(frozen=True)
class Marker:
    """One thing that happened at `at` (simulated seconds), as the slider shows it."""

    at: int
    kind: str  # a key of MARKER_KINDS
    what: str  # in words: "You replied to Maria Kowalski"
    event: str | None = None  # the scenario event it is about (canonical id)
    score: dict | None = None  # a reply's score that stands (the debrief's one score)
    sent_overall: int | None = None  # its score when sent, when that differs

    @property
    def lane(self) -> str:
        return "feed" if self.kind in FEED_LANE else "you"

    @property
    def label(self) -> str:
        """What happened, with a reply's score: "You replied to Maria Kowalski · 78/100"."""
        return f"{self.what} · {self.score['overall']}/100" if self.score else self.what


@dataclass
class Replay:
    """The run at `at` (0 to the run's `end`) and the markers of the whole run."""

    space: Workspace  # the workspace as it was at `at`
    at: int
    end: int
    markers: list[Marker]
    reviewed: frozenset[str] = field(default_factory=frozenset)  # events with a debrief card
    speeds: ClassVar[tuple[int, ...]] = REPLAY_SPEEDS
    kinds: ClassVar[dict[str, str]] = MARKER_KINDS

    def position(self, at: int) -> str:
        """Where `at` is on the slider, as an SVG length ("37.500%")."""
        return f"{100 * at / self.end:.3f}%" if self.end else "0%"

    def lane(self, name: str) -> list[Marker]:
        return [marker for marker in self.markers if marker.lane == name]

    @property
    def default_speed(self) -> int:
        """The slowest speed that plays the whole run in three minutes or less."""
        return next((speed for speed in self.speeds if self.end <= 180 * speed), self.speeds[-1])

    @property
    def previous_moment(self) -> int | None:
        return max((marker.at for marker in self.markers if marker.at < self.at), default=None)

    @property
    def next_moment(self) -> int | None:
        return min((marker.at for marker in self.markers if marker.at > self.at), default=None)

    @property
    def so_far(self) -> list[Marker]:
        """What the trainee did, and the reactions it brought, by `at`: newest first."""
        return [marker for marker in reversed(self.markers)
                if marker.at <= self.at and marker.kind != "event"]


def replay(run: Run, scenario, guidelines, compiled: CompiledScenario, actions: list, *,
           at: int, end: int, scores: list[dict | None],
           reviewed: frozenset[str] = frozenset()) -> Replay:
    """The replay of a finished run at `at`; `scores` are the scores that stand, one per stored
    action (standing_scores). At the run's end (where the debrief opens) the moment shown is
    the whole run the markers are read from: the feed is built once."""
    shown = moment(run, scenario, guidelines, compiled, actions, at=at, end=end, scores=scores)
    whole = shown if at == end else None
    return Replay(shown, at, end,
                  markers(run, scenario, guidelines, compiled, actions, end=end, scores=scores,
                          whole=whole), reviewed)


def moment(run: Run, scenario, guidelines, compiled: CompiledScenario, actions: list, *,
           at: int, end: int, scores: list[dict | None]) -> Workspace:
    """The workspace at `at`, laid out as the practice page lays it out, each of the trainee's
    replies carrying the score that stands in the debrief (`scores`, one per stored action)."""
    feed = feed_at(compiled, at=at, actions=actions)
    space = arrange(scenario, guidelines, feed, view=Workspace, run=run, feed=feed, due=end,
                    actions=actions)
    _score_replies(space, scores)
    return space


def _score_replies(space: FeedView, scores: list[dict | None]) -> None:
    for entry in space.entries.values():
        number = _action_number(entry)
        if number is not None and scores[number]:
            entry.score = scores[number]["overall"]


def markers(run: Run, scenario, guidelines, compiled: CompiledScenario, actions: list, *,
            end: int, scores: list[dict | None], whole: Workspace | None = None) -> list[Marker]:
    """Every scenario event that appeared during the run, every action of the trainee and every
    branch that fired, in time order (replay.js stacks close ones in rows). `whole`: the run
    at its end, when it is laid out already."""
    if whole is None:
        ended = feed_at(compiled, at=end, actions=actions)
        view: FeedView = arrange(scenario, guidelines, ended)
    else:
        ended, view = whole.feed, whole
    found: list[Marker] = []
    for entry in view.entries.values():
        spec = compiled.events.get(entry.id)
        if spec is not None and entry.at >= 0:  # what was there before the start is no moment
            found.append(Marker(entry.at, "event", f"{entry.name} {_DID[entry.kind]}: "
                                f"“{_excerpt(entry.text)}”", event=spec.id))
    for number, stored in enumerate(run.actions):
        if _part_of_move_to_dm(run.actions, number):
            continue  # its public note stands for both
        ref = compiled.canonical(stored.event_id) or stored.event_id
        found.append(Marker(stored.sim_at, _kind(stored.action),
                            _did(view, compiled, stored, ref), event=ref, score=scores[number],
                            sent_overall=sent_score(stored, scores[number])))
    for branch in ended.fired:
        target = view.entries.get(branch.event)
        where = f" on {target.name}’s {_WHAT.get(target.kind, 'post')}" if target else ""
        goto = "the scenario ends" if branch.goto == "end" else branch.goto.replace("_", " ")
        found.append(Marker(branch.at, "branch",
                            f"Reaction{where}: {describe_condition(branch)} → {goto}",
                            event=branch.event))
    found.sort(key=lambda marker: (marker.at, list(MARKER_KINDS).index(marker.kind)))
    return found


def standing_scores(run: Run, compiled: CompiledScenario) -> list[dict | None]:
    """The score that stands for each stored action, in order: the run result grades each
    event's graded texts again with all that was done on the event, in the same order; an
    action it did not grade keeps its score when sent (None when it was never graded)."""
    graded = {entry["event"]: iter(entry.get("replies") or [])
              for entry in (run.result or {}).get("events", [])}
    scores: list[dict | None] = []
    for stored in run.actions:
        score = stored.score
        if score is not None:
            again = graded.get(compiled.canonical(stored.event_id) or stored.event_id)
            score = (next(again, None) if again is not None else None) or score
        scores.append(score)
    return scores


def sent_score(stored: RunAction, standing: dict | None) -> int | None:
    """The score `stored` had when sent, when the one that stands differs (an escalation made
    after it counts too); None otherwise."""
    if standing is None or stored.overall is None or standing.get("overall") == stored.overall:
        return None
    return stored.overall


def _kind(action: str) -> str:
    return "reply" if action == "dm" else action


def _did(view: FeedView, compiled: CompiledScenario, stored: RunAction, ref: str) -> str:
    """`You replied to Maria Kowalski`: the trainee's action in words."""
    target = view.entries.get(ref)
    name = target.name if target else ref
    what = f"{name}’s {_WHAT.get(target.kind, 'post')}" if target else name
    if stored.action == "reply":
        return f"You replied to {name}"
    if stored.action == "dm":
        return f"You sent {name} a DM"
    if stored.action == "move_to_dm":
        return f"You moved {name} to DM"
    if stored.action == "escalate":
        expert = compiled.personas.get(stored.to or "")
        return f"You escalated {what}" + (f" to {expert.name}" if expert else "")
    if stored.action == "like":
        return f"You liked {what}"
    if target is not None and view.hide_label(target)[1] == "muted":
        return f"You muted @{target.handle}"
    return f"You hid {what}"


def _part_of_move_to_dm(actions: list[RunAction], number: int) -> bool:
    """The private message stored with a move to DM (runs.record_action stores both)."""
    stored = actions[number]
    previous = actions[number - 1] if number else None
    return (stored.action == "dm" and previous is not None and previous.action == "move_to_dm"
            and previous.event_id == stored.event_id and previous.sim_at == stored.sim_at)


def _action_number(entry: FeedEntry) -> int | None:
    """The stored action behind one of the trainee's items (`action.3` is the fourth)."""
    if not entry.mine or not entry.id.startswith("action."):
        return None
    return int(entry.id.removeprefix("action."))


def _excerpt(text: str) -> str:
    return shorten(" ".join(text.split()), 70, placeholder="…")
