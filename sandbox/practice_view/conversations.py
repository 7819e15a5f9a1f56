"""Where every conversation stands, as a social-care inbox shows it: waiting (with the response
clock against the scorer's target), answered (how fast), escalated (to whom, and whether the
team has replied), moved to DM, hidden.

A conversation is a post with its thread of comments, or a direct-message thread with one
person. Its messages are the customers' items the brand owes an answer, and the ones the
trainee acted on anyway. The brand owes an answer where the scenario expects one (the scorer
times it against `grading.response_target`, the target the briefing announces and the debrief
grades), and to a customer who writes again once the brand has joined the conversation (a DM,
or a comment after the brand's own; the guidelines' response time, read the same way). Pure: a
function of the laid-out feed and the run's actions, computed for the page that shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sandbox.core.grading import response_target
from sandbox.core.replay import TraineeAction, compile_scenario
from sandbox.core.replay.branches import answered_by, index_actions
from sandbox.core.replay.compiled import EventSpec
from sandbox.core.replay.feed import escalation_target
from sandbox.core.vocabulary import ANSWERS, PRIVATE_ANSWERS
from sandbox.practice_view.feed import FeedEntry, FeedView


class Status(StrEnum):
    WAITING = "waiting"  # the brand owes an answer and nobody has it: the clock runs
    ESCALATED = "escalated"  # with the team, the customer still waiting for the brand
    ANSWERED = "answered"
    MOVED_TO_DM = "moved_to_dm"
    HIDDEN = "hidden"


class InboxView(StrEnum):
    """The inbox's filters, as a social-care tool offers them."""

    ALL = "all"
    WAITING = "waiting"
    MINE = "mine"
    ESCALATED = "escalated"

    @classmethod
    def of(cls, value: str | None) -> InboxView:
        """The view a query string asks for; anything else (or nothing) shows everything."""
        try:
            return cls(value or cls.ALL)
        except ValueError:
            return cls.ALL

    @property
    def label(self) -> str:
        return VIEW_LABELS[self]

    @property
    def explanation(self) -> str:
        return VIEW_EXPLANATIONS[self]

    @property
    def empty(self) -> str:
        """What the inbox says when nothing is in this view."""
        return VIEW_EMPTY[self]


VIEW_LABELS = {InboxView.ALL: "All", InboxView.WAITING: "Waiting",
               InboxView.MINE: "Mine to answer", InboxView.ESCALATED: "Escalated"}
VIEW_EXPLANATIONS = {
    InboxView.ALL: "Every post and direct-message thread, newest first.",
    InboxView.WAITING: "Customers still waiting for an answer from the brand, escalated or not.",
    InboxView.MINE: "Customers waiting for your answer: not escalated, or escalated and the "
                    "team has replied to you.",
    InboxView.ESCALATED: "Conversations you handed to the team, waiting for their reply or "
                         "replied.",
}

VIEW_EMPTY = {
    InboxView.ALL: "Nothing yet. Posts appear as the clock runs.",
    InboxView.WAITING: "Nobody is waiting for an answer right now.",
    InboxView.MINE: "Nobody is waiting for your answer right now.",
    InboxView.ESCALATED: "You have not escalated anything yet.",
}


@dataclass(frozen=True)
class Escalation:
    expert: str  # whom, as the team panel names them
    at: int
    team_replied_at: int | None = None  # the expert's first message after the escalation


