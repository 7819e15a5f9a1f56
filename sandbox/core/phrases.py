"""Tolerant phrase matching for `must_mention`, `must_not_say`, key messages and lexicons.

A trainer writes "apologise" or "recycl*" and expects it to match "Apologised", "apologizing"
or "Recyclable"; a French trainer writes "désolé" and expects "desolee". Matching therefore
happens on a *folded* copy of the text (lower case, accents removed, typographic apostrophes
and dashes made plain) and every match is mapped back to a `[start, end)` span of characters in
the original text, so evidence can be highlighted exactly where the trainee typed it.

Patterns and folded texts are cached: scoring one reply matches hundreds of phrases.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

Span = tuple[int, int]
Phrase = str | Sequence[str]

# Characters whose plain-ASCII look-alike is what people type on a keyboard.
_SPECIAL_FOLDS = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ",
    "\u0153": "oe", "\u0152": "oe", "\u00e6": "ae", "\u00c6": "ae", "\u00df": "ss",
}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    special = _SPECIAL_FOLDS.get(char)
    if special is not None:
        return special
    if char.isascii():
        return char.lower()
    decomposed = unicodedata.normalize("NFD", char.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class Folded:
    """A folded text and the way back to the original's character offsets."""

    text: str
    starts: tuple[int, ...] | None = None  # None: folding kept every offset unchanged
    ends: tuple[int, ...] | None = None
    original_length: int = 0

    def span(self, start: int, end: int) -> Span:
        """The original `[start, end)` for a folded `[start, end)`."""
        if self.starts is None or self.ends is None:
            return (start, end)
        if start >= len(self.starts):
            return (self.original_length, self.original_length)
        original_start = self.starts[start]
        original_end = self.ends[end - 1] if end > start else original_start
        return (original_start, original_end)


_CACHED_TEXT_LIMIT = 4000  # a 100 KB paste is folded each time rather than kept in memory


_last_long: list[tuple[str, Folded]] = []


def fold(text: str) -> Folded:
    """Fold `text` for matching, remembering how folded offsets map back (cached)."""
    if len(text) <= _CACHED_TEXT_LIMIT:
        return _fold_cached(text)
    # keep only the latest long text: one reply is matched many times in a row
    last = _last_long[0] if _last_long else None  # one read: safe across threads
    if last is not None and last[0] == text:
        return last[1]
    folded = _fold(text)
    _last_long[:] = [(text, folded)]
    return folded


@lru_cache(maxsize=512)
def _fold_cached(text: str) -> Folded:
    return _fold(text)


