"""Every page of every role loads everything from our own server: no fonts, scripts, images or
analytics from another site (a practice ground must work offline and leak nothing)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.exceptions import HTTPException

from sandbox import accounts, cohorts, db, library, passwords, runs
from sandbox.demo import DEMO_LOGINS
from sandbox.models import utcnow

pytestmark = pytest.mark.e2e

PASSWORD = "visiting every page"
# GET endpoints a person never opens as a page, and why.
NOT_PAGES = {"talent.export": "a CSV download: it loads nothing",
             "operations.healthz": "JSON for a load balancer: it loads nothing",
             "operations.metrics": "text for Prometheus: it loads nothing",
             "author.export": "a YAML download (a scenario bundle): it loads nothing"}


@pytest.fixture(scope="module")
def visitor(live_app):
    """A trainee of their own (so other browser tests' runs and cohorts stay as they were) with
    a run going on, a finished run, a cohort, an invitation and a password reset link."""
    with live_app.app_context():
        session = db.get_session()
        trainee = accounts.create_user(session=session, email="visitor@example.com",
                                       name="Vera Visitor", password=PASSWORD,
                                       roles=["trainee"])
        session.commit()
        entry = library.find(live_app.config["SCENARIOS_DIR"], "sunnyfoods-recall")
        # Started a minute ago at 1x: the first post (at 30s) is on the feed, the end is far.
        going_on = runs.start_run(session=session, user=trainee, entry=entry, mode="practice",
                                  speed=1, now=utcnow() - timedelta(seconds=60))
        finished = runs.start_run(session=session, user=trainee, entry=entry, mode="exam",
                                  speed=10)
        runs.finish(session=session, run=finished)
        cohort = cohorts.create_cohort(session, name="Every page")
        added = cohorts.add_people(session, cohort,
                                   "visitor@example.com newcomer@example.com")
        (_, invitation), = added.invited
        reset = passwords.reset_token(trainee, live_app.config["SECRET_KEY"])
        return {"trainee": trainee.id, "going_on": going_on.id, "finished": finished.id,
                "cohort": cohort.id, "invitation": invitation, "reset": reset}


def pages_of(visitor) -> dict[str, list[str]]:
    """What each role opens, by sign-in e-mail ("" for nobody); signing in opens the dashboard."""
    trainee, going_on, finished = visitor["trainee"], visitor["going_on"], visitor["finished"]
    return {
        "": ["/sign-in", f"/join/{visitor['invitation']}", f"/reset/{visitor['reset']}",
             "/no/such/page"],
        "visitor@example.com": [
            "/", "/account/password", "/practice/", "/practice/sunnyfoods-recall",
            f"/runs/{going_on}", f"/runs/{going_on}/compose?event=first_post&action=reply",
            f"/runs/{finished}/debrief"],
        login("trainer"): [
            "/scenarios/", "/scenarios/sunnyfoods-recall", "/scenarios/new",
            "/scenarios/sunnyfoods-recall/edit", "/scenarios/sunnyfoods-recall/history",
            "/scenarios/format/", "/scenarios/format/SCN202", "/scenarios/import",
            "/scenarios/guidelines/sunnyfoods", "/scenarios/guidelines/sunnyfoods/edit",
            "/scenarios/guidelines/sunnyfoods/history",
            "/cohorts/", f"/cohorts/{visitor['cohort']}",
            "/review/", f"/review/runs/{finished}", "/review/calibration", "/review/items"],
        login("hr"): ["/talent/", f"/talent/people/{trainee}",
                      f"/talent/runs/{finished}"],
        login("admin"): ["/admin/users", "/admin/users/new"],
    }


def login(role: str) -> str:
    return next(demo.email for demo in DEMO_LOGINS if demo.roles == (role,))


def password_of(email: str) -> str:
    return next((demo.password for demo in DEMO_LOGINS if demo.email == email), PASSWORD)


def test_no_page_of_any_role_asks_another_site_for_anything(page, live_app, live_server,
                                                             visitor, sign_in):
    ours = urlsplit(live_server).netloc
    requested: list[tuple[str, str]] = []  # (method, URL) of everything the browser asked for
    page.on("request", lambda request: requested.append((request.method, request.url)))
    # Anything bound elsewhere fails at once instead of waiting for a network we may not have.
    page.route(re.compile(r"^(https?|wss?)://(?!" + re.escape(ours) + r"/)"),
               lambda route: route.abort())

    for email, paths in pages_of(visitor).items():
        page.context.clear_cookies()
        if email:
            sign_in(email, password_of(email))
            expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
        for path in paths:
            # Every stylesheet, script and image of the page is asked for before "load"; the
            # requests htmx makes later are waited for by name.
            if path.startswith(f"/runs/{visitor['going_on']}"):
                later = r"/hints$" if "compose" in path else r"/live\?"  # hints, or the poll
                with page.expect_request(re.compile(later)):
                    response = page.goto(path)
                    # What an action does to the feed: the poll asks at once, not in 2 s.
                    page.evaluate("htmx.trigger(document.body, 'feed-changed')")
            else:
                response = page.goto(path)
            assert response.status == (404 if path == "/no/such/page" else 200), path
            if path.endswith("/debrief"):  # its replay comes when the trainee opens it
                with page.expect_request(re.compile(r"/debrief/replay$")):
                    page.locator("#replay-section summary").click()
                expect(page.locator("#replay")).to_be_visible()

    elsewhere = [url for _, url in requested
                 if urlsplit(url).scheme in ("http", "https", "ws", "wss")
                 and urlsplit(url).netloc != ours]
    assert elsewhere == []

    adapter = live_app.url_map.bind(ours)
    opened = {endpoint_of(adapter, url) for method, url in requested
              if method == "GET" and urlsplit(url).netloc == ours}
    every_get = {rule.endpoint for rule in live_app.url_map.iter_rules() if "GET" in rule.methods}
    assert every_get - opened - set(NOT_PAGES) == set(), "pages this test does not open yet"


def endpoint_of(adapter, url: str) -> str | None:
    try:
        return adapter.match(urlsplit(url).path)[0]
    except HTTPException:  # the 404 page
        return None
