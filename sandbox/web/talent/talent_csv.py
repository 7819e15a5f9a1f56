"""The talent board as a spreadsheet: the board's columns, the evidence counts behind them, and
each flag with its explanation. Written a line at a time, so a board of 10,000 people starts
downloading at once."""

import csv
import io
from collections.abc import Iterable, Iterator

from sandbox.profile import DIMENSIONS
from sandbox.talent import TalentRow, trend_gain

HEADER = ["name", "email", "finished_runs", "graded_replies", "reviewed_runs", "overall",
          *DIMENSIONS, "overall_percentile", "trend_gain", "flags", "last_run",
          # the evidence: what the figures rest on, and what was left out
          "enough_evidence", "counted_exam_runs", "scenarios", "practice_runs", "voided_runs",
          "incomplete_runs", *(f"{d}_percentile" for d in DIMENSIONS),
          # the 95% band of each difficulty-adjusted estimate, and the plain mean beside it
          *(f"{c}_{end}" for c in ("overall", *DIMENSIONS) for end in ("low", "high")),
          "overall_mean"]


def write(rows: Iterable[TalentRow]) -> str:
    return "".join(lines(rows))


def lines(rows: Iterable[TalentRow], *, chunk: int = 100) -> Iterator[str]:
    """The header, then the rows, `chunk` rows to a piece of text."""
    return pieces(map(line, rows), chunk=chunk)


def pieces(written: Iterable[str], *, chunk: int = 100) -> Iterator[str]:
    """The header, then the rows already written (`line`), `chunk` rows to a piece of text."""
    piece = [line_of(HEADER)]
    for text in written:
        piece.append(text)
        if len(piece) >= chunk:
            yield "".join(piece)
            piece = []
    yield "".join(piece)


def line(row: TalentRow) -> str:
    """One row as a line of the spreadsheet."""
    return line_of(_cells(row))


def line_of(cells: list) -> str:
    out = io.StringIO()
    csv.writer(out).writerow(cells)
    return out.getvalue()


def _cells(row: TalentRow) -> list:
    profile, ranked = row.profile, row.ranked
    last = row.last_finished
    return [
        _cell(row.user.name), _cell(row.user.email),
        len(row.runs) + row.practice + row.voided + row.incomplete,
        row.graded_replies, row.reviewed,
        # below the minimum of evidence nobody gets a figure to compare
        *(_estimate(row, c, "estimate") for c in ("overall", *DIMENSIONS)),
        _blank(row.percentiles.get("overall")),
        _blank(trend_gain(profile.trend) if ranked else None),
        _cell("; ".join(f"{flag.label}: {flag.why} ({flag.evidence})" for flag in row.flags)
              if ranked else f"not enough evidence: {row.sufficiency.summary}"),
        last.date().isoformat() if last else "",
        "yes" if ranked else "no", len(row.runs), row.sufficiency.scenarios, row.practice,
        row.voided, row.incomplete,
        *(_blank(row.percentiles.get(d)) for d in DIMENSIONS),
        *(_estimate(row, c, end) for c in ("overall", *DIMENSIONS) for end in ("low", "high")),
        _blank(profile.overall if ranked else None)]


def _estimate(row: TalentRow, column: str, part: str) -> str:
    ability = row.ability.get(column) if row.ranked else None
    return "" if ability is None else str(round(getattr(ability, part)))


def _blank(value) -> str:
    return "" if value is None else str(value)


def _cell(text: str) -> str:
    """A spreadsheet must never run a name as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
