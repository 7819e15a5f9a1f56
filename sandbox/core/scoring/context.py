"""Everything one reply is judged on, and the text analysis the criteria share.

A `ReplyContext` is built once per reply; its analyses (folded text, lexicon hits, words,
sentences) are computed on first use and shared by all criteria.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

from sandbox.core.phrases import Folded, fold, phrase_pattern
from sandbox.core.scoring.attempt import Attempt, EarlierReply, LaterAction
from sandbox.core.scoring.lexicon import CACHED_TEXT_LIMIT, Lexicon
from sandbox.core.scoring.rules import Phrases, RuleSet, attr_or, rules_for

Span = tuple[int, int]

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# the same words in an ASCII text (\w is [a-zA-Z0-9_] there), found by a quicker class test
_ASCII_WORD = re.compile(r"[a-zA-Z0-9]+(?:'[a-zA-Z0-9]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])\s+|\n+")
_SENSITIVE_TOPICS = frozenset({"eco", "ethics", "health_safety"})


_NO_HITS: list[Span] = []


def per_text(function):
    """`function(..., text)` cached while `text` is short: the facts and the post are read for
    every reply of a scenario, and a 100 KB paste is not worth keeping."""
    cached = lru_cache(maxsize=2048)(function)

    @wraps(function)
    def call(*args):
        return function(*args) if len(args[-1]) > CACHED_TEXT_LIMIT else cached(*args)

    return call


class lazy:  # noqa: N801 - reads like the decorator it replaces
    """Like functools.cached_property without its lock (3.11 takes one on every first use,
    which costs more than most analyses here; a context is only used by one thread)."""

    def __init__(self, compute):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


def quoted(text: str) -> str:
    """A piece of a text as a finding quotes it: on one line, 60 characters at most."""
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _hit_table(lexicon: Lexicon, folded: Folded) -> dict[str, list[Span]]:
    """Every lexicon list's matches, mapped back to original offsets once."""
    table = lexicon.scan(folded.text)
    if folded.starts is None:
        return table
    return {name: [folded.span(*span) for span in spans] for name, spans in table.items()}


def _person(value: str | None) -> str:
    return fold(value or "").text.strip().lstrip("@")


