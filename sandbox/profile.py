"""A trainee's own A.C.E. profile: the average of their finished runs, and the trend."""

import math
from dataclasses import dataclass

from sandbox.models import Run
from sandbox.reviews import standing

DIMENSIONS = ("agility", "coherence", "efficiency")


@dataclass(frozen=True)
class Profile:
    runs: int
    dimensions: dict[str, int]  # mean per dimension over finished runs
    overall: int | None
    trend: list[int]  # overall score of each finished run, oldest first

    def radar_points(self, *, size: int = 220, margin: int = 34) -> str:
        """The polygon of the radar chart (SVG points), one axis per dimension."""
        return _polygon([self.dimensions.get(d, 0) / 100 for d in DIMENSIONS], size, margin)

    @staticmethod
    def grid_points(level: float, *, size: int = 220, margin: int = 34) -> str:
        return _polygon([level] * len(DIMENSIONS), size, margin)

    @staticmethod
    def axis_ends(*, size: int = 220, margin: int = 34) -> list[tuple[str, float, float]]:
        centre, radius = size / 2, size / 2 - margin
        return [(name, *_point(i, 1.0, centre, radius)) for i, name in enumerate(DIMENSIONS)]

    def sparkline(self, *, width: int = 260, height: int = 60) -> str:
        if len(self.trend) < 2:
            return ""
        step = width / (len(self.trend) - 1)
        return " ".join(f"{i * step:.1f},{height - score / 100 * height:.1f}"
                        for i, score in enumerate(self.trend))


def _point(index: int, fraction: float, centre: float, radius: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / len(DIMENSIONS)
    return (round(centre + radius * fraction * math.cos(angle), 1),
            round(centre + radius * fraction * math.sin(angle), 1))


def _polygon(fractions: list[float], size: int, margin: int) -> str:
    centre, radius = size / 2, size / 2 - margin
    return " ".join("{},{}".format(*_point(i, f, centre, radius)) for i, f in enumerate(fractions))


def profile_of(runs: list[Run]) -> Profile:
    """The profile over finished runs, each counted with the score that stands for it (a
    trainer's review, else the scorer's)."""
    finished = sorted((r for r in runs if r.finished_at and r.result), key=lambda r: r.started_at)
    if not finished:
        return Profile(runs=0, dimensions={}, overall=None, trend=[])
    scores = [standing(r) for r in finished]
    dimensions = {
        d: round(sum(s.dimensions.get(d, 0) for s in scores if s) / len(finished))
        for d in DIMENSIONS
    }
    trend = [s.overall if s else 0 for s in scores]
    return Profile(runs=len(finished), dimensions=dimensions,
                   overall=round(sum(trend) / len(trend)), trend=trend)
