"""The XSS corpus in a real browser: every payload sits in the pages below (names, replies, notes,
review comments, cohort names, invitation e-mails, scenario titles, personas and posts, and the
editor's live findings and preview swapped in by htmx); a dialog opened by any of them fails.

The browser ignores the Content-Security-Policy here, so the test shows the escaping holds on
its own: the policy is a second wall, not the first (test_csp_in_the_browser.py checks it).
"""

import re

import pytest
from playwright.sync_api import expect

from tests.security.conftest import sign_in
from tests.security.payloads import PAYLOADS

pytestmark = pytest.mark.e2e


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def dialogs(page):
    """Every alert, confirm or prompt a page opens (leaving an edited page asks too: not ours)."""
    opened = []

    def seen(dialog):
        if dialog.type != "beforeunload":
            opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", seen)
    return opened


def visit(page, url: str, dialogs: list) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    assert dialogs == [], f"{url} ran a payload"


def test_the_dialog_watcher_sees_a_payload_that_runs(page, dialogs, browser_server):
    url = f"{browser_server.url}/watcher-check"
    page.route(url, lambda route: route.fulfill(body=PAYLOADS[1], content_type="text/html"))
    page.goto(url)
    expect(page.locator("img")).to_have_count(1)
    page.wait_for_function("() => true")
    assert dialogs == ["alert: xss-2"]


def test_no_payload_runs_on_the_trainees_pages(page, dialogs, browser_server):
    url, world = browser_server.url, browser_server.world
    sign_in(page, url, "trainee")
    for path in ("/dashboard", "/practice/", "/practice/xss-all", "/practice/xss-5",
                 f"/runs/{world.finished_run}/debrief", f"/runs/{world.finished_run}/debrief"
                 "?at=900", "/account/password"):
        visit(page, f"{url}{path}", dialogs)
    expect(page.locator("body")).to_contain_text(PAYLOADS[0])  # the trainee's own name
    visit(page, f"{url}/runs/{browser_server.xss_run}", dialogs)
    post = page.locator("#item-first_post")
    expect(post).to_contain_text(PAYLOADS[2])  # every payload is in this post
    post.get_by_role("link", name="Reply").click()
    post.get_by_role("textbox").fill(f"{PAYLOADS[3]} calm down")  # hints quote the draft
    expect(post.locator(".live-hints")).to_contain_text("calm down", timeout=15_000)
    assert dialogs == []


def test_no_payload_runs_on_the_trainers_pages(page, dialogs, browser_server):
    url, world = browser_server.url, browser_server.world
    sign_in(page, url, "trainer")
    for path in ("/dashboard", "/scenarios/", "/scenarios/xss-all", "/review/",
                 f"/review/runs/{world.finished_run}", "/cohorts/",
                 *(f"/cohorts/{c}" for c in world.extra_cohorts[:5]), f"/cohorts/{world.cohort}"):
        visit(page, f"{url}{path}", dialogs)
    expect(page.locator("main")).to_contain_text("evil.example")  # invitation e-mails
    visit(page, f"{url}/scenarios/xss-all/edit", dialogs)
    editor = page.get_by_label(re.compile("YAML of"))
    editor.press("End")
    editor.type(" ")  # the findings and the preview come back through htmx
    page.get_by_label("Simulated time").fill("60")
    expect(page.locator("#preview")).to_contain_text(PAYLOADS[4])
    editor.fill(editor.input_value().replace("    from: maria\n",
                                             f"    from: \"{PAYLOADS[1]}\"\n", 1))
    expect(page.locator("#diagnostics")).to_contain_text("xss-2")
    assert dialogs == []


def test_no_payload_runs_on_the_pages_of_hr_and_administrators(page, dialogs, browser_server):
    url, world = browser_server.url, browser_server.world
    sign_in(page, url, "hr")
    for path in ("/talent/", f"/talent/people/{world.users['trainee']}",
                 f"/talent/people/{world.users['bystander']}",
                 f"/talent/runs/{world.finished_run}"):
        visit(page, f"{url}{path}", dialogs)
    page.get_by_role("button", name="Sign out", exact=True).click()
    sign_in(page, url, "admin")
    for path in ("/admin/users", "/cohorts/", f"/cohorts/{world.cohort}"):
        visit(page, f"{url}{path}", dialogs)
    expect(page.locator("main")).to_contain_text(PAYLOADS[6])
