"""The whole practice loop in a browser, at high speed: sign in, start, read, reply, escalate,
finish, read the debrief. Screenshots of the practice page and the debrief land in the output."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

GOOD_REPLY = ("Hi Maria, we're so sorry your little one is unwell. Batch 22B is part of this "
              "morning's recall - please DM us so we can arrange a refund and check in on her "
              "today.")


def start_scenario(page, sign_in, title: str, speed: str = "10×"):
    sign_in("trainee@example.com", "practise-trainee")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()
    page.get_by_role("link", name=re.compile(title)).click()
    page.get_by_label(speed).check()
    page.get_by_role("button", name="Start the clock").click()
    expect(page).to_have_url(re.compile(r"/runs/\d+$"))


def test_a_trainee_plays_the_recall_scenario_from_briefing_to_debrief(page, sign_in,
                                                                       output_path):
    start_scenario(page, sign_in, "Recalled granola")
    post = page.locator("#item-first_post")
    expect(post).to_contain_text("My 4yo was sick", timeout=20_000)  # appears at 30s (3s here)

    post.get_by_role("link", name="Reply").click()
    draft = post.get_by_role("textbox")
    draft.fill("Hi Maria, calm down.")
    expect(post.locator(".live-hints")).to_contain_text('"calm down" is forbidden')
    expect(post.locator(".counter")).to_have_text("20 / 280")
    draft.fill(GOOD_REPLY)
    page.screenshot(path=f"{output_path}/practice-twitter.png", full_page=True)
    post.get_by_role("button", name="Send").click()
    expect(post.locator(".item.mine")).to_contain_text("Batch 22B is part of this morning")
    expect(post.get_by_role("textbox")).to_have_count(0)

    post.get_by_role("link", name="Escalate").first.click()
    post.get_by_role("textbox").fill("Parent reports a sick child after batch 22B.")
    post.get_by_role("button", name="Escalate").click()
    team = page.locator("#team-list")
    expect(team).to_contain_text("Parent reports a sick child")
    expect(team).to_contain_text("Confirmed, 22B is in the recall", timeout=30_000)

    page.get_by_role("button", name="Finish and see my debrief").click()
    expect(page).to_have_url(re.compile(r"/debrief$"))
    expect(page.locator(".overall-number")).to_have_text(re.compile(r"\d+"))
    expect(page.get_by_role("heading", name="A model answer").first).to_be_visible()
    expect(page.locator(".reply-review").first).to_contain_text("Batch 22B")
    page.screenshot(path=f"{output_path}/debrief.png", full_page=True)


def test_typed_text_survives_live_updates(page, sign_in):
    start_scenario(page, sign_in, "Recalled granola")
    post = page.locator("#item-first_post")
    expect(post).to_be_visible(timeout=20_000)
    post.get_by_role("link", name="Reply").click()
    post.get_by_role("textbox").fill("Hi Maria, still typing")
    clock = page.locator("#run-clock")
    before = clock.inner_text()
    expect(clock).not_to_have_text(before, timeout=10_000)  # at least one live update landed
    expect(post.get_by_role("textbox")).to_have_value("Hi Maria, still typing")
