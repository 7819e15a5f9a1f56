"""Exporting a scenario with its guidelines as one file, and importing it as a draft elsewhere."""

import html as markup
import io
import shutil

import pytest
from sqlmodel import Session

from sandbox import bundles, lifecycle
from tests.conftest import SHIPPED, AuthActions

RECALL = "sunnyfoods-recall"


def html(response) -> str:
    return markup.unescape(response.get_data(as_text=True))


@pytest.fixture
def trainer(app, make_user, library):
    make_user("trainer", email="tom@example.com", name="Tom Trainer")
    client = app.test_client()
    auth = AuthActions(client)
    auth.login("tom@example.com")
    return client, auth


def exported(trainer) -> bytes:
    client, _ = trainer
    response = client.get(f"/scenarios/{RECALL}/export")
    assert response.status_code == 200
    assert f'filename="{RECALL}{bundles.SUFFIX}"' in response.headers["Content-Disposition"]
    return response.data


def upload(trainer, data: bytes, name: str = f"recall{bundles.SUFFIX}"):
    client, auth = trainer
    return client.post("/scenarios/import", content_type="multipart/form-data", data={
        "csrf_token": auth.csrf_token("/scenarios/import"),
        "bundle": (io.BytesIO(data), name)})


def empty_library(app, tmp_path):
    folder = tmp_path / "elsewhere"
    (folder / "guidelines").mkdir(parents=True)
    app.config["SCENARIOS_DIR"] = str(folder)
    return folder


def state(app, kind, key):
    with Session(app.extensions["sandbox.engine"]) as session:
        return lifecycle.states(session).of(kind, key).name


def test_the_scenario_page_offers_an_export_holding_the_scenario_and_its_guidelines(trainer,
                                                                                    library):
    page = html(trainer[0].get(f"/scenarios/{RECALL}"))
    assert f'href="/scenarios/{RECALL}/export"' in page
    bundle = bundles.read(exported(trainer))
    assert bundle.scenario.text == (library / f"{RECALL}.yaml").read_text()
    assert bundle.guidelines.file == "sunnyfoods.yaml"
    assert bundle.guidelines.text == (library / "guidelines" / "sunnyfoods.yaml").read_text()


