"""The practice page as a community manager's workspace, in a browser: each conversation's state
and response clock, the inbox filters (which keep a draft), and on a 390-pixel phone the tabs,
the run bar and the composer that stay in view; the debrief and every page with a table fit a
phone, their tables scrolling sideways. Screenshots at 1280 and 390 pixels land in the output."""

import random
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sandbox import accounts, db, demo, library, runs
from sandbox.models import utcnow
from tests.e2e.test_practice_loop import GOOD_REPLY, start_scenario

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# Every table: scrolls sideways in a box of its own, or fits the screen uncut (none of its
# ancestors cuts it off).
CLIPPED_TABLES = """() => Array.from(document.querySelectorAll('table')).filter(table => {
  for (let box = table; box && box !== document.body; box = box.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return false;
  }
  const right = table.getBoundingClientRect().right;
  if (right > window.innerWidth + 1) return true;
  for (let box = table.parentElement; box && box !== document.body; box = box.parentElement) {
    const cuts = getComputedStyle(box).overflowX !== 'visible';
    if (cuts && right > box.getBoundingClientRect().right + 1) return true;
  }
  return false;
}).map(table => table.className || 'table')"""


# On the practice page: anything that sticks out of its post (or panel), where it is cut off.
CLIPPED_IN_PANELS = """() => Array.from(document.querySelectorAll('[data-panel]'))
  .filter(panel => panel.offsetParent !== null)
  .flatMap(panel => Array.from(panel.querySelectorAll('*')).filter(element => {
    if (getComputedStyle(element).position === 'fixed') return false;
    if (element.closest('.composer.docked')) return false;
    const box = element.parentElement.closest('.item-body') || panel;
    return element.getBoundingClientRect().right > box.getBoundingClientRect().right + 1;
  }))
  .map(element => element.tagName.toLowerCase() + ' ' + (element.getAttribute('class') || ''))"""


def fits_the_screen(page) -> None:
    width = page.viewport_size["width"]
    scrolls = page.evaluate("document.documentElement.scrollWidth") > width
    assert not scrolls, "the page scrolls sideways"
    assert page.evaluate(CLIPPED_TABLES) == [], "a table is cut off instead of scrolling"
    assert page.evaluate(CLIPPED_IN_PANELS) == [], "something sticks out of its panel"


def test_a_waiting_post_shows_its_clock_and_the_filters_keep_the_draft(page, sign_in,
                                                                       output_path):
    page.set_viewport_size(DESKTOP)
    start_scenario(page, sign_in, "Recalled granola")
    post = page.locator("#item-first_post")
    expect(post).to_contain_text("My 4yo was sick", timeout=20_000)
    state = post.locator(".conversation")
    expect(state).to_contain_text("Waiting")
    expect(state).to_contain_text("10:00 target")
    clock = state.locator(".conv-clock")
    before = clock.text_content()
    expect(clock).not_to_have_text(before, timeout=5_000)  # ticks in the page, on the run's clock
    inbox = page.get_by_role("navigation", name="Inbox filter")
    expect(page.locator("#inbox-count-mine")).to_have_text(re.compile(r"^[1-9]\d*$"))

    post.get_by_role("link", name="Reply").click()
    post.get_by_role("textbox").fill("Hi Maria, still typing")
    inbox.get_by_role("link", name=re.compile("^Escalated")).click()
    expect(page).to_have_url(re.compile(r"inbox=escalated"))
    expect(post).to_be_hidden()
    expect(page.get_by_text("You have not escalated anything yet.")).to_be_visible()
    page.get_by_role("navigation", name="Inbox filter").get_by_role(
        "link", name=re.compile("^All")).click()
    expect(post).to_be_visible()
    expect(post.get_by_role("textbox")).to_have_value("Hi Maria, still typing")

    post.get_by_role("textbox").fill(GOOD_REPLY)
    post.get_by_role("button", name="Send").click()
    expect(state).to_contain_text(re.compile(r"Answered\s+in \d+:\d\d"))
    expect(state).to_contain_text("within the 10:00 target")
    expect(state).to_have_attribute("data-inbox", "all")  # in no filter but All any more
    post.get_by_role("link", name="Escalate").first.click()
    post.get_by_role("textbox").fill("Parent reports a sick child after batch 22B.")
    post.get_by_role("button", name="Escalate").click()
    expect(state).to_contain_text("Escalated to Quality & Safety desk")
    expect(state).to_contain_text("the team replied", timeout=30_000)
    page.screenshot(path=f"{output_path}/workspace-1280.png", full_page=True)


