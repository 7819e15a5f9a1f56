"""Trainers edit scenario files in the browser: live findings, a preview, safe saves, new files."""

import html as markup
import re
import shutil
import threading

import pytest

from sandbox import lifecycle, scenario_files
from sandbox.db import get_session
from tests.conftest import SHIPPED

RECALL = "sunnyfoods-recall"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def recall(library):
    return library / f"{RECALL}.yaml"


def opened(client, slug=RECALL) -> dict:
    """What the editor page carries into a save: the CSRF token, the version and the text."""
    page = client.get(f"/scenarios/{slug}/edit").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    return {"csrf_token": token, "version": version}


def check(client, text, *, at=None, slug=RECALL, part="validate"):
    """What htmx posts as the trainer types (the CSRF token travels as a header)."""
    token = opened(client, slug)["csrf_token"]
    data = {"text": text} if at is None else {"text": text, "at": str(at)}
    return client.post(f"/scenarios/{slug}/{part}", data=data,
                       headers={**HTMX, "X-CSRFToken": token})


def html(response) -> str:
    """The answer as the trainer reads it (entities such as &#34; decoded)."""
    return markup.unescape(response.get_data(as_text=True))


# Opening the editor


def test_the_library_and_the_detail_page_lead_to_the_editor(client, library, trainer):
    assert f'href="/scenarios/{RECALL}/edit"' in html(client.get("/scenarios/"))
    assert 'href="/scenarios/new"' in html(client.get("/scenarios/"))
    assert f'href="/scenarios/{RECALL}/edit"' in html(client.get(f"/scenarios/{RECALL}"))


def test_the_editor_shows_the_file_with_line_numbers_and_its_preview(client, recall, trainer):
    page = html(client.get(f"/scenarios/{RECALL}/edit"))
    assert "Recalled granola - a worried parent goes public" in page
    assert "honey granola" in page and 'id="editor-text"' in page
    assert page.count("<span>") >= len(recall.read_text().splitlines())  # one number a line
    assert "No findings" in page
    assert "Still silence from @SunnyFoods" in page  # the preview opens at the end
    assert "editor.js" in page and "editor.css" in page


# Live findings


def test_a_typo_shows_its_code_line_column_and_hint_as_the_trainer_types(client, recall, trainer):
    text = recall.read_text().replace("    from: maria\n", "    from: mariaa\n", 1)
    response = check(client, text)
    assert response.status_code == 200
    findings = html(response)
    assert "SCN202" in findings and 'unknown persona "mariaa"' in findings
    assert 'data-line="33" data-column="11"' in findings  # a button that goes to the line
    assert 'did you mean "maria"?' in findings
    assert "1 error" in findings
    assert recall.read_text().count("from: mariaa") == 0  # checking never saves


def test_guidelines_are_found_in_the_library_folder_as_for_files_on_disk(client, recall, trainer):
    assert "SCN207" not in html(check(client, recall.read_text()))
    text = recall.read_text().replace("guidelines: sunnyfoods ", "guidelines: sunnyfood ", 1)
    findings = html(check(client, text))
    assert 'no guidelines called "sunnyfood"' in findings
    assert 'did you mean "sunnyfoods"?' in findings


@pytest.mark.parametrize("text", [
    "title: [unclosed\n",
    "\x00\x01\x02\xff binary junk \x7f",
    "",
    "- just\n- a list\n",
    "{" * 500,
    "id: ../../etc/passwd\n",
])
def test_broken_yaml_or_junk_gets_findings_never_a_traceback(client, recall, trainer, text):
    response = check(client, text)
    assert response.status_code == 200
    findings = html(response)
    assert re.search(r'<span class="finding-code">error SCN[01]\d\d</span>', findings)
    assert "Traceback" not in findings and "Exception" not in findings


def test_an_id_already_used_by_another_file_is_an_error(client, library, recall, trainer):
    (library / "copy.yaml").write_text(recall.read_text().replace(
        f"id: {RECALL}", "id: recall-copy", 1))
    text = recall.read_text().replace(f"id: {RECALL}", "id: recall-copy", 1)
    findings = html(check(client, text))
    assert "SCN216" in findings and "also used by copy.yaml" in findings


def test_a_text_over_the_limit_is_refused_with_a_message(client, recall, trainer):
    text = recall.read_text() + "# " + "x" * scenario_files.MAX_CHARS + "\n"
    findings = html(check(client, text))
    assert "SCN011" in findings and "the limit is 100,000 characters" in findings


