"""Counts that move: likes, reposts and views grow with time and heat, never go down, a post is
seen more often than it is liked, and the reply count is exactly the replies the thread shows."""

import pytest

from sandbox import library
from sandbox.core.replay import TraineeAction, feed_at
from sandbox.core.replay.engagement import engagement, growth_for
from sandbox.practice_view.feed import arrange
from tests.conftest import SHIPPED

GROWING = ("likes", "shares", "views")


def laid_out(entry, at, actions=()):
    return arrange(entry.scenario, entry.guidelines, feed_at(entry.scenario, at=at,
                                                             actions=list(actions)))


def test_counts_never_go_down_as_the_clock_runs():
    growth = growth_for(virality="high", followers=2000, needs_answer=True, jitter_seed=7)
    moments = [engagement(growth, shown_at=30, now=now) for now in range(30, 3600, 45)]
    for earlier, later in zip(moments, moments[1:], strict=False):
        assert all(later[key] >= earlier[key] for key in GROWING)
    assert moments[-1]["likes"] > moments[1]["likes"] > 0


def test_a_post_is_seen_more_often_than_it_is_liked():
    for virality in ("low", "medium", "high"):
        growth = growth_for(virality=virality, followers=300, needs_answer=False, jitter_seed=1)
        for now in (0, 10, 60, 600, 3600):
            counters = engagement(growth, shown_at=0, now=now)
            assert counters["views"] >= counters["likes"] >= counters["shares"]
    grown = engagement(growth_for(virality="medium", followers=300, needs_answer=False,
                                  jitter_seed=1), shown_at=0, now=1800)
    assert grown["views"] > 10 * grown["likes"]


def test_a_viral_post_left_unanswered_gathers_more_views_than_a_quiet_one():
    quiet = growth_for(virality="low", followers=300, needs_answer=False, jitter_seed=3)
    viral = growth_for(virality="high", followers=300, needs_answer=True, jitter_seed=3)
    assert (engagement(viral, shown_at=0, now=1200)["views"]
            > 5 * engagement(quiet, shown_at=0, now=1200)["views"])


def test_a_hidden_post_stops_gathering_views():
    growth = growth_for(virality="high", followers=300, needs_answer=True, jitter_seed=3)
    at_hide = engagement(growth, shown_at=0, now=600, hidden_at=600)
    assert engagement(growth, shown_at=0, now=1800, hidden_at=600)["views"] == at_hide["views"]


def test_the_reply_count_is_the_replies_the_thread_shows_at_every_moment():
    recall = library.find(str(SHIPPED), "sunnyfoods-recall")
    answer = TraineeAction(at=200, action="reply", event="first_post",
                           text="Hi Maria, so sorry. Batch 22B is recalled. - Sam", score=80)
    for at in range(0, recall.scenario.duration + 1, 60):
        space = laid_out(recall, at, [answer] if at >= 200 else [])
        for entry in space.entries.values():
            if entry.engagement is not None:
                assert entry.engagement.replies == len(space.replies.get(entry.id, [])), \
                    (at, entry.id)


@pytest.mark.parametrize("slug", sorted(entry.slug for entry in library.entries(str(SHIPPED))))
def test_no_shipped_scenario_counts_a_reply_it_does_not_show(slug):
    entry = library.find(str(SHIPPED), slug)
    space = laid_out(entry, entry.scenario.duration)
    shown = {ref: len(replies) for ref, replies in space.replies.items()}
    counted = {entry.id: entry.engagement.replies for entry in space.entries.values()
               if entry.engagement is not None and entry.engagement.replies}
    assert counted == shown


def test_the_brands_like_is_one_more_like_and_one_more_view():
    recall = library.find(str(SHIPPED), "sunnyfoods-recall")
    before = laid_out(recall, 600).entries["first_post"].engagement
    like = TraineeAction(at=500, action="like", event="first_post")
    after = laid_out(recall, 600, [like]).entries["first_post"].engagement
    assert (after.likes, after.views) == (before.likes + 1, before.views + 1)


def test_a_long_thread_folds_its_earlier_replies_and_keeps_the_last_three_in_view():
    entry = library.find(str(SHIPPED), "verveline-mica-crise")
    space = laid_out(entry, entry.scenario.duration)
    post = space.entries["rapport"]
    folded, shown = space.replies_to(post)
    assert len(shown) == 3 and folded == space.replies["rapport"][:-3] and folded


def test_the_brands_reply_quotes_the_post_it_answers():
    recall = library.find(str(SHIPPED), "sunnyfoods-recall")
    answer = TraineeAction(at=200, action="reply", event="first_post", text="Hi Maria. - Sam")
    space = laid_out(recall, 300, [answer])
    mine = next(entry for entry in space.entries.values() if entry.mine)
    assert space.quoted(mine) is space.entries["first_post"]
    assert space.quoted(space.entries["first_post"]) is None

