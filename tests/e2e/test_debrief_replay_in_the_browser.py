"""The debrief's replay in a browser: it is loaded when the trainee opens it (or follows a link to a
moment of it), Play runs the clock and brings later items, a marker jumps to its moment, the
keyboard works, the page fits a phone, and without JavaScript the slider and Show still reach every
second, the end included. Screenshots of the replay land in the output."""

import re

import pytest
from playwright.sync_api import expect

from sandbox import accounts, db
from tests.web.test_debrief_replay import PRIVATE_MESSAGE, PlayedRun, play_a_varied_run

pytestmark = pytest.mark.e2e

EMAIL, PASSWORD = "replay@example.com", "practise-replay"


@pytest.fixture(scope="module")
def played(live_app) -> PlayedRun:
    with live_app.app_context():
        session = db.get_session()
        user = accounts.create_user(session=session, email=EMAIL, name="Robin Replay",
                                    password=PASSWORD, roles=("trainee",))
        session.commit()
        return play_a_varied_run(session, user, live_app.config["SCENARIOS_DIR"])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_trainee_opens_the_replay_and_sees_the_whole_run(page, sign_in, played, output_path,
                                                           width):
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 900})
    sign_in(EMAIL, PASSWORD)
    page.goto(f"/runs/{played.id}/debrief")
    toggle = page.locator("#replay-section summary")
    expect(toggle.get_by_text("Show the replay")).to_be_visible()
    expect(page.locator("#replay")).to_have_count(0)  # not sent with the page
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"{output_path}/debrief-replay-closed-{width}.png", full_page=True)
    page.locator("#replay-section").screenshot(
        path=f"{output_path}/replay-section-closed-{width}.png")

    toggle.click()
    expect(toggle.get_by_text("Hide the replay")).to_be_visible()
    expect(page.locator("#replay .replay-moment")).to_contain_text("11:43 of 11:43")
    expect(page.locator("#replay .dm-thread")).to_contain_text(PRIVATE_MESSAGE)
    expect(page.locator("[data-clock]")).to_have_text("11:43")
    expect(page.get_by_role("button", name="Play")).to_be_visible()  # set up once loaded
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=f"{output_path}/debrief-replay-open-{width}.png", full_page=True)
    page.locator("#replay-section").screenshot(
        path=f"{output_path}/replay-section-open-{width}.png")

    page.get_by_role("link", name="Previous moment").click()  # the player works once loaded
    expect(page.locator("[data-clock]")).to_have_text("10:20")
    expect(page.locator("#replay .replay-moment")).to_contain_text("10:20")


def test_replay_from_a_moment_opens_the_replay_there(page, sign_in, played):
    sign_in(EMAIL, PASSWORD)
    page.goto(f"/runs/{played.id}/debrief")
    expect(page.locator("#replay")).to_have_count(0)
    page.get_by_role("link", name="Replay from 0:30").first.click()
    expect(page.locator("#replay .replay-moment")).to_contain_text("0:30 of 11:43")
    expect(page.locator("[data-clock]")).to_have_text("0:30")
    expect(page.get_by_text("Hide the replay")).to_be_visible()
    expect(page.locator("#replay-section")).to_be_in_viewport()
    expect(page.locator("#replay-at")).to_be_focused()  # the keyboard goes on from the slider
    expect(page).to_have_url(re.compile(rf"/runs/{played.id}/debrief$"))  # no page load


def test_an_address_inside_the_replay_opens_it_at_once(page, sign_in, played):
    sign_in(EMAIL, PASSWORD)
    page.goto(f"/runs/{played.id}/debrief#item-first_post")
    expect(page.locator("#replay #item-first_post")).to_contain_text("My 4yo was sick")
    expect(page.locator("#replay #item-first_post")).to_be_in_viewport()


