"""Durations as trainers write them (`45s`, `10m`, `2m30s`, `1h30m`, ranges `20s-90s`)."""

from __future__ import annotations

import re

_DURATION = re.compile(r"^(?:(?P<h>\d+)h)?(?:(?P<m>\d+)m)?(?:(?P<s>\d+)s)?$")
_UNIT_WORDS = {
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "m": "m",
    "min": "m",
    "mins": "m",
    "minute": "m",
    "minutes": "m",
    "mn": "m",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
}
_SPELLED = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-zA-Z]+)")

DURATION_PATTERN = r"^-?(?=\d)(\d+h)?(\d+m)?(\d+s)?$"
RANGE_PATTERN = r"^(\d+h)?(\d+m)?(\d+s)?(-(\d+h)?(\d+m)?(\d+s)?)?$"


class DurationError(ValueError):
    """A duration a person wrote that we cannot read; `hint` says how to write it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_duration(text: str, *, allow_negative: bool = False) -> int:
    """Read `2m30s` as 150 seconds. Raises DurationError with a suggestion when unreadable."""
    if isinstance(text, str):
        known = _KNOWN.get(text)
        if known is not None and (known >= 0 or allow_negative):
            return known
    seconds = _parse_duration(text, allow_negative)
    if isinstance(text, str) and len(_KNOWN) < 4096:
        _KNOWN[text] = seconds
    return seconds


_KNOWN: dict[str, int] = {}  # scenarios repeat the same few durations


def _parse_duration(text: str, allow_negative: bool) -> int:
    raw = text.strip() if isinstance(text, str) else str(text)
    negative = raw.startswith("-")
    body = raw[1:].strip() if negative else raw
    if negative and not allow_negative:
        raise DurationError(
            f'"{raw}" is negative; only `at:` may be negative (already in the feed)',
            "write a positive duration such as 30s",
        )
    match = _DURATION.match(body)
    if not body or not match or match.group("h", "m", "s") == (None, None, None):
        raise DurationError(f'"{raw}" is not a duration', _suggest(body, negative))
    hours, minutes, seconds = (int(match[g] or 0) for g in ("h", "m", "s"))
    total = hours * 3600 + minutes * 60 + seconds
    return -total if negative else total


def format_duration(seconds: int) -> str:
    """150 -> "2m30s", 0 -> "0s", -60 -> "-1m"."""
    sign = "-" if seconds < 0 else ""
    rest = abs(int(seconds))
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return sign + ("".join(parts) or "0s")


def parse_range(text: str) -> tuple[int, int]:
    """`20s-90s` -> (20, 90); a single duration `30s` -> (30, 30)."""
    raw = text.strip()
    if raw.count("-") > 1:
        raise DurationError(f'"{raw}" is not a duration range', "write it as 20s-90s")
    low, _, high = raw.partition("-")
    try:
        min_s = parse_duration(low)
        max_s = parse_duration(high) if high else min_s
    except DurationError as error:
        raise DurationError(
            f'"{raw}" is not a duration range',
            "write two durations with units joined by a dash, e.g. 20s-90s",
        ) from error
    if min_s > max_s:
        raise DurationError(
            f'"{raw}" starts after it ends',
            f"write the shorter duration first: {format_duration(max_s)}-{format_duration(min_s)}",
        )
    return min_s, max_s


def _suggest(body: str, negative: bool) -> str:
    sign = "-" if negative else ""
    if re.fullmatch(r"\d+(\.\d+)?", body):
        return f"add a unit: {sign}{body}s, {sign}{body}m or {sign}{body}h"
    clock = re.fullmatch(r"(\d+):(\d{1,2})(?::(\d{1,2}))?", body)
    if clock:
        first, second, third = clock.groups()
        if third is not None:
            total = int(first) * 3600 + int(second) * 60 + int(third)
        else:
            total = int(first) * 60 + int(second)
        return f"write it with units: {sign}{format_duration(total)}"
    spelled = _SPELLED.findall(body)
    if spelled and "".join(n + u for n, u in spelled).replace(" ", "") == re.sub(r"\s", "", body):
        total = 0.0
        for number, unit in spelled:
            key = _UNIT_WORDS.get(unit.lower())
            if key is None:
                break
            total += float(number.replace(",", ".")) * {"s": 1, "m": 60, "h": 3600}[key]
        else:
            return f"write it as {sign}{format_duration(round(total))}"
    return "write a number followed by a unit: 45s, 10m, 2m30s, 1h or 1h30m"
