"""Score reviews on a migrated database, run on SQLite and on PostgreSQL."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from sandbox import accounts, db, library, reviews, runs
from sandbox.models import utcnow
from sandbox.profile import profile_of

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PASSWORD = "long enough password"


@pytest.fixture
def session(database_url, engine_for):
    db.upgrade(database_url)
    with Session(engine_for(database_url), expire_on_commit=False) as session:
        yield session


def person(session, email, *roles):
    user = accounts.create_user(session=session, email=email, name=email.split("@")[0].title(),
                                password=PASSWORD, roles=list(roles))
    session.commit()
    return user


def played_run(session, trainee, *, finished=True):
    entry = library.find(SCENARIOS, "sunnyfoods-recall")
    start = utcnow() - timedelta(hours=1)
    run = runs.start_run(session=session, user=trainee, entry=entry, mode="exam", speed=10,
                         now=start)
    if finished:
        runs.finish(session=session, run=run, now=start + timedelta(minutes=5))
    return run


def test_the_queue_holds_finished_unreviewed_runs_oldest_first(session):
    tess, dana = person(session, "tess@example.com", "trainee"), person(
        session, "dana@example.com", "trainer")
    first, second = played_run(session, tess), played_run(session, tess)
    played_run(session, tess, finished=False)
    assert [r.id for r in reviews.pending(session)] == [first.id, second.id]
    assert reviews.count_pending(session) == 2
    reviews.record_review(session=session, run=first, reviewer=dana, key="k", decision="confirm")
    assert [r.id for r in reviews.pending(session)] == [second.id]
    assert [review.run_id for review, _ in reviews.recent(session)] == [first.id]


def test_an_override_counts_in_the_profile_and_keeps_the_scorers_number(session):
    tess, dana = person(session, "tess@example.com", "trainee"), person(
        session, "dana@example.com", "trainer")
    run = played_run(session, tess)
    scorer = run.overall
    reviews.record_review(session=session, run=run, reviewer=dana, key="k", decision="override",
                          overall=88, comment="The scorer missed the empathy in the DM.",
                          dimensions={"agility": 80, "coherence": 90, "efficiency": 92})
    standing = reviews.standing(run)
    assert standing.overridden and standing.overall == 88 and standing.verdict == "pass"
    assert standing.review.scorer_overall == scorer == run.overall
    profile = profile_of([run])
    assert profile.overall == 88 and profile.dimensions["efficiency"] == 92


def test_a_removed_reviewer_leaves_their_name_on_the_record(session):
    tess, dana = person(session, "tess@example.com", "trainee"), person(
        session, "dana@example.com", "trainer")
    run = played_run(session, tess)
    reviews.record_review(session=session, run=run, reviewer=dana, key="k", decision="confirm")
    session.delete(dana)
    session.commit()
    session.refresh(run)
    [kept] = run.reviews
    assert kept.reviewer_id is None and kept.reviewer_name == "Dana"