@dataclass(frozen=True)
class Message:
    """One customer item in a conversation and what the brand did about it (simulated s)."""

    id: str
    author: str  # the name shown
    shown_at: int
    public: bool
    owed: bool  # the scenario expects an answer (the scorer times it), or a follow-up
    target: int | None = None  # the response target the scorer reads for it (seconds)
    answered_at: int | None = None  # first reply, DM or move to DM (or a DM to its author)
    answered_with: str | None = None  # the action that answered it
    escalation: Escalation | None = None
    hidden_at: int | None = None
    hidden_as: str = "hidden"  # how the network words it: "hidden from the public", "muted"

    @property
    def waiting(self) -> bool:
        """Owed an answer and not answered yet: hiding a post does not answer its author."""
        return self.owed and self.answered_at is None

    @property
    def mine_to_answer(self) -> bool:
        """Waiting, and not parked with the team (nobody escalated it, or the team replied)."""
        return self.waiting and (self.escalation is None
                                 or self.escalation.team_replied_at is not None)

    @property
    def response_time(self) -> int | None:
        return None if self.answered_at is None else self.answered_at - self.shown_at

    @property
    def on_time(self) -> bool | None:
        """Answered within the target; None when unanswered or no target applies."""
        if self.response_time is None or self.target is None:
            return None
        return self.response_time <= self.target

    @property
    def status(self) -> Status | None:
        if self.answered_at is not None:
            moved = self.answered_with == "move_to_dm" or (
                self.public and self.answered_with in PRIVATE_ANSWERS)
            return Status.MOVED_TO_DM if moved else Status.ANSWERED
        if self.escalation is not None:
            return Status.ESCALATED
        if self.owed:
            return Status.WAITING
        return Status.HIDDEN if self.hidden_at is not None else None


@dataclass(frozen=True)
class Conversation:
    """A post and its thread, or a DM thread: `key` is the post's id or the person's key."""

    key: str
    at: int  # the moment the page shows
    messages: tuple[Message, ...]  # in the order they appeared
    moved_from: str | None = None  # a DM thread opened by moving this public post to DM

    @property
    def waiting(self) -> Message | None:
        """The customer who has waited longest for an answer: the clock shown."""
        return next((m for m in self.messages if m.waiting), None)

    @property
    def waited(self) -> int:
        return self.at - self.waiting.shown_at if self.waiting else 0

    @property
    def answer(self) -> Message | None:
        """The latest answered message."""
        return next((m for m in reversed(self.messages) if m.answered_at is not None), None)

    @property
    def escalation(self) -> Escalation | None:
        return next((m.escalation for m in reversed(self.messages) if m.escalation), None)

    @property
    def hidden(self) -> Message | None:
        return next((m for m in reversed(self.messages) if m.hidden_at is not None), None)

    @property
    def status(self) -> Status | None:
        waiting = [m for m in self.messages if m.waiting]
        if any(m.escalation is None for m in waiting):
            return Status.WAITING
        if waiting:
            return Status.ESCALATED
        settled = [m.status for m in self.messages if m.status is not None]
        return settled[-1] if settled else None

    @property
    def views(self) -> frozenset[InboxView]:
        found = {InboxView.ALL}
        if any(m.waiting for m in self.messages):
            found.add(InboxView.WAITING)
        if any(m.mine_to_answer for m in self.messages):
            found.add(InboxView.MINE)
        if any(m.escalation for m in self.messages):
            found.add(InboxView.ESCALATED)
        return frozenset(found)

    @property
    def view_names(self) -> str:
        """The views it shows in, for the page's filter (a data attribute)."""
        return " ".join(view.value for view in InboxView if view in self.views)


@dataclass(frozen=True)
class Inbox:
    posts: dict[str, Conversation]  # by post id: posts that have a conversation
    threads: dict[str, Conversation]  # by the person a DM thread is with
    shown: int  # posts and DM threads on the page: what "All" shows

    def count(self, view: InboxView) -> int:
        if view is InboxView.ALL:
            return self.shown
        return sum(view in conversation.views
                   for conversation in (*self.posts.values(), *self.threads.values()))

    @property
    def counts(self) -> list[tuple[InboxView, int]]:
        return [(view, self.count(view)) for view in InboxView]


def answer_expected(spec: EventSpec | None) -> bool:
    """The scenario expects the brand to answer this customer item (as the scorer and the
    briefing's response targets read `expect`)."""
    if spec is None or spec.expect is None or spec.kind == "internal":
        return False
    wanted = set(spec.expect.actions or ())
    return not wanted or bool(wanted & ANSWERS)