class _FoldTable(dict):
    """The `str.translate` table of every character folded so far: a character is folded
    once, the first time a text holds it, and the table is shared by every text after."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = _fold_char(chr(code))
        if len(folded) != 1:
            _UNEVEN.add(chr(code))
        return folded


_FOLDS = _FoldTable()
_UNEVEN: set[str] = set()  # characters folded to none or to two ("œ" -> "oe")
_FOLDS_KEPT = 50_000  # distinct characters kept before starting again (a paste of CJK text)


def _fold(text: str) -> Folded:
    if text.isascii():
        return Folded(text.lower().replace("`", "'"), original_length=len(text))
    if len(_FOLDS) > _FOLDS_KEPT:
        _FOLDS.clear()  # `_UNEVEN` stays: whether a character folds evenly never changes
    folded = text.translate(_FOLDS)  # every character of `text` is in the table after this
    if _UNEVEN.isdisjoint(text):  # each character is one: offsets are unchanged
        return Folded(folded, original_length=len(text))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        if not folded:
            if ends:  # a lone combining mark belongs to the character before it
                ends[-1] = index + 1
            continue
        out.append(folded)
        starts.extend([index] * len(folded))
        ends.extend([index + 1] * len(folded))
    return Folded("".join(out), tuple(starts), tuple(ends), len(text))


def normalise(text: str) -> str:
    """Lower case, no accents, plain apostrophes/dashes/spaces: what phrase matching sees."""
    return fold(text).text


# Inflections tolerated on every word of a phrase, per language.
_EN_ENDINGS = "(?:s|es|'s|s'|ed|d|ing|er|ers)?"
_FR_ENDINGS = "(?:e|s|es|x|ee|ees|ée|ées)?"
_WORD_SEPARATOR = r"(?:[\s\-]+)"
_TOKEN_SPLIT = re.compile(r"[\s\-]+")


def _stem(text: str) -> str:
    """A literal word stem as regex; British and American -ise/-ize spellings both match."""
    return re.sub(r"i[sz](?=e|ation|$)", "i[sz]", re.escape(text))


def _word_pattern(token: str, language: str, exact: bool = False) -> str:
    """A regex for one folded word of a phrase, with prefix `*` and simple inflections
    (none when `exact`: closed-class words such as "moi" must not match "mois")."""
    if token.endswith("*") and len(token) > 1:
        return re.escape(token.rstrip("*")) + r"\w*"
    escaped = re.escape(token)
    if exact or not token.isalpha() or len(token) < 3:
        return escaped
    if language == "fr":
        variants = [escaped + _FR_ENDINGS]
        if token.endswith("al"):
            variants.append(re.escape(token[:-2]) + "aux")
        if token.endswith("s") or token.endswith("x"):
            variants.append(re.escape(token[:-1]) + "(?:e|es|se|ses)?")
        if token.endswith("e"):
            variants.append(re.escape(token[:-1]) + "(?:s|es|er|ez|ent|é|és|ée|ées)?")
        return "(?:" + "|".join(variants) + ")"
    variants = [_stem(token) + _EN_ENDINGS]
    if token.endswith("e"):
        variants.append(_stem(token[:-1]) + "(?:ing|ed|es|er|ers)")
    if token.endswith("y") and token[-2] not in "aeiou":
        variants.append(re.escape(token[:-1]) + "(?:ies|ied|ier|iest)")
    if token.endswith("ies"):
        variants.append(re.escape(token[:-3]) + "y")
    elif token.endswith("s") and not token.endswith("ss"):
        variants.append(re.escape(token[:-1]))
    if token[-1] not in "aeiouwxy" and token[-2] in "aeiou" and token[-3] not in "aeiou":
        variants.append(escaped + re.escape(token[-1]) + "(?:ed|ing|er)")
    return "(?:" + "|".join(variants) + ")"


WORD_SEPARATOR = _WORD_SEPARATOR


@lru_cache(maxsize=8192)
def phrase_words(phrase: str, language: str = "en", exact: bool = False) -> tuple[str, ...]:
    """The regex of each word of `phrase` (empty for an empty phrase): `phrase_body` joins
    them with `WORD_SEPARATOR`. No word's regex matches an empty string, a space or a hyphen
    (the separator's characters)."""
    tokens = [t for t in _TOKEN_SPLIT.split(normalise(phrase.strip())) if t]
    return tuple(_word_pattern(t, language, exact) for t in tokens)


@lru_cache(maxsize=8192)
def phrase_body(phrase: str, language: str = "en", exact: bool = False) -> str | None:
    """The regex source for `phrase` on folded text, without word boundaries (None if empty).

    `exact` turns inflections off (a trailing `*` still makes a prefix)."""
    words = phrase_words(phrase, language, exact)
    if not words:
        return None
    return _WORD_SEPARATOR.join(words)


def phrase_end(phrase: str) -> str:
    """What must follow a match of `phrase`: not a word character, except after an elided
    French word (j', l', qu'), which is glued to the next word."""
    return "" if phrase.rstrip().endswith(("'", "’")) else r"(?!\w)"


def phrase_regex(phrase: str, language: str = "en", exact: bool = False) -> str | None:
    """The regex source for `phrase` on folded text, with whole-word boundaries."""
    body = phrase_body(phrase, language, exact)
    if body is None:
        return None
    return r"(?<!\w)(?:" + body + ")" + phrase_end(phrase)


@lru_cache(maxsize=8192)
def phrase_pattern(phrase: str, language: str = "en",
                   exact: bool = False) -> re.Pattern[str] | None:
    """The compiled pattern matching `phrase` in a folded text (None for an empty phrase)."""
    source = phrase_regex(phrase, language, exact)
    return None if source is None else re.compile(source)


def _alternatives(phrase: Phrase) -> Sequence[str]:
    return (phrase,) if isinstance(phrase, str) else phrase


def find_all(text: str, phrase: Phrase, language: str = "en") -> list[Span]:
    """Every non-overlapping match of any alternative, as original spans sorted by position."""
    folded = fold(text)
    spans: list[Span] = []
    for alternative in _alternatives(phrase):
        pattern = phrase_pattern(alternative, language)
        if pattern is None:
            continue
        spans.extend(folded.span(*m.span()) for m in pattern.finditer(folded.text))
    spans.sort(key=lambda s: (s[0], -s[1]))
    kept: list[Span] = []
    for span in spans:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def find_phrase(text: str, phrase: Phrase, language: str = "en",
                exact: bool = False) -> Span | None:
    """The `[start, end)` span of the earliest match of any alternative, or None.

    Case-insensitive, whole words, a trailing `*` is a prefix (`recycl*`), accents and
    typographic apostrophes are ignored, simple inflections (plural, -ed/-ing; French e/s/x)
    are tolerated (unless `exact`) and the words of a phrase may be separated by any
    whitespace or a hyphen.
    """
    patterns = [p for a in _alternatives(phrase)
                if (p := phrase_pattern(a, language, exact)) is not None]
    return find_first(text, patterns)


def find_first(text: str, patterns: Sequence[re.Pattern[str]]) -> Span | None:
    """The original span of the earliest (then longest) match of any compiled phrase pattern."""
    folded = fold(text)
    best: Span | None = None
    best_folded: tuple[int, int] | None = None
    for pattern in patterns:
        match = pattern.search(folded.text)
        if match is None:
            continue
        candidate = (match.start(), -match.end())
        if best_folded is None or candidate < best_folded:
            best_folded = candidate
            best = folded.span(*match.span())
    return best


def contains(text: str, phrase: Phrase, language: str = "en", exact: bool = False) -> bool:
    """Whether any alternative of `phrase` occurs in `text`."""
    return find_phrase(text, phrase, language, exact) is not None


@lru_cache(maxsize=1024)
def regex_pattern(pattern: str) -> re.Pattern[str]:
    """A trainer's regex, applied case-insensitively to folded text on whole words.

    Raises `re.error` for an invalid pattern; callers that read guidelines report it.
    """
    # Only non-ASCII characters are folded: lower-casing `\S` or `\W` would change the regex.
    plain = "".join(c if c.isascii() else _fold_char(c) for c in pattern)
    return re.compile(r"(?<!\w)(?:" + plain + r")(?!\w)", re.IGNORECASE)


def find_regex(text: str, pattern: str) -> Span | None:
    """The original span of the first match of a trainer's regex, or None."""
    folded = fold(text)
    match = regex_pattern(pattern).search(folded.text)
    return folded.span(*match.span()) if match else None
