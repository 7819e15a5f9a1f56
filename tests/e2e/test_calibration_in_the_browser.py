"""A trainer disputes a finding while reviewing, voids a run, and reads the Calibration page."""

import random
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sandbox import accounts, db, demo, library, runs
from sandbox.models import utcnow

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def exam_run(live_app) -> int:
    """A finished exam run by a trainee of this module, answered with the model answers."""
    with live_app.app_context():
        session = db.get_session()
        entry = next(e for e in library.entries(live_app.config["SCENARIOS_DIR"])
                     if e.slug == "sunnyfoods-recall")
        user = accounts.find_user(session, "calib@example.com") or accounts.create_user(
            session=session, email="calib@example.com", name="Cal Ibrate",
            password="practise-trainee", roles=("trainee",))
        session.commit()
        started = utcnow() - timedelta(days=2)
        run = runs.start_run(session=session, user=user, entry=entry, mode="exam", speed=10,
                             now=started)
        demo.play_run(session, run, random.Random(3), skill=1.0)
        runs.finish(session=session, run=run,
                    now=started + timedelta(seconds=entry.scenario.duration / run.speed))
        return run.id


def test_a_trainer_disputes_a_finding_and_sees_it_on_the_calibration_page(page, sign_in,
                                                                         exam_run, output_path):
    sign_in("trainer@example.com", "practise-trainer")
    page.goto(f"/review/runs/{exam_run}")
    panel = page.locator("#dispute-panel")
    expect(panel.get_by_role("heading", name="Dispute a finding or a criterion score")) \
        .to_be_visible()
    panel.locator("summary").first.click()
    form = panel.locator("form.dispute-form").first
    form.get_by_label("What is wrong").select_option(label="Finding 1 is wrong")
    form.get_by_label("The reply is").select_option("good")
    form.get_by_label("Comment").fill("The scorer misread a good reply.")
    form.get_by_role("button", name="Record").click()
    expect(page.locator(".flash")).to_contain_text("Dispute recorded")
    expect(panel.locator(".dispute-list")).to_contain_text("The scorer misread a good reply.")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calibration").click()
    expect(page.get_by_role("heading", name="Calibration")).to_be_visible()
    expect(page.get_by_text("The scorer misread a good reply.")).to_be_visible()
    expect(page.locator(".calibration-figures").first).to_contain_text("Verdict agreement")
    page.screenshot(path=f"{output_path}/calibration.png", full_page=True)


def test_a_trainer_voids_a_run_and_the_debrief_says_why(page, sign_in, exam_run):
    sign_in("trainer@example.com", "practise-trainer")
    page.goto(f"/review/runs/{exam_run}")
    page.get_by_label("Reason").fill("Played during a live demo by the trainer's colleague.")
    page.get_by_role("button", name="Void the run").click()
    expect(page.locator(".flash").first).to_contain_text("Run voided")
    expect(page.locator("#run-evidence")).to_contain_text("Played during a live demo")
    page.get_by_label("Reason").fill("Checked the logs: the trainee played it.")
    page.get_by_role("button", name="Count it again").click()
    expect(page.locator(".flash").first).to_contain_text("Run restored")
    expect(page.locator("#run-evidence")).to_have_count(0)
    expect(page.locator("#void-history")).to_contain_text("Void decisions (2)")
