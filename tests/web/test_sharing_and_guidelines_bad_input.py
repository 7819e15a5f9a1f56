"""Odd bundles and guidelines texts get a page that says what to fix, never a server error, on
SQLite and on PostgreSQL."""

import io

import pytest
from sqlmodel import Session

from sandbox import bundles, library, lifecycle
from tests.conftest import SHIPPED, AuthActions, app_on


@pytest.fixture
def app(database_url):
    with app_on(database_url) as app:
        yield app


@pytest.fixture
def trainer(app, client, make_user, library):
    make_user("trainer", email="tom@example.com", name="T" * 120)  # the longest name
    auth = AuthActions(client)
    auth.login("tom@example.com")
    return client, auth


def recall_bundle() -> str:
    entry = next(e for e in library.entries(SHIPPED) if e.path.stem == "sunnyfoods-recall")
    return bundles.export_text(entry)


def upload(trainer, data: bytes):
    client, auth = trainer
    return client.post("/scenarios/import", content_type="multipart/form-data", data={
        "csrf_token": auth.csrf_token("/scenarios/import"),
        "bundle": (io.BytesIO(data), f"x{bundles.SUFFIX}")})


@pytest.mark.parametrize("data", [
    b"bundle: community-sandbox-bundle/1\nscenario: {file: \"a\\0b.yaml\", text: x}\n",
    b"\x00\x01\x02",
    b"&a [*a]",
    b"[" * 5000,
    b"bundle: community-sandbox-bundle/1\nscenario: {file: x.yaml, text: \"format: 1\\0\"}\n",
    b"? [a, b]\n: c\n",
])
def test_odd_bundles_are_refused_with_a_message(trainer, data):
    response = upload(trainer, data)
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    assert 'class="flash flash-error refusal" role="alert"' in response.get_data(as_text=True)


def test_a_good_bundle_lands_as_a_draft_on_either_database(app, trainer, tmp_path):
    folder = tmp_path / "empty"
    (folder / "guidelines").mkdir(parents=True)
    app.config["SCENARIOS_DIR"] = str(folder)
    response = upload(trainer, recall_bundle().encode())
    assert response.status_code == 302
    with Session(app.extensions["sandbox.engine"]) as session:
        states = lifecycle.states(session)
        assert states.of("scenario", "sunnyfoods-recall").name == "draft"
        assert states.of("guidelines", "sunnyfoods").name == "draft"


def test_a_nul_character_in_guidelines_text_is_a_finding_not_a_server_error(trainer, library):
    client, auth = trainer
    token = auth.csrf_token("/scenarios/guidelines/sunnyfoods/edit")
    text = (library / "guidelines" / "sunnyfoods.yaml").read_text().replace("SunnyFoods",
                                                                            "Sunny\x00Foods", 1)
    checked = client.post("/scenarios/guidelines/sunnyfoods/validate", data={"text": text},
                          headers={"HX-Request": "true", "X-CSRFToken": token})
    assert checked.status_code == 200
    saved = client.post("/scenarios/guidelines/sunnyfoods/edit",
                        data={"csrf_token": token, "text": text, "version": "x"})
    assert saved.status_code in (409, 422)
    assert "\x00" not in (library / "guidelines" / "sunnyfoods.yaml").read_text()
