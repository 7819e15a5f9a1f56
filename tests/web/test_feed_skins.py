"""The practice page in each network's skin: Twitter shows @handles, views and its own icons;
a Facebook page shows names only, reactions, a page header and a "Write a comment…" box."""

import re
import shutil

import pytest
from flask import render_template

from sandbox import library
from sandbox.core.replay import TraineeAction, feed_at
from sandbox.practice_view.feed import arrange
from tests.conftest import SHIPPED
from tests.web.test_practice import act, rewind, start


@pytest.fixture
def trainee(auth, make_user, library):
    shutil.copy(SHIPPED / "tandemy-posted-details.yaml", library)
    shutil.copy(SHIPPED / "guidelines" / "tandemy.yaml", library / "guidelines")
    make_user("trainee", email="tess@example.com", name="Tess Lee")
    auth.login("tess@example.com")


def start_facebook(client, auth) -> int:
    token = auth.csrf_token("/practice/tandemy-posted-details")
    response = client.post("/practice/tandemy-posted-details/start",
                           data={"mode": "practice", "speed": 10, "csrf_token": token})
    return int(re.search(r"/runs/(\d+)$", response.headers["Location"]).group(1))


def test_the_twitter_timeline_shows_handles_views_and_local_icons(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 60)  # 10 simulated minutes
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    assert 'class="handle">@' in page
    assert 'id="views-item-first_post"' in page and 'title="Views"' in page
    icons = re.findall(r'<use href="([^"]+)"', page)
    assert icons and all(href.startswith("/static/icons/sprite.svg#") for href in icons)
    sprite = client.get("/static/icons/sprite.svg")
    assert sprite.status_code == 200 and b'<symbol id="reply"' in sprite.data
    sprite.close()


def test_the_brands_twitter_reply_is_marked_and_quotes_the_post(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 12)
    act(client, auth, run_id, action="reply", event="first_post",
        text="Hi Maria, we're so sorry. Batch 22B is recalled. - Sam")
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    mine = page[page.index('class="item comment mine'):]
    assert 'class="badge brand-tag">Brand<' in mine[:2000]
    assert re.search(r"Replying to <b>@\w+</b>", mine[:3000])


def test_the_facebook_wall_shows_no_handles_a_page_header_and_a_comment_box(app, client, auth,
                                                                             trainee):
    run_id = start_facebook(client, auth)
    rewind(app, run_id, 30)  # 5 simulated minutes
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    feed = page[page.index('class="feed"'):page.index('<aside')]
    assert 'class="handle"' not in feed
    assert "Page · Company" in feed
    assert "Write a comment…" in feed
    assert ">Comment<" in feed and ">Like<" in feed


def test_a_live_update_moves_the_counts_without_redrawing_the_buttons(app, client, auth,
                                                                      trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 12)
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    poll = re.search(r'hx-get="([^"]+live[^"]*)"', page).group(1).replace("&amp;", "&")
    rewind(app, run_id, 30)
    update = client.get(poll, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert re.search(r'<span id="likes-item-first_post" class="n" hx-swap-oob="true">\d', update)
    assert 'id="views-item-first_post"' in update


def test_a_reply_to_a_comment_arrives_under_that_comment(app, client, auth, trainee):
    run_id = start(client, auth)
    rewind(app, run_id, 64)  # 640 s: the pile-on comment is under the post
    act(client, auth, run_id, action="reply", event="pile_on.0",
        text="Hi, Batch 22B is recalled; other batches are not affected. - Sam")
    update = client.get(f"/runs/{run_id}/live?since=640&acts=0",
                        headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-swap-oob="beforeend:#thread-item-pile_on-0"' in update
    page = client.get(f"/runs/{run_id}").get_data(as_text=True)
    comment = page[page.index('id="item-pile_on-0"'):]
    assert comment.index('id="thread-item-pile_on-0"') < comment.index("other batches are not")


def test_the_debriefs_read_only_feed_renders_the_same_item_partials(app):
    recall = library.find(str(SHIPPED), "sunnyfoods-recall")
    actions = [TraineeAction(at=100, action="like", event="first_post"),
               TraineeAction(at=120, action="reply", event="first_post", text="Hi Maria. - Sam")]
    space = arrange(recall.scenario, recall.guidelines,
                    feed_at(recall.scenario, at=900, actions=actions))
    with app.test_request_context():
        html = render_template("practice/_item.html", item=space.entries["first_post"],
                               space=space)
    assert "<form" not in html and "hx-get" not in html  # nothing to act on after the run
    assert 'id="views-item-first_post"' in html and "Replying to" in html