def inbox(view: FeedView, actions: Sequence[TraineeAction]) -> Inbox:
    """Every conversation of the feed laid out in `view`, after the trainee's `actions`."""
    compiled = compile_scenario(view.scenario)
    taken = [action for action in actions if action.at <= view.at]
    index = index_actions(compiled, taken)
    first_answer: dict[str, TraineeAction] = {}
    escalated: dict[str, TraineeAction] = {}
    acted: set[str] = set()
    for action in taken:
        ref = compiled.canonical(action.event) or action.event
        if action.action in ANSWERS:
            first_answer.setdefault(ref, action)
        elif action.action == "escalate":
            escalated.setdefault(ref, action)
        if action.action != "like":
            acted.add(ref)
    team_times: dict[str, list[int]] = {}
    for entry in view.team:
        if not entry.mine:
            team_times.setdefault(entry.author, []).append(entry.at)
    experts = compiled.scenario.experts

    def escalation(ref: str) -> Escalation | None:
        action = escalated.get(ref)
        if action is None:
            return None
        key = escalation_target(compiled, action) or ""
        expert = experts[key].name if key in experts else "the team"
        replied = next((at for at in team_times.get(key, ()) if at >= action.at), None)
        return Escalation(expert=expert, at=action.at, team_replied_at=replied)

    def message(entry: FeedEntry, brand_since: int | None) -> Message | None:
        if entry.mine or entry.stream == "team":
            return None
        spec = compiled.events.get(entry.id)
        # A customer who writes again in a conversation the brand has joined (a DM, or a
        # comment after the brand's own) waits for an answer too, as in a social-care inbox,
        # unless the brand liked it (a thank-you): the guidelines' response time applies.
        follow_up = (spec is not None and spec.kind != "internal" and brand_since is not None
                     and brand_since <= entry.at and entry.id not in index.liked)
        owed = answer_expected(spec) or follow_up
        if not owed and entry.id not in acted:
            return None
        if spec is not None:
            answered = answered_by(spec, entry.at, index)
        else:  # chatter: only answered where the trainee answered it
            answered = first_answer[entry.id].at if entry.id in first_answer else None
        first = first_answer.get(entry.id)
        how = None if answered is None else (
            first.action if first is not None and first.at == answered else "dm")
        target = response_target(view.scenario, view.guidelines, entry.id) if owed else None
        return Message(
            id=entry.id, author=entry.name, shown_at=entry.at, public=entry.stream == "feed",
            owed=owed, target=target[0] if target else None, answered_at=answered,
            answered_with=how, escalation=escalation(entry.id),
            hidden_at=index.hidden_at.get(entry.id),
            hidden_as=view.hide_label(entry)[1] if entry.stream == "feed" else "hidden")

    def conversation(key: str, entries: Sequence[FeedEntry], brand_since: int | None,
                     moved_from: str | None = None) -> Conversation | None:
        messages = tuple(m for entry in entries
                         if (m := message(entry, brand_since)) is not None)
        if not messages and moved_from is None:
            return None
        return Conversation(key=key, at=view.at, messages=messages, moved_from=moved_from)

    posts = {}
    for post in view.posts:
        entries = [post, *view.threads.get(post.id, ())]
        brand_since = next((entry.at for entry in entries if entry.mine), None)
        if (found := conversation(post.id, entries, brand_since)) is not None:
            posts[post.id] = found
    threads = {}
    for person, thread in view.dm_threads.items():
        moved = next((entry.reply_to for entry in thread
                      if entry.mine and entry.reply_to and _public(view, entry.reply_to)), None)
        found = conversation(person, thread, 0, moved)  # a DM is always to the brand
        if found is not None:
            threads[person] = found
    return Inbox(posts=posts, threads=threads, shown=len(view.posts) + len(view.dm_threads))


def _public(view: FeedView, ref: str) -> bool:
    source = view.entries.get(ref)
    return source is not None and source.stream == "feed"
