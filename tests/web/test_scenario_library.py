"""Trainers see the scenario library with each file's validation status and findings."""

import pytest


@pytest.fixture
def trainer(auth, make_user):
    make_user("trainer", email="tom@example.com")
    auth.login("tom@example.com")


def test_the_library_lists_each_scenario_with_its_status(client, library, trainer):
    page = client.get("/scenarios/").get_data(as_text=True)
    assert "Recalled granola" in page
    assert "valid" in page


def test_a_broken_file_shows_its_errors_at_their_line(client, library, trainer):
    (library / "broken.yaml").write_text(
        "format: 1\nid: broken\ntitle: Broken\nsummary: x\nlanguage: en\ndifficulty: beginner\n"
        "duration: 10m\nseed: 1\nplatform: {network: twitter, brand: B, handle: B}\n"
        "guidelines: sunnyfoods\nbriefing: x\npersonas: {maria: {name: M, handle: m}}\n"
        "timeline:\n  - {id: p, at: 10s, kind: tweet, from: maria, text: hi}\n"
    )
    index = client.get("/scenarios/").get_data(as_text=True)
    assert "1 error" in index
    detail = client.get("/scenarios/broken").get_data(as_text=True)
    assert "broken.yaml:14" in detail
    assert "post" in detail  # the did-you-mean for "tweet"


def test_trainees_cannot_open_the_library(client, auth, make_user, library):
    make_user("trainee", email="tess@example.com")
    auth.login("tess@example.com")
    assert client.get("/scenarios/").status_code == 403


def test_an_unknown_scenario_is_a_404(client, library, trainer):
    assert client.get("/scenarios/nope").status_code == 404
