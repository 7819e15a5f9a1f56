"""The practice page as a social-care inbox: each conversation says where it stands (waiting
with its response clock, answered, escalated), and the filters All / Waiting / Mine to answer /
Escalated count and show them, from a query parameter (GET never writes)."""

import re

import pytest

from sandbox import library
from sandbox.core.grading import response_target
from tests.web.test_practice import GOOD_REPLY, act, rewind, start, trainee  # noqa: F401

pytestmark = pytest.mark.usefixtures("trainee")

HTMX = {"HX-Request": "true"}


def counts(html: str) -> dict[str, int]:
    return {view: int(number) for view, number in
            re.findall(r'id="inbox-count-(\w+)" class="inbox-count"[^>]*>(\d+)<', html)}


def conversation(html: str, ref: str = "first_post") -> str:
    found = re.search(rf'<div id="conv-item-{ref}".*?</div>', html, re.S)
    assert found, f"no conversation state for {ref}"
    return found.group(0)


def views_of(html: str, ref: str = "first_post") -> set[str]:
    return set(re.search(r'data-inbox="([^"]*)"', conversation(html, ref)).group(1).split())


def shown_in(html: str, view: str) -> int:
    """How many conversations on the page say they belong to `view`."""
    return sum(view in found.split() for found in re.findall(r'data-inbox="([^"]*)"', html))


def test_a_post_waiting_for_an_answer_shows_its_clock_against_the_scorers_target(
        app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)  # Maria posted at 30s
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    state = conversation(page)
    entry = library.find(app.config["SCENARIOS_DIR"], "sunnyfoods-recall")
    target, _ = response_target(entry.scenario, entry.guidelines, "first_post")
    assert "Waiting" in state and 'data-since="30"' in state
    assert f'data-target="{target}"' in state and f"/ {target // 60}:00 target" in state
    assert views_of(page) == {"all", "waiting", "mine"}


def test_the_filters_count_the_conversations_they_show(app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    found = counts(page)
    assert set(found) == {"all", "waiting", "mine", "escalated"}
    assert found["waiting"] == shown_in(page, "waiting") >= 1
    assert found["mine"] == shown_in(page, "mine") >= 1
    assert found["escalated"] == 0
    assert found["all"] == page.count('<div id="conv-') >= 1  # every post and DM thread


def test_an_escalated_post_leaves_mine_to_answer_until_the_team_replies(app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)
    act(client, auth, run_id, event="first_post", action="escalate", to="quality_team",
        text="Parent reports a sick child after batch 22B.")
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert views_of(page) == {"all", "waiting", "escalated"}
    assert "Escalated to Quality &amp; Safety desk" in conversation(page)
    assert "waiting for the team" in conversation(page)
    assert counts(page)["escalated"] == 1
    rewind(app, run_id, 200)  # the quality desk answers 3 minutes after the escalation
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert "the team replied" in conversation(page)
    assert views_of(page) == {"all", "waiting", "mine", "escalated"}


def test_an_answered_post_says_how_fast_and_leaves_the_waiting_filter(app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 90)
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    state = conversation(page)
    assert re.search(r"Answered\s+in 1:0\d", state) and "within the 10:00 target" in state
    assert views_of(page) == {"all"}


def test_a_filter_is_a_query_parameter_that_the_page_marks(app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)
    page = client.get(f"/runs/{run_id}?inbox=mine").get_data(as_text=True)
    assert 'data-filter="mine"' in page
    assert re.search(r'inbox=mine"[^>]*aria-current="true">Mine to answer', page)
    assert "not escalated, or escalated and the team has replied" in page  # what "mine" means
    assert "My 4yo was sick" in page  # the feed is all there: the stylesheet filters it


@pytest.mark.parametrize("asked", ["bogus", "", "<script>", "ALL"])
def test_an_unknown_filter_shows_everything_rather_than_an_error(app, client, auth, asked):
    run_id = start(client, auth, speed=1)
    response = client.get(f"/runs/{run_id}", query_string={"inbox": asked})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-filter="all"' in page and "<script>" not in page.split('id="inbox"')[1][:2000]


def test_with_htmx_a_filter_swaps_only_the_inbox_bar_so_a_draft_stays(app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)
    fragment = client.get(f"/runs/{run_id}?inbox=waiting", headers=HTMX).get_data(as_text=True)
    assert fragment.lstrip().startswith('<nav id="inbox"')
    assert 'data-filter="waiting"' in fragment and counts(fragment)["waiting"] >= 1
    assert "feed-items" not in fragment and "<textarea" not in fragment


def test_a_live_update_brings_the_new_state_and_counts(app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 40)
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    update = client.get(f"/runs/{run_id}/live?since=35&acts=0&due=60",
                        headers=HTMX).get_data(as_text=True)
    assert re.search(r'<div id="conv-item-first_post"[^>]*hx-swap-oob="true"', update)
    assert "Answered" in conversation(update)
    assert re.search(r'id="inbox-count-waiting" class="inbox-count"[^>]*hx-swap-oob="true"',
                     update)



def test_an_update_with_no_new_item_and_no_action_leaves_the_conversations_as_they_stand(
        app, client, auth):
    """Where a conversation stands follows from the items shown and the trainee's actions; its
    clock ticks in the browser. So an update that only moves counts redraws no conversation,
    and the next one that brings an item or an action does."""
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 400)
    quiet = None
    for since in range(60, 399):  # a second of the run in which nobody posted
        update = client.get(f"/runs/{run_id}/live?since={since}&acts=0&due=0",
                            headers=HTMX).get_data(as_text=True)
        if 'hx-swap-oob="afterbegin' not in update and 'hx-swap-oob="beforeend' not in update:
            quiet = update
            break
    assert quiet is not None and ('id="views-' in quiet or 'id="eng-' in quiet)
    assert '<div id="conv-' not in quiet and 'id="inbox-count-' not in quiet
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    update = client.get(f"/runs/{run_id}/live?since={since}&acts=0&due=0",
                        headers=HTMX).get_data(as_text=True)
    assert "Answered" in conversation(update) and counts(update)


def test_an_update_bringing_another_post_leaves_maria_s_conversation_as_it_stands(
        app, client, auth):
    run_id = start(client, auth, speed=1)
    rewind(app, run_id, 400)
    for since in range(60, 399):
        update = client.get(f"/runs/{run_id}/live?since={since}&acts=0&due=0",
                            headers=HTMX).get_data(as_text=True)
        if ('hx-swap-oob="afterbegin:#feed-items"' in update
                and "thread-item-first_post" not in update):
            break
    else:
        pytest.fail("no post appeared between 1 and 400 seconds")
    assert '<div id="conv-item-first_post"' not in update
    act(client, auth, run_id, event="first_post", action="reply", text=GOOD_REPLY)
    update = client.get(f"/runs/{run_id}/live?since={since}&acts=0&due=0",
                        headers=HTMX).get_data(as_text=True)
    assert "Answered" in conversation(update)
