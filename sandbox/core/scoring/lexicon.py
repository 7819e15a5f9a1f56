"""Phrase lists per language (lexicons/<lang>.yaml), loaded on first use and compiled once.

Each list becomes one regex over folded text (see `sandbox.core.phrases`), so looking for
"any apology" in a reply is a single search. An entry starting with `re:` is a regex.
Guidelines extend a list with `lexicon: {name: [phrase, ...]}`; nested lists are addressed
with a dot (`personal_data.email`).

`exact_lists` names the closed-class lists (pronouns, negations, question words): their
entries match exactly, without the tolerated inflections, so French "moi" does not match
"mois" (month) and English "not" does not match "noted".
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from sandbox.core.phrases import normalise, phrase_regex

SUPPORTED_LANGUAGES = ("en", "fr")
CACHED_TEXT_LIMIT = 4000  # longer texts (a pasted essay) are analysed but not kept in caches


@lru_cache(maxsize=4)
def _raw_lexicon(language: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    source = resources.files("sandbox.core.scoring").joinpath("lexicons", f"{language}.yaml")
    data = YAML(typ="safe", pure=True).load(source.read_text(encoding="utf-8"))
    return dict(data or {})


def _flatten(data: Mapping[str, Any]) -> tuple[dict[str, tuple[str, ...]], dict[str, float]]:
    lists: dict[str, tuple[str, ...]] = {}
    numbers: dict[str, float] = {}
    for key, value in data.items():
        if key == "exact_lists":
            continue
        if key == "number_words":
            numbers = {str(k): float(v) for k, v in value.items()}
        elif isinstance(value, Mapping):
            for sub, items in value.items():
                lists[f"{key}.{sub}"] = tuple(str(i) for i in items)
        else:
            lists[key] = tuple(str(i) for i in value)
    return lists, numbers


_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_KEY = 3  # entries are indexed by the first letters of their first word
_WORD_CHAR = re.compile(r"\w")
_NOT_SCANNED = ("units.", "stopwords", "function_words")  # used as word sets, never as hits


def _entry_source(entry: str, language: str, exact: bool = False) -> str | None:
    if entry.startswith("re:"):
        return r"(?<!\w)(?:" + entry[3:] + ")"
    return phrase_regex(entry, language, exact)


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


class Lexicon:
    """The phrase lists of one language, plus any guidelines extension."""

    def __init__(self, language: str, lists: Mapping[str, Sequence[str]],
                 number_words: Mapping[str, float], exact: Collection[str] = ()):
        self.language = language
        self.lists = {name: tuple(items) for name, items in lists.items()}
        self.number_words = dict(number_words)
        # closed-class lists match without inflection; "units" covers every "units.*"
        self.exact = frozenset(name for name in self.lists
                               if name in exact or name.split(".")[0] in exact)
        self._patterns: dict[str, re.Pattern[str] | None] = {}
        self._names: dict[str, list[str]] = {}
        self._last_long: tuple[str, dict[str, list[tuple[int, int]]]] | None = None

    def names(self, prefix: str) -> list[str]:
        """List names under a dotted prefix, e.g. every `personal_data.*` (cached)."""
        found = self._names.get(prefix)
        if found is None:
            found = self._names[prefix] = sorted(n for n in self.lists
                                                 if n.startswith(prefix + "."))
        return list(found)

    def pattern(self, name: str) -> re.Pattern[str] | None:
        """One compiled regex matching any entry of the list (None when the list is empty)."""
        if name not in self._patterns:
            exact = name in self.exact
            sources = [source for entry in sorted(self.lists.get(name, ()), key=len, reverse=True)
                       if (source := _entry_source(entry, self.language, exact))]
            self._patterns[name] = re.compile("|".join(sources)) if sources else None
        return self._patterns[name]

    @cached_property
    def _index(self) -> tuple[dict[str, list[tuple[str, re.Pattern[str]]]],
                              list[tuple[str, re.Pattern[str]]]]:
        grouped: dict[str, dict[str, list[str]]] = {}
        everywhere: list[tuple[str, re.Pattern[str]]] = []
        for name, entries in self.lists.items():
            if name.startswith(_NOT_SCANNED):
                continue
            exact = name in self.exact
            for entry in sorted(entries, key=len, reverse=True):
                source = _entry_source(entry, self.language, exact)
                if not source:
                    continue
                key = _entry_key(entry)
                if key is None:
                    # without the leading (?<!\w) the regex engine can skip ahead to the
                    # entry's first character; `_scan` checks the word boundary itself. A
                    # regex entry keeps it: "\d+ ?% off" tried at every digit of a 100 KB
                    # number would take minutes
                    if not entry.startswith("re:"):
                        source = source.removeprefix(r"(?<!\w)")
                    everywhere.append((name, re.compile(source)))
                else:
                    grouped.setdefault(key, {}).setdefault(name, []).append(source)
        # one alternation per (first letters, list): a word of the text costs one match per
        # list that has entries starting like it
        index = {key: [(name, re.compile("|".join(sources))) for name, sources in lists.items()]
                 for key, lists in grouped.items()}
        return index, everywhere

    def scan(self, folded_text: str) -> dict[str, list[tuple[int, int]]]:
        """Every list's matches in a folded text, as folded spans (cached per text).

        Only the entries whose first word starts like a word of the text are tried, so a
        reply is matched against hundreds of phrases in one pass over its words.
        """
        if len(folded_text) > CACHED_TEXT_LIMIT:
            # keep only the latest long text: the criteria scan one reply several times
            last = self._last_long  # one read: safe across threads
            if last is not None and last[0] == folded_text:
                return last[1]
            found = _scan.__wrapped__(self, folded_text)
            self._last_long = (folded_text, found)
            return found
        return _scan(self, folded_text)

    @cached_property
    def stopwords(self) -> frozenset[str]:
        return frozenset(normalise(" ".join(self.lists.get("stopwords", ()))).split())

    @cached_property
    def function_words(self) -> frozenset[str]:
        """The small words that hold sentences together (articles, pronouns, auxiliaries)."""
        return frozenset(normalise(" ".join(self.lists.get("function_words", ()))).split())

    def content_stems(self, folded_text: str) -> frozenset[str]:
        """Crude stems (5-letter prefixes) of the content words and the numbers of a text."""
        if len(folded_text) > CACHED_TEXT_LIMIT:
            return _content_stems.__wrapped__(self, folded_text)
        return _content_stems(self, folded_text)

    @cached_property
    def number_word_pattern(self) -> re.Pattern[str] | None:
        words = sorted(self.number_words, key=len, reverse=True)
        if not words:
            return None
        return re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


@lru_cache(maxsize=2048)
def _content_stems(lexicon: Lexicon, text: str) -> frozenset[str]:
    stems: set[str] = set()
    stopwords = lexicon.stopwords
    for word in _WORD.findall(text):
        if word.isdigit():
            stems.add(word)
        elif len(word) >= 4 and word not in stopwords:
            stems.add(word[:5])
    return frozenset(stems)


@lru_cache(maxsize=512)
def _scan(lexicon: Lexicon, text: str) -> dict[str, list[tuple[int, int]]]:
    index, everywhere = lexicon._index
    found: dict[str, list[tuple[int, int]]] = {}
    lookup = index.get
    for token in _TOKEN.finditer(text):
        entries = lookup(token.group()[:_KEY])
        if entries is None:
            continue
        position = token.start()
        for name, pattern in entries:
            match = pattern.match(text, position)
            if match is not None:
                span = match.span()
                if span[1] > span[0]:
                    found.setdefault(name, []).append(span)
    for name, pattern in everywhere:
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


@lru_cache(maxsize=64)
def get_lexicon(language: str,
                extension: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Lexicon:
    """The lexicon for `language` ("en" when unknown), extended by guidelines' entries."""
    if language not in SUPPORTED_LANGUAGES:
        language = "en"
    raw = _raw_lexicon(language)
    lists, numbers = _flatten(raw)
    for name, items in extension:
        lists[name] = lists.get(name, ()) + tuple(items)
    return Lexicon(language, lists, numbers, raw.get("exact_lists") or ())


Extension = tuple[tuple[str, tuple[str, ...]], ...]


def extension_key(extra: Mapping[str, Sequence[str]] | None) -> Extension:
    """A hashable form of a guidelines' `lexicon:` mapping, for caching."""
    if not extra:
        return ()
    return tuple(sorted((str(k), tuple(str(i) for i in v)) for k, v in extra.items()))
