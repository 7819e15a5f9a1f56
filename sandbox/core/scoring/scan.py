"""How a lexicon's lists are found in a text: every list at once, in one pass over its words
(`Lexicon.scan` caches what `find_all` finds).

The entries are indexed by the first letters of the word they start with (a regex entry too,
when its first letters can be read from it). At each word of the text, only the phrases whose
first word matches that word, and whose second word can start like the next one, are tried,
with the regex entries of its first letters, by a single match (`_KeyEntries`,
`Alternatives`). The few entries that may start with a symbol are searched for on their own.
Every list finds exactly what its plain alternation of entries finds at each word
(`tests/unit/scoring/test_lexicon.py`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import cached_property

from sandbox.core.phrases import WORD_SEPARATOR, normalise, phrase_end, phrase_regex, phrase_words
from sandbox.core.scoring.prefilter import (
    Needles,
    first_letters,
    holds_all,
    needle_sets,
    word_chars_only,
    word_keys,
)

_TOKEN = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")
_KEY = 3  # entries are indexed by the first letters of their first word
# each word of a text and, when a space or a hyphen follows it (what separates the words of a
# phrase), the first letter of the word after them (read from the word's end only: a text with
# no space to read up to costs no more than another)
_THEN = r"(?:(?=[\s\-]+(.)))?"
_WORD_KEY = re.compile(r"(?<!\w)(\w+)" + _THEN)
# the same in an ASCII text (\w is [a-zA-Z0-9_] there), found by a quicker class test
_ASCII_WORD_KEY = re.compile(r"(?<![a-zA-Z0-9_])([a-zA-Z0-9_]+)" + _THEN)


def entry_source(entry: str, language: str, exact: bool = False) -> str | None:
    """The regex source of a list entry: a phrase, or the regex after `re:`."""
    if entry.startswith("re:"):
        return r"(?<!\w)(?:" + entry[3:] + ")"
    return phrase_regex(entry, language, exact)


_BOUNDARY = r"(?<!\w)"


def any_of(sources: Sequence[str]) -> str:
    r"""One regex for alternatives: `(?<!\w)(?:a|b|c)` when every one starts at a word
    boundary (every entry does), rather than `(?<!\w)a|(?<!\w)b|(?<!\w)c`. Both match the
    same, but the first checks the boundary once per position and lets the engine skip the
    alternatives whose first letter is not there: ten times quicker on a reply."""
    if all(source.startswith(_BOUNDARY) for source in sources):
        return _BOUNDARY + "(?:" + "|".join(s.removeprefix(_BOUNDARY) for s in sources) + ")"
    return "|".join(sources)


def _entry_key(entry: str) -> str | None:
    """The index key of a plain entry, or None when it must be searched for everywhere."""
    if entry.startswith("re:"):
        return None
    first = _TOKEN.match(normalise(entry).lstrip())
    if first is None or first.start() != 0:
        return None  # starts with a symbol: £, %, #
    word = first.group()
    if entry.lstrip().split()[0].endswith("*") and len(word) < _KEY:
        return None  # a short prefix could start a longer word
    return word[:_KEY]


# a plain phrase: the regex of each of its words (`phrases.phrase_words`), and its end
Words = tuple[tuple[str, ...], str]


def _factored(phrases: Sequence[Words]) -> str:
    r"""One alternation matching exactly what `a|b|c...` of the phrases' regexes matches, in
    their order, with the first word of consecutive phrases of two words or more that start
    with the same word written once: `nous SEP (?:sommes SEP desoles|avons SEP ...)` rather
    than each phrase matching "nous" (and its inflections) again.

    The same: a word's regex never matches a space or a hyphen and a phrase's next word
    starts after a separator (one or more of them), so wherever the shared word and its
    separator can be followed by the rest of a phrase, they end at one same place. Trying
    the phrases of a run one after the other there finds the first one that matches, as the
    alternation does; phrases that do not start with the same word keep their order. A phrase
    of one word stands alone: its word may end before any other character that is not a
    letter ("understands" in "we understands' your concern"), where the same word of a longer
    phrase ends only at a separator ("understands'").
    """
    parts = []
    start = 0
    while start < len(phrases):
        words, end = phrases[start]
        stop = start + 1
        if len(words) > 1:
            while stop < len(phrases) and len(phrases[stop][0]) > 1 and \
                    phrases[stop][0][0] == words[0]:
                stop += 1
        if stop - start == 1:
            parts.append(WORD_SEPARATOR.join(words) + end)
        else:
            tails = [(rest[1:], ending) for rest, ending in phrases[start:stop]]
            parts.append(words[0] + WORD_SEPARATOR + "(?:" + _factored(tails) + ")")
        start = stop
    return "|".join(parts)


# an entry looked for everywhere: (list name, pattern, the sets of needles a match holds one
# of each: `prefilter.needle_sets`)
Everywhere = tuple[str, re.Pattern[str], tuple[Needles, ...] | None]


_OWN_GROUPS = re.compile(r"\(\?P[<=]|\\[1-9]")  # a source naming or referring to a group


class Alternatives:
    """Regexes tried at one position of a text by a single match.

    Each (list name, regex source, entry) sits in an optional lookahead of one pattern,
    `(?:(?=(?P<g0>source 0))|)(?:(?=(?P<g1>source 1))|)...`: the pattern always matches
    (empty) and its group `gN` holds exactly what source N alone matches there. `entry`
    numbers a regex entry (None for a list's alternation of phrases). A source with group
    names or numbered back-references of its own is matched by itself.
    """

    def __init__(self, sources: Sequence[tuple[str, str, int | None]]):
        self.sources = tuple(sources)
        alone = [i for i, (_n, source, _e) in enumerate(self.sources)
                 if _OWN_GROUPS.search(source)]
        shared = [i for i in range(len(self.sources)) if i not in alone]
        self.pattern = re.compile("".join(f"(?:(?=(?P<g{i}>{self.sources[i][1]}))|)"
                                          for i in shared))
        self.groups = tuple((self.sources[i][0], self.pattern.groupindex[f"g{i}"],
                             self.sources[i][2]) for i in shared)
        self.alone = tuple((i, re.compile(self.sources[i][1])) for i in alone)

    def at(self, text: str, position: int) -> list[tuple[str, int, int, int | None]]:
        """(name, start, end, entry) of every source that matches at `position`."""
        match = self.pattern.match(text, position)
        # no group took part (`lastindex` None): nothing matched here, as for most words
        if match.lastindex is None:
            found = []
        else:
            spans = match.regs
            found = [(name, *spans[group], entry) for name, group, entry in self.groups
                     if spans[group][0] >= 0]
        for i, pattern in self.alone:
            match = pattern.match(text, position)
            if match is not None:
                found.append((self.sources[i][0], *match.span(), self.sources[i][2]))
        return found


_MOST_WORDS = 20_000  # words whose first-word matches an index remembers, then forgets
_LONGEST_REMEMBERED = 40  # a longer "word" (a pasted code, a URL) is matched, not remembered
_ANOTHER_LETTER = "another letter"  # not one letter: in no set of second words' first letters


class _KeyEntries:
    """The entries whose first word starts with one key, and the `Alternatives` that try the
    ones that can match at a word of the text (`at`).

    A phrase's first word regex matches only word characters (most do; the others, "don't",
    are always tried), and a space, a hyphen or a non-word character must follow it, so it can
    only match the whole word of the text: each word is tried against the key's few first
    words once (`_firsts`), and only the phrases whose first word matches it are tried there.
    Such a phrase of two words or more is also left out unless a space or a hyphen follows the
    word and its second word can start with the letter after them. Leaving out phrases that
    cannot match changes nothing a match finds (the others keep their order), and leaves the
    regex engine a few alternatives where it had hundreds: "we" starts phrases of 30 lists.
    """

    def __init__(self, phrases: Mapping[str, Sequence[Words]],
                 regexes: Sequence[tuple[str, str, int]],
                 remembered: dict[str, frozenset[int]]):
        firsts = list(dict.fromkeys(words[0][0] for found in phrases.values()
                                    for words in found))
        self.checked = tuple((number, re.compile(first)) for number, first in enumerate(firsts)
                             if word_chars_only(first))
        unchecked = frozenset(range(len(firsts))) - {number for number, _p in self.checked}
        self.phrases = {name: [(words, firsts.index(words[0][0]),
                                first_letters(words[0][1]) if len(words[0]) > 1 else None)
                               for words in found]
                        for name, found in phrases.items()}
        self.unchecked = unchecked
        # the letters some second word starts with: any other next letter keeps the same
        # phrases (those of one word, those whose second word cannot be told), and shares
        # their alternatives, so a text of many scripts cannot build one regex per character
        self.letters = frozenset().union(*(second for found in self.phrases.values()
                                           for _w, _f, second in found if second))
        self.regexes = tuple(regexes)
        self._firsts = remembered  # shared by every key of an index: a word has one key
        self._sets: dict[frozenset[int], frozenset[int]] = {}
        self._alternatives: dict[tuple[frozenset[int], str], tuple[Alternatives, ...]] = {}

    def at(self, word: str, letter: str) -> tuple[Alternatives, ...]:
        """The alternatives that can match at `word` (a whole word of the text), before a next
        word starting with `letter` ("" when no word follows): the phrases' (none when none
        can match there), and the regex entries' (the same at every word of the key)."""
        firsts = self._firsts.get(word)
        if firsts is None:
            firsts = self.unchecked | {number for number, pattern in self.checked
                                       if pattern.fullmatch(word)}
            firsts = self._sets.setdefault(firsts, firsts)  # one copy of each set
            if len(word) <= _LONGEST_REMEMBERED:
                if len(self._firsts) >= _MOST_WORDS:
                    self._firsts.clear()
                self._firsts[word] = firsts
        if letter and letter not in self.letters:
            letter = _ANOTHER_LETTER
        key = (firsts, letter)
        found = self._alternatives.get(key)
        if found is None:
            sources = []
            for name, phrases in self.phrases.items():
                kept = [words for words, first, second in phrases if first in firsts and (
                    len(words[0]) == 1 or first in self.unchecked
                    or (letter and (second is None or letter in second)))]
                if kept:
                    sources.append((name, "(?:" + _factored(kept) + ")", None))
            found = self._alternatives[key] = ((Alternatives(sources),) if sources else ()) \
                + self._regexes
        return found

    @cached_property
    def _regexes(self) -> tuple[Alternatives, ...]:
        return (Alternatives(self.regexes),) if self.regexes else ()


