"""Finish and the trainee's actions take turns on a run: every acknowledged reply is scored
with the run, and none is acknowledged after Finish; on SQLite and on PostgreSQL."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session

from sandbox import library, runs
from sandbox.core.grading import grade_run
from sandbox.models import Run, utcnow
from tests.db.test_reviews import SCENARIOS, person, session  # noqa: F401

REPLIES = 6


@pytest.fixture
def slow_scorer(monkeypatch):
    """Scoring takes a while, as it does with long replies: the window for a race is wide."""
    real_action, real_run = runs.grade_action, runs.grade_run

    def slowly(real, pause):
        def graded(*args, **kwargs):
            time.sleep(pause)
            return real(*args, **kwargs)
        return graded

    monkeypatch.setattr(runs, "grade_action", slowly(real_action, 0.03))
    monkeypatch.setattr(runs, "grade_run", slowly(real_run, 0.1))


def race_replies_against_finish(engine, run_id):
    """REPLIES replies and one Finish sent at the same moment, each by its own request."""
    start = threading.Barrier(REPLIES + 1)

    def reply(number):
        with Session(engine, expire_on_commit=False) as request:
            run = request.get(Run, run_id)  # loaded before the other requests commit
            start.wait()
            try:
                runs.record_action(session=request, run=run, key=f"k{number}", action="reply",
                                   event="first_post", text=f"Hi Maria, we are sorry ({number}).")
            except runs.RunError as refused:
                return "refused: finished" if "run is finished" in str(refused) else str(refused)
            return "acknowledged"

    def finish():
        with Session(engine, expire_on_commit=False) as request:
            run = request.get(Run, run_id)
            start.wait()
            time.sleep(0.01)
            runs.finish(session=request, run=run)
            return "finished"

    with ThreadPoolExecutor(REPLIES + 1) as pool:
        replies = [pool.submit(reply, number) for number in range(REPLIES)]
        pool.submit(finish).result()
        return [future.result() for future in replies]


@pytest.mark.parametrize("attempt", range(3))
def test_every_reply_acknowledged_around_finish_is_scored_and_none_after(session, slow_scorer,  # noqa: F811
                                                                         attempt):
    trainee = person(session, "tess@example.com", "trainee")
    entry = library.find(SCENARIOS, "sunnyfoods-recall")
    run = runs.start_run(session=session, user=trainee, entry=entry, mode="practice", speed=1,
                         now=utcnow() - timedelta(minutes=2))
    outcomes = race_replies_against_finish(session.get_bind(), run.id)

    session.expire_all()
    run = session.get(Run, run.id)
    assert run.finished_at is not None
    assert set(outcomes) <= {"acknowledged", "refused: finished"}
    assert len(run.actions) == outcomes.count("acknowledged")
    game = runs.played(session, run)
    regraded = grade_run(game.scenario, game.guidelines, at=run.finished_sim_s,
                         actions=runs.trainee_actions(run))
    assert run.result == regraded.as_json(), "an acknowledged reply is missing from the score"
    assert all(action.created_at <= run.finished_at for action in run.actions)
