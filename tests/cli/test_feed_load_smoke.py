"""The load benchmark's smoke modes: a real `sandbox serve`, three trainees on three scenarios,
a few seconds; every poll and action answered, every acknowledged action stored once, also when
a server is killed outright halfway (SQLite: the only one, started again; PostgreSQL: one of
two, its trainees going on with the other)."""

import sys

import pytest

from benchmarks import feed_load
from benchmarks.load_servers import postgres_binaries

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="serves with gunicorn")


def test_three_trainees_poll_and_act_with_no_error_and_nothing_lost(capsys):
    [level] = feed_load.main(["--smoke"])
    assert level["errors"] == []
    assert len(level["acknowledged"]) == 3 and level["missing"] == []
    assert level["duplicates"] == []
    assert len(level["live"]) >= 9 and level["static"]
    assert "acknowledged but missing 0" in capsys.readouterr().out


def test_a_trainee_following_the_schedule_polls_as_the_page_asks_and_both_cpus_are_counted(
        capsys):
    [level] = feed_load.main(["--smoke", "--follow-schedule", "--workers", "1", "--threads", "2"])
    assert level["errors"] == [] and level["missing"] == []
    assert len(level["live"]) >= 3 and len(level["acknowledged"]) == 3
    assert level["server_cpu"] > 0 and level["generator_cpu"] > 0
    out = capsys.readouterr().out
    assert "1 workers x 2 threads" in out and "the load generator's" in out


def test_the_only_sqlite_server_killed_and_started_again_loses_no_acknowledged_action(capsys):
    [level] = feed_load.main(["--smoke", "--kill"])
    assert level["killed"] and level["restarted"]
    assert level["retried"], "no request met the killed server"
    assert level["errors"] == []
    assert len(level["acknowledged"]) == 3 and level["missing"] == []
    assert level["duplicates"] == []
    assert "restarted in" in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.skipif(postgres_binaries() is None, reason="no initdb/pg_ctl on this machine")
def test_two_servers_on_postgresql_one_killed_its_trainees_go_on_with_the_other(capsys):
    [level] = feed_load.main(["--smoke", "--database", "postgresql", "--kill"])
    assert level["killed"] and not level["restarted"]
    assert level["errors"] == []
    assert len(level["acknowledged"]) == 3 and level["missing"] == []
    assert level["duplicates"] == []
    assert "two sandbox serve" in capsys.readouterr().out
