"""Voids, disputes, the filtered talent board and the calibration figures on a migrated
database, on SQLite and on PostgreSQL."""

import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from sandbox import (
    accounts,
    calibration,
    cohorts,
    db,
    demo,
    evidence,
    library,
    reviews,
    runs,
    talent,
)
from sandbox.models import utcnow
from sandbox.talent_filters import BoardQuery

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


def exam(session, trainee, slug, days_ago=1):
    entry = library.find(SCENARIOS, slug)
    start = utcnow() - timedelta(days=days_ago)
    run = runs.start_run(session=session, user=trainee, entry=entry, mode="exam", speed=10,
                         now=start)
    demo.play_run(session, run, random.Random(1), skill=1.0)
    runs.finish(session=session, run=run,
                now=start + timedelta(seconds=entry.scenario.duration / run.speed))
    return run


def test_a_voided_run_leaves_the_board_and_a_restored_one_comes_back(session):
    tess, dana = person(session, "tess@example.com", "trainee"), \
        person(session, "dana@example.com", "trainer")
    played = [exam(session, tess, slug) for slug in
              ("sunnyfoods-recall", "valemont-cancelled-train", "sunnyfoods-recall")]
    assert talent.board(session).rows[0].ranked
    evidence.record_void(session=session, run=played[0], trainer=dana, key="v", decision="void",
                         reason="Someone else played it.")
    row = talent.board(session).rows[0]
    assert not row.ranked and row.voided == 1
    evidence.record_void(session=session, run=played[0], trainer=dana, key="r",
                         decision="restore", reason="It was her after all.")
    assert talent.board(session).rows[0].ranked
    assert [v.decision for v in played[0].voids] == ["voided", "restored"]


def test_the_board_filters_by_cohort_and_period_in_the_database(session):
    tess, ray = person(session, "tess@example.com", "trainee"), \
        person(session, "ray@example.com", "trainee")
    exam(session, tess, "sunnyfoods-recall", days_ago=40)
    exam(session, ray, "sunnyfoods-recall", days_ago=2)
    spring = cohorts.create_cohort(session, name="Spring")
    cohorts.add_people(session, spring, "tess@example.com")
    only = talent.board(session, query=BoardQuery(cohort=spring.id))
    assert [row.user.email for row in only.rows] == ["tess@example.com"]
    recent = talent.board(session, query=BoardQuery(start=(utcnow() - timedelta(days=7)).date()))
    counted = {row.user.email: len(row.runs) for row in recent.rows}
    assert counted == {"tess@example.com": 0, "ray@example.com": 1}


def test_disputes_and_reviews_make_the_calibration_figures(session):
    tess, dana = person(session, "tess@example.com", "trainee"), \
        person(session, "dana@example.com", "trainer")
    first = exam(session, tess, "sunnyfoods-recall")
    second = exam(session, tess, "valemont-cancelled-train")
    reviews.record_review(session=session, run=first, reviewer=dana, key="a", decision="confirm")
    reviews.record_review(session=session, run=second, reviewer=dana, key="b",
                          decision="override", overall=10, comment="Far too kind.")
    event = next(e for e in first.result["events"] if not e["missed"])
    criterion = event["result"]["criteria"][0]
    calibration.record_dispute(session=session, run=first, trainer=dana, key="d",
                               event=event["event"], criterion=criterion["id"],
                               what="too_high", label="weak")
    [version] = calibration.report(session)
    assert version.agreement.runs == 2 and version.agreement.disputes == 1
    assert version.agreement.overall.value == pytest.approx(abs(second.overall - 10) / 2)
    assert len(calibration.export_lines(session).lines) == 1
