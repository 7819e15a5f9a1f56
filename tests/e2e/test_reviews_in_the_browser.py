"""A trainer reviews a finished run in the browser and changes its score; the trainee reads why."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_practice_loop import start_scenario

pytestmark = pytest.mark.e2e


def test_a_trainer_changes_a_score_and_the_trainee_reads_the_comment(page, sign_in,
                                                                      output_path):
    start_scenario(page, sign_in, "Recalled granola")
    page.get_by_role("button", name="Finish and see my debrief").click()
    expect(page).to_have_url(re.compile(r"/runs/(\d+)/debrief$"))
    expect(page.locator(".review-status")).to_contain_text("Not reviewed yet")
    debrief_url = page.url
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in("trainer@example.com", "practise-trainer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reviews").click()
    row = page.locator("tr", has_text="Casey Trainee").filter(has_text="Recalled granola").last
    row.get_by_role("link", name="Review").click()
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()

    page.get_by_label("Overall").fill("7")
    page.get_by_role("button", name="Save my scores").click()
    expect(page.locator("#review-panel [role=alert]")).to_contain_text("Say why")
    expect(page.get_by_label("Overall")).to_have_value("7")  # what was typed is still there
    page.get_by_label("Comment").fill("Silent on a child's illness: nothing to grade kindly.")
    page.get_by_role("button", name="Save my scores").click()
    expect(page.locator(".flash")).to_contain_text("Review saved")
    expect(page.locator(".review-status")).to_contain_text("changed the score")
    page.screenshot(path=f"{output_path}/review-trainer.png", full_page=True)
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in("trainee@example.com", "practise-trainee")
    page.goto(debrief_url)
    expect(page.locator(".overall-number")).to_have_text("7")
    expect(page.locator(".review-comment")).to_contain_text("Silent on a child's illness")
