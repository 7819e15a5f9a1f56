"""A person signs in with a demo login, sees their navigation, and an admin manages roles."""

import re

import pytest
from playwright.sync_api import expect

from sandbox.demo import DEMO_LOGINS
from sandbox.web.auth.views import GENERIC_FAILURE

pytestmark = pytest.mark.e2e

EXPECTED_NAVIGATION = {
    "admin": ["Dashboard", "Cohorts", "Calibration", "Users"],
    "trainer": ["Dashboard", "Scenarios", "Cohorts", "Reviews", "Calibration"],
    "hr": ["Dashboard", "Talent"],
    "trainee": ["Dashboard", "Practice"],
}


@pytest.mark.parametrize("login", DEMO_LOGINS, ids=lambda login: login.roles[0])
def test_signing_in_as_each_role_shows_the_right_navigation(page, sign_in, login):
    sign_in(login.email, login.password)
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", name=f"Hello, {login.name.split()[0]}")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(nav).to_have_text(EXPECTED_NAVIGATION[login.roles[0]])


def test_a_wrong_password_shows_the_generic_message(page, sign_in):
    sign_in("trainee@example.com", "not-the-password")
    expect(page.get_by_text(GENERIC_FAILURE)).to_be_visible()
    expect(page.get_by_label("E-mail")).to_have_value("trainee@example.com")


def test_a_trainee_opening_the_admin_page_is_told_it_is_not_for_their_role(page, sign_in):
    sign_in("trainee@example.com", "practise-trainee")
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    response = page.goto("/admin/users")
    assert response.status == 403
    expect(page.get_by_role("heading", name="This page is not for your role")).to_be_visible()


def test_an_admin_gives_a_role_without_reloading_the_page(page, sign_in, output_path):
    sign_in("admin@example.com", "practise-admin")
    page.get_by_role("link", name="Users").first.click()
    row = page.locator("li.user-row", has_text="hr@example.com")
    page.evaluate("window.notReloaded = true")
    row.get_by_label("Trainer").check()
    row.get_by_role("button", name="Save").click()
    expect(row.get_by_role("status")).to_have_text("Saved Harper HR.")
    assert page.evaluate("window.notReloaded") is True  # swapped by htmx, no full page load
    page.screenshot(path=f"{output_path}/admin-users.png", full_page=True)
    page.reload()
    expect(page.locator("li.user-row", has_text="hr@example.com").get_by_label("Trainer")
           ).to_be_checked()
