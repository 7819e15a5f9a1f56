"""The simulated clock of a run, as a plain value (DESIGN.md section 5).

`sim_now = speed × (wall_now − started_at − paused_total)`, clamped to `[0, duration]`.
A run's row records its pauses (sandbox.runs pauses and resumes it); this value only reads the
time. Nothing here reads the system time, so the server decides "now" and passes it in (the
client never says what time it is).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class SimClock:
    """When a run started, how fast it goes and how long it has been paused (wall-clock values)."""

    started_at: datetime
    duration: int
    speed: float = 1.0
    paused_total: timedelta = timedelta(0)
    paused_at: datetime | None = None

    def __post_init__(self) -> None:
        if not self.speed > 0 or not math.isfinite(self.speed):
            raise ValueError(f"the clock speed must be a positive number, not {self.speed}")
        if self.duration < 0:
            raise ValueError("a run cannot last a negative time")

    @property
    def paused(self) -> bool:
        return self.paused_at is not None

    def sim_now(self, wall_now: datetime) -> int:
        """Simulated seconds since the start at `wall_now`, clamped to the run's length."""
        frozen_at = self.paused_at if self.paused_at is not None else wall_now
        running = (frozen_at - self.started_at - self.paused_total).total_seconds()
        # A small epsilon so that 0.1 × 30 reads as 3, not 2.9999.
        return min(self.duration, max(0, math.floor(self.speed * running + 1e-6)))

    def finished(self, wall_now: datetime) -> bool:
        return self.sim_now(wall_now) >= self.duration
