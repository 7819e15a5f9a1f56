"""HR opens the talent board, a person's page and downloads the CSV, in a browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_hr_reads_the_board_and_downloads_it_as_csv(page, sign_in, output_path):
    sign_in("hr@example.com", "practise-hr")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Talent").click()
    expect(page.get_by_role("heading", name="Talent board")).to_be_visible()
    expect(page.get_by_text("practice signals").first).to_be_visible()
    page.get_by_role("link", name="Casey Trainee").click()
    expect(page.get_by_role("heading", name="Casey Trainee")).to_be_visible()
    page.screenshot(path=f"{output_path}/talent-person.png", full_page=True)
    page.get_by_role("link", name="Talent board").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.startswith("talent-board-")
    text = download.value.path().read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("name,email,finished_runs")
    assert "trainee@example.com" in text
