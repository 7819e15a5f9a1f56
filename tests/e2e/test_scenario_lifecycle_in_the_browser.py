"""A trainer creates a scenario (a draft nobody sees), edits it, runs its tests, publishes it; a
trainee plays it; the trainer archives it, and the trainee's debrief stays while the scenario
leaves the library. The file lives in the shipped scenarios/ folder the live server reads, so the
test deletes it at the end whatever happens."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import SHIPPED

pytestmark = pytest.mark.e2e


@pytest.fixture
def new_slug():
    slug = f"e2e-lifecycle-{uuid.uuid4().hex[:8]}"
    yield slug
    for leftover in SHIPPED.glob(f"*{slug}*"):
        leftover.unlink()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in"))


def test_a_scenario_goes_from_draft_to_published_to_archived(page, sign_in, output_path,
                                                             new_slug):
    title = f"Lost parcel {new_slug}"
    sign_in("trainer@example.com", "practise-trainer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scenarios").click()
    page.get_by_role("link", name="New scenario").click()
    page.get_by_label("Name").fill(new_slug)
    page.get_by_label("Outage").check()
    page.get_by_label("Brand (its editorial guidelines)").select_option("tandemy")
    page.get_by_label("Beginner").check()
    page.get_by_role("button", name="Create and edit").click()
    expect(page).to_have_url(re.compile(rf"/scenarios/{new_slug}/edit$"))
    expect(page.locator(".flash")).to_contain_text("created as a draft")
    expect(page.locator("h1 .state")).to_have_text("Draft")
    expect(page.locator("#diagnostics")).to_contain_text("No findings")
    expect(page.locator("#preview")).to_contain_text("App and website not working")

    # a draft is invisible to trainees, even by its address
    sign_out(page)
    sign_in("trainee@example.com", "practise-trainee")
    page.goto(f"/practice/{new_slug}")
    expect(page.get_by_text("This scenario is not published yet")).to_be_visible()
    sign_out(page)

    # edit: Save is off while an error remains, with the count, and the code is explained beside
    sign_in("trainer@example.com", "practise-trainer")
    page.goto(f"/scenarios/{new_slug}/edit")
    editor = page.get_by_label(re.compile("YAML of"))
    save = page.get_by_role("button", name="Save", exact=True)
    good = re.sub(r"(?m)^title: .*$", f"title: {title}", editor.input_value(), count=1)
    editor.fill(good.replace("    from: customer\n", "    from: custmer\n", 1))
    expect(page.locator("#save-blocked")).to_have_text("1 error to fix before saving")
    expect(save).to_be_disabled()
    page.get_by_role("link", name="What SCN202 means").click()
    expect(page.locator("#doc-panel h2")).to_contain_text("SCN202")
    editor.fill(good)
    expect(page.locator("#save-blocked")).to_have_count(0)
    expect(save).to_be_enabled()
    # test: the unsaved text's tests run in the editor before it is published
    page.get_by_role("button", name="Run tests").click()
    expect(page.locator("#test-results .test-summary")).to_contain_text("tests passed")
    expect(page.locator("#test-results .test-failed")).to_have_count(0)
    save.click()
    expect(page).to_have_url(re.compile(rf"/scenarios/{new_slug}$"))

    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash")).to_contain_text("is published")
    expect(page.locator(".head-actions .state")).to_have_text("Published")
    page.screenshot(path=f"{output_path}/scenario-published.png", full_page=True)
    sign_out(page)

    # a trainee plays it
    sign_in("trainee@example.com", "practise-trainee")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Practice").click()
    page.get_by_role("link", name=title).click()
    page.get_by_label("10×").check()
    page.get_by_role("button", name="Start the clock").click()
    expect(page).to_have_url(re.compile(r"/runs/\d+$"))
    expect(page.locator("#item-first_post")).to_be_visible(timeout=20_000)
    page.get_by_role("button", name="Finish and see my debrief").click()
    expect(page).to_have_url(re.compile(r"/debrief$"))
    debrief = page.url
    score = page.locator(".overall-number").inner_text()
    sign_out(page)

    # the trainer archives it
    sign_in("trainer@example.com", "practise-trainer")
    page.goto(f"/scenarios/{new_slug}")
    expect(page.get_by_text("Played 1 time.")).to_be_visible()
    expect(page.get_by_role("button", name="Delete draft")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Archive").click()
    expect(page.locator(".flash")).to_contain_text("is archived")
    sign_out(page)

    # gone from the library, refused by address, the debrief unchanged
    sign_in("trainee@example.com", "practise-trainee")
    page.goto("/practice/")
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    page.goto(f"/practice/{new_slug}")
    expect(page.get_by_text("was archived by a trainer")).to_be_visible()
    page.goto(debrief)
    expect(page.locator(".overall-number")).to_have_text(score)