def test_a_two_megabyte_paste_gets_a_message_not_an_error_page(client, recall, trainer):
    response = check(client, "a: " + "x" * 2_000_000)
    assert response.status_code == 422  # htmx swaps 422 answers
    assert response.headers["HX-Retarget"] == "#diagnostics"
    assert "the limit is 100,000 characters" in html(response)


def test_a_two_megabyte_save_says_nothing_was_saved(client, recall, trainer):
    before = recall.read_text()
    form = opened(client)
    response = client.post(f"/scenarios/{RECALL}/edit", data={**form, "text": "x" * 2_000_000})
    assert response.status_code == 413
    assert "Nothing was saved" in html(response)
    assert recall.read_text() == before


# Preview


def test_the_preview_shows_the_feed_at_the_chosen_moment(client, recall, trainer):
    text = recall.read_text()
    at_start = html(check(client, text, at=0, part="preview"))
    assert "Batch 22B - is this the recalled one" not in at_start  # posted at 0:30
    after_a_minute = html(check(client, text, at=60, part="preview"))
    assert "Batch 22B - is this the recalled one" in after_a_minute
    assert "Still silence" not in after_a_minute  # the pile-on comes after 10 minutes of silence
    assert "Still silence" in html(check(client, text, at=11 * 60, part="preview"))


def test_the_preview_follows_the_typed_text_without_saving(client, recall, trainer):
    before = recall.read_text()
    text = before.replace("Parents deserve answers.", "Parents are still waiting.")
    answer = html(check(client, text, at=20 * 60))  # the live check updates the preview too
    assert 'id="preview"' in answer and 'hx-swap-oob="true"' in answer
    assert "Parents are still waiting." in answer
    assert recall.read_text() == before


def test_the_preview_waits_for_a_text_without_errors(client, recall, trainer):
    text = recall.read_text().replace("duration: 30m", "duration: 30", 1)
    preview = html(check(client, text, part="preview"))
    assert "No preview while the text has 1 error" in preview
    assert "Batch 22B" not in preview


def test_without_javascript_check_and_preview_shows_the_whole_editor(client, recall, trainer):
    form = opened(client)
    text = recall.read_text().replace("    from: maria\n", "    from: mariaa\n", 1)
    response = client.post(f"/scenarios/{RECALL}/validate", data={**form, "text": text})
    page = html(response)
    assert "<html" in page and "SCN202" in page and "from: mariaa" in page


# Saving


def test_saving_writes_the_file_and_the_library_shows_it_at_once(client, recall, trainer):
    text = recall.read_text().replace("Recalled granola - a worried parent goes public",
                                      "Recalled granola - the parent goes public", 1)
    response = client.post(f"/scenarios/{RECALL}/edit", data={**opened(client), "text": text})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/scenarios/{RECALL}")
    assert recall.read_text() == text
    detail = html(client.get(response.headers["Location"]))
    assert "Saved sunnyfoods-recall.yaml." in detail
    assert "Recalled granola - the parent goes public" in detail
    assert "Recalled granola - the parent goes public" in html(client.get("/scenarios/"))


def test_saving_twice_quickly_shows_the_second_text_too(client, recall, trainer):
    for title in ("Version one of the granola story", "Version two of the granola story"):
        text = re.sub(r"(?m)^title: .*$", f"title: {title}", recall.read_text(), count=1)
        client.post(f"/scenarios/{RECALL}/edit", data={**opened(client), "text": text})
        assert title in html(client.get("/scenarios/"))


def test_browser_line_ends_are_saved_as_plain_newlines(client, recall, trainer):
    text = recall.read_text()
    client.post(f"/scenarios/{RECALL}/edit",
                data={**opened(client), "text": text.replace("\n", "\r\n")})
    assert recall.read_bytes() == text.encode()


def with_an_unused_scene(text: str) -> str:
    return text.replace("scenes:\n", "scenes:\n  unused_scene:\n    - {after: 0s, kind: comment, "
                        "reply_to: first_post, from: maria, text: Anyone?}\n", 1)


