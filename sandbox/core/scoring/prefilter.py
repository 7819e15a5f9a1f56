r"""Quick tests that rule a text out before a slow regex is tried on it.

A regex that starts with `\b`, a lookbehind or a group gives Python's regex engine no first
character to skip ahead to, so it tries the whole pattern at every position of the text: a
long alternation of such phrases costs tens of microseconds on one reply. Most of these
patterns match few replies, so the scorer first asks whether the text holds any of the
*needles* of the pattern: literal strings one of which every match contains, read from the
parsed regex. `in` finds a short string far quicker than the engine tries every position,
and the answer is the same: a text without a needle cannot match.

The same reading of a parsed regex tells the lexicon scan where an entry can match at all:
the words it can start, the letters it can start with, whether it holds word characters only
(`word_keys`, `first_letters`, `word_chars_only`).
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


# ------------------------------------------------------------------ where a match can start
# What the lexicon scan (`scan.py`) reads of a regex to try it only at the words of a text
# where it can match: the words it can start, the letters it can start with, whether it holds
# word characters only. Anything this reading does not know (a newer Python's parser, an
# unusual construct) gives the answer that skips nothing.
_MAX_KEYS = 64
_WORD_CHAR = re.compile(r"\w")


def _parsed_source(source: str) -> list | None:
    """The parsed items of a regex source, or None when this reading cannot parse it."""
    from re import _parser

    try:
        return list(_parser.parse(source))
    except Exception:  # noqa: BLE001 - a parser this reading does not know: skip nothing
        return None


def word_keys(source: str, length: int) -> frozenset[str] | None:
    r"""The keys of the words a regex entry's match can start (their first `length`
    letters, or the whole word when shorter), or None when the regex can start anywhere: with
    a symbol, a digit class, any letter.

    A regex entry starts with `(?<!\w)`: when its first character is a letter, every match
    starts a word of the text, so the entry is tried only at the words that start with one of
    these keys. The regex is read with Python's own parser; anything this reading does not
    know (a newer Python's parser, an unusual construct) leaves the entry looked for
    everywhere, as before.
    """
    if not source.startswith(r"(?<!\w)"):
        return None
    items = _parsed_source(source)
    try:
        ends = None if items is None else _word_starts(items, {""}, length)
    except Exception:  # noqa: BLE001 - any surprise means "look everywhere"
        return None
    if not ends or "" in ends or any(not key.endswith(" ") for key in ends):
        return None
    return frozenset(key.rstrip() for key in ends)


def _is_word_char(code: int) -> bool:
    return _WORD_CHAR.match(chr(code)) is not None


def _word_starts(items: list, opened: set[str], length: int) -> set[str]:
    """The first letters a sequence of parsed regex items can put at the start of a word,
    each followed by " " once known: its first `length` letters, or the whole word when it is
    shorter. Raises ValueError when they cannot be told."""
    from re import _constants as c

    done = {s for s in opened if s.endswith(" ")}
    current = {s for s in opened if not s.endswith(" ")}
    for op, value in items:
        if not current:
            break
        if len(current) + len(done) > _MAX_KEYS:
            raise ValueError("too many ways to start")
        if op is c.LITERAL:
            if _is_word_char(value):
                grown = {s + chr(value) for s in current}
                current = {s for s in grown if len(s) < length}
                done |= {s + " " for s in grown if len(s) >= length}
            elif "" in current:
                raise ValueError("may start with a symbol")
            else:
                done |= {s + " " for s in current}
                current = set()
        elif op is c.AT and value is c.AT_BOUNDARY and "" not in current:
            done |= {s + " " for s in current}  # the word ends here
            current = set()
        elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # takes no character: it only restricts where the match is
        elif op is c.SUBPATTERN and not value[1] and not value[2]:
            reached = _word_starts(list(value[3]), current, length)
            done |= {s for s in reached if s.endswith(" ")}
            current = {s for s in reached if not s.endswith(" ")}
        elif op is c.BRANCH:
            reached = set().union(*(_word_starts(list(b), current, length) for b in value[1]))
            done |= {s for s in reached if s.endswith(" ")}
            current = {s for s in reached if not s.endswith(" ")}
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and value[0] == 0 and value[1] == 1:
            reached = _word_starts(list(value[2]), current, length) | current
            done |= {s for s in reached if s.endswith(" ")}
            current = {s for s in reached if not s.endswith(" ")}
        elif op is c.IN and all(o is c.LITERAL for o, _v in value):
            reached = set().union(*(_word_starts([(o, v)], current, length) for o, v in value))
            done |= {s for s in reached if s.endswith(" ")}
            current = {s for s in reached if not s.endswith(" ")}
        else:
            raise ValueError(f"cannot tell how {op} starts a word")
    return done | current


def first_letters(source: str) -> frozenset[str] | None:
    """The characters a word's regex can start with, or None when they cannot be told (read
    with Python's own parser, as `word_keys` does)."""
    items = _parsed_source(source)
    return None if items is None else _starts(items)


def _starts(items: list) -> frozenset[str] | None:
    from re import _constants as c

    if not items:
        return None
    op, value = items[0]
    if op is c.LITERAL:
        return frozenset(chr(value))
    if op is c.IN and all(o is c.LITERAL for o, _v in value):
        return frozenset(chr(v) for _o, v in value)
    if op is c.SUBPATTERN and not value[1] and not value[2]:
        return _starts(list(value[3]))
    if op in (c.MAX_REPEAT, c.MIN_REPEAT) and value[0] >= 1:
        return _starts(list(value[2]))
    if op is c.BRANCH:
        found: set[str] = set()
        for branch in value[1]:
            starts = _starts(list(branch))
            if starts is None:
                return None
            found |= starts
        return frozenset(found)
    return None


def word_chars_only(source: str) -> bool:
    """Whether every character a regex can match is a word character (\\w): then a match
    that a non-word character or the end of the text must follow is a whole word of the text.
    False when it cannot be told."""
    items = _parsed_source(source)
    return items is not None and _only_word(items)


def _only_word(items: list) -> bool:
    from re import _constants as c

    for op, value in items:
        if op is c.LITERAL:
            if not _is_word_char(value):
                return False
        elif op is c.IN:
            if not all((o is c.LITERAL and _is_word_char(v)) or (o is c.CATEGORY and
                       v is c.CATEGORY_WORD) for o, v in value):
                return False
        elif op is c.SUBPATTERN and not value[1] and not value[2]:
            if not _only_word(list(value[3])):
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
            if not _only_word(list(value[2])):
                return False
        elif op is c.BRANCH:
            if not all(_only_word(list(branch)) for branch in value[1]):
                return False
        else:
            return False
    return True
