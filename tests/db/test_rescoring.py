"""Re-grading finished runs after the scorer or the guidelines changed (SQLite and PostgreSQL)."""

import shutil

from sandbox import reviews, runs
from sandbox.core.scoring import SCORER_VERSION
from sandbox.rescoring import rescore
from tests.db.test_reviews import SCENARIOS, person, played_run, session  # noqa: F401


def graded_by_an_older_scorer(session, run, overall=1):  # noqa: F811
    run.scorer_version, run.overall = "0.9.0", overall
    session.add(run)
    session.commit()


def test_runs_graded_by_an_older_scorer_are_regraded_once_and_reviews_stay(session):  # noqa: F811
    tess, dana = person(session, "tess@example.com", "trainee"), person(
        session, "dana@example.com", "trainer")
    old, current = played_run(session, tess), played_run(session, tess)
    unfinished = played_run(session, tess, finished=False)
    reviews.record_review(session=session, run=old, reviewer=dana, key="k", decision="override",
                          overall=77, comment="Fair enough.",
                          dimensions={"agility": 70, "coherence": 80, "efficiency": 80})
    graded_by_an_older_scorer(session, old)

    report = rescore(session)
    assert report.finished == 2
    assert [(r.run_id, r.before, r.reason) for r in report.regraded] == [
        (old.id, 1, f"scorer 0.9.0 -> {SCORER_VERSION}")]
    session.refresh(old)
    assert old.scorer_version == SCORER_VERSION and old.overall == current.overall
    assert reviews.standing(old).overall == 77
    assert unfinished.result is None
    assert rescore(session).regraded == []


def test_a_dry_run_changes_nothing(session):  # noqa: F811
    run = played_run(session, person(session, "tess@example.com", "trainee"))
    graded_by_an_older_scorer(session, run)
    assert len(rescore(session, dry_run=True).changed) == 1
    session.refresh(run)
    assert run.overall == 1 and run.scorer_version == "0.9.0"


def test_changed_guidelines_regrade_the_runs_of_their_scenarios(session, tmp_path):  # noqa: F811
    folder = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, folder)
    run = played_run(session, person(session, "tess@example.com", "trainee"))
    played_digest = run.guidelines_digest
    assert rescore(session, scenarios_dir=folder).regraded == []

    guidelines = folder / "guidelines" / "sunnyfoods.yaml"
    guidelines.write_text(guidelines.read_text().replace("verdicts: {pass: 70, coach: 50}",
                                                         "verdicts: {pass: 75, coach: 50}"))
    [regraded] = rescore(session, scenarios_dir=folder).regraded
    assert regraded.reason == "guidelines changed"
    session.refresh(run)
    assert run.guidelines_digest != played_digest
    assert runs.played(session, run).guidelines.verdicts.pass_ == 75
