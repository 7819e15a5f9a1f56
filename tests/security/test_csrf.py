"""Every state change needs the CSRF token: a POST without it is refused (400), nothing written.

Each POST of the URL map is sent by someone allowed to make it, with the form a person would
send (the last test shows a sample of them change things once the token is there): only the
token is missing, plainly or as htmx sends it (a header).
"""

import io

import pytest

from tests.conftest import SHIPPED, csrf_token_from
from tests.security.conftest import snapshot
from tests.security.routes import every_route
from tests.security.world import PASSWORD

SECOND_PASSWORD = "another long passphrase"
FORMS = {
    "admin.new_user": {"name": "Nora New", "email": "nora@example.com", "password": PASSWORD,
                       "roles": "trainee"},
    "admin.reset_link": {},
    "admin.update_user": {"roles": ["trainer"], "active": "on"},
    "auth.join": {"name": "Nia New", "password": PASSWORD, "password_again": PASSWORD},
    "auth.login": {"email": "tess@example.com", "password": PASSWORD},
    "auth.logout": {},
    "auth.sign_out_everywhere": {},
    "auth.password": {"current": PASSWORD, "password": SECOND_PASSWORD,
                      "password_again": SECOND_PASSWORD},
    "auth.reset": {"password": SECOND_PASSWORD, "password_again": SECOND_PASSWORD},
    "author.create": {"slug": "brand-new", "network": "twitter", "language": "en"},
    "author.save": {"text": "format: 1\n", "version": ""},
    "author.validate": {"text": "format: 1\n"},
    "author.preview_at": {"text": "format: 1\n", "at": "60"},
    "author.run_tests": {"text": "format: 1\n"},
    "author.change_state": {},
    "author.restore": {"version": ""},
    "author.import_upload": {},  # the bundle file: see form_for
    "author.guidelines_state": {},
    "author.guidelines_save": {"text": "format: 1\n", "version": ""},
    "author.guidelines_validate": {"text": "format: 1\n"},
    "author.guidelines_restore": {"version": ""},
    "cohorts.create": {"name": "Autumn intake"},
    "cohorts.add_people": {"emails": "otto@example.com"},
    "cohorts.remove_member": {},
    "cohorts.renew_invitation": {},
    "cohorts.revoke_invitation": {},
    "cohorts.assign": {"scenario": "sunnyfoods-recall", "mode": "exam"},
    "cohorts.unassign": {},
    "cohorts.delete": {"confirm": "Plain text 0 #0"},
    "practice.start": {"mode": "practice", "speed": "10"},
    "practice.act": {"key": "csrf-test", "event": "first_post", "action": "reply",
                     "text": "Hi Maria, we are so sorry."},
    "practice.live_hints": {"event": "first_post", "action": "reply", "text": "calm down"},
    "practice.control": {},
    "review.submit": {"key": "csrf-test", "decision": "confirm", "comment": "Fair."},
    "review.void": {"key": "csrf-test", "decision": "void", "reason": "Played by a colleague."},
    "review.dispute": {"key": "csrf-test", "event": "first_post", "criterion": "timeliness",
                       "what": "too_high"},
}
FORMS["cohorts.add_owner"] = {}  # the user id is the world's: see form_for
FORMS["cohorts.remove_owner"] = {}

# who may make each change (the CSRF check comes first, but the form must be one that works)
SENDER = {"admin": "admin", "author": "trainer", "review": "trainer", "cohorts": "trainer",
          "practice": "trainee", "auth.password": "trainee", "auth.login": "anonymous",
          "auth.join": "anonymous", "auth.reset": "anonymous", "auth.logout": "trainee",
          "auth.sign_out_everywhere": "trainee"}


def sender(endpoint: str) -> str:
    return SENDER.get(endpoint) or SENDER[endpoint.split(".")[0]]


def files(folder):
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


def posts(app, world):
    return [route for route in every_route(app, world) if route.method == "POST"]


def form_for(endpoint, world):
    form = dict(FORMS[endpoint])
    if endpoint == "cohorts.add_owner":
        form["user_id"] = str(world.users["trainer"])
    if endpoint == "author.import_upload":
        bundle = (SHIPPED / "sunnyfoods-recall.yaml").read_bytes()  # any file: the token is first
        form["bundle"] = (io.BytesIO(bundle), "recall.bundle.yaml")
    return form


def test_every_post_route_has_a_working_form_here(app, world):
    assert {route.endpoint for route in posts(app, world)} - FORMS.keys() == set()


@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_a_post_without_its_token_is_refused_and_writes_nothing(app, world, client_as, library,
                                                              htmx):
    clients = {}
    headers = {"HX-Request": "true"} if htmx else {}
    for route in posts(app, world):
        role = sender(route.endpoint)
        client = clients.get(role) or clients.setdefault(role, client_as(role))
        before, before_files = snapshot(app), files(library)
        response = client.post(route.url, data=form_for(route.endpoint, world), headers=headers)
        assert response.status_code == 400, route.key
        assert "This form has expired" in response.get_data(as_text=True)
        assert snapshot(app) == before, f"{route.key} wrote to the database"
        assert files(library) == before_files, f"{route.key} wrote a scenario file"


def test_a_token_from_another_session_is_refused(app, world, client_as):
    stolen = csrf_token_from(client_as("trainer").get("/cohorts/").get_data(as_text=True))
    victim = client_as("trainer")
    before = snapshot(app)
    response = victim.post("/cohorts/", data={"name": "Forged", "csrf_token": stolen})
    assert response.status_code == 400
    assert snapshot(app) == before


def test_the_same_forms_with_their_token_do_change_something(app, world, client_as, library):
    """The refusals above are the token's doing: a sample of the same forms, token included."""
    for endpoint in ("cohorts.create", "cohorts.add_people", "practice.act", "review.submit",
                     "admin.update_user", "auth.login", "author.create"):
        route = next(r for r in posts(app, world) if r.endpoint == endpoint)
        client = client_as(sender(endpoint))
        page = "/sign-in" if sender(endpoint) == "anonymous" else "/account/password"
        token = csrf_token_from(client.get(page).get_data(as_text=True))
        before, before_files = snapshot(app), files(library)
        response = client.post(route.url, data={**form_for(endpoint, world), "csrf_token": token})
        assert response.status_code in (200, 302), endpoint
        assert (snapshot(app), files(library)) != (before, before_files), endpoint
