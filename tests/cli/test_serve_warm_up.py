"""`sandbox serve` warms up in its parent process before the workers fork: the talent board's
arrays are read there once, so no worker's first board reads every run summary."""

import random
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from sandbox import accounts, create_app, db, demo, library, runs, talent_store
from sandbox.cli.serve import _warm_up
from sandbox.models import utcnow

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def make_app(folder: Path):
    return create_app({"DATABASE_URL": f"sqlite:///{folder / 'sandbox.db'}",
                       "SECRET_KEY": "x", "INSTANCE_PATH": str(folder)})


def test_the_warm_up_reads_the_run_summaries_and_lets_no_connection_cross_the_fork(tmp_path):
    app = make_app(tmp_path)
    db.upgrade(app.config["DATABASE_URL"])
    engine = app.extensions["sandbox.engine"]
    with Session(engine, expire_on_commit=False) as session:
        tess = accounts.create_user(session=session, email="tess@example.com", name="Tess",
                                    password="long enough password", roles=["trainee"])
        session.commit()
        entry = library.find(SCENARIOS, "sunnyfoods-recall")
        start = utcnow() - timedelta(hours=1)
        run = runs.start_run(session=session, user=tess, entry=entry, mode="exam", speed=10,
                             now=start)
        demo.play_run(session, run, random.Random(3), skill=0.8)
        runs.finish(session=session, run=run,
                    now=start + timedelta(seconds=entry.scenario.duration / run.speed))
    talent_store._snapshots.clear()
    _warm_up(app)
    assert talent_store._snapshots[str(engine.url)].run_id.tolist() == [run.id]
    assert engine.pool.checkedin() == engine.pool.checkedout() == 0  # none to inherit


def test_a_database_not_set_up_yet_is_named_and_the_warm_up_goes_on(tmp_path, capsys):
    app = make_app(tmp_path)
    _warm_up(app)
    assert "sandbox db upgrade" in capsys.readouterr().err
