"""A trainer builds a cohort and assigns an exam; the trainee finds it on their dashboard."""

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_a_trainer_assigns_an_exam_that_the_trainee_can_start(page, sign_in, output_path):
    name = f"Browser cohort {uuid.uuid4().hex[:6]}"
    sign_in("trainer@example.com", "practise-trainer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create the cohort").click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.get_by_label("Add people by e-mail").fill("trainee@example.com\nnew.person@example.com")
    page.get_by_role("button", name="Add").click()
    expect(page.locator(".flash")).to_contain_text("1 added, 1 invited")
    expect(page.get_by_label("Invitation link for new.person@example.com")).to_have_value(
        re.compile(r"/join/"))
    page.get_by_label("Scenario").select_option("valemont-cancelled-train")
    page.get_by_label("Mode").select_option("exam")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator(".flash")).to_contain_text("Scenario assigned")
    page.screenshot(path=f"{output_path}/cohort.png", full_page=True)
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in("trainee@example.com", "practise-trainee")
    assigned = page.locator(".assignments tr", has_text=name)
    expect(assigned).to_contain_text("not started")
    assigned.get_by_role("link", name="Start").click()
    expect(page.locator("input[name=mode][value=exam]")).to_be_checked()


def test_removing_someone_from_a_cohort_asks_first(page, sign_in):
    name = f"Confirm cohort {uuid.uuid4().hex[:6]}"
    sign_in("trainer@example.com", "practise-trainer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_label("Name").fill(name)
    page.get_by_role("button", name="Create the cohort").click()
    page.get_by_label("Add people by e-mail").fill("trainee@example.com")
    page.get_by_role("button", name="Add").click()
    remove = page.get_by_role("button", name="Remove Casey Trainee from the cohort")

    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    remove.click()
    expect(remove).to_be_visible()  # said no: still a member
    assert questions == [f"Remove Casey Trainee from {name}? Their runs are kept."]

    page.once("dialog", lambda dialog: dialog.accept())
    remove.click()
    expect(remove).to_have_count(0)
