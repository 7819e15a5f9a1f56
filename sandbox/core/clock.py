"""The simulated clock of a run, as a plain value (DESIGN.md section 5).

`sim_now = speed × (wall_now − started_at − paused_total)`, clamped to `[0, duration]`.
Pausing, resuming and changing speed return a new clock; nothing here reads the system time,
so the server decides "now" and passes it in (the client never says what time it is).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
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

    def pause(self, wall_now: datetime) -> SimClock:
        """The same clock stopped at `wall_now`; pausing a paused clock changes nothing."""
        if self.paused_at is not None:
            return self
        return replace(self, paused_at=wall_now)

    def resume(self, wall_now: datetime) -> SimClock:
        """The clock running again, the paused span added to `paused_total`."""
        if self.paused_at is None:
            return self
        stopped = max(timedelta(0), wall_now - self.paused_at)
        return replace(self, paused_at=None, paused_total=self.paused_total + stopped)

    def with_speed(self, speed: float, *, wall_now: datetime) -> SimClock:
        """A clock at another speed that reads the same simulated time at `wall_now`.

        Without rebasing, changing the speed mid-run would make the simulated time jump.
        """
        now = self.sim_now(wall_now)
        frozen_at = self.paused_at if self.paused_at is not None else wall_now
        started_at = frozen_at - self.paused_total - timedelta(seconds=now / speed)
        return replace(self, speed=speed, started_at=started_at)

    def wall_time_at(self, sim_seconds: int) -> datetime | None:
        """When, on the wall clock, the simulated time will reach `sim_seconds` (None if paused).

        Lets a page poll exactly when the next event is due instead of on a fixed beat.
        """
        if self.paused_at is not None:
            return None
        target = min(self.duration, max(0, sim_seconds))
        return self.started_at + self.paused_total + timedelta(seconds=target / self.speed)
