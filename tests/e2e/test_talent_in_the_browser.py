"""HR opens the talent board, filters it, a person's page and downloads the CSV, in a browser;
the board fits the screen at 1280 and at 390 pixels, flags included."""

import random
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sandbox import accounts, db, demo, library, runs
from sandbox.models import utcnow

pytestmark = pytest.mark.e2e

LONG_NAMES = ("Maximiliana Featherstonehaugh-Worthington", "Bartholomew Okonkwo-Llewellyn",
              "Anne-Sophie Van den Berghe", "Siobhán Ní Mhaolagáin", "Jo Li")
EXAMS = ("sunnyfoods-recall", "valemont-cancelled-train", "tandemy-double-charge")


@pytest.fixture(scope="module")
def evidence(live_app):
    """Five trainees with long names and three exam runs each on three scenarios."""
    with live_app.app_context():
        session = db.get_session()
        entries = {e.slug: e for e in library.entries(live_app.config["SCENARIOS_DIR"])}
        for number, name in enumerate(LONG_NAMES):
            email = f"board{number}@example.com"
            user = accounts.find_user(session, email) or accounts.create_user(
                session=session, email=email, name=name, password="practise-trainee",
                roles=("trainee",))
            session.commit()
            for index, slug in enumerate(EXAMS):
                started = utcnow() - timedelta(days=10 - index)
                run = runs.start_run(session=session, user=user, entry=entries[slug],
                                     mode="exam", speed=10, now=started)
                demo.play_run(session, run, random.Random(number * 10 + index),
                              skill=0.2 + 0.2 * number)
                runs.finish(session=session, run=run, now=started + timedelta(
                    seconds=entries[slug].scenario.duration / run.speed))


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_the_board_and_its_flags_fit_the_screen(page, sign_in, evidence, output_path, width,
                                                height):
    page.set_viewport_size({"width": width, "height": height})
    sign_in("hr@example.com", "practise-hr")
    page.goto("/talent/")
    expect(page.get_by_role("heading", name="Talent board")).to_be_visible()
    flags = page.locator("td.col-flags").filter(has_text="Rests on").first
    flags.scroll_into_view_if_needed()
    expect(flags).to_be_visible()  # the explanation is text on the page, not a tooltip
    box = flags.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page_width(page) <= width, "the page scrolls sideways"
    if width > 900:
        header = page.get_by_role("columnheader", name="Flags").bounding_box()
        assert header["x"] + header["width"] <= width
    page.screenshot(path=f"{output_path}/talent-board-{width}.png", full_page=True)


def test_hr_filters_the_board_and_the_export_keeps_the_filters(page, sign_in, evidence):
    sign_in("hr@example.com", "practise-hr")
    page.goto("/talent/")
    page.get_by_label("Scenario").select_option(label="Recalled granola - a worried parent "
                                                      "goes public")
    page.get_by_label("Language").select_option("en")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"scenario=sunnyfoods-recall.*language=en"))
    row = page.locator("tr", has_text=LONG_NAMES[0])
    expect(row).to_contain_text("1 counted exam run on 1 scenario")
    expect(row).to_contain_text("Not enough evidence")
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    text = download.value.path().read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith(LONG_NAMES[0]))
    assert ",no,1,1," in line  # enough_evidence, counted_exam_runs, scenarios
    page.get_by_role("link", name="Clear filters").click()
    expect(page.locator("tr", has_text=LONG_NAMES[0])).to_contain_text(
        "3 counted exam runs on 3 scenarios")


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
