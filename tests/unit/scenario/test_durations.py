import pytest

from sandbox.core.scenario import DurationError, format_duration, parse_duration, parse_range


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("10m", 600),
        ("2m30s", 150),
        ("1h", 3600),
        ("1h30m", 5400),
        ("0s", 0),
        ("1h0m5s", 3605),
    ],
)
def test_durations_with_units_read_as_seconds(text, seconds):
    assert parse_duration(text) == seconds


def test_a_negative_time_is_allowed_only_where_history_makes_sense():
    assert parse_duration("-5m", allow_negative=True) == -300
    with pytest.raises(DurationError):
        parse_duration("-5m")


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("30", "add a unit: 30s, 30m or 30h"),
        ("2:30", "write it with units: 2m30s"),
        ("1:00:00", "write it with units: 1h"),
        ("10 minutes", "write it as 10m"),
        ("1.5m", "write it as 1m30s"),
        ("soon", "write a number followed by a unit: 45s, 10m, 2m30s, 1h or 1h30m"),
    ],
)
def test_an_unreadable_duration_comes_with_the_way_to_write_it(text, hint):
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert caught.value.hint == hint


@pytest.mark.parametrize("seconds", [0, 1, 59, 60, 150, 3600, 5400, 86399, -300])
def test_formatting_a_duration_reads_back_the_same(seconds):
    assert parse_duration(format_duration(seconds), allow_negative=True) == seconds


def test_format_duration_uses_the_trainers_notation():
    assert format_duration(150) == "2m30s"
    assert format_duration(0) == "0s"


def test_a_range_reads_as_shortest_and_longest_delay():
    assert parse_range("20s-90s") == (20, 90)
    assert parse_range("30s") == (30, 30)


def test_a_range_written_backwards_suggests_the_right_order():
    with pytest.raises(DurationError) as caught:
        parse_range("90s-20s")
    assert caught.value.hint == "write the shorter duration first: 20s-1m30s"
