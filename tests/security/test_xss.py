"""Every text a person types is shown as text: the XSS corpus through every input, every page.

The payloads (tests/security/payloads.py) are written through the same functions as the forms:
a trainee's name, replies and escalation notes, review comments, cohort names and descriptions,
invitation e-mails, other people's names, scenario files in the library; and echoed back by the
forms that refuse them (cohort, people, review, composer, new user, invitation, scenario editor).
Every page each role can open is read: a payload with a character that needs escaping must never
appear as typed, and no page shows the result of a template evaluating the text.
"""

import json
import re

import pytest
from markupsafe import escape
from sqlmodel import Session

from tests.conftest import csrf_token_from
from tests.security.payloads import PAYLOADS, SPECIAL, TEMPLATE_RESULT, payload
from tests.security.routes import every_route
from tests.security.world import SCENARIO, as_email, build_world, scenario_with


def needles() -> set[str]:
    """What a page would contain if it forgot to escape: every payload as typed, and as the
    e-mail address the cohort form stored."""
    found = set()
    for index, text in enumerate(PAYLOADS):
        for form in (text, as_email(text, index).lower()):
            if SPECIAL & set(form):
                found.add(form)
    return found


@pytest.fixture
def planted(app, library):
    for index, text in enumerate(PAYLOADS):
        (library / f"xss-{index}.yaml").write_text(scenario_with(text, f"xss-{index}"))
    with Session(app.extensions["sandbox.engine"]) as session:
        return build_world(session, str(library), app.config["SECRET_KEY"], text=payload,
                           texts=len(PAYLOADS))


def pages_for(app, world, role):
    urls = [r.url for r in every_route(app, world)
            if r.method == "GET" and r.endpoint not in ("static", "talent.export")
            and r.endpoint not in ("auth.join", "auth.reset")]  # these sign the client out
    if role in ("trainer", "admin"):
        urls += [f"/cohorts/{c}" for c in world.extra_cohorts]
    if role == "trainer":
        urls += [f"/scenarios/xss-{i}" for i in range(len(PAYLOADS))]
        urls += [f"/review/runs/{world.finished_run}?at=600"]
    if role == "trainee":
        urls += [f"/practice/xss-{i}" for i in range(len(PAYLOADS))]
        urls += [f"/runs/{world.finished_run}/debrief?at=600"]
    if role == "hr":
        urls += [f"/talent/people/{world.users['bystander'] + i}" for i in range(len(PAYLOADS))]
    return urls


def assert_escaped(html: str, where: str, secret: str):
    raw = [text for text in needles() if text in html]
    assert raw == [], f"{where} shows unescaped: {raw[:3]}"
    assert TEMPLATE_RESULT not in html, f"{where} evaluated a template in user text"
    assert secret not in html, f"{where} shows the secret key"


def test_every_page_of_every_role_shows_the_payloads_as_text(app, planted, client_as):
    shown = []
    for role in ("anonymous", "trainee", "trainer", "hr", "admin"):
        client = client_as(role)
        for url in pages_for(app, planted, role):
            response = client.get(url)
            html = response.get_data(as_text=True)
            if response.mimetype == "text/html":
                assert_escaped(html, f"{role} {url}", app.config["SECRET_KEY"])
                shown.append(html)
    for client in (client_as("anonymous"), client_as("anonymous")):
        for url in (f"/join/{planted.join_token}", f"/reset/{planted.reset_token}"):
            html = client.get(url).get_data(as_text=True)
            assert_escaped(html, url, app.config["SECRET_KEY"])
            shown.append(html)
    everything = "\n".join(shown)
    missing = [text for text in PAYLOADS if str(escape(text)) not in everything]
    assert missing == [], "these payloads never reached a page: the test did not test them"


def post(client, path, page, **data):
    """A form sent with the session's CSRF token (read once per client: it does not change)."""
    if not hasattr(client, "csrf_token"):
        client.csrf_token = csrf_token_from(client.get(page).get_data(as_text=True))
    return client.post(path, data={"csrf_token": client.csrf_token, **data})


def test_forms_that_refuse_a_payload_echo_it_as_text(app, planted, client_as):
    clients = {role: client_as(role) for role in ("trainer", "trainee", "admin", "anonymous")}
    for index, text in enumerate(PAYLOADS):
        echoed(planted, clients, index, text, app.config["SECRET_KEY"])


def echoed(planted, clients, index, text, secret):
    trainer, trainee, admin = clients["trainer"], clients["trainee"], clients["admin"]
    cohort, run, live = planted.cohort, planted.finished_run, planted.live_run
    editor = f"/scenarios/{SCENARIO}/edit"
    sent = {  # where: (who, path, the page with their token, form)
        "cohort name": (trainer, "/cohorts/", "/cohorts/",
                        {"name": f"{text} #{index}", "description": text}),
        "people": (trainer, f"/cohorts/{cohort}/people", f"/cohorts/{cohort}", {"emails": text}),
        "review": (trainer, f"/review/runs/{run}", f"/review/runs/{run}",
                   {"key": "x", "decision": "override", "overall": "", "comment": text}),
        "composer": (trainee, f"/runs/{live}/actions", f"/runs/{live}",
                     {"key": f"xss-{index}", "event": "nowhere", "action": "reply",
                      "text": text}),
        "new user": (admin, "/admin/users/new", "/admin/users/new",
                     {"name": text, "email": text, "password": "short", "roles": "trainee"}),
        "editor": (trainer, f"/scenarios/{SCENARIO}/validate", editor,
                   {"text": scenario_with(text, SCENARIO), "at": "60"}),
        "editor finding": (trainer, f"/scenarios/{SCENARIO}/validate", editor,
                           {"text": scenario_with("x", SCENARIO).replace(
                               "from: maria", f"from: {json.dumps(text)}", 1)}),
        "editor preview": (trainer, f"/scenarios/{SCENARIO}/preview", editor,
                           {"text": scenario_with(text, SCENARIO), "at": "60"}),
    }
    for where, (client, path, page, form) in sent.items():
        response = post(client, path, page, **form)
        assert response.status_code < 500, where
        html = response.get_data(as_text=True)
        if response.status_code == 302:  # the refusal is flashed on the next page
            html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert_escaped(html, where, secret)
    html = post(clients["anonymous"], f"/join/{planted.join_token}", f"/join/{planted.join_token}",
                name=text, password="a long password", password_again="different").get_data(
                    as_text=True)
    assert_escaped(html, "invitation", secret)
    assert re.search(r"different", html)
