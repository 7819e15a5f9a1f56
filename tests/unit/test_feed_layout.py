"""The pages' layout of a feed (sandbox.practice_view.feed.arrange) puts every item where the
first, simpler layout did — posts newest first, comments in their post's thread (comments on
comments too), direct and team messages apart, mentions of the brand in the notifications —
on random scenarios and trainee runs, in one pass over the feed."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sandbox import library
from sandbox.core.replay import Feed, feed_at
from sandbox.core.scenario import load_guidelines
from sandbox.practice_view.feed import FeedEntry, arrange
from tests.conftest import SHIPPED
from tests.unit.replay.test_fast_feed import DURATION, runs


def reference_layout(feed, brand: str) -> dict:
    """The layout as it was first written: a parent map walked for every comment."""
    posts, threads, dms, team, notifications, public = [], {}, [], [], [], set()

    def root(item):
        parents = {i["id"]: i.get("reply_to") for i in feed.items}
        ref = item["reply_to"]
        while parents.get(ref):
            ref = parents[ref]
        return ref

    for item in feed.items:
        if item["stream"] == "dm":
            dms.append(item["id"])
        elif item["stream"] == "team":
            team.append(item["id"])
        elif item.get("reply_to") and item["reply_to"] in public:
            threads.setdefault(root(item), []).append(item["id"])
        else:
            public.add(item["id"])
            posts.append(item["id"])
        if item["id"] in public or item.get("reply_to"):
            public.add(item["id"])
        if item.get("kind") == "mention" or (
            item.get("from") != "trainee" and f"@{brand}" in (item.get("text") or "").lower()
            and not item.get("noise")):
            notifications.append(item["id"])
    return {"posts": posts[::-1], "threads": threads, "dms": dms, "team": team,
            "notifications": notifications[::-1]}


def replies_go_round(feed) -> bool:
    parents = {item["id"]: item.get("reply_to") for item in feed.items}
    for ref in parents:
        seen = set()
        while parents.get(ref):
            if ref in seen:
                return True
            seen.add(ref)
            ref = parents[ref]
    return False


def test_a_feed_whose_replies_go_round_is_laid_out_without_hanging():
    recall = library.find(str(SHIPPED), "sunnyfoods-recall").scenario
    items = [dict(item, id=ref, reply_to=parent, stream="feed", kind="comment")
             for item in feed_at(recall, at=60).items[:1]
             for ref, parent in (("a", "b"), ("b", "a"), ("c", "a"))]
    guidelines = load_guidelines(SHIPPED / "guidelines" / "sunnyfoods.yaml")
    view = arrange(recall, guidelines, Feed(at=60, finished=False, items=items))
    assert set(view.entries) == {"a", "b", "c"}


def ids(entries: list[FeedEntry]) -> list[str]:
    return [entry.id for entry in entries]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run=runs(), at=st.integers(0, DURATION))
def test_every_item_lands_where_the_first_layout_put_it(run, at):
    scenario, actions = run
    feed = feed_at(scenario, at=at, actions=actions)
    assume(not replies_go_round(feed))  # the first layout never came back from those
    guidelines = load_guidelines(SHIPPED / "guidelines" / "sunnyfoods.yaml")
    view = arrange(scenario, guidelines, feed)
    assert {"posts": ids(view.posts),
            "threads": {root: ids(comments) for root, comments in view.threads.items()},
            "dms": ids(view.dms), "team": ids(view.team),
            "notifications": ids(view.notifications)} == reference_layout(feed, "sunnyfoods")
    assert list(view.entries) == [item["id"] for item in feed.items]
    for root, comments in view.threads.items():
        assert all(comment.root == root for comment in comments)
