"""Trainers edit guidelines in the browser: findings, Save, versions, the lifecycle, and before
saving, which model answers of the scenarios using them would change verdict or now fail."""

import html as markup
import re

import pytest
from sqlmodel import Session

from sandbox import lifecycle, versions

HTMX = {"HX-Request": "true"}
KEY = "sunnyfoods"
FORBID_REFUND = ("  - {phrase: refund, reason: promises money before Legal agrees, "
                 "critical: true}\n")


@pytest.fixture
def trainer(auth, make_user, library):
    make_user("trainer", email="tom@example.com", name="Tom Trainer")
    auth.login("tom@example.com")
    return auth


@pytest.fixture
def guidelines(library):
    return library / "guidelines" / f"{KEY}.yaml"


def html(response) -> str:
    return markup.unescape(response.get_data(as_text=True))


def opened(client) -> dict:
    page = client.get(f"/scenarios/guidelines/{KEY}/edit").get_data(as_text=True)
    return {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "version": re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)}


def checked(client, text):
    token = opened(client)["csrf_token"]
    return client.post(f"/scenarios/guidelines/{KEY}/validate", data={"text": text},
                       headers={**HTMX, "X-CSRFToken": token})


def forbidding_refunds(path) -> str:
    text = path.read_text()
    return text.replace("forbidden:                         # anywhere, always\n",
                        "forbidden:                         # anywhere, always\n" + FORBID_REFUND)


def test_the_library_lists_guidelines_with_who_uses_them_and_an_edit_link(client, trainer):
    page = html(client.get("/scenarios/"))
    assert f'href="/scenarios/guidelines/{KEY}/edit"' in page
    assert re.search(r"SunnyFoods\s*</td>\s*<td>1 scenario</td>", page)


def test_the_guidelines_editor_shows_the_file_and_warns_about_rescoring(client, trainer,
                                                                        guidelines):
    page = html(client.get(f"/scenarios/guidelines/{KEY}/edit"))
    assert guidelines.read_text() in page
    assert "sandbox rescore --current-guidelines" in page
    assert "No change: every model answer keeps its score and verdict." in page


def test_unsaved_guidelines_show_which_model_answers_would_now_fail(client, trainer, guidelines):
    response = checked(client, forbidding_refunds(guidelines))
    page = html(response)
    assert response.status_code == 200
    assert "2 model answers would now fail." in page
    rows = re.findall(r'<tr class="impact-fails">.*?<code>([^<]+)</code>', page, re.S)
    assert len(rows) == 2 and "first_post" in rows
    assert "now fails" in page
    assert "sandbox rescore --current-guidelines" in page
    assert "refund" not in guidelines.read_text().split("forbidden:")[1].split("topics:")[0]


def test_guidelines_with_errors_cannot_be_saved_and_their_impact_waits(client, trainer,
                                                                       guidelines):
    broken = guidelines.read_text().replace("verdicts: {pass: 70, coach: 50}",
                                            "verdicts: {pass: lots, coach: 50}")
    page = html(checked(client, broken))
    assert re.search(r'<button class="button primary" type="submit" data-save disabled', page)
    assert "re-scored once the text has no errors" in page
    before = guidelines.read_text()
    response = client.post(f"/scenarios/guidelines/{KEY}/edit",
                           data={**opened(client), "text": broken})
    assert response.status_code == 422
    assert guidelines.read_text() == before


def test_saving_draft_guidelines_keeps_a_version_that_can_be_restored(app, client, trainer,
                                                                      guidelines):
    client.post(f"/scenarios/guidelines/{KEY}/draft",
                data={"csrf_token": opened(client)["csrf_token"]})
    original = guidelines.read_text()
    changed = forbidding_refunds(guidelines)
    response = client.post(f"/scenarios/guidelines/{KEY}/edit",
                           data={**opened(client), "text": changed})
    assert response.status_code == 302
    assert guidelines.read_text() == changed
    assert "rescore them with `sandbox rescore --current-guidelines`" in html(
        client.get(response.headers["Location"]))
    with Session(app.extensions["sandbox.engine"]) as session:
        assert [v.number for v in versions.history(session, "guidelines", KEY)] == [2, 1]
    page = html(client.get(f"/scenarios/guidelines/{KEY}/history"))
    assert "Restore version 1" in page
    response = client.post(f"/scenarios/guidelines/{KEY}/history/1/restore",
                           data={**opened(client)})
    assert response.status_code == 302
    assert guidelines.read_text() == original


def test_guidelines_can_be_moved_to_draft_and_published_again_from_their_page(app, client,
                                                                              trainer):
    token = opened(client)["csrf_token"]
    client.post(f"/scenarios/guidelines/{KEY}/draft", data={"csrf_token": token})
    page = html(client.get(f"/scenarios/guidelines/{KEY}"))
    assert "no scenario using it can be played by trainees" in page
    response = client.post(f"/scenarios/guidelines/{KEY}/publish", data={"csrf_token": token})
    assert response.status_code == 302
    with Session(app.extensions["sandbox.engine"]) as session:
        assert lifecycle.states(session).of("guidelines", KEY).name == "published"


def test_published_guidelines_are_not_saved_with_a_warning(client, trainer, guidelines):
    # the same forbidden phrase twice is a warning (GDL306): fine for a draft, not once published
    text = guidelines.read_text().replace(
        "  - {phrase: no comment, reason: evasive}\n",
        "  - {phrase: no comment, reason: evasive}\n  - {phrase: no comment, reason: twice}\n")
    response = client.post(f"/scenarios/guidelines/{KEY}/edit",
                           data={**opened(client), "text": text})
    assert response.status_code == 422
    assert "is published" in html(response) and "1 warning" in html(response)
    assert "reason: twice" not in guidelines.read_text()


def test_an_unknown_guidelines_file_is_not_found(client, trainer):
    assert client.get("/scenarios/guidelines/no-such/edit").status_code == 404
    assert client.get("/scenarios/guidelines/..%2Fsunnyfoods-recall/edit").status_code == 404
