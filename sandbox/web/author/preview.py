"""The editor's preview: the feed a trainee who does nothing would see at one simulated moment,
computed from the text being edited like the debrief's replay (sandbox.core.replay) — no file is
saved and no run is started."""

from dataclasses import dataclass

from sandbox.core.replay import compile_scenario, feed_at
from sandbox.scenario_files import TextCheck
from sandbox.web.practice.workspace import Workspace, arrange


@dataclass(frozen=True)
class Preview:
    snapshot: Workspace | None  # None while the text has errors
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
    # No run is played: the workspace's run is only read by the practice page's own panels.
    snapshot = arrange(None, scenario, guidelines, feed)  # type: ignore[arg-type]
    return Preview(snapshot, moment, scenario.duration, 0)