# a lexicon's entries: `_KeyEntries` by first letters, and those looked for everywhere
Index = tuple[dict[str, _KeyEntries], list[Everywhere]]


def build_index(lists: Mapping[str, Sequence[str]], language: str,
                exact_lists: Collection[str] = ()) -> Index:
    """The entries of `lists` (every list to scan; those of `exact_lists` match without
    inflection) by the first letters of their first word, and those looked for
    everywhere."""
    grouped: dict[str, dict[str, list[Words]]] = {}
    regexes: dict[str, list[tuple[str, str, int]]] = {}
    everywhere: list[Everywhere] = []
    for name, entries in lists.items():
        exact = name in exact_lists
        for entry in sorted(entries, key=len, reverse=True):
            source = entry_source(entry, language, exact)
            if not source:
                continue
            key = _entry_key(entry)
            keys = word_keys(source, _KEY) if entry.startswith("re:") else None
            if keys is not None:
                number = sum(len(found) for found in regexes.values())
                for word in keys:
                    regexes.setdefault(word, []).append(
                        (name, source.removeprefix(_BOUNDARY), number))
            elif key is None:
                # without the leading (?<!\w) the regex engine can skip ahead to the
                # entry's first character; `find_all` checks the word boundary itself. A
                # regex entry keeps it: "\d+ ?% off" tried at every digit of a 100 KB
                # number would take minutes
                if not entry.startswith("re:"):
                    source = source.removeprefix(r"(?<!\w)")
                pattern = re.compile(source)
                everywhere.append((name, pattern, needle_sets(pattern)))
            else:
                words = (phrase_words(entry, language, exact), phrase_end(entry))
                grouped.setdefault(key, {}).setdefault(name, []).append(words)
    # per first letters: each list's phrases (their first words factored when the
    # alternation is built, see `_factored`), and the regex entries that start such a
    # word. They are only tried where a word starts (`find_all`), so they leave out the
    # `(?<!\w)` they start with: already true there
    remembered: dict[str, frozenset[int]] = {}  # each word's first-word matches
    index = {key: _KeyEntries(grouped.get(key, {}), regexes.get(key, []), remembered)
             for key in {*grouped, *regexes}}
    return index, everywhere