def test_an_imported_bundle_lands_as_a_draft_with_its_new_guidelines(app, trainer, tmp_path):
    data = exported(trainer)
    folder = empty_library(app, tmp_path)
    response = upload(trainer, data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/scenarios/{RECALL}")
    assert (folder / f"{RECALL}.yaml").read_text() == bundles.read(data).scenario.text
    assert (folder / "guidelines" / "sunnyfoods.yaml").is_file()
    assert state(app, "scenario", RECALL) == "draft"
    assert state(app, "guidelines", "sunnyfoods") == "draft"
    page = html(trainer[0].get(response.headers["Location"]))
    assert "was imported as a draft, with its guidelines sunnyfoods.yaml" in page


def test_identical_guidelines_already_in_the_library_are_used_as_they_are(app, trainer, tmp_path):
    data = exported(trainer)
    folder = empty_library(app, tmp_path)
    shutil.copy(SHIPPED / "guidelines" / "sunnyfoods.yaml", folder / "guidelines")
    response = upload(trainer, data)
    assert response.status_code == 302
    assert state(app, "guidelines", "sunnyfoods") == "published"  # untouched
    assert "using the library's identical guidelines" in html(trainer[0].get("/scenarios/"))


def test_importing_over_an_existing_scenario_is_refused_and_nothing_is_replaced(trainer, library):
    data = exported(trainer).replace(b"Sunny", b"Rainy")
    before = (library / f"{RECALL}.yaml").read_text()
    response = upload(trainer, data)
    assert response.status_code == 422
    assert f"The library already has a file called {RECALL}.yaml" in html(response)
    assert (library / f"{RECALL}.yaml").read_text() == before


def test_different_guidelines_with_the_same_name_are_refused(app, trainer, tmp_path):
    data = exported(trainer)
    folder = empty_library(app, tmp_path)
    (folder / "guidelines" / "sunnyfoods.yaml").write_text("format: 1\nid: sunnyfoods\n"
                                                           "brand: Other Foods\n")
    response = upload(trainer, data)
    assert response.status_code == 422
    assert "already has guidelines/sunnyfoods.yaml, with a different text" in html(response)
    assert not (folder / f"{RECALL}.yaml").exists()


def test_a_bundle_with_errors_is_refused_with_its_findings(app, trainer, tmp_path):
    data = exported(trainer).replace(b"duration: ", b"duration: soon #", 1)
    empty_library(app, tmp_path)
    response = upload(trainer, data)
    page = html(response)
    assert response.status_code == 422
    assert "Not imported: the bundle has" in page
    assert f"{RECALL}.yaml:" in page  # the findings say where


@pytest.mark.parametrize(("data", "name", "said"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "cat.png", "is not a text file"),
    (b"a: [unclosed", "x.yaml", "is not valid YAML"),
    (b"- just\n- a list\n", "x.yaml", "is not a scenario bundle"),
    (b"", "x.yaml", "is empty"),
    (b"bundle: community-sandbox-bundle/1\nscenario: {file: ../../etc/passwd.yaml, text: x}\n",
     "x.yaml", "is not a plain file name"),
    (b"bundle: community-sandbox-bundle/1\nscenario: {file: a/b.yaml, text: x}\n",
     "x.yaml", "is not a plain file name"),
    (b"bundle: community-sandbox-bundle/1\nscenario: {file: x.yaml, text: [1]}\n",
     "x.yaml", "must hold exactly a `file:`"),
    (b"bundle: community-sandbox-bundle/1\nscenario: {file: x.yaml, text: '"
     + b"a" * (bundles.MAX_BYTES + 10) + b"'}\n", "x.yaml", "a bundle holds at most"),
])
def test_a_bad_upload_gets_a_clear_message_never_a_server_error(trainer, library, data, name,
                                                                said):
    response = upload(trainer, data, name)
    assert response.status_code in (413, 422)
    assert said in html(response)
    assert sorted(p.name for p in library.glob("*.yaml")) == [f"{RECALL}.yaml"]


def test_an_upload_over_the_request_limit_is_told_on_the_import_page(trainer, library):
    # A raw body: the test client would spool a large encoded form to a file nobody reads.
    response = trainer[0].post("/scenarios/import", data=b"x" * 1_200_000,
                               content_type="multipart/form-data; boundary=b")
    assert response.status_code == 413
    assert "The uploaded file is too large" in html(response)


def test_importing_without_choosing_a_file_asks_for_one(trainer):
    client, auth = trainer
    response = client.post("/scenarios/import", data={
        "csrf_token": auth.csrf_token("/scenarios/import")})
    assert response.status_code == 422
    assert "Choose a bundle file to import" in html(response)


def test_the_command_line_exports_and_imports_as_a_draft(app, runner, library, tmp_path):
    out = tmp_path / f"recall{bundles.SUFFIX}"
    result = runner.invoke(args=["scenario", "export", RECALL, "-o", str(out)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["scenario", "export", RECALL, "-o", str(out)])
    assert again.exit_code == 1 and "already exists" in again.output
    refused = runner.invoke(args=["scenario", "import", str(out)])
    assert refused.exit_code == 1 and "already has a file called" in refused.output
    folder = empty_library(app, tmp_path)
    result = runner.invoke(args=["scenario", "import", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{RECALL}.yaml: imported as a draft" in result.output
    assert "guidelines/sunnyfoods.yaml: imported as a draft" in result.output
    assert (folder / f"{RECALL}.yaml").is_file()
    assert state(app, "scenario", RECALL) == "draft"


def test_every_shipped_scenario_survives_export_and_import_unchanged():
    from sandbox import library as lib

    for entry in lib.entries(SHIPPED):
        bundle = bundles.read(bundles.export_text(entry).encode("utf-8"))
        assert bundle.scenario.text == entry.text, entry.path.name
        assert bundle.guidelines.text == entry.guidelines_text, entry.path.name
