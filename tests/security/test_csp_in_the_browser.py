"""The pages of every role work under the Content-Security-Policy: a browser visits them, plays,
types and clicks, and any policy violation (a console error or a `securitypolicyviolation`
event) fails the test. The first test shows the watcher does catch one."""

import re

import pytest
from playwright.sync_api import expect

from tests.security.conftest import sign_in

pytestmark = pytest.mark.e2e

GOOD_REPLY = ("Hi Maria, we're so sorry your little one is unwell. Batch 22B is part of this "
              "morning's recall - please DM us so we can arrange a refund.")
INLINE_PAGE = ("<p style='color: red'>styled</p><script>document.title = 'ran'</script>"
               "<button onclick='void 0'>inline</button>")


@pytest.fixture
def violations(page):
    """Every CSP violation the page reports, from the console and from the DOM event."""
    found = []
    page.on("console", lambda message: found.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.expose_function("reportViolation", lambda text: found.append(text))
    page.add_init_script("""document.addEventListener("securitypolicyviolation", event =>
        window.reportViolation(`${event.violatedDirective} blocked ${event.blockedURI}`))""")
    return found


def test_the_watcher_reports_an_inline_script_a_style_and_a_handler(page, violations,
                                                                   browser_server):
    url = f"{browser_server.url}/watcher-check"
    page.route(url, lambda route: route.fulfill(
        body=INLINE_PAGE, content_type="text/html",
        headers={"Content-Security-Policy": "default-src 'self'"}))
    page.goto(url)
    expect(page.get_by_role("button", name="inline")).to_be_visible()
    expect(page).not_to_have_title("ran")
    page.wait_for_function("() => true")  # one more round trip: the reports have arrived
    assert any("script-src" in v or "inline script" in v for v in violations)
    assert any("style" in v for v in violations)


def test_a_trainee_plays_both_skins_and_reads_the_debrief_without_a_violation(
        page, violations, browser_server):
    url = browser_server.url
    sign_in(page, url, "trainee")
    page.goto(f"{url}/practice/")
    page.goto(f"{url}/practice/sunnyfoods-recall")
    page.get_by_label("10×").check()
    page.get_by_role("button", name="Start the clock").click()
    post = page.locator("#item-first_post")
    expect(post).to_contain_text("My 4yo was sick", timeout=20_000)
    post.get_by_role("link", name="Reply").click()
    post.get_by_role("textbox").fill("Hi Maria, calm down.")
    expect(post.locator(".live-hints")).to_contain_text("calm down", timeout=15_000)
    post.get_by_role("textbox").fill(GOOD_REPLY)
    expect(post.locator(".counter")).to_have_text(re.compile(r"\d+ / 280"))
    post.get_by_role("button", name="Send").click()
    expect(post.locator(".item.mine")).to_contain_text("Batch 22B is part of this morning")
    expect(page.locator("#progress-bar rect")).to_have_attribute("width", re.compile(r"\d"))
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Finish and see my debrief").click()
    expect(page).to_have_url(re.compile(r"/debrief$"))
    expect(page.locator(".dimensions svg.bar").first).to_be_visible()
    page.locator("#replay-section summary").click()  # the replay, loaded when opened
    page.get_by_role("slider").fill("30")  # Maria's post was answered: the run lasted longer
    expect(page.locator("#replay .replay-moment")).to_contain_text("0:30 of")  # fetched, swapped

    page.goto(f"{url}/practice/")
    page.get_by_role("link", name=re.compile("posts her own phone number")).click()
    page.get_by_label("10×").check()
    page.get_by_role("button", name="Start the clock").click()
    expect(page.locator(".skin-facebook")).to_be_visible()
    post = page.locator("#item-details")
    expect(post).to_contain_text("Third time asking", timeout=20_000)
    post.get_by_role("link", name="Comment", exact=True).click()  # a page comments on a post
    post.get_by_role("textbox").fill("Hi Denise, we're sorry. We've sent you a private message.")
    post.get_by_role("button", name="Send").click()
    expect(post.locator(".item.mine")).to_contain_text("sent you a private message")
    page.get_by_role("button", name="Finish and see my debrief").click()
    expect(page).to_have_url(re.compile(r"/debrief$"))
    page.goto(f"{url}/dashboard")
    expect(page.get_by_role("heading", name=re.compile("Hello"))).to_be_visible()
    assert violations == []


def test_a_trainer_edits_with_live_findings_reviews_and_manages_cohorts_without_a_violation(
        page, violations, browser_server):
    url, world = browser_server.url, browser_server.world
    sign_in(page, url, "trainer")
    page.goto(f"{url}/scenarios/")
    page.goto(f"{url}/scenarios/sunnyfoods-recall")
    page.goto(f"{url}/scenarios/sunnyfoods-recall/edit")
    editor = page.get_by_label(re.compile("YAML of"))
    findings = page.locator("#diagnostics")
    expect(findings).to_contain_text("No findings")
    good = editor.input_value()
    editor.fill(good.replace("    from: maria\n", "    from: mariaa\n", 1))
    expect(findings).to_contain_text('unknown persona "mariaa"')
    findings.get_by_role("button", name=re.compile("mariaa")).click()
    expect(editor).to_be_focused()
    editor.fill(good)
    expect(findings).to_contain_text("No findings")
    page.get_by_label("Simulated time").fill("60")
    expect(page.locator("#preview")).to_contain_text("My 4yo was sick")

    page.goto(f"{url}/review/")
    page.goto(f"{url}/review/runs/{world.finished_run}")
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()
    page.goto(f"{url}/cohorts/")
    page.goto(f"{url}/cohorts/{world.cohort}")
    page.get_by_role("button", name="New link").first.click()
    link = page.locator("input.copy-link").first
    link.click()
    assert link.evaluate("box => box.selectionEnd - box.selectionStart") > 20  # copy-link.js
    assert violations == []


def test_hr_and_an_administrator_use_their_pages_without_a_violation(page, violations,
                                                                    browser_server):
    url, world = browser_server.url, browser_server.world
    sign_in(page, url, "hr")
    for path in ("/talent/", f"/talent/people/{world.users['trainee']}",
                 f"/talent/runs/{world.finished_run}", "/account/password"):
        page.goto(f"{url}{path}")
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, url, "admin")
    page.goto(f"{url}/admin/users")
    row = page.locator("li, tr", has_text="Otto Other").first
    row.get_by_role("button", name=re.compile("reset link", re.I)).click()
    link = page.locator("input.copy-link").first
    expect(link).to_be_visible()
    link.click()
    assert link.evaluate("box => box.selectionEnd - box.selectionStart") > 20
    page.goto(f"{url}/admin/users/new")
    page.goto(f"{url}/cohorts/{world.cohort}")
    expect(page.get_by_role("heading", name="Owners")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.goto(f"{url}/join/{world.join_token}")
    expect(page.locator("main")).to_be_visible()
    assert violations == []
