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
    problems = []  # what the page reports in the browser's console (htmx's own errors)
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    start_scenario(page, sign_in, "Recalled granola")
    post = page.locator("#item-first_post")
    expect(post).to_contain_text("My 4yo was sick", timeout=20_000)  # appears at 30s (3s here)

    post.get_by_role("link", name="Reply").click()
    draft = post.get_by_role("textbox")
    draft.fill("Hi Maria, calm down.")
    expect(post.locator(".live-hints")).to_contain_text('"calm down" is forbidden', timeout=15_000)
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
    expect(page.locator(".evidence li").first).to_be_visible()  # reasons without hovering
    page.screenshot(path=f"{output_path}/debrief-twitter.png", full_page=True)
    assert problems == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows
    expect(page.locator(".overall-number")).to_be_visible()
    page.screenshot(path=f"{output_path}/debrief-phone.png", full_page=True)


def test_typed_text_survives_live_updates(page, sign_in):
    start_scenario(page, sign_in, "Recalled granola")
    post = page.locator("#item-first_post")
    expect(post).to_be_visible(timeout=20_000)
    post.get_by_role("link", name="Reply").click()
    post.get_by_role("textbox").fill("Hi Maria, still typing")
    poller = page.locator("#live")
    before = poller.get_attribute("hx-get")
    # at least one live update landed (a new poller, for the new moment)
    expect(poller).not_to_have_attribute("hx-get", before, timeout=15_000)
    expect(post.get_by_role("textbox")).to_have_value("Hi Maria, still typing")


def test_a_trainee_protects_a_customer_who_posted_her_details_on_facebook(page, sign_in,
                                                                          output_path):
    start_scenario(page, sign_in, "posts her own phone number")
    post = page.locator("#item-details")
    expect(post).to_contain_text("Third time asking", timeout=20_000)
    expect(page.locator(".skin-facebook")).to_be_visible()

    post.get_by_role("button", name="Hide").click()
    expect(post.locator(".item-state").first).to_contain_text("hidden from the public")
    post.get_by_role("link", name="Comment", exact=True).click()  # a page comments on a post
    post.get_by_role("textbox").fill(
        "Hi Denise, we're sorry you've had to ask three times. For your privacy, we've hidden "
        "your post as it showed your details. We've sent you a private message so we can sort "
        "the roaming charge today.\n- Priya")
    post.get_by_role("button", name="Send").click()
    expect(post.locator(".item.mine")).to_contain_text("For your privacy")
    post.get_by_role("link", name="Move to DM").first.click()
    note = post.get_by_label("Public note (everyone sees it)")
    expect(note).to_have_value("Hi Denise, we've sent you a direct message so we can sort "
                               "this out privately.")
    note.fill("Hi Denise, we've sent you a private message so we can sort this today. - Priya")
    post.get_by_label("Private message (only they see it)").fill(
        "Hi Denise, Priya from Tandemy here. Could you confirm the date of the roaming charge "
        "so we can sort it today?")
    post.get_by_role("button", name="Send").click()
    expect(post.locator(".item.mine", has_text="so we can sort this today")).to_be_visible()
    expect(page.locator("#dm-list .dm-with")).to_have_text("Denise Carter")
    expect(page.locator("#dm-list")).to_contain_text("Priya from Tandemy")
    page.screenshot(path=f"{output_path}/practice-facebook.png", full_page=True)

    page.get_by_role("button", name="Finish and see my debrief").click()
    expect(page).to_have_url(re.compile(r"/debrief$"))
    expect(page.locator(".reply-text", has_text="For your privacy")).to_be_visible()
    expect(page.locator(".reply-review", has_text="Hide after")).to_be_visible()
    page.screenshot(path=f"{output_path}/debrief-facebook.png", full_page=True)


def test_a_reply_the_server_refuses_says_why_and_the_text_stays(page, sign_in):
    start_scenario(page, sign_in, "Recalled granola")
    post = page.locator("#item-first_post")
    expect(post).to_contain_text("My 4yo was sick", timeout=20_000)
    post.get_by_role("link", name="Reply").click()
    draft = post.get_by_role("textbox")
    draft.fill("Hi Maria, so sorry.")
    # text pasted from another program can carry a NUL character, which the server refuses
    draft.evaluate("box => { box.value = 'Hi Maria,\\u0000 so sorry.'; }")
    post.get_by_role("button", name="Send").click()
    expect(page.locator(".flash.request-error")).to_contain_text("invisible NUL character")
    expect(post.get_by_role("textbox")).to_have_value("Hi Maria,\x00 so sorry.")
    expect(post.locator(".item.mine")).to_have_count(0)


def test_on_a_phone_the_title_spans_the_run_bar_and_the_clock_stays_in_view(page, sign_in):
    page.set_viewport_size({"width": 390, "height": 844})
    start_scenario(page, sign_in, "Recalled granola")
    bar = page.locator(".run-bar").bounding_box()
    title = page.locator(".run-bar h1").bounding_box()
    assert title["width"] > 0.8 * (bar["width"] - 40)  # not squeezed into a one-word column
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(300)
    clock = page.locator(".run-bar .clock").bounding_box()
    assert 0 <= clock["y"] < 844  # sticky: still on screen after scrolling the feed
