"""A trainer shares a cohort with a co-trainer, who then changes it while the first trainer,
having stepped back, only reads it."""

import re
import uuid

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e
PASSWORD = "a long enough password"


def test_a_co_trainer_takes_over_a_cohort_and_the_first_trainer_reads_it(page, sign_in):
    tag = uuid.uuid4().hex[:6]
    olive, email, cohort = f"Olive Owner {tag}", f"olive-{tag}@example.com", f"Shared {tag}"
    sign_in("admin@example.com", "practise-admin")
    page.goto("/admin/users/new")
    page.get_by_label("Full name").fill(olive)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Trainee").uncheck()
    page.get_by_label("Trainer").check()
    page.get_by_role("button", name="Create the account").click()
    expect(page.locator(".flash")).to_contain_text(olive)
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in("trainer@example.com", "practise-trainer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_label("Name").fill(cohort)
    page.get_by_role("button", name="Create the cohort").click()
    owners = page.locator("section.owners")
    expect(owners).to_contain_text("Taylor Trainer")
    page.get_by_label("Add a co-trainer").select_option(label=f"{olive} ({email})")
    page.get_by_role("button", name="Make owner").click()
    expect(page.locator(".flash")).to_contain_text(f"{olive} now owns {cohort} too")
    page.once("dialog", lambda dialog: dialog.accept())
    owners.get_by_role("button", name="Remove Taylor Trainer from the owners").click()
    expect(page).to_have_url(re.compile(r"/cohorts/$"))  # no longer theirs to change
    page.get_by_role("link", name=cohort).click()
    expect(page.locator(".flash-info")).to_contain_text(
        f"Read only: {olive} and the administrators change this cohort.")
    expect(page.get_by_label("Add people by e-mail")).to_have_count(0)
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(email, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cohorts").click()
    page.get_by_role("link", name=cohort).click()
    page.get_by_label("Add people by e-mail").fill("trainee@example.com")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("1 added")
