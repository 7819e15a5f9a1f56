"""Who may open what: every route of the URL map, for every role, against a written table.

A route added without a line in EXPECTED fails the first test: decide who may use it, then write
it down here. Statuses: a number, or "→ /path" for a redirect there ("→ /sign-in": the sign-in
page, for a route that needs an account). POSTs carry a valid CSRF token and an empty form, so the
table shows who gets past the role check (422, 409: the form was looked at) and who does not.
"other trainee" opens the trainee's own runs: trainees never see each other's data (404).
"""

import pytest

from tests.conftest import csrf_token_from
from tests.security.routes import every_route
from tests.security.world import ROLES

SIGN_IN = "→ /sign-in"
DASHBOARD = "→ /dashboard"
RUN = "→ /runs/"
COHORT = "→ /cohorts/"
TRAINER_ONLY = (SIGN_IN, 403, 403, 200, 403, 403)
HR_ONLY = (SIGN_IN, 403, 403, 403, 200, 403)
ADMIN_ONLY = (SIGN_IN, 403, 403, 403, 403, 200)
STAFF = (SIGN_IN, 403, 403, 200, 403, 200)  # trainers and administrators (cohorts)
OWN_RUN = (SIGN_IN, 200, 404, 403, 403, 403)

EXPECTED = {
    #                          anonymous trainee  other-trainee trainer  hr     admin
    "GET home.index":          (SIGN_IN, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD),
    "GET home.dashboard":      (SIGN_IN, 200, 200, 200, 200, 200),
    "GET static":              (200, 200, 200, 200, 200, 200),
    # No sign-in: a load balancer asks. 503 here: the test database is built without migrations
    # (tests/web/test_operations.py shows 200 on a migrated one).
    "GET operations.healthz":  (503, 503, 503, 503, 503, 503),
    # Not by role but by origin: the test client is on this machine and not forwarded
    # (refused through a proxy or from elsewhere without METRICS_TOKEN: test_operations.py).
    "GET operations.metrics":  (200, 200, 200, 200, 200, 200),
    "GET auth.login":          (200, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD),
    "POST auth.login":         (400, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD, DASHBOARD),
    "POST auth.logout":        (SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN),
    "POST auth.sign_out_everywhere": (SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN),
    "GET auth.password":       (SIGN_IN, 200, 200, 200, 200, 200),
    "POST auth.password":      (SIGN_IN, 422, 422, 422, 422, 422),
    # links that carry their own secret: usable by whoever holds them
    "GET auth.join":           (200, 200, 200, 200, 200, 200),
    "POST auth.join":          (422, 422, 422, 422, 422, 422),
    "GET auth.reset":          (200, 200, 200, 200, 200, 200),
    "POST auth.reset":         (422, 422, 422, 422, 422, 422),
    "GET practice.index":      (SIGN_IN, 200, 200, 403, 403, 403),
    "GET practice.briefing":   (SIGN_IN, 200, 200, 403, 403, 403),
    "POST practice.start":     (SIGN_IN, RUN, RUN, 403, 403, 403),
    "GET practice.run":        OWN_RUN,
    "GET practice.live":       OWN_RUN,
    "GET practice.compose":    (SIGN_IN, RUN, 404, 403, 403, 403),
    "POST practice.act":       (SIGN_IN, RUN, 404, 403, 403, 403),
    "POST practice.live_hints": OWN_RUN,
    "POST practice.control":   (SIGN_IN, RUN, 404, 403, 403, 403),
    "GET practice.debrief_page": OWN_RUN,
    # the debrief's replay, for htmx; asked for outside htmx, the debrief showing it (→ /runs/)
    "GET practice.debrief_replay": (SIGN_IN, RUN, 404, 403, 403, 403),
    "GET author.index":        TRAINER_ONLY,
    "GET author.detail":       TRAINER_ONLY,
    "GET author.new":          TRAINER_ONLY,
    "POST author.create":      (SIGN_IN, 403, 403, 422, 403, 403),
    "GET author.edit":         TRAINER_ONLY,
    "POST author.save":        (SIGN_IN, 403, 403, 409, 403, 403),
    "POST author.validate":    TRAINER_ONLY,
    "POST author.preview_at":  TRAINER_ONLY,
    "POST author.run_tests":   TRAINER_ONLY,
    "POST author.change_state": (SIGN_IN, 403, 403, "→ /scenarios/sunnyfoods-recall", 403, 403),
    "GET author.history":      TRAINER_ONLY,
    "POST author.restore":     (SIGN_IN, 403, 403, 422, 403, 403),  # it has no version 1 yet
    "GET author.format_guide": TRAINER_ONLY,
    "GET author.format_code":  TRAINER_ONLY,
    "GET author.export":       TRAINER_ONLY,
    "GET author.guidelines_detail": TRAINER_ONLY,
    "POST author.guidelines_state": (SIGN_IN, 403, 403, "→ /scenarios/guidelines/sunnyfoods", 403,
                                     403),
    "GET author.guidelines_edit": TRAINER_ONLY,
    "POST author.guidelines_save": (SIGN_IN, 403, 403, 409, 403, 403),
    "POST author.guidelines_validate": TRAINER_ONLY,
    "GET author.guidelines_history": TRAINER_ONLY,
    "POST author.guidelines_restore": (SIGN_IN, 403, 403, 422, 403, 403),
    "GET author.import_form":  TRAINER_ONLY,
    "POST author.import_upload": (SIGN_IN, 403, 403, 422, 403, 403),  # no file chosen
    "GET review.index":        TRAINER_ONLY,
    "GET review.run":          TRAINER_ONLY,
    "POST review.submit":      (SIGN_IN, 403, 403, 422, 403, 403),
    "POST review.void":        (SIGN_IN, 403, 403, 422, 403, 403),
    "POST review.dispute":     (SIGN_IN, 403, 403, 422, 403, 403),
    "GET review.calibration_page": STAFF,
    "GET review.items_page": STAFF,
    "GET cohorts.index":       STAFF,
    "POST cohorts.create":     (SIGN_IN, 403, 403, 422, 403, 422),
    "GET cohorts.detail":      STAFF,
    "POST cohorts.add_people": (SIGN_IN, 403, 403, 422, 403, 422),
    "POST cohorts.remove_member": (SIGN_IN, 403, 403, COHORT, 403, COHORT),
    "POST cohorts.renew_invitation": STAFF,
    "POST cohorts.revoke_invitation": (SIGN_IN, 403, 403, COHORT, 403, COHORT),
    "POST cohorts.assign":     (SIGN_IN, 403, 403, 422, 403, 422),
    "POST cohorts.unassign":   (SIGN_IN, 403, 403, COHORT, 403, COHORT),
    "POST cohorts.add_owner":  (SIGN_IN, 403, 403, 422, 403, 422),
    "POST cohorts.remove_owner": (SIGN_IN, 403, 403, 422, 403, 422),  # the last owner stays
    "POST cohorts.delete":     (SIGN_IN, 403, 403, 422, 403, 422),
    "GET talent.board":        HR_ONLY,
    "GET talent.export":       HR_ONLY,
    "GET talent.person":       HR_ONLY,
    "GET talent.run":          HR_ONLY,
    "GET admin.users":         ADMIN_ONLY,
    "GET admin.new_user":      ADMIN_ONLY,
    "POST admin.new_user":     (SIGN_IN, 403, 403, 403, 403, 422),
    "POST admin.update_user":  (SIGN_IN, 403, 403, 403, 403, "→ /admin/users"),
    "POST admin.reset_link":   ADMIN_ONLY,
}

