"""The editor's preview: the feed a trainee who does nothing would see at one simulated moment,
computed from the text being edited like the debrief's replay (sandbox.core.replay) — no file is
saved and no run is started."""

from dataclasses import dataclass

from sandbox.core.replay import compile_scenario, feed_at
from sandbox.practice_view.feed import FeedView, arrange
from sandbox.scenario_files import TextCheck


@dataclass(frozen=True)
class Preview:
    snapshot: FeedView | None  # None while the text has errors
    at: int
    end: int
    errors: int


def preview(check: TextCheck, at: int | None = None) -> Preview:
    """The feed at `at` seconds (the end when None); nothing when the text has errors."""
    scenario, guidelines = check.scenario, check.guidelines
    if check.errors or scenario is None or guidelines is None:
        return Preview(None, 0, 0, len(check.errors))
    moment = scenario.duration if at is None else min(max(0, at), scenario.duration)
    feed = feed_at(compile_scenario(scenario), at=moment)
    return Preview(arrange(scenario, guidelines, feed), moment, scenario.duration, 0)
