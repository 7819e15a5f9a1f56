"""A run's scenario version is parsed once per process and found again without the database."""

from sandbox import library, runs
from tests.db.test_reviews import SCENARIOS, person, played_run, session  # noqa: F401


def test_a_version_warmed_up_by_the_server_is_the_one_its_runs_play(session):  # noqa: F811
    entry = library.find(SCENARIOS, "sunnyfoods-recall")
    warmed = runs.remember_version(entry.text, entry.guidelines_text)
    run = played_run(session, person(session, "tess@example.com", "trainee"), finished=False)
    assert runs.played(session, run) is warmed


def test_a_remembered_version_is_found_again_without_reading_the_database(session,  # noqa: F811
                                                                          monkeypatch):
    run = played_run(session, person(session, "tess@example.com", "trainee"), finished=False)
    first = runs.played(session, run)
    monkeypatch.setattr(session, "get", lambda *args, **kwargs: None)
    assert runs.played(session, run) is first