def find_all(index: Index, text: str) -> dict[str, list[tuple[int, int]]]:
    """Every list's matches in a folded text, as folded spans, sorted, none overlapping another
    of its list (`index`: what `build_index` built)."""
    index, everywhere = index
    found: dict[str, list[tuple[int, int]]] = {}
    lookup = index.get
    # a regex entry is looked for as `finditer` would: never inside its own last match
    resume: dict[int, int] = {}
    for key in (_ASCII_WORD_KEY if text.isascii() else _WORD_KEY).finditer(text):
        word, then = key.groups("")
        entries = lookup(word[:_KEY])
        if entries is None:
            continue
        position = key.start()
        for alternatives in entries.at(word, then):
            # `alternatives.at(text, position)`, written out: this loop runs for most words
            match = alternatives.pattern.match(text, position)
            if match.lastindex is not None:  # None: no group took part, as for most words
                spans = match.regs
                for name, group, entry in alternatives.groups:
                    span = spans[group]
                    if span[0] < 0 or span[1] <= span[0]:
                        continue
                    if entry is not None:
                        if position < resume.get(entry, 0):
                            continue
                        resume[entry] = span[1]
                    found.setdefault(name, []).append(span)
            for i, pattern in alternatives.alone:
                match = pattern.match(text, position)
                if match is not None and match.end() > match.start():
                    name, _source, entry = alternatives.sources[i]
                    if entry is not None:
                        if position < resume.get(entry, 0):
                            continue
                        resume[entry] = match.end()
                    found.setdefault(name, []).append(match.span())
    for name, pattern, needed in everywhere:
        if not holds_all(needed, text):
            continue  # a text without the entry's literal strings: no need to search it
        for match in pattern.finditer(text):
            start = match.start()
            if match.end() > start and (start == 0 or not _WORD_CHAR.match(text, start - 1)):
                found.setdefault(name, []).append(match.span())
    for name, spans in found.items():
        if len(spans) == 1:
            continue
        spans.sort(key=lambda span: (span[0], -span[1]))
        kept: list[tuple[int, int]] = []
        for span in spans:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        found[name] = kept
    return found