# requests that end every session of the person: checked after all the others
SIGNS_OUT_EVERYONE = {"POST auth.sign_out_everywhere"}
# requests after which the client may be signed out: each gets a client of its own
SIGNS_OUT = {"POST auth.logout", "POST auth.sign_out_everywhere", "GET auth.join",
             "POST auth.join", "GET auth.reset", "POST auth.reset"}


def outcome(response):
    if response.status_code in (301, 302, 303):
        location = response.headers["Location"].split("?")[0]
        for target in (SIGN_IN, DASHBOARD, RUN, COHORT):
            if location.startswith(target[2:]):
                return target
        return f"→ {location}"
    return response.status_code


def test_every_route_has_an_expectation_for_every_role(app, world):
    routes = {route.key for route in every_route(app, world)}
    assert routes - EXPECTED.keys() == set(), "new routes: add them to EXPECTED"
    assert EXPECTED.keys() - routes == set(), "routes gone: remove them from EXPECTED"
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_table_says(app, world, client_as, role):
    column = ROLES.index(role)
    client = client_as(role)
    token_page = "/sign-in" if role == "anonymous" else "/account/password"
    wrong = []
    # signing out everywhere ends the other clients' sessions of this person too: last
    routes = sorted(every_route(app, world), key=lambda route: route.key in SIGNS_OUT_EVERYONE)
    for route in routes:
        if route.key not in EXPECTED:
            continue  # the test above names it
        browser = client_as(role) if route.key in SIGNS_OUT else client
        data = {}
        if route.method == "POST":
            data["csrf_token"] = csrf_token_from(browser.get(token_page).get_data(as_text=True))
        response = browser.open(route.url, method=route.method, data=data)
        response.close()
        if outcome(response) != EXPECTED[route.key][column]:
            wrong.append(f"{route.key} {route.url}: {outcome(response)!r}, "
                         f"expected {EXPECTED[route.key][column]!r}")
        assert response.headers["X-Frame-Options"] == "DENY", route.key  # headers on everything
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert wrong == []
