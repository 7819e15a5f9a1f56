"""The load benchmark's smoke mode: a real `sandbox serve`, three trainees on three scenarios,
a few seconds; every poll and action answered, every acknowledged action stored."""

import sys

import pytest

from benchmarks import feed_load

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="serves with gunicorn")


def test_three_trainees_poll_and_act_with_no_error_and_nothing_lost(capsys):
    [level] = feed_load.main(["--smoke"])
    assert level["errors"] == []
    assert len(level["acknowledged"]) == 3 and level["missing"] == []
    assert len(level["live"]) >= 9 and level["static"]
    assert "acknowledged but missing 0" in capsys.readouterr().out