@dataclass(slots=True, unsafe_hash=True)  # a value, not frozen: see `attempt.py`
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class ReplyContext:
    """The inputs of one grading, plus lazily computed analyses of the reply and the post."""

    reply: str
    post: str
    guidelines: Any
    expect: Any = None
    topic: str | None = None
    network: str = "twitter"
    channel: str = "public"  # public | dm | internal (a message to an expert)
    delay_s: int | None = None
    actions: Collection[str] = ()
    escalated_to: str | None = None
    customer_name: str | None = None
    customer_handle: str | None = None
    facts: Sequence[str] = ()
    earlier_replies: Sequence[str] = ()
    language: str = "en"
    event_id: str | None = None  # the event (thread) this reply answers, when known
    earlier: Sequence[EarlierReply] = ()
    action: str = "reply"
    later: Sequence[LaterAction] = ()
    experts: Sequence[tuple[str, str]] = ()  # (key, name) of the scenario's experts

    @classmethod
    def of(cls, attempt: Attempt, guidelines: Any) -> ReplyContext:
        """The one way an attempt becomes a context for the criteria."""
        return cls(
            reply=attempt.reply or "", post=attempt.post or "", guidelines=guidelines,
            expect=attempt.expect, topic=attempt.topic, network=attempt.network or "twitter",
            channel=attempt.channel, delay_s=attempt.delay_s, actions=attempt.done,
            escalated_to=attempt.escalated_to, customer_name=attempt.customer_name,
            customer_handle=attempt.customer_handle, facts=attempt.facts,
            language=attempt.language or str(guidelines.language or "en"),
            event_id=attempt.event_id, earlier=attempt.earlier, action=attempt.action,
            later=attempt.later, experts=attempt.experts)

    # ------------------------------------------------------------------ inputs, tidied
    @lazy
    def empty(self) -> bool:
        return not self.reply.strip()

    @property
    def public(self) -> bool:
        return self.channel == "public"

    @property
    def to_customer(self) -> bool:
        return self.channel in ("public", "dm")

    @property
    def sensitive_topic(self) -> bool:
        return self.topic in _SENSITIVE_TOPICS

    def rules(self, name: str, default: Any = None) -> Any:
        return attr_or(self.guidelines, name, default)

    def expected(self, name: str, default: Any = None) -> Any:
        return attr_or(self.expect, name, default)

    @lazy
    def topic_rules(self) -> Any:
        topics = self.rules("topics", {}) or {}
        return topics.get(self.topic) if self.topic else None

    @lazy
    def compiled(self) -> RuleSet:
        """The guidelines and expectations, compiled once and shared by many replies."""
        return rules_for(self.guidelines, self.expect, self.topic, self.language,
                         tuple(self.facts))

    @lazy
    def lexicon(self) -> Lexicon:
        return self.compiled.lexicon

    @lazy
    def approved_facts(self) -> list[str]:
        return list(self.compiled.approved_facts)

    # ------------------------------------------------------------------ the reply's text
    @lazy
    def folded(self) -> Folded:
        return fold(self.reply)

    @lazy
    def post_folded(self) -> Folded:
        return fold(self.post)

    def folded_slice(self, start: int, end: int) -> str:
        """`fold(reply[start:end]).text` for original offsets (0 <= start <= end). Folding
        goes character by character, so when it kept every offset (most replies) this is a
        slice of the folded reply, with no new folding and no cache look-up."""
        folded = self.folded
        if folded.starts is None:
            return folded.text[start:end]
        return fold(self.reply[start:end]).text

    def hits(self, name: str, of: str = "reply") -> list[Span]:
        """Original spans of every match of lexicon list `name` in the reply (or the post)."""
        table = self.reply_hits if of == "reply" else self._post_hits
        return table.get(name, _NO_HITS)

    @lazy
    def reply_hits(self) -> dict[str, list[Span]]:
        """Every lexicon list that matched in the reply, with its original spans (a list that
        is not there did not match): what `hits` reads, for a criterion that asks about many
        lists and wants to skip the ones that are not there."""
        return _hit_table(self.lexicon, self.folded)

    @lazy
    def _post_hits(self) -> dict[str, list[Span]]:
        if len(self.post) > CACHED_TEXT_LIMIT:
            return _hit_table(self.lexicon, self.post_folded)
        return _post_hit_table(self.lexicon, self.post)

    def first(self, name: str) -> Span | None:
        found = self.hits(name)
        return found[0] if found else None

    def quote(self, span: Span | None) -> str:
        return "" if span is None else quoted(self.reply[span[0]:span[1]])

    @lazy
    def word_count(self) -> int:
        # a word never spans the spaces between sentences: the words of the reply are
        # those of its sentences
        return sum(self.sentence_word_counts)

    @lazy
    def sentence_word_counts(self) -> list[int]:
        """How many words each of `sentences` holds."""
        findall = (_ASCII_WORD if self.reply.isascii() else _WORD).findall
        return [len(findall(sentence.text)) for sentence in self.sentences]

    @lazy
    def sentences(self) -> list[Sentence]:
        """The reply's non-blank sentences, stripped, with where they are (each piece between
        two `_SENTENCE_END` is sliced and stripped once: this runs for every reply)."""
        reply = self.reply
        found: list[Sentence] = []
        start = 0
        for end, after in [*((m.start(), m.end()) for m in _SENTENCE_END.finditer(reply)),
                           (len(reply), len(reply))]:
            piece = reply[start:end]
            stripped = piece.strip()
            if stripped:
                first = start + len(piece) - len(piece.lstrip())
                found.append(Sentence(first, first + len(stripped), stripped))
            start = after
        return found

    @lazy
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    def sentence_at(self, position: int) -> Sentence | None:
        index = bisect_right(self._sentence_starts, position) - 1
        if index >= 0 and position < self.sentences[index].end:
            return self.sentences[index]
        return None

    @lazy
    def earlier_in_run(self) -> list[EarlierReply]:
        """Every non-empty earlier reply, structured ones first, then the bare strings (a bare
        string that repeats a structured reply's text is the same reply, given twice)."""
        known = {e.text for e in self.earlier}
        found = [*self.earlier, *(EarlierReply(text) for text in self.earlier_replies
                                  if text not in known)]
        return [e for e in found if e.text and e.text.strip()]

    def same_conversation(self, earlier: EarlierReply) -> bool:
        """Whether `earlier` answered this event (thread) or this same customer."""
        if earlier.event_id is not None and earlier.event_id == self.event_id:
            return True
        who = _person(earlier.customer)
        return bool(who) and who in {_person(self.customer_name), _person(self.customer_handle)}

    # ------------------------------------------------------------------ the customer
    @lazy
    def customer_names(self) -> list[str]:
        """Ways to address the customer: first name, full name, handle, @handle."""
        names: list[str] = []
        if self.customer_name:
            names.append(self.customer_name.strip())
            first = self.customer_name.split()[0]
            if len(first) > 1:
                names.append(first)
        if self.customer_handle:
            handle = self.customer_handle.lstrip("@")
            names.extend([handle, "@" + handle])
        return [n for n in names if n]

    @lazy
    def customer_name_words(self) -> frozenset[str]:
        """The folded words of the customer's name and handle, and of the brand."""
        return _name_words((*self.customer_names, str(self.rules("brand", "") or "")))

    @lazy
    def customer_name_stems(self) -> frozenset[str]:
        return self.content_stems(" ".join(self.customer_name_words))

    @lazy
    def customer_mention(self) -> Span | None:
        if not self.customer_names:
            return None
        return _name_phrases(tuple(self.customer_names), self.language).earliest(self.folded)

    def content_stems(self, folded_text: str) -> frozenset[str]:
        """Crude stems (5-letter prefixes) of the content words and the numbers of a text."""
        return self.lexicon.content_stems(folded_text)

    @lazy
    def words_by_prefix(self) -> dict[str, list[tuple[int, int, str]]]:
        """The reply's folded words by their first five letters, for near-miss matching."""
        index: dict[str, list[tuple[int, int, str]]] = {}
        folded = self.folded
        for match in _WORD.finditer(folded.text):
            word = match.group()
            if len(word) >= 5:
                index.setdefault(word[:5], []).append((*folded.span(*match.span()), word))
        return index

    @lazy
    def reply_stems(self) -> frozenset[str]:
        return self.content_stems(self.folded.text)

    @lazy
    def shared_fact(self) -> str | None:
        """The first approved fact the reply passes on (most of its content words), or None:
        asked by `transparency`, `customer_focus` and `resolution`, found once."""
        for fact, stems in self.compiled.fact_stems:
            if len(stems) >= 2 and len(stems & self.reply_stems) >= max(2, (len(stems) + 1) // 2):
                return fact
        return None

    @lazy
    def post_specifics(self) -> frozenset[str]:
        """What the customer's post is about: its content stems, minus names and the brand."""
        names = (*self.customer_names, str(self.rules("brand", "") or ""))
        if len(self.post) > CACHED_TEXT_LIMIT:
            return _post_specifics.__wrapped__(self.lexicon, self.post, names)
        return _post_specifics(self.lexicon, self.post, names)


@lru_cache(maxsize=256)
def _post_hit_table(lexicon: Lexicon, post: str) -> dict[str, list[Span]]:
    """The post's hits, mapped back to its offsets once per post (not once per reply)."""
    return _hit_table(lexicon, fold(post))


@lru_cache(maxsize=256)
def _name_words(names: tuple[str, ...]) -> frozenset[str]:
    """The folded words of names, read once per customer (not once per reply)."""
    return frozenset(re.findall(r"[^\W_]+", fold(" ".join(names)).text))


@lru_cache(maxsize=256)
def _name_phrases(names: tuple[str, ...], language: str) -> Phrases:
    """The customer's names as phrases (`phrases.find_phrase`), compiled once per customer."""
    return Phrases.of([p for name in names if (p := phrase_pattern(name, language)) is not None])


@lru_cache(maxsize=1024)
def _post_specifics(lexicon: Lexicon, post: str, names: tuple[str, ...]) -> frozenset[str]:
    ignore: set[str] = set()
    for name in names:
        ignore |= lexicon.content_stems(fold(name).text)
    handles = {m.lower()[:5] for m in re.findall(r"@(\w+)", post)}
    return lexicon.content_stems(fold(post).text) - ignore - handles