def test_play_runs_the_clock_and_later_items_appear(page, sign_in, played, output_path):
    sign_in(EMAIL, PASSWORD)
    page.goto(f"/runs/{played.id}/debrief?at=0")
    replay, clock = page.locator("#replay"), page.locator("[data-clock]")
    expect(clock).to_have_text("0:00")
    expect(replay.locator("#item-first_post")).to_have_count(0)
    page.screenshot(path=f"{output_path}/replay-start.png", full_page=True)

    page.get_by_role("radio", name="30×").check()
    page.get_by_role("button", name="Play").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(clock).not_to_have_text("0:00")
    # Maria's post appears at 0:30: a second of Play at 30×
    expect(replay.locator("#item-first_post")).to_contain_text("My 4yo was sick", timeout=15_000)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Play")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/runs/{played.id}/debrief\?at=\d+"))
    stopped = clock.inner_text()
    expect(page.locator("#replay-at")).to_have_value(str(_seconds(stopped)))


def test_a_marker_jumps_to_its_moment_and_shows_what_was_there(page, sign_in, played,
                                                               output_path):
    sign_in(EMAIL, PASSWORD)
    page.goto(f"/runs/{played.id}/debrief?at=0")
    moved = played.at["move_to_dm"]
    page.locator(f'a.marker[data-at="{moved}"]').click()
    expect(page.locator("[data-clock]")).to_have_text("2:10")
    expect(page.locator("#replay .replay-moment")).to_contain_text("2:10")
    expect(page.locator("#replay .dm-thread")).to_contain_text(PRIVATE_MESSAGE)
    expect(page.locator("#replay .replay-log-list")).to_contain_text("You moved Maria Kowalski")
    page.locator("#replay-section").screenshot(path=f"{output_path}/replay-1280.png")

    # the keyboard: Next moment, then Space on the slider plays and pauses
    page.get_by_role("link", name="Next moment").focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-clock]")).to_have_text("2:30")
    expect(page.locator("#replay .item-state", has_text="muted")).to_have_count(1)
    page.locator("#replay-at").focus()
    page.keyboard.press("End")
    expect(page.locator("[data-clock]")).to_have_text("11:43")  # the run's very end
    expect(page.locator("#replay .replay-moment")).to_contain_text("11:43 of 11:43")
    page.keyboard.press("Home")
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.keyboard.press(" ")
    expect(page.get_by_role("button", name="Play")).to_be_visible()


def test_on_a_phone_the_replay_fits_the_screen(page, sign_in, played, output_path):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(EMAIL, PASSWORD)
    page.goto(f"/runs/{played.id}/debrief?at={played.at['hide']}#replay-section")
    expect(page.locator("#replay .dm-thread")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    overflowing = page.evaluate("""() => Array.from(
        document.querySelectorAll('#replay-section *'),
        e => [e, e.getBoundingClientRect()]).filter(([e, box]) => box.width && box.right > 391
        && !e.closest('.replay-scroll, .table-scroll')).map(([e]) => e.outerHTML.slice(0, 80))""")
    assert overflowing == []
    page.locator("#replay-section").screenshot(path=f"{output_path}/replay-390.png")


def test_without_javascript_the_slider_and_show_reach_every_second(browser, base_url, played):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/runs/{played.id}/debrief")
    page.locator("#replay-section summary").click()  # the closed replay opens the page with it
    page.get_by_role("link", name="Open it with the page").click()
    expect(page).to_have_url(re.compile(rf"\?at={played.end}#replay-section$"))
    expect(page.locator("#replay .replay-moment")).to_contain_text("11:43 of 11:43")
    page.goto(f"/runs/{played.id}/debrief?at=0")
    expect(page.get_by_role("button", name="Play")).to_be_hidden()
    page.locator("#replay-at").focus()
    page.keyboard.press("End")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"\?at={played.end}#replay-section$"))
    expect(page.locator("#replay .replay-moment")).to_contain_text("11:43 of 11:43")
    page.get_by_role("link", name="Previous moment").click()
    expect(page).to_have_url(re.compile(r"\?at=620#replay-section$"))  # Maria's thank-you
    context.close()


def _seconds(clock: str) -> int:
    minutes, seconds = clock.split(":")
    return int(minutes) * 60 + int(seconds)
