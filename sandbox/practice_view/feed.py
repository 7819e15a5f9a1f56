"""The feed as the pages lay it out: posts newest first with their threads, direct messages,
team messages, and the notifications that name the brand.

The core's feed (sandbox.core.replay) is a list of JSON-like items (DESIGN.md section 5); each
becomes one typed FeedEntry here, in one pass, so nothing downstream reads item keys. Used by the
practice page, the debrief's replay and the editor's preview.
"""

from dataclasses import dataclass, field
from typing import Any

from sandbox.core.replay import Feed, FeedItem, compile_scenario
from sandbox.core.scenario import Guidelines, Scenario, max_chars
from sandbox.core.vocabulary import ACTION_LABELS

TRAINEE = "trainee"  # the author of the trainee's own items


SHOWN_REPLIES = 3  # a thread longer than this folds its earlier replies ("Show more replies")
# The reactions a Facebook page shows on a post, by how hot it runs: a calm post gets likes and
# loves, a burning one angry and sad faces (our own icons, sandbox/static/icons/sprite.svg).
REACTIONS = {"calm": ("like", "love"), "warm": ("like", "love", "wow"),
             "hot": ("like", "angry", "wow"), "burning": ("angry", "sad", "like")}
COUNTS = ("replies", "shares", "likes", "views")  # as Twitter's actions bar shows them
# What a live update can redraw of an item's counts (practice/_counters.html): Twitter's counts
# one by one, Facebook's reactions row (`engagement`), and the heat badge.
REDRAW_ALL = ("engagement", *COUNTS, "heat")


def compact_count(number: int) -> str:
    """A count as the networks print it: 987, 1.2K, 12K, 3.4M."""
    for size, suffix in ((1_000_000, "M"), (1_000, "K")):
        if number >= size:
            value = number / size
            text = f"{value:.1f}" if value < 10 else f"{value:.0f}"
            return text.removesuffix(".0") + suffix
    return str(number)


@dataclass(slots=True)
class Engagement:
    likes: int
    shares: int
    views: int
    replies: int  # the replies shown under the item, exactly
    heat: int
    heat_level: str

    @classmethod
    def of(cls, counters: dict[str, Any]) -> "Engagement | None":
        if not counters:
            return None
        return cls(counters["likes"], counters["shares"], counters["views"], counters["replies"],
                   counters["heat"], counters["heat_level"])

    @property
    def reactions(self) -> tuple[str, ...]:
        """The reaction icons a Facebook post shows next to its count (none before any)."""
        return REACTIONS.get(self.heat_level, REACTIONS["calm"]) if self.likes else ()

    def redraw(self, before: "Engagement", network: str) -> tuple[str, ...]:
        """What of these counts reads differently from `before` on the page (a subset of
        REDRAW_ALL): counts print compactly (1.2K), so most moves of a big count show nothing
        new. Replies compare exactly (Facebook prints them in full)."""
        moved = [name for name in ("shares", "likes", "views")
                 if _shown(getattr(self, name)) != _shown(getattr(before, name))]
        if self.replies != before.replies:
            moved.append("replies")
        heat = self.heat_level != before.heat_level
        if network == "facebook":  # its row: reactions (by heat), likes, comments, shares
            row = heat or any(name != "views" for name in moved)
            return (("engagement",) if row else ()) + (("heat",) if heat else ())
        return tuple(moved) + (("heat",) if heat else ())


def _shown(value: int) -> str:
    return compact_count(value) if value else ""


@dataclass(slots=True, eq=False)  # one per item on every page: plain (not frozen) is faster
class FeedEntry:
    """One item of the feed, where the page shows it: `root` is the post whose thread a
    comment joins (None for a post, a direct or a team message)."""

    id: str
    kind: str
    stream: str  # feed | dm | team
    at: int
    author: str  # a persona key, or TRAINEE
    name: str
    handle: str
    text: str
    reply_to: str | None = None
    root: str | None = None
    notifies: bool = False  # listed in the notifications: a mention, or names the brand
    avatar: str | None = None
    verified: bool = False
    noise: bool = False
    topic: str | None = None
    engagement: Engagement | None = None
    hidden: bool = False
    liked: bool = False
    to: str | None = None  # the expert of an escalation
    score: int | None = None  # of the trainee's reply, when graded

    @property
    def mine(self) -> bool:
        return self.author == TRAINEE

    @classmethod
    def of(cls, item: FeedItem, *, root: str | None, notifies: bool) -> "FeedEntry":
        """The one place that reads the core's item keys (every item has those of
        sandbox.core.replay.compiled's templates; `to` and `score` only the trainee's)."""
        return cls(item["id"], item["kind"], item["stream"], item["at"], item["from"],
                   item["name"], item["handle"], item["text"] or "", item["reply_to"], root,
                   notifies, item["avatar"], item["verified"], item["noise"], item["topic"],
                   Engagement.of(item["engagement"]), item["hidden"], item["liked"],
                   item.get("to"), item.get("score"))


