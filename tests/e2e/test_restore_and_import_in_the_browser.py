"""A trainer changes a scenario, runs its tests, saves, and restores the earlier version: the file
and the preview show it again. Another imports a bundle, which lands as a draft, and publishes it.
The files live in the shipped scenarios/ folder the live server reads, so each test deletes them
at the end whatever happens."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from sandbox import bundles, library
from tests.conftest import SHIPPED

pytestmark = pytest.mark.e2e


@pytest.fixture
def new_slug():
    slug = f"e2e-restore-{uuid.uuid4().hex[:8]}"
    yield slug
    for leftover in SHIPPED.glob(f"*{slug}*"):
        leftover.unlink()


def test_restoring_an_earlier_version_brings_back_the_file_and_its_preview(page, sign_in,
                                                                           new_slug):
    sign_in("trainer@example.com", "practise-trainer")
    page.goto("/scenarios/new")
    page.get_by_label("Name").fill(new_slug)
    page.get_by_label("Outage").check()
    page.get_by_label("Brand (its editorial guidelines)").select_option("tandemy")
    page.get_by_role("button", name="Create and edit").click()
    expect(page).to_have_url(re.compile(rf"/scenarios/{new_slug}/edit$"))
    preview = page.locator("#preview")
    expect(preview).to_contain_text("App and website not working")
    original = (SHIPPED / f"{new_slug}.yaml").read_text()

    # the tests of the unsaved text run beside the preview
    page.get_by_role("button", name="Run tests").click()
    expect(page.locator("#test-results .test-summary")).to_contain_text("tests passed")
    expect(page.locator("#test-results .test-verdict").first).to_have_text("Passed")

    editor = page.get_by_label(re.compile("YAML of"))
    editor.fill(editor.input_value().replace("App and website not working",
                                             "Every screen is blank", 1))
    expect(preview).to_contain_text("Every screen is blank")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/scenarios/{new_slug}$"))
    assert "Every screen is blank" in (SHIPPED / f"{new_slug}.yaml").read_text()

    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("link", name="Version 2")).to_be_visible()
    expect(page.locator("ol.diff .added")).to_contain_text(["Every screen is blank"])
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Restore version 1").click()
    expect(page.locator(".flash")).to_contain_text("Version 1 of")
    expect(page.get_by_role("link", name="Version 3")).to_be_visible()
    assert (SHIPPED / f"{new_slug}.yaml").read_text() == original

    page.goto(f"/scenarios/{new_slug}/edit")
    expect(preview).to_contain_text("App and website not working")
    expect(preview).not_to_contain_text("Every screen is blank")


def bundle_for(slug: str) -> bytes:
    """The shipped recall scenario exported, renamed `slug` (its guidelines are the shipped ones,
    identical, so the import uses them)."""
    entry = next(e for e in library.entries(SHIPPED) if e.path.stem == "sunnyfoods-recall")
    text = bundles.export_text(entry).replace("sunnyfoods-recall", slug)
    return text.replace("title: Recalled granola", f"title: Imported granola {slug}", 1).encode()


def test_an_imported_bundle_lands_as_a_draft_and_can_be_published(page, sign_in, new_slug):
    sign_in("trainer@example.com", "practise-trainer")
    page.goto("/scenarios/")
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", name="Import a scenario")).to_be_visible()

    # a file that is not a bundle is refused with a message, and nothing lands
    page.get_by_label("Bundle file").set_input_files(
        {"name": "notes.yaml", "mimeType": "application/yaml", "buffer": b"- a\n- list\n"})
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.locator(".refusal")).to_contain_text("is not a scenario bundle")

    page.get_by_label("Bundle file").set_input_files(
        {"name": f"{new_slug}{bundles.SUFFIX}", "mimeType": "application/yaml",
         "buffer": bundle_for(new_slug)})
    page.get_by_role("button", name="Import as a draft").click()
    expect(page).to_have_url(re.compile(rf"/scenarios/{new_slug}$"))
    expect(page.locator(".flash")).to_contain_text("was imported as a draft")
    expect(page.locator(".head-actions .state")).to_have_text("Draft")

    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".flash")).to_contain_text("is published")
    expect(page.locator(".head-actions .state")).to_have_text("Published")

    # importing it again replaces nothing
    page.goto("/scenarios/import")
    page.get_by_label("Bundle file").set_input_files(
        {"name": f"{new_slug}{bundles.SUFFIX}", "mimeType": "application/yaml",
         "buffer": bundle_for(new_slug)})
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.locator(".refusal")).to_contain_text(f"already has a file called {new_slug}.yaml")
