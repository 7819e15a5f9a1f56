"""Every save is a version: a trainer reads who saved what and when, and restores an older one;
the editor keeps Save off while errors remain and explains each finding's code."""

import html as markup
import re

import pytest
from sqlmodel import Session

from sandbox import library as lib
from sandbox import runs, versions
from sandbox.models import User

RECALL = "sunnyfoods-recall"
HTMX = {"HX-Request": "true"}


def html(response) -> str:
    return markup.unescape(response.get_data(as_text=True))


@pytest.fixture
def trainer(auth, make_user, library):
    make_user("trainer", email="tom@example.com", name="Tom Trainer")
    auth.login("tom@example.com")
    return auth


def save(client, text, slug=RECALL):
    page = client.get(f"/scenarios/{slug}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    return client.post(f"/scenarios/{slug}/edit",
                       data={"csrf_token": token, "version": version, "text": text})


def restore(client, number, slug=RECALL):
    page = client.get(f"/scenarios/{slug}/history").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    return client.post(f"/scenarios/{slug}/history/{number}/restore",
                       data={"csrf_token": token, "version": version})


# Versions


def test_saving_a_published_scenario_keeps_the_old_and_the_new_version(client, library, trainer):
    recall = library / f"{RECALL}.yaml"
    original = recall.read_text()
    assert save(client, original.replace("honey granola", "oat granola")).status_code == 302
    page = html(client.get(f"/scenarios/{RECALL}/history"))
    rows = re.findall(r"<tr[^>]*>\s*<td><a[^>]*>Version (\d)</a>.*?</tr>", page, re.S)
    assert rows == ["2", "1"]
    assert "Tom Trainer" in page and "(on disk)" in page
    diff = page.split('aria-label="Changes to the YAML"')[1].split("</ol>")[0]
    assert re.search(r'<li class="removed">.*honey granola', diff)
    assert re.search(r'<li class="added">.*oat granola', diff)


def test_a_trainer_restores_an_earlier_version_as_the_newest(client, library, trainer):
    recall = library / f"{RECALL}.yaml"
    original = recall.read_text()
    save(client, original.replace("honey granola", "oat granola"))
    response = restore(client, 1)
    assert response.status_code == 302
    assert recall.read_text() == original
    page = html(client.get(response.headers["Location"]))
    assert "Version 1 of sunnyfoods-recall.yaml restored" in page
    assert "restored version 1" in page
    assert re.findall(r">Version (\d)</a>", page) == ["3", "2", "1"]


def test_restoring_a_version_that_does_not_exist_says_so(client, library, trainer):
    save(client, (library / f"{RECALL}.yaml").read_text().replace("honey", "oat"))
    response = restore(client, 7)
    assert response.status_code == 422
    assert "has no version 7" in html(response)


def test_the_history_counts_the_runs_that_played_each_version(app, client, library, trainer):
    recall = library / f"{RECALL}.yaml"
    save(client, recall.read_text().replace("honey granola", "oat granola"))
    with Session(app.extensions["sandbox.engine"]) as session:
        tom = session.get(User, 1)
        runs.start_run(session=session, user=tom, entry=lib.find(library, RECALL),
                       mode="practice", speed=10)
        found = versions.history(session, "scenario", RECALL)
    assert [(v.number, v.runs) for v in found] == [(2, 1), (1, 0)]


# The editor


def test_save_is_disabled_with_the_count_while_errors_remain(client, library, trainer):
    text = (library / f"{RECALL}.yaml").read_text()
    page = client.get(f"/scenarios/{RECALL}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert re.search(r"<button[^>]*data-save(?![^>]*disabled)[^>]*>Save</button>", page)
    broken = text.replace("    from: maria\n", "    from: mariaa\n", 1).replace(
        "  - id: first_post", "  - id: first_post\n    from: nobody", 1)
    response = client.post(f"/scenarios/{RECALL}/validate", data={"text": broken},
                           headers={**HTMX, "X-CSRFToken": token})
    answer = html(response)
    save_area = re.search(r'<span id="save-area"[^>]*hx-swap-oob="true".*?</span>\s*</span>',
                          answer, re.S).group(0)
    assert re.search(r"<button[^>]*data-save[^>]*disabled[^>]*>Save</button>", save_area)
    errors = int(re.search(r"(\d+) errors? to fix before saving", save_area).group(1))
    assert errors == answer.count('class="finding finding-error"') and errors >= 1


def test_each_finding_links_to_its_codes_documentation(client, library, trainer):
    text = (library / f"{RECALL}.yaml").read_text().replace("    from: maria\n",
                                                           "    from: mariaa\n", 1)
    page = client.get(f"/scenarios/{RECALL}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = html(client.post(f"/scenarios/{RECALL}/validate", data={"text": text},
                              headers={**HTMX, "X-CSRFToken": token}))
    assert 'href="/scenarios/format/SCN202"' in answer
    doc = client.get("/scenarios/format/SCN202", headers=HTMX)
    assert doc.status_code == 200
    section = html(doc)
    assert section.strip().startswith('<section id="doc-panel"')  # beside the editor, not a page
    assert "SCN202 — unknown persona" in section and "<pre>" in section
    assert client.get("/scenarios/format/SCN999").status_code == 404


def test_the_format_guide_is_served_from_the_docs(client, library, trainer):
    page = html(client.get("/scenarios/format/"))
    assert '<h3 id="scn202-unknown-persona">SCN202 — unknown persona</h3>' in page
    assert "<h1" in page and "Writing scenarios" in page


def test_a_trainer_reading_a_run_sees_which_version_it_played(app, client, library, trainer):
    recall = library / f"{RECALL}.yaml"
    save(client, recall.read_text().replace("honey granola", "oat granola"))
    with Session(app.extensions["sandbox.engine"]) as session:
        tom = session.get(User, 1)
        run = runs.start_run(session=session, user=tom, entry=lib.find(library, RECALL),
                             mode="practice", speed=10)
        runs.finish(session=session, run=run)
        run_id = run.id
    page = html(client.get(f"/review/runs/{run_id}"))
    link = r'href="/scenarios/sunnyfoods-recall/history\?version=2">scenario version 2</a>'
    assert re.search(link, page)
