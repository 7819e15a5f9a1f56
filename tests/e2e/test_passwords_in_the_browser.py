"""Someone forgot their password: an admin hands them a reset link, they choose a new one."""

import pytest
from playwright.sync_api import expect

from sandbox.demo import generated_trainees

pytestmark = pytest.mark.e2e


def test_a_reset_link_from_the_admin_lets_a_trainee_choose_a_new_password(page, sign_in,
                                                                          output_path):
    trainee = generated_trainees()[-1]
    sign_in("admin@example.com", "practise-admin")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Users").click()
    page.get_by_role("button", name=f"Create a password reset link for {trainee.name}").click()
    link = page.get_by_label(f"Password reset link for {trainee.email}")
    expect(link).to_be_visible()
    url = link.input_value()
    assert "/reset/" in url
    page.screenshot(path=f"{output_path}/reset-link.png", full_page=True)
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.goto(url)
    page.get_by_label("New password").fill("my own new passphrase")
    page.get_by_label("The same password again").fill("my own new passphrase")
    page.get_by_role("button", name="Save and sign in").click()
    expect(page.locator(".flash")).to_contain_text("Your new password is saved")
    page.get_by_role("button", name="Sign out", exact=True).click()

    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("This reset link cannot be used.")
    sign_in(trainee.email, "my own new passphrase")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    page.get_by_role("link", name="Your account").click()
    page.get_by_label("Current password").fill("my own new passphrase")
    page.get_by_label("New password").fill("yet another passphrase")
    page.get_by_label("The same password again").fill("yet another passphrase")
    page.get_by_role("button", name="Change my password").click()
    expect(page.locator(".flash")).to_contain_text("Your password is changed")
