"""An action resent to another server (its first server died after committing, or the proxy
retried) is stored once: the second request, which read the run before the first committed,
finds the key and acknowledges the same action; on SQLite and on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlmodel import Session, select

from sandbox import library, runs
from sandbox.models import Run, RunAction, utcnow
from tests.db.test_reviews import SCENARIOS, person, session  # noqa: F401


def test_the_same_reply_sent_to_two_servers_at_once_is_stored_once(session):  # noqa: F811
    trainee = person(session, "tess@example.com", "trainee")
    entry = library.find(SCENARIOS, "sunnyfoods-recall")
    run = runs.start_run(session=session, user=trainee, entry=entry, mode="practice", speed=1,
                         now=utcnow() - timedelta(minutes=2))
    both_read = threading.Barrier(2)

    def send(_server):
        with Session(session.get_bind(), expire_on_commit=False) as request:
            mine = runs.playing(request, run.id)  # read before either commits
            both_read.wait()
            recorded = runs.record_action(session=request, run=mine, key="same-key",
                                          action="reply", event="first_post",
                                          text="Hi Maria, we're sorry: please DM us.")
            return recorded.action.id, recorded.duplicate

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(send, ["first", "second"]))

    assert len({action_id for action_id, _ in answers}) == 1  # both acknowledge the same one
    assert sorted(duplicate for _, duplicate in answers) == [False, True]
    stored = session.exec(select(RunAction).where(RunAction.run_id == run.id)).all()
    assert [action.key for action in stored] == ["same-key"]
    assert len(session.get(Run, run.id).actions) == 1
