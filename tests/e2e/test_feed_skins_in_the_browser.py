"""The two feed skins in a browser, on a phone and on a laptop: a Twitter-like timeline and a
Facebook-like page wall, each opened on a run whose clock stands well into the scenario.

Screenshots for review land in /tmp/shots-skins/ (twitter-1280.png, twitter-390.png,
facebook-1280.png, facebook-390.png) as well as in pytest's output folder.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sandbox import accounts, db, library, runs
from sandbox.models import utcnow

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots-skins")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}

# (seconds into the run, action, event, text): what the trainee did before the clock stopped
OUTAGE = [
    (60, "like", "no_signal", None),
    (120, "reply", "no_signal", "Hi Joanne, we're so sorry. Your safety comes first: calls to 999 "
     "still connect through other networks. Engineers expect service back by 18:00. - Sam"),
    (1380, "reply", "hack_rumour", "Hi Max, to be clear: the outage is a hardware fault, and there "
     "is no sign that any customer data was accessed. - Sam"),
    (1410, "reply", "hack_rumour", "We'll keep this thread updated as engineers report. - Sam"),
    (1440, "reply", "hack_rumour", "Live status: https://tandemy.example/status - Sam"),
]
ROUTER = [
    (180, "reply", "scorched", "Hi Leanne, we're so sorry. Your safety comes first: please unplug "
     "the adapter. PA22 is part of this morning's recall. - Sam"),
    (240, "escalate", "scorched", "Scorched socket reported, PA22 adapter."),
    (840, "reply", "which_batch", "Hi Gareth, thank you for checking. The batch code is on the "
     "label of the adapter itself: recalled ones say PA22. - Sam"),
]


def frozen_run(app, slug: str, at: int, actions) -> int:
    """A practice run of the demo trainee whose clock was paused at `at` simulated seconds,
    after `actions`."""
    with app.app_context():
        session = db.get_session()
        entry = next(e for e in library.entries(app.config["SCENARIOS_DIR"]) if e.slug == slug)
        user = accounts.find_user(session, "trainee@example.com")
        started = utcnow() - timedelta(seconds=at + 5)
        run = runs.start_run(session=session, user=user, entry=entry, mode="practice", speed=1,
                             now=started)
        for number, (when, action, event, text) in enumerate(actions):
            runs.record_action(session=session, run=run, key=f"skins-{number}", action=action,
                               event=event, text=text, now=started + timedelta(seconds=when))
        runs.pause(session=session, run=run, now=started + timedelta(seconds=at))
        return run.id


def nothing_wider_than(page, width: int) -> list[str]:
    """The visible elements whose right edge passes `width` (a horizontal scroll on a phone)."""
    return page.evaluate("""width => [...document.querySelectorAll('body *')]
        .filter(el => { const r = el.getBoundingClientRect();
                        return r.width > 1 && r.right > width + 0.5
                               && getComputedStyle(el).visibility !== 'hidden'; })
        .map(el => el.tagName + '.' + el.className)""", width)


def shoot(page, name: str, output_path: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    for folder in (SHOTS, Path(output_path)):
        page.screenshot(path=str(folder / name), full_page=True)


def look_at_both_sizes(page, url: str, name: str, output_path: str) -> None:
    for size, label in ((LAPTOP, "1280"), (PHONE, "390")):
        page.set_viewport_size(size)
        page.goto(url)
        expect(page.locator("#feed-items > li").first).to_be_visible()
        shoot(page, f"{name}-{label}.png", output_path)
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        assert nothing_wider_than(page, size["width"]) == []


@pytest.fixture(scope="module")
def twitter_run(live_app) -> int:
    return frozen_run(live_app, "tandemy-outage-crisis", 1500, OUTAGE)


@pytest.fixture(scope="module")
def facebook_run(live_app) -> int:
    return frozen_run(live_app, "tandemy-router-recall", 900, ROUTER)


def test_the_twitter_timeline_shows_handles_counts_views_and_folds_long_threads(
        page, sign_in, twitter_run, output_path):
    sign_in("trainee@example.com", "practise-trainee")
    look_at_both_sizes(page, f"/runs/{twitter_run}", "twitter", output_path)
    page.set_viewport_size(LAPTOP)
    post = page.locator("#item-no_signal")
    expect(post.locator(".handle").first).to_have_text(re.compile(r"^@\w"))
    expect(post.locator("#views-item-no_signal")).to_have_text(re.compile(r"\d"))
    expect(post.locator("#likes-item-no_signal")).to_have_text(re.compile(r"\d"))
    expect(post.locator(".tw-bar .count.liked")).to_contain_text("one of them yours")
    # the brand's answer is marked as the brand's and quotes what it answers
    mine = post.locator(".item.mine").first
    expect(mine.locator(".brand-tag")).to_have_text("Brand")
    expect(mine.locator(".item-main > .quote")).to_contain_text("Replying to @")
    # the rumour spread before the brand answered it: five replies, the earlier ones behind
    # "Show more replies"
    rumour = page.locator("#item-hack_rumour")
    more = rumour.locator(".more-replies summary")
    expect(more).to_have_text(re.compile(r"Show \d+ more repl"))
    folded = rumour.locator(".more-replies .item").first
    expect(folded).to_be_hidden()
    more.focus()
    page.keyboard.press("Enter")  # a real disclosure: it opens from the keyboard
    expect(folded).to_be_visible()
    assert rumour.locator(".thread > .item, .more-replies .item").count() == int(
        page.locator("#replies-item-hack_rumour").inner_text())
    sprite = page.locator("#feed-items svg.icon use").first.get_attribute("href")
    assert sprite.startswith("/static/icons/sprite.svg#")


def test_the_facebook_wall_has_a_page_header_reactions_nested_comments_and_no_handles(
        page, sign_in, facebook_run, output_path):
    sign_in("trainee@example.com", "practise-trainee")
    look_at_both_sizes(page, f"/runs/{facebook_run}", "facebook", output_path)
    page.set_viewport_size(LAPTOP)
    expect(page.locator(".fb-page-head")).to_contain_text("Page ·")
    expect(page.locator(".feed .handle")).to_have_count(0)
    post = page.locator("#item-scorched")
    expect(post.locator(".reactions svg.icon").first).to_be_visible()
    expect(post.locator(".write-comment")).to_have_text(re.compile("Write a comment"))
    # the answer to a comment sits under that comment, not at the end of the post
    nested = post.locator(".item.comment .item.comment.mine")
    expect(nested).to_contain_text("batch code is on the label")
    post.locator(".write-comment").click()
    expect(post.get_by_role("textbox")).to_be_visible()
    expect(post.locator(".compose-quote").last).to_be_visible()
    shoot(page, "facebook-composer.png", output_path)
