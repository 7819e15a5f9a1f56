"""The rules one reply is graded by, compiled once per (guidelines, expect, topic, language,
facts) and reused for every reply graded against them.

Scoring a reply used to rebuild the same things each time: the key-message alternatives and
their near-miss forms, the forbidden phrases and regexes, the jargon pattern, the weights and
thresholds. A `RuleSet` holds them ready; `rules_for(...)` returns the cached one. Guidelines
and expectations are read-only values (frozen models): the cache is keyed by their identity
and keeps a reference to them, so an id is never reused while its entry lives.
`clear_rules_cache()` empties it (the tests compare cached and fresh results).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sandbox.core.phrases import Folded, fold, phrase_pattern, regex_pattern
from sandbox.core.scoring.lexicon import CACHED_TEXT_LIMIT, Lexicon, extension_key, get_lexicon
from sandbox.core.scoring.prefilter import Needles, might_match, needles
from sandbox.core.scoring.results import DIMENSIONS

DEFAULT_PASS, DEFAULT_COACH = 70, 50
Span = tuple[int, int]
CACHE_SIZE = 256


_BOUNDARY = r"(?<!\w)"
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True, slots=True)
class Phrases:
    r"""Compiled phrase patterns (`phrases.phrase_pattern`, or a trainer's regex), and the same
    without their leading `(?<!\w)`: that assertion keeps the regex engine from jumping to the
    phrase's first letters, so a search tries every position of the text. `earliest` searches
    without it and checks the word boundary itself, with the same result.

    `needles` (`prefilter.needles`) are literal strings one of which every match holds: a
    text with none of them is not searched (most replies say none of the forbidden phrases).
    A trainer's regex is case-blind (`phrases.regex_pattern`): its needles, lower-cased, are
    only asked of an ASCII text (`ascii_only`), which folding has lower-cased."""

    patterns: tuple[re.Pattern[str], ...]
    quick: tuple[re.Pattern[str] | None, ...]  # None: no leading boundary to take out
    needles: Needles | None = None  # None: no such strings known, always search
    ascii_only: bool = False  # the needles hold for ASCII texts only

    @classmethod
    def of(cls, patterns: Sequence[re.Pattern[str]]) -> Phrases:
        found, ascii_only = _needles(patterns)
        return cls(tuple(patterns), tuple(
            re.compile(p.pattern.removeprefix(_BOUNDARY), p.flags)
            if p.pattern.startswith(_BOUNDARY) else None for p in patterns),
            found, ascii_only)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def _search(self, index: int, text: str, position: int = 0) -> re.Match[str] | None:
        quick = self.quick[index]
        if quick is None or len(text) > CACHED_TEXT_LIMIT:
            return self.patterns[index].search(text, position)  # a 100 KB paste: as it is
        match = quick.search(text, position)
        while match is not None and match.start() and _WORD_CHAR.match(text, match.start() - 1):
            match = quick.search(text, match.start() + 1)
        return match

    def earliest(self, folded: Folded) -> Span | None:
        """The original span of the earliest (then longest) match of any pattern in a folded
        text: what `phrases.find_first` returns."""
        text = folded.text
        if self.needles is not None:  # `might_match`, written out: called for every rule
            for needle in self.needles:
                if needle in text:
                    break
            else:
                if not self.ascii_only or text.isascii():
                    return None
        best: tuple[int, int] | None = None
        for index in range(len(self.patterns)):
            match = self._search(index, text)
            if match is not None and (best is None or (match.start(), -match.end()) <
                                      (best[0], -best[1])):
                best = match.span()
        return None if best is None else folded.span(*best)

    def every(self, folded: Folded) -> list[Span]:
        """Every match of any pattern that overlaps no earlier one, as original spans sorted by
        position: what `phrases.find_all` returns."""
        text = folded.text
        if not might_match(self.needles, text) and (not self.ascii_only or text.isascii()):
            return []
        spans: list[Span] = []
        for index, pattern in enumerate(self.patterns):
            found: list[tuple[int, int]] = []
            position = 0
            while (match := self._search(index, text, position)) is not None:
                if match.end() == match.start():  # never for a phrase: let finditer decide
                    found = [m.span() for m in pattern.finditer(text)]
                    break
                found.append(match.span())
                position = match.end()  # as finditer goes on
            spans.extend(folded.span(*span) for span in found)
        spans.sort(key=lambda span: (span[0], -span[1]))
        kept: list[Span] = []
        for span in spans:
            if not kept or span[0] >= kept[-1][1]:
                kept.append(span)
        return kept


def _needles(patterns: Sequence[re.Pattern[str]]) -> tuple[Needles | None, bool]:
    """The needles of `patterns` and whether they hold for ASCII texts only (see `Phrases`).

    A case-blind pattern matches an ASCII text where the text holds its ASCII needles in some
    case: in a folded, so lower-cased, ASCII text, lower-cased. A needle with another
    character is not used (some match ASCII letters case-blind: the Kelvin sign, the long s).
    """
    if not patterns:
        return None, False
    if not any(p.flags & re.IGNORECASE for p in patterns):
        return needles(patterns), False
    try:
        found = needles([re.compile(p.pattern, p.flags & ~re.IGNORECASE) for p in patterns])
    except re.error:
        return None, False
    if found is None or not all(needle.isascii() for needle in found):
        return None, False
    return tuple(sorted({needle.lower() for needle in found})), True


@dataclass(frozen=True, slots=True)
class Requirement:
    """A key message: its alternatives, compiled, and what counts as coming close."""

    alternatives: tuple[str, ...]
    rule: str
    patterns: Phrases
    close_targets: tuple[str, ...]  # one-word alternatives a near spelling may stand for
    near_stems: tuple[frozenset[str], ...]  # content stems of multi-word alternatives


@dataclass(frozen=True, slots=True)
class Ban:
    phrase: Any  # the trainer's phrase, alternatives or regex
    pattern: Phrases  # a regex rule, compiled (empty: invalid or a phrase)
    phrases: Phrases  # a phrase rule, one pattern per alternative
    reason: str
    critical: bool
    penalty: int
    rule: str


@dataclass(frozen=True, slots=True)
class RuleSet:
    lexicon: Lexicon
    requirements: tuple[Requirement, ...]
    bans: tuple[Ban, ...]
    jargon: tuple[str, ...]
    jargon_phrases: Phrases
    jargon_folded: frozenset[str]
    brand_folded: str
    approved_facts: tuple[str, ...]
    facts_text: str
    fact_stems: tuple[tuple[str, frozenset[str]], ...]
    never_public: tuple[str, ...]
    forbidden_reasons: tuple[str, ...]  # folded reasons of the guidelines' forbidden rules
    expected_actions: tuple[tuple[str, str], ...]
    weights: dict[str, float]
    thresholds: tuple[float, float]
    # folded reasons of every forbidden rule of the guidelines, whatever its topic
    every_forbidden_reason: tuple[str, ...] = ()
    # the needles of every ban together (`ban_screen`): None when some ban has none
    ban_needles: Needles | None = None
    ban_needles_ascii_only: bool = False


def ban_phrases(ban: Ban) -> Phrases:
    """What a ban looks for: its regex when it is a regex rule, else its phrases."""
    return ban.pattern if ban.pattern.patterns else ban.phrases


def ban_screen(bans: Sequence[Ban]) -> tuple[Needles | None, bool]:
    """The needles of all `bans` together, and whether they hold for ASCII texts only.

    A text holding none of them (most replies) matches no ban: `Phrases.earliest` asks each
    ban's own needles first and answers None, so one test of the reply stands for a search
    per ban. A ban with nothing to look for never matches; one without needles leaves no
    screen (None)."""
    found: set[str] = set()
    ascii_only = False
    for ban in bans:
        phrases = ban_phrases(ban)
        if not phrases.patterns:
            continue
        if phrases.needles is None:
            return None, False
        found.update(phrases.needles)
        ascii_only = ascii_only or phrases.ascii_only
    return tuple(sorted(found)), ascii_only


def attr_or(obj: Any, name: str, default: Any = None) -> Any:
    """`obj.name`, or `default` when `obj` is None or the value is unset (an optional field of
    the guidelines or of an event's expectations)."""
    value = getattr(obj, name, default) if obj is not None else default
    return default if value is None else value


def _alternatives(item: str | Sequence[str]) -> tuple[str, ...]:
    return (item,) if isinstance(item, str) else tuple(str(i) for i in item)


def _requirement(alternatives: tuple[str, ...], rule: str, lexicon: Lexicon) -> Requirement:
    language = lexicon.language
    patterns = Phrases.of([p for a in alternatives
                           if (p := phrase_pattern(a, language)) is not None])
    close = tuple(t for a in alternatives
                  if " " not in (t := fold(a).text) and len(t) >= 6 and t.isalpha())
    near = tuple(lexicon.content_stems(fold(a).text) for a in alternatives)
    return Requirement(alternatives, rule, patterns, close, near)


def _requirements(expect: Any, topic_rules: Any, topic: str | None,
                  lexicon: Lexicon) -> tuple[Requirement, ...]:
    items = [(_alternatives(i), "expect.must_mention") for i in attr_or(expect, "must_mention", [])]
    for item in (getattr(topic_rules, "key_messages", None) or []):
        items.append((_alternatives(item), f"guidelines.topics.{topic}.key_messages"))
    # a message both the event and its topic require ("thank") is required, and counted, once
    seen: set[frozenset[str]] = set()
    kept = []
    for alts, rule in items:
        said = frozenset(fold(a).text.strip() for a in alts)
        if alts and said not in seen:
            seen.add(said)
            kept.append(_requirement(alts, rule, lexicon))
    return tuple(kept)


def _ban(phrase: Any, is_regex: bool, reason: str, critical: bool, penalty: int, rule: str,
         language: str) -> Ban:
    pattern = None
    phrases: tuple[re.Pattern[str], ...] = ()
    if is_regex:
        try:
            pattern = regex_pattern(phrase)
        except re.error:
            pattern = None  # an invalid regex never matches; loading the guidelines reports it
    else:
        phrases = tuple(p for a in _alternatives(phrase)
                        if (p := phrase_pattern(a, language)) is not None)
    return Ban(phrase, Phrases.of([pattern] if pattern is not None else []),
               Phrases.of(phrases), reason, critical, penalty, rule)


def _bans(guidelines: Any, expect: Any, topic_rules: Any, topic: str | None,
          language: str) -> tuple[Ban, ...]:
    bans = [_ban(item, False, "this scenario says not to say it", False, 60,
                 "expect.must_not_say", language) for item in attr_or(expect, "must_not_say", [])]
    for ban in (attr_or(guidelines, "forbidden", []) or []):
        bans.append(_ban(ban.phrase, bool(getattr(ban, "regex", False)), ban.reason or "",
                         bool(getattr(ban, "critical", False)), 50, "guidelines.forbidden",
                         language))
    for ban in (getattr(topic_rules, "forbidden", None) or []):
        bans.append(_ban(ban.phrase, bool(getattr(ban, "regex", False)), ban.reason or "",
                         bool(getattr(ban, "critical", False)), 50,
                         f"guidelines.topics.{topic}.forbidden", language))
    return tuple(bans)


def _expected_actions(expect: Any, topic_rules: Any, topic: str | None):
    expected: list[tuple[str, str]] = []
    for action in attr_or(expect, "actions", []) or []:
        expected.append((str(action), "expect.actions"))
    for action in (getattr(topic_rules, "must", None) or []):
        if all(a != action for a, _ in expected):
            expected.append((str(action), f"guidelines.topics.{topic}.must"))
    return tuple(expected)


def weights_of(guidelines: Any) -> dict[str, float]:
    weights = getattr(guidelines, "weights", None)
    return {d: float(getattr(weights, d, 1.0) if weights is not None else 1.0)
            for d in DIMENSIONS}


def thresholds(guidelines: Any, expect: Any = None) -> tuple[float, float]:
    verdicts = getattr(guidelines, "verdicts", None)
    passing = getattr(verdicts, "pass_", None)
    if passing is None:
        passing = getattr(verdicts, "pass", DEFAULT_PASS)
    coach = getattr(verdicts, "coach", DEFAULT_COACH)
    pass_score = getattr(expect, "pass_score", None) if expect is not None else None
    if pass_score is not None:
        passing = pass_score
        coach = min(coach, passing)
    return float(passing), float(coach)


def compile_rules(guidelines: Any, expect: Any, topic: str | None, language: str,
                  facts: tuple[str, ...]) -> RuleSet:
    """Build the rule set (uncached)."""
    lexicon = get_lexicon(language, extension_key(attr_or(guidelines, "lexicon", {})))
    topics = attr_or(guidelines, "topics", {}) or {}
    topic_rules = topics.get(topic) if topic else None
    jargon = tuple(getattr(attr_or(guidelines, "voice"), "jargon", None) or ())
    approved = (*facts, *(attr_or(guidelines, "approved_facts", []) or []))
    privacy = attr_or(guidelines, "privacy")
    bans = _bans(guidelines, expect, topic_rules, topic, lexicon.language)
    ban_needles, ban_needles_ascii_only = ban_screen(bans)
    return RuleSet(
        lexicon=lexicon,
        requirements=_requirements(expect, topic_rules, topic, lexicon),
        bans=bans,
        jargon=jargon,
        jargon_phrases=Phrases.of([p for j in jargon
                                   if (p := phrase_pattern(j, lexicon.language)) is not None]),
        jargon_folded=frozenset(fold(j).text for j in jargon),
        brand_folded=fold(str(attr_or(guidelines, "brand", "") or "")).text,
        approved_facts=tuple(approved),
        facts_text="\n".join(approved),
        fact_stems=tuple((f, lexicon.content_stems(fold(f).text)) for f in approved),
        never_public=tuple(str(c) for c in (getattr(privacy, "never_public", None) or [])),
        forbidden_reasons=tuple(fold(ban.reason).text for ban in (
            *(attr_or(guidelines, "forbidden", []) or []),
            *(getattr(topic_rules, "forbidden", None) or []))),
        expected_actions=_expected_actions(expect, topic_rules, topic),
        weights=weights_of(guidelines),
        thresholds=thresholds(guidelines, expect),
        every_forbidden_reason=tuple(fold(ban.reason).text for ban in (
            *(attr_or(guidelines, "forbidden", []) or []),
            *(ban for rules in topics.values() for ban in (
                getattr(rules, "forbidden", None) or [])))),
        ban_needles=ban_needles,
        ban_needles_ascii_only=ban_needles_ascii_only,
    )


_CACHE: dict[tuple, tuple[Any, Any, RuleSet]] = {}


def rules_for(guidelines: Any, expect: Any, topic: str | None, language: str,
              facts: tuple[str, ...]) -> RuleSet:
    """The compiled rule set for these inputs, built on first use."""
    key = (id(guidelines), id(expect), topic, language, facts)
    entry = _CACHE.get(key)
    if entry is not None and entry[0] is guidelines and entry[1] is expect:
        return entry[2]
    rules = compile_rules(guidelines, expect, topic, language, facts)
    if len(_CACHE) >= CACHE_SIZE:
        _CACHE.clear()  # rare: a process grades against a few hundred rule sets at most
    _CACHE[key] = (guidelines, expect, rules)
    return rules


def clear_rules_cache() -> None:
    _CACHE.clear()
