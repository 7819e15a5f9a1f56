"""Everything one reply is judged on, and the text analysis the criteria share.

A `ReplyContext` is built once per reply; its analyses (folded text, lexicon hits, words,
sentences) are computed on first use and shared by all criteria.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sandbox.core.phrases import Folded, fold
from sandbox.core.scoring.lexicon import Lexicon, extension_key, get_lexicon

Span = tuple[int, int]

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?\u2026])\s+|\n+")
_SENSITIVE_TOPICS = frozenset({"eco", "ethics", "health_safety"})


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    value = getattr(obj, name, default) if obj is not None else default
    return default if value is None else value


@dataclass(frozen=True, slots=True)
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
    _hits: dict[tuple[str, str], list[Span]] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ inputs, tidied
    @property
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
        return _attr(self.guidelines, name, default)

    def expected(self, name: str, default: Any = None) -> Any:
        return _attr(self.expect, name, default)

    @cached_property
    def topic_rules(self) -> Any:
        topics = self.rules("topics", {}) or {}
        return topics.get(self.topic) if self.topic else None

    @cached_property
    def lexicon(self) -> Lexicon:
        return get_lexicon(self.language, extension_key(self.rules("lexicon", {})))

    @cached_property
    def approved_facts(self) -> list[str]:
        return [*self.facts, *(self.rules("approved_facts", []) or [])]

    # ------------------------------------------------------------------ the reply's text
    @cached_property
    def folded(self) -> Folded:
        return fold(self.reply)

    @cached_property
    def post_folded(self) -> Folded:
        return fold(self.post)

    def hits(self, name: str, of: str = "reply") -> list[Span]:
        """Original spans of every match of lexicon list `name` in the reply (or the post)."""
        key = (name, of)
        if key not in self._hits:
            folded = self.folded if of == "reply" else self.post_folded
            spans = self.lexicon.scan(folded.text).get(name, ())
            self._hits[key] = [folded.span(*span) for span in spans]
        return self._hits[key]

    def first(self, name: str) -> Span | None:
        found = self.hits(name)
        return found[0] if found else None

    def quote(self, span: Span | None) -> str:
        if span is None:
            return ""
        text = " ".join(self.reply[span[0]:span[1]].split())
        return text if len(text) <= 60 else text[:57] + "..."

    @cached_property
    def words(self) -> list[tuple[int, int, str]]:
        return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.reply)]

    @cached_property
    def sentences(self) -> list[Sentence]:
        found: list[Sentence] = []
        start = 0
        for m in _SENTENCE_END.finditer(self.reply):
            if self.reply[start:m.start()].strip():
                found.append(self._sentence(start, m.start()))
            start = m.end()
        if self.reply[start:].strip():
            found.append(self._sentence(start, len(self.reply)))
        return found

    def _sentence(self, start: int, end: int) -> Sentence:
        text = self.reply[start:end]
        stripped = text.lstrip()
        start += len(text) - len(stripped)
        stripped = stripped.rstrip()
        return Sentence(start, start + len(stripped), stripped)

    def sentence_at(self, position: int) -> Sentence | None:
        for sentence in self.sentences:
            if sentence.start <= position < sentence.end:
                return sentence
        return None

    # ------------------------------------------------------------------ the customer
    @cached_property
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

    def customer_mention(self) -> Span | None:
        from sandbox.core.phrases import find_phrase

        if not self.customer_names:
            return None
        return find_phrase(self.reply, self.customer_names, self.language)

    def content_stems(self, folded_text: str) -> frozenset[str]:
        """Crude stems (5-letter prefixes) of the content words and the numbers of a text."""
        return self.lexicon.content_stems(folded_text)

    @cached_property
    def words_by_prefix(self) -> dict[str, list[tuple[int, int, str]]]:
        """The reply's folded words by their first five letters, for near-miss matching."""
        index: dict[str, list[tuple[int, int, str]]] = {}
        for start, end, word in self.words:
            folded = fold(word).text
            index.setdefault(folded[:5], []).append((start, end, folded))
        return index

    @cached_property
    def reply_stems(self) -> frozenset[str]:
        return self.content_stems(self.folded.text)

    @cached_property
    def post_specifics(self) -> set[str]:
        """What the customer's post is about: its content stems, minus names and the brand."""
        ignore: set[str] = set()
        for name in [*self.customer_names, str(self.rules("brand", "") or "")]:
            ignore |= self.content_stems(fold(name).text)
        handles = {m.lower()[:5] for m in re.findall(r"@(\w+)", self.post)}
        return self.content_stems(self.post_folded.text) - ignore - handles
