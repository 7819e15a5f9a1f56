"""The simulated clock: speed, pauses and clamping, as plain values."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.core.clock import SimClock

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def later(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def test_the_clock_reads_zero_at_the_start_and_before_it():
    clock = SimClock(started_at=START, duration=1800)
    assert clock.sim_now(START) == 0
    assert clock.sim_now(later(-30)) == 0


def test_a_double_speed_clock_runs_twice_as_fast():
    assert SimClock(started_at=START, duration=1800, speed=2).sim_now(later(90)) == 180


def test_the_clock_stops_at_the_end_of_the_run():
    clock = SimClock(started_at=START, duration=1800)
    assert clock.sim_now(later(5000)) == 1800
    assert clock.finished(later(1800))
    assert not clock.finished(later(1799))


def test_a_paused_clock_does_not_move():
    clock = SimClock(started_at=START, duration=1800, paused_at=later(60))
    assert clock.paused
    assert clock.sim_now(later(600)) == 60


def test_time_spent_paused_does_not_count():
    clock = SimClock(started_at=START, duration=1800, paused_total=timedelta(seconds=160))
    assert not clock.paused
    assert clock.sim_now(later(400)) == 240


def test_a_clock_paused_again_stops_where_the_time_it_ran_adds_up_to():
    clock = SimClock(started_at=START, duration=1800, speed=2,
                     paused_total=timedelta(seconds=60), paused_at=later(100))
    assert clock.sim_now(later(5000)) == 80


@pytest.mark.parametrize("speed", [0, -1, float("inf"), float("nan")])
def test_a_clock_needs_a_positive_speed(speed):
    with pytest.raises(ValueError, match="positive"):
        SimClock(started_at=START, duration=60, speed=speed)


@given(paused_after=st.integers(0, 4000), waited=st.integers(0, 10**6),
       speed=st.sampled_from([0.5, 1, 2, 10, 60]))
def test_a_paused_clock_reads_the_same_time_however_long_it_waits(paused_after, waited, speed):
    clock = SimClock(started_at=START, duration=1800, speed=speed, paused_at=later(paused_after))
    assert clock.sim_now(later(paused_after + waited)) == clock.sim_now(later(paused_after))


@given(first=st.integers(-100, 5000), gap=st.integers(0, 5000))
def test_simulated_time_never_goes_backwards(first, gap):
    clock = SimClock(started_at=START, duration=1800, speed=1.5)
    assert 0 <= clock.sim_now(later(first)) <= clock.sim_now(later(first + gap)) <= 1800
