"""A trainer edits guidelines and, before saving, sees which model answers would now fail, with
the warning that played runs are rescored only on request. Nothing is saved: the file is a
shipped one."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import SHIPPED

pytestmark = pytest.mark.e2e


def test_unsaved_guidelines_show_the_model_answers_that_would_now_fail(page, sign_in):
    before = (SHIPPED / "guidelines" / "sunnyfoods.yaml").read_text()
    sign_in("trainer@example.com", "practise-trainer")
    page.goto("/scenarios/")
    page.get_by_role("link", name="Edit guidelines sunnyfoods.yaml").click()
    expect(page).to_have_url(re.compile(r"/scenarios/guidelines/sunnyfoods/edit$"))
    impact = page.locator("#impact")
    expect(impact).to_contain_text("sandbox rescore --current-guidelines")
    expect(impact).to_contain_text("No change")

    editor = page.get_by_label(re.compile("YAML of"))
    editor.fill(editor.input_value().replace(
        "forbidden:                         # anywhere, always\n",
        "forbidden:                         # anywhere, always\n"
        "  - {phrase: refund, reason: not before Legal agrees, critical: true}\n"))
    expect(impact.locator(".impact-summary")).to_contain_text("would now fail")
    expect(impact.locator("tr.impact-fails").first).to_contain_text("now fails")
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_enabled()

    editor.fill(editor.input_value().replace("verdicts: {pass: 70", "verdicts: {pass: lots"))
    expect(page.locator("#save-blocked")).to_contain_text("error")
    expect(impact).to_contain_text("re-scored once the text has no errors")
    page.once("dialog", lambda dialog: dialog.accept())  # leave without saving
    page.goto("/scenarios/")
    assert (SHIPPED / "guidelines" / "sunnyfoods.yaml").read_text() == before