def test_warnings_do_not_stop_saving_a_draft(app, client, recall, trainer):
    with app.app_context():
        lifecycle.back_to_draft(get_session(), lifecycle.SCENARIO, RECALL, "a test")
    text = with_an_unused_scene(recall.read_text())
    assert "SCN308" in html(check(client, text))
    response = client.post(f"/scenarios/{RECALL}/edit", data={**opened(client), "text": text})
    assert response.status_code == 302
    assert "1 warning left to look at" in html(client.get(response.headers["Location"]))


def test_a_published_scenario_is_not_saved_with_a_warning(client, recall, trainer):
    before = recall.read_text()
    response = client.post(f"/scenarios/{RECALL}/edit",
                           data={**opened(client), "text": with_an_unused_scene(before)})
    assert response.status_code == 422
    assert "is published, so trainees would play this text at once" in html(response)
    assert "1 warning: publishing needs a file with no warnings" in html(response)
    assert recall.read_text() == before


def test_a_text_with_errors_is_not_saved_and_comes_back_to_the_trainer(client, recall, trainer):
    before = recall.read_text()
    text = before.replace("    from: maria\n", "    from: mariaa\n", 1)
    response = client.post(f"/scenarios/{RECALL}/edit", data={**opened(client), "text": text})
    assert response.status_code == 422
    page = html(response)
    assert "Not saved: the text has 1 error" in page
    assert "from: mariaa" in page and "SCN202" in page
    assert recall.read_text() == before


def test_a_file_changed_on_disk_since_opening_is_not_overwritten(client, recall, trainer):
    form = opened(client)
    colleague = recall.read_text().replace("Eco Watch UK", "Eco Watch Britain")
    recall.write_text(colleague)
    mine = recall.read_text().replace("Maria Kowalski", "Maria Kowalska")
    response = client.post(f"/scenarios/{RECALL}/edit", data={**form, "text": mine})
    assert response.status_code == 409
    page = html(response)
    assert "was changed by someone else" in page
    assert "Maria Kowalska" in page  # the trainer's text, back in the editor
    assert form["version"] in page  # still the version it started from: a retry is refused too
    assert recall.read_text() == colleague


def test_a_file_deleted_while_being_edited_keeps_the_trainers_text(client, recall, trainer):
    form = opened(client)
    recall.unlink()
    response = client.post(f"/scenarios/{RECALL}/edit",
                           data={**form, "text": "format: 1\nid: mine\n"})
    assert response.status_code == 409
    assert "was deleted or renamed" in html(response) and "id: mine" in html(response)
    assert not recall.exists()


def test_a_double_clicked_save_saves_once_and_both_clicks_succeed(client, recall, trainer):
    form = opened(client)
    text = recall.read_text().replace("Maria Kowalski", "Maria Kowalska")
    first = client.post(f"/scenarios/{RECALL}/edit", data={**form, "text": text})
    second = client.post(f"/scenarios/{RECALL}/edit", data={**form, "text": text})
    assert (first.status_code, second.status_code) == (302, 302)
    assert recall.read_text() == text
    assert sorted(p.name for p in recall.parent.iterdir()) == ["guidelines", recall.name]


def test_saving_an_unchanged_text_says_so(client, recall, trainer):
    form = {**opened(client), "text": recall.read_text()}
    response = client.post(f"/scenarios/{RECALL}/edit", data=form, follow_redirects=True)
    assert "Nothing to save" in html(response)


def test_changing_the_id_keeps_the_file_and_lists_it_under_the_new_id(client, recall, trainer):
    text = recall.read_text().replace(f"id: {RECALL}", "id: granola-recall", 1)
    response = client.post(f"/scenarios/{RECALL}/edit", data={**opened(client), "text": text})
    assert response.headers["Location"].endswith("/scenarios/granola-recall")
    assert sorted(p.name for p in recall.parent.iterdir()) == ["guidelines", recall.name]
    assert client.get("/scenarios/granola-recall").status_code == 200
    assert client.get(f"/scenarios/{RECALL}/edit").status_code == 200  # the file's name


def test_a_broken_file_can_be_reopened_and_saved_unchanged(client, library, trainer):
    (library / "broken.yaml").write_text("format: 1\nid: [\n")
    form = opened(client, "broken")
    response = client.post("/scenarios/broken/edit",
                           data={**form, "text": "format: 1\nid: [\n"}, follow_redirects=True)
    assert "Nothing to save" in html(response)


