r"""Quick tests that rule a text out before a slow regex is tried on it.

A regex that starts with `\b`, a lookbehind or a group gives Python's regex engine no first
character to skip ahead to, so it tries the whole pattern at every position of the text: a
long alternation of such phrases costs tens of microseconds on one reply. Most of these
patterns match few replies, so the scorer first asks whether the text holds any of the
*needles* of the pattern: literal strings one of which every match contains, read from the
parsed regex. `in` finds a short string far quicker than the engine tries every position,
and the answer is the same: a text without a needle cannot match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Needles = tuple[str, ...]


def _required(items: list) -> frozenset[str] | None:
    """Strings one of which every match of a parsed regex sequence contains, or None when
    this reading cannot tell (the text must then be searched)."""
    found = _required_sets(items)
    if not found:
        return None
    # the needles with the longest shortest string: the fewest texts pass the test
    return max(found, key=lambda needles: min(len(n) for n in needles))


def _required_sets(items: list) -> list[frozenset[str]]:
    """Every set of strings a match of a parsed regex sequence holds one of (a literal run, a
    group, each alternative of a branch), in their order: a match holds one of each."""
    from re import _constants as c

    found: list[frozenset[str]] = []
    run = ""
    for op, value in items:
        if op is c.LITERAL:
            run += chr(value)
            continue
        if run:  # a run of literal characters the match must hold
            found.append(frozenset([run]))
            run = ""
        inner: frozenset[str] | None = None
        if op is c.SUBPATTERN and not value[1] & re.IGNORECASE:
            inner = _required(list(value[3]))
        elif op is c.BRANCH:  # every alternative must hold a needle
            each = [_required(list(branch)) for branch in value[1]]
            if all(needles is not None for needles in each):
                inner = frozenset().union(*each)
        if inner:
            found.append(inner)
    if run:
        found.append(frozenset([run]))
    return found


def _parsed(pattern: re.Pattern[str]) -> list | None:
    """The parsed items of a regex, or None when this reading cannot use them (a regex that
    ignores case, or a parser this reading does not know)."""
    from re import _parser

    if pattern.flags & re.IGNORECASE:
        return None
    try:
        return list(_parser.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - a parser this reading does not know: no test
        return None


def needles(patterns: Iterable[re.Pattern[str]]) -> Needles | None:
    """The needles of any of `patterns`: a text holding none of them matches none of them.
    None when one of the patterns has no needle this reading can find."""
    found: set[str] = set()
    for pattern in patterns:
        items = _parsed(pattern)
        required = None if items is None else _required(items)
        if required is None or "" in required:
            return None
        found |= required
    # a needle holding another is redundant: the shorter one is found first
    return tuple(sorted(n for n in found if not any(o != n and o in n for o in found)))


def needle_sets(pattern: re.Pattern[str]) -> tuple[Needles, ...] | None:
    """Every set of needles a match of `pattern` holds one of, the most telling first (the
    longest shortest needle): a text that lacks every needle of any set cannot match, which
    rules out more texts than one set (`needles`). None when the pattern has no needle this
    reading can find."""
    items = _parsed(pattern)
    if items is None:
        return None
    found = [needles for needles in _required_sets(items) if "" not in needles]
    if not found:
        return None
    found.sort(key=lambda needles: -min(len(n) for n in needles))
    return tuple(tuple(sorted(needles)) for needles in found)


def holds_all(sets: tuple[Needles, ...] | None, text: str) -> bool:
    """False when `text` lacks every needle of one of the sets: no match is possible."""
    if sets is None:
        return True
    for needles in sets:
        for needle in needles:  # noqa: SIM110 - loops: generators cost more than the tests
            if needle in text:
                break
        else:
            return False
    return True


def might_match(needles: Needles | None, text: str) -> bool:
    """False when `text` holds none of the needles: no match is possible."""
    if needles is None:
        return True
    for needle in needles:  # noqa: SIM110 - a loop: a generator costs more than the tests
        if needle in text:
            return True
    return False
