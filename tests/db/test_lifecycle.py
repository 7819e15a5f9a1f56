"""The scenario lifecycle and its versions on a migrated database, on SQLite and PostgreSQL."""

import shutil

import pytest

from sandbox import authoring, cohorts, library, lifecycle, runs, scenario_files, versions
from tests.db.test_reviews import SCENARIOS, person, session  # noqa: F401


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "guidelines").mkdir()
    shutil.copy(SCENARIOS / "sunnyfoods-recall.yaml", tmp_path)
    shutil.copy(SCENARIOS / "guidelines" / "sunnyfoods.yaml", tmp_path / "guidelines")
    return tmp_path


def test_a_draft_is_hidden_published_then_archived_with_its_audit_trail(session,  # noqa: F811
                                                                       folder):
    dana = person(session, "dana@example.com", "trainer")
    path = authoring.create(session, folder, "granola-recall", author=dana, situation="recall",
                            guidelines="sunnyfoods", network="twitter", language="en",
                            level="beginner")
    assert [e.slug for e in lifecycle.for_trainees(session, folder)] == ["sunnyfoods-recall"]
    entry = library.find(folder, "granola-recall")
    assert lifecycle.publish(session, entry, dana) is True
    assert {e.slug for e in lifecycle.for_trainees(session, folder)} == {
        "sunnyfoods-recall", "granola-recall"}
    assert lifecycle.archive(session, "scenario", path.stem, dana) is True
    assert [c.state for c in lifecycle.history(session, "scenario", path.stem)] == [
        "archived", "published", "draft"]
    assert all(c.actor_name == "Dana" for c in lifecycle.history(session, "scenario", path.stem))


def test_a_played_draft_cannot_be_deleted_nor_an_assigned_one(session, folder):  # noqa: F811
    dana = person(session, "dana@example.com", "trainer", "trainee")
    lifecycle.back_to_draft(session, "scenario", "sunnyfoods-recall", dana)
    entry = library.find(folder, "sunnyfoods-recall")
    cohort = cohorts.create_cohort(session, name="Autumn")
    cohorts.assign(session, cohort, scenario_id="sunnyfoods-recall", mode="practice")
    assert "assigned to Autumn" in lifecycle.deletion_problem(session, entry)
    runs.start_run(session=session, user=dana, entry=entry, mode="practice", speed=10)
    assert "has been played (1 run)" in lifecycle.deletion_problem(session, entry)
    with pytest.raises(lifecycle.LifecycleError):
        lifecycle.delete(session, entry, dana)
    assert entry.path.exists()


def test_versions_count_the_runs_that_played_them(session, folder):  # noqa: F811
    dana = person(session, "dana@example.com", "trainer", "trainee")
    path = folder / "sunnyfoods-recall.yaml"
    text, version = scenario_files.read(path)
    authoring.save(session, folder, path, text.replace("honey granola", "oat granola"),
                   started_from=version, author=dana)
    runs.start_run(session=session, user=dana, entry=library.find(folder, "sunnyfoods-recall"),
                   mode="practice", speed=10)
    found = versions.history(session, "scenario", "sunnyfoods-recall")
    assert [(v.number, v.runs, v.revision.author_name) for v in found] == [
        (2, 1, "Dana"), (1, 0, "(on disk)")]
