"""A live update redraws only the counts that read differently on the page
(sandbox.practice_view.feed.Engagement.redraw): counts print compactly, so most moves of a big
count show nothing new; whatever it leaves out reads the same as before."""

from hypothesis import given
from hypothesis import strategies as st

from sandbox.practice_view.feed import REDRAW_ALL, Engagement, compact_count

LEVELS = ("calm", "warm", "hot", "burning")


def engagement(likes=0, shares=0, views=0, replies=0, heat_level="calm") -> Engagement:
    return Engagement(likes, shares, views, replies, 0, heat_level)


def test_views_grown_within_the_same_thousand_redraw_nothing_on_twitter():
    before = engagement(likes=3, views=2_710)
    assert engagement(likes=3, views=2_740).redraw(before, "twitter") == ()
    assert engagement(likes=3, views=2_760).redraw(before, "twitter") == ("views",)  # 2.8K


def test_a_facebook_row_is_redrawn_when_what_it_shows_moves_and_not_for_views():
    before = engagement(likes=4, views=100, replies=1)
    assert engagement(likes=4, views=180, replies=1).redraw(before, "facebook") == ()
    assert engagement(likes=5, views=180, replies=1).redraw(before, "facebook") == ("engagement",)
    hotter = engagement(likes=4, views=100, replies=1, heat_level="hot")
    assert hotter.redraw(before, "facebook") == ("engagement", "heat")  # its reaction icons too


def test_replies_are_compared_exactly_as_facebook_prints_them_in_full():
    before = engagement(replies=1_001)
    assert engagement(replies=1_002).redraw(before, "twitter") == ("replies",)


counts = st.integers(0, 3_000_000)


@given(before=st.tuples(counts, counts, counts, counts, st.sampled_from(LEVELS)),
       after=st.tuples(counts, counts, counts, counts, st.sampled_from(LEVELS)),
       network=st.sampled_from(("twitter", "facebook")))
def test_what_is_not_redrawn_reads_the_same(before, after, network):
    was, now = engagement(*before), engagement(*after)
    redraw = now.redraw(was, network)
    assert set(redraw) <= set(REDRAW_ALL)

    def shown(e: Engagement, name: str) -> str:
        value = getattr(e, name)
        return (compact_count(value) if value else "") if name != "replies" else str(value)

    if "heat" not in redraw:
        assert now.heat_level == was.heat_level
    if network == "twitter":
        for name in ("replies", "shares", "likes", "views"):
            if name not in redraw:
                assert shown(now, name) == shown(was, name)
    elif "engagement" not in redraw:
        assert now.reactions == was.reactions
        assert [shown(now, name) for name in ("likes", "shares", "replies")] == \
            [shown(was, name) for name in ("likes", "shares", "replies")]