@dataclass(kw_only=True)
class FeedView:
    """The feed at `at`, laid out."""

    scenario: Scenario
    guidelines: Guidelines
    at: int
    finished_feed: bool = False  # the feed is over (time is up, or the scenario ended)
    posts: list[FeedEntry] = field(default_factory=list)  # top-level public items, newest first
    threads: dict[str, list[FeedEntry]] = field(default_factory=dict)  # post id -> comments
    dms: list[FeedEntry] = field(default_factory=list)
    # the direct messages per customer (the persona the conversation is with), in the order
    # the conversations started
    dm_threads: dict[str, list[FeedEntry]] = field(default_factory=dict)
    team: list[FeedEntry] = field(default_factory=list)
    notifications: list[FeedEntry] = field(default_factory=list)  # newest first
    entries: dict[str, FeedEntry] = field(default_factory=dict)  # by id, in feed order
    # item id -> the public replies to it, oldest first: a post's comments, a comment's answers
    replies: dict[str, list[FeedEntry]] = field(default_factory=dict)

    @property
    def network(self) -> str:
        return self.scenario.platform.network

    @property
    def max_chars(self) -> int:
        return max_chars(self.guidelines, self.network)

    @property
    def shows_handles(self) -> bool:
        """Twitter shows people's @handles; a Facebook page shows names only."""
        return self.network == "twitter"

    @property
    def brand(self) -> str:
        return self.scenario.platform.brand

    @property
    def over(self) -> bool:
        """A laid-out feed is read-only (the debrief's replay); the practice page's Workspace
        offers actions while its run goes on."""
        return True

    @property
    def page_category(self) -> str:
        """What a Facebook page header says under the page's name ("Page · Company")."""
        return "Company"

    @property
    def brand_avatar(self) -> str | None:
        """The brand account's picture, next to the "Write a comment…" box."""
        brand = compile_scenario(self.scenario).personas.get(TRAINEE)
        return brand.avatar if brand else None

    def replies_to(self, entry: FeedEntry) -> tuple[list[FeedEntry], list[FeedEntry]]:
        """The replies under `entry` as a thread shows them: (folded, shown). A long thread
        folds its earlier replies behind "Show more replies" and keeps the last few in view,
        where a new reply arrives."""
        replies = self.replies.get(entry.id, [])
        if len(replies) <= SHOWN_REPLIES + 1:  # folding one reply would save nothing
            return [], replies
        return replies[:-SHOWN_REPLIES], replies[-SHOWN_REPLIES:]

    def quoted(self, entry: FeedEntry) -> FeedEntry | None:
        """The public item the brand's reply answers, quoted above it."""
        if not entry.mine or not entry.reply_to:
            return None
        answered = self.entries.get(entry.reply_to)
        return answered if answered is not None and answered.stream == "feed" else None

    def action_label(self, entry: FeedEntry, action: str) -> str:
        """An action as the network words it; the scenario's action names stay the same."""
        if action == "hide":
            return self.hide_label(entry)[0]
        if action == "reply" and self.network == "facebook" and entry.root is None:
            return "Comment"
        return ACTION_LABELS[action]

    def hide_label(self, entry: FeedEntry) -> tuple[str, str]:
        """What the scenario's `hide` is called on this item, as the network calls it, and the
        badge once done: a page hides comments on Facebook; on Twitter the brand hides replies
        to its own tweets and mutes everyone else."""
        if self.network != "twitter":
            return "Hide", "hidden from the public"
        parent = self.entries.get(entry.reply_to) if entry.reply_to else None
        if parent is not None and parent.mine:
            return "Hide reply", "reply hidden"
        return f"Mute @{entry.handle}", "muted"


def arrange(scenario: Scenario, guidelines: Guidelines, feed: Feed, /, *,
            view: type[FeedView] = FeedView, **fields: Any) -> FeedView:
    """Lay the feed out (linear in its size). `view` and `fields` build a subclass
    (sandbox.practice_view.workspace.Workspace) the same way."""
    space = view(scenario=scenario, guidelines=guidelines, at=feed.at,
                 finished_feed=feed.finished, **fields)
    parents = {item["id"]: item.get("reply_to") for item in feed.items}
    tops: dict[str, str] = {}

    def top(ref: str) -> str:
        """The first item up the chain of replies (comments on comments share a thread); a
        chain that comes back on itself (the validator refuses those) stops where it does."""
        chain: list[str] = []
        seen: set[str] = set()
        while parents.get(ref) and ref not in tops and ref not in seen:
            chain.append(ref)
            seen.add(ref)
            ref = parents[ref]
        found = tops.get(ref, ref)
        for link in chain:
            tops[link] = found
        return found

    mention = f"@{scenario.platform.handle.lower()}"
    public: set[str] = set()
    for item in feed.items:
        ref, stream, reply_to = item["id"], item["stream"], item.get("reply_to")
        notifies = item.get("kind") == "mention" or (
            item.get("from") != TRAINEE and not item.get("noise")
            and mention in (item.get("text") or "").lower())
        root = top(reply_to) if stream == "feed" and reply_to and reply_to in public else None
        entry = FeedEntry.of(item, root=root, notifies=notifies)
        space.entries[ref] = entry
        if stream == "dm":
            space.dms.append(entry)
            person = entry.to if entry.mine else entry.author
            space.dm_threads.setdefault(person or "", []).append(entry)
        elif stream == "team":
            space.team.append(entry)
        elif root is not None:
            space.threads.setdefault(root, []).append(entry)
            space.replies.setdefault(reply_to, []).append(entry)
        else:
            space.posts.append(entry)
        if stream == "feed" or reply_to:
            public.add(ref)
        if notifies:
            space.notifications.append(entry)
    space.posts.reverse()
    space.notifications.reverse()
    return space