def test_an_unwritable_folder_says_so_and_keeps_the_text(client, recall, trainer, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(scenario_files, "_write", refuse)
    text = recall.read_text().replace("Maria Kowalski", "Maria Kowalska")
    response = client.post(f"/scenarios/{RECALL}/edit", data={**opened(client), "text": text})
    assert response.status_code == 503
    assert "could not be written (permission denied)" in html(response)
    assert "Maria Kowalska" in html(response)


def test_concurrent_saves_from_the_same_version_let_exactly_one_win(library, recall):
    text, version = scenario_files.read(recall)
    outcomes = []

    def save(name):
        mine = text.replace("Maria Kowalski", f"Maria {name}")
        try:
            scenario_files.save(library, recall, mine, started_from=version)
            outcomes.append("saved")
        except scenario_files.Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(f"Writer{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 5 + ["saved"]
    assert re.search(r"name: Maria Writer\d", recall.read_text())


def test_saving_without_the_csrf_token_is_refused(client, recall, trainer):
    before = recall.read_text()
    form = opened(client)
    del form["csrf_token"]
    response = client.post(f"/scenarios/{RECALL}/edit", data={**form, "text": "id: x\n"})
    assert response.status_code == 400
    assert recall.read_text() == before


# New scenarios


def test_a_new_scenario_starts_from_the_starter_and_opens_in_the_editor(client, library, trainer):
    shutil.copy(SHIPPED / "guidelines" / "default-fr.yaml", library / "guidelines")
    token = trainer.csrf_token("/scenarios/new")
    response = client.post("/scenarios/new", data={
        "csrf_token": token, "slug": "late-parcel", "network": "facebook", "language": "fr"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/scenarios/late-parcel/edit")
    created = (library / "late-parcel.yaml").read_text()
    assert "id: late-parcel" in created and "network: facebook" in created
    assert "language: fr" in created
    page = html(client.get(response.headers["Location"]))
    assert "late-parcel.yaml was created as a draft" in page
    assert "No findings" in page


def test_a_double_clicked_create_opens_the_same_new_file(client, library, trainer):
    token = trainer.csrf_token("/scenarios/new")
    form = {"csrf_token": token, "slug": "late-parcel", "network": "twitter", "language": "en"}
    first, second = client.post("/scenarios/new", data=form), client.post("/scenarios/new",
                                                                            data=form)
    assert first.headers["Location"] == second.headers["Location"]


@pytest.mark.parametrize(("slug", "message"), [
    ("", "Give the new scenario a name"),
    ("../x", "lower-case letters"),
    ("/etc/passwd", "lower-case letters"),
    ("Late Parcel", "lower-case letters"),
    ("late--parcel", "lower-case letters"),
    ("9lives", "lower-case letters"),
    ("new", "reserved"),
    (RECALL, "already exists"),
])
def test_a_new_scenario_needs_a_free_well_formed_name(client, library, trainer, slug, message):
    token = trainer.csrf_token("/scenarios/new")
    response = client.post("/scenarios/new", data={"csrf_token": token, "slug": slug})
    assert response.status_code == 422
    assert message in html(response)
    assert sorted(p.name for p in library.iterdir()) == ["guidelines", f"{RECALL}.yaml"]


# Who may edit, and what does not exist


@pytest.mark.parametrize("path", ["/scenarios/nope/edit", "/scenarios/..%2Fx/edit",
                                  "/scenarios/../x/edit", "/scenarios/.hidden/edit"])
def test_an_unknown_scenario_cannot_be_opened(client, library, trainer, path):
    assert client.get(path).status_code == 404


def test_an_unknown_scenario_cannot_be_checked(client, library, trainer):
    token = trainer.csrf_token()
    response = client.post("/scenarios/nope/validate", data={"text": "x: 1"},
                           headers={**HTMX, "X-CSRFToken": token})
    assert response.status_code == 404


def test_trainees_cannot_use_the_editor(client, auth, make_user, recall):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    before = recall.read_text()
    for path in (f"/scenarios/{RECALL}/edit", "/scenarios/new"):
        assert client.get(path).status_code == 403
    token = auth.csrf_token()
    for path in (f"/scenarios/{RECALL}/edit", f"/scenarios/{RECALL}/validate",
                 f"/scenarios/{RECALL}/preview", "/scenarios/new"):
        response = client.post(path, data={"csrf_token": token, "text": "x", "slug": "x"})
        assert response.status_code == 403, path
    assert recall.read_text() == before
    assert sorted(p.name for p in recall.parent.iterdir()) == ["guidelines", recall.name]
