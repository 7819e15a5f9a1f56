"""A trainer creates a scenario in the browser, types a mistake, sees the finding appear at its
line, fixes it, previews the feed and saves. The file lives in the shipped scenarios/ folder the
live server reads, so the test deletes it at the end whatever happens."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.conftest import SHIPPED

pytestmark = pytest.mark.e2e
CURSOR_LINE = "box => box.value.slice(0, box.selectionStart).split('\\n').length"


def screenshot(page, path: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays at the top of the image
    page.screenshot(path=path, full_page=True)


@pytest.fixture
def new_slug():
    slug = f"e2e-editor-{uuid.uuid4().hex[:8]}"
    yield slug
    for leftover in SHIPPED.glob(f"*{slug}*"):  # the file, and a temporary file if a save broke
        leftover.unlink()


def test_a_trainer_sees_a_typo_flagged_fixes_it_and_saves(page, sign_in, output_path, new_slug):
    sign_in("trainer@example.com", "practise-trainer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Scenarios").click()
    page.get_by_role("link", name="New scenario").click()
    page.get_by_label("Name").fill(new_slug)
    page.get_by_label(re.compile("Commented walkthrough")).check()
    page.get_by_role("button", name="Create and edit").click()
    expect(page).to_have_url(re.compile(rf"/scenarios/{new_slug}/edit$"))
    expect(page.locator(".flash")).to_contain_text(f"{new_slug}.yaml was created")

    editor = page.get_by_label(re.compile("YAML of"))
    findings = page.locator("#diagnostics")
    preview = page.locator("#preview")
    expect(findings).to_contain_text("No findings")
    expect(preview).to_contain_text("Where is my order?")
    good = editor.input_value()

    editor.fill(good.replace("    from: customer\n", "    from: custmer\n", 1))
    finding = findings.get_by_role("button", name=re.compile('unknown persona "custmer"'))
    expect(finding).to_contain_text('did you mean "customer"?')
    expect(preview).to_contain_text("No preview while the text has 1 error")
    line = int(finding.get_attribute("data-line"))
    gutter_number = page.locator("#editor-gutter span").nth(line - 1)
    expect(gutter_number).to_have_class(re.compile("flag-error"))
    finding.click()
    expect(editor).to_be_focused()
    assert editor.evaluate(CURSOR_LINE) == line
    screenshot(page, f"{output_path}/scenario-editor-finding.png")

    editor.fill(good.replace("Where is my order?", "Where is my parcel?"))
    expect(findings).to_contain_text("No findings")
    expect(preview).to_contain_text("Where is my parcel?")
    page.get_by_label("Simulated time").fill("0")  # before the first post (at 0:30)
    expect(preview).not_to_contain_text("Where is my parcel?")
    expect(page.locator("#preview-clock")).to_have_text("0:00")
    page.get_by_label("Simulated time").fill("60")
    expect(preview).to_contain_text("Where is my parcel?")
    screenshot(page, f"{output_path}/scenario-editor.png")

    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(rf"/scenarios/{new_slug}$"))
    expect(page.locator(".flash")).to_contain_text(f"Saved {new_slug}.yaml")
    assert "Where is my parcel?" in (SHIPPED / f"{new_slug}.yaml").read_text()
