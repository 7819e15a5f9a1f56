"""Phrase lists per language (lexicons/<lang>.yaml), loaded on first use and compiled once.

Each list becomes one regex over folded text (see `sandbox.core.phrases`), so looking for
"any apology" in a reply is a single search. An entry starting with `re:` is a regex.
Guidelines extend a list with `lexicon: {name: [phrase, ...]}`; nested lists are addressed
with a dot (`personal_data.email`).

`exact_lists` names the closed-class lists (pronouns, negations, question words): their
entries match exactly, without the tolerated inflections, so French "moi" does not match
"mois" (month) and English "not" does not match "noted".

`Lexicon.scan` finds every list's matches in one pass over the words of a reply (how: see
`scan.py`); scans are cached per (lexicon, text).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from sandbox.core.phrases import normalise
from sandbox.core.scoring.scan import Index, any_of, build_index, entry_source, find_all

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


_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# the same words in an ASCII text (\w is [a-zA-Z0-9_] there), found by a quicker class test
_ASCII_WORD = re.compile(r"[a-zA-Z0-9]+(?:'[a-zA-Z0-9]+)*")
_NOT_SCANNED = ("units.", "stopwords", "function_words")  # used as word sets, never as hits
# Lists only ever read as one pattern (`Lexicon.pattern`), in a window around a phrase already
# found or at a sentence start, never from a scan's table: a negation before a promise, a
# disclaimer, a denial's category, an instruction verb, a question starter, the politeness
# strategies read at sentence starts (`politeness.AT_START`). Scanning them would find
# matches nobody reads, and their first words ("not", "you", "so") are the commonest.
PATTERN_ONLY = frozenset({
    "data_advice", "disclaimer", "instructions", "negation", "question_starters",
    "politeness.bare_order", "politeness.direct_question", "politeness.direct_start",
    "politeness.first_person_start", "politeness.please_start", "politeness.second_person_start",
})
_PATTERN_ONLY_PREFIXES = ("denied.",)


def scanned(name: str) -> bool:
    """Whether `Lexicon.scan` looks for list `name` (see `_NOT_SCANNED`, `PATTERN_ONLY`)."""
    return not name.startswith(_NOT_SCANNED + _PATTERN_ONLY_PREFIXES) \
        and name not in PATTERN_ONLY


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
                       if (source := entry_source(entry, self.language, exact))]
            self._patterns[name] = re.compile(any_of(sources)) if sources else None
        return self._patterns[name]

    @cached_property
    def _index(self) -> Index:
        return build_index({name: entries for name, entries in self.lists.items()
                            if scanned(name)}, self.language, self.exact)

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
    for word in (_ASCII_WORD if text.isascii() else _WORD).findall(text):
        if word.isdigit():
            stems.add(word)
        elif len(word) >= 4 and word not in stopwords:
            stems.add(word[:5])
    return frozenset(stems)


@lru_cache(maxsize=512)
def _scan(lexicon: Lexicon, text: str) -> dict[str, list[tuple[int, int]]]:
    return find_all(lexicon._index, text)


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