def test_on_a_phone_the_workspace_has_tabs_and_keeps_the_clock_and_composer_in_view(
        page, sign_in, output_path):
    page.set_viewport_size(PHONE)
    start_scenario(page, sign_in, "Recalled granola")
    tabs = page.get_by_role("tablist", name="Workspace")
    tabs.get_by_role("tab", name=re.compile("^Team")).click()
    expect(page.locator("#team-panel")).to_be_visible()
    expect(page.locator("#feed-panel")).to_be_hidden()
    # what arrives on the feed meanwhile is counted on its tab
    expect(tabs.get_by_role("tab", name=re.compile("^Feed"))).to_have_text(
        re.compile(r"Feed\s*\d+"), timeout=20_000)
    tabs.get_by_role("tab", name=re.compile("^DMs")).click()
    expect(page.locator("#dms-panel")).to_be_visible()
    expect(page.locator("#team-panel")).to_be_hidden()
    tabs.get_by_role("tab", name=re.compile("^Feed")).click()
    expect(page.locator("#feed-panel")).to_be_visible()
    expect(page.locator("#dms-panel")).to_be_hidden()
    expect(tabs.get_by_role("tab", name=re.compile("^Feed"))).to_have_text("Feed")
    expect(tabs.get_by_role("tab", name=re.compile("^Feed"))).to_have_attribute(
        "aria-selected", "true")

    post = page.locator("#item-first_post")
    expect(post).to_contain_text("My 4yo was sick", timeout=20_000)
    expect(post.locator(".conversation")).to_contain_text("Waiting")
    fits_the_screen(page)
    page.screenshot(path=f"{output_path}/workspace-390.png")
    post.get_by_role("link", name="Reply").click()
    draft = post.get_by_role("textbox")
    draft.fill(GOOD_REPLY)
    page.mouse.wheel(0, 2500)
    page.wait_for_function("window.scrollY > 0")
    for docked in (page.locator(".run-bar .clock"), page.locator(".run-tabs"), draft):
        box = docked.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    fits_the_screen(page)
    page.screenshot(path=f"{output_path}/workspace-390-composing.png")
    post.get_by_role("button", name="Send").click()
    expect(post.locator(".conversation")).to_contain_text("Answered")
    expect(post.get_by_role("textbox")).to_have_count(0)


@pytest.fixture(scope="module")
def finished_runs(live_app):
    """Two finished exam runs of the demo trainee, for the debrief, review and talent pages."""
    with live_app.app_context():
        session = db.get_session()
        entries = {e.slug: e for e in library.entries(live_app.config["SCENARIOS_DIR"])}
        trainee = accounts.find_user(session, "trainee@example.com")
        found = []
        for index, slug in enumerate(("sunnyfoods-recall", "tandemy-double-charge")):
            started = utcnow() - timedelta(days=3 - index)
            run = runs.start_run(session=session, user=trainee, entry=entries[slug],
                                 mode="exam", speed=10, now=started)
            demo.play_run(session, run, random.Random(index), skill=0.6)
            runs.finish(session=session, run=run, now=started + timedelta(
                seconds=entries[slug].scenario.duration / run.speed))
            found.append((run.id, trainee.id))
        return found


@pytest.mark.parametrize("width", [390, 1280])
def test_the_debrief_and_the_pages_with_tables_fit_the_screen(page, sign_in, finished_runs,
                                                              output_path, width):
    page.set_viewport_size(PHONE if width == 390 else DESKTOP)
    run_id, trainee_id = finished_runs[0]
    pages = {
        ("trainee@example.com", "practise-trainee"): [
            f"/runs/{run_id}/debrief", "/practice/", "/dashboard"],
        ("trainer@example.com", "practise-trainer"): [
            "/review/", f"/review/runs/{run_id}", "/review/calibration", "/review/items",
            "/scenarios/"],
        ("hr@example.com", "practise-hr"): [
            "/talent/", f"/talent/people/{trainee_id}", f"/talent/runs/{run_id}"],
    }
    for (email, password), paths in pages.items():
        page.context.clear_cookies()
        sign_in(email, password)
        expect(page).not_to_have_url(re.compile("sign-in"))
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, path
            fits_the_screen(page)
            name = path.strip("/").replace("/", "-") or "home"
            page.screenshot(path=f"{output_path}/{name}-{width}.png", full_page=True)
