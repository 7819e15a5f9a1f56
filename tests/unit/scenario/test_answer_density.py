"""Every shipped scenario keeps the trainee busy: in every ANSWER_WINDOW of the run, from its
start to its end, at least one post, comment, mention or DM appears that needs an answer.

"Needs an answer" is an event whose `expect` asks the trainee to write (`reply` or `move_to_dm`,
or no action listed, which means a reply). Only events that show whatever the trainee does
count: the timeline's, at the moment the feed shows them (a comment never before its parent; an
event already in the feed at the start counts from 0). Scene events depend on what the trainee
did, so they do not count.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.core.replay import compile_scenario
from sandbox.core.scenario import format_duration, load_scenario

# The rule's window: at least one event needing an answer in every window this long.
ANSWER_WINDOW = 5 * 60  # seconds of simulated time

SCENARIOS = sorted((Path(__file__).resolve().parents[3] / "scenarios").glob("*.yaml"))
WRITING_ACTIONS = {"reply", "move_to_dm"}
SHOWN_KINDS = {"post", "comment", "mention", "dm"}


def answer_times(scenario) -> list[int]:
    """When the events that need an answer show, whatever the trainee does, in order."""
    compiled = compile_scenario(scenario)
    times = []
    for spec in compiled.events.values():
        if spec.scene is not None or spec.static_at is None or spec.kind not in SHOWN_KINDS:
            continue
        expect = spec.expect
        if expect is None:
            continue
        if not expect.actions or set(expect.actions) & WRITING_ACTIONS:
            times.append(max(0, spec.static_at))
    return sorted(times)


def empty_windows(times: list[int], duration: int, window: int = ANSWER_WINDOW) -> list[tuple]:
    """The stretches of at least `window` seconds of [0, duration] where nothing needs an answer:
    a window [t, t + window) inside the run holds an event unless it falls in such a stretch."""
    if duration < window:
        return [] if times else [(0, duration)]
    gaps = []
    previous = None  # the last event before the stretch; None at the start of the run
    for at in [*times, None]:
        start = 0 if previous is None else previous + 1
        end = duration if at is None else at
        # nothing in [start, end): a window fits inside when the stretch is `window` long
        if at is None:
            if end - start >= window and (previous is None or duration - previous > window):
                gaps.append((start, end))
        elif end - start >= window:
            gaps.append((start, end))
        previous = at
    return gaps


def test_the_rule_finds_a_quiet_stretch_at_the_start_in_the_middle_and_at_the_end():
    assert empty_windows([60, 240], 8 * 60) == []
    assert empty_windows([300], 8 * 60) == [(0, 300)]  # [0, 5m) holds nothing
    assert empty_windows([60, 361], 8 * 60) == [(61, 361)]
    assert empty_windows([60, 360], 8 * 60) == []  # every window from 1:01 on holds 6:00
    assert empty_windows([60], 8 * 60) == [(61, 480)]
    assert empty_windows([], 4 * 60) == [(0, 240)]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_window_of_the_run_holds_an_event_that_needs_an_answer(path):
    scenario = load_scenario(path).scenario
    times = answer_times(scenario)
    gaps = empty_windows(times, scenario.duration)
    assert gaps == [], (
        "nothing needs an answer between "
        + ", ".join(f"{format_duration(a)} and {format_duration(b)}" for a, b in gaps)
        + f" (events at {', '.join(format_duration(t) for t in times)}; the run lasts "
        f"{format_duration(scenario.duration)}): add a post or move one earlier")
