"""How the learned harm check reads a reply: the features its model (`harm_model`) weighs.

`features` reads a reply into its features, each with where it is in the reply:

- the folded words (`sandbox.core.phrases.fold`), their pairs, the first five letters of long
  words (French and English word forms), the words that follow "you"/"vous" closely;
- the classes of its words (`WORD_CLASSES`: hindsight, "it's easy", intensifiers, certainty,
  guesses, sanctions, safety, fault, "we", "you", strong feelings) and which classes come
  close together in which order ("you" then "hindsight", an intensifier then praise): a harm
  said in other words of the same class still weighs;
- a few signs of tone: "!!", "??", "?!", words in capitals, "...", scare quotes, and which of
  the scorer's lexicon lists the reply touches (cheerful words, dismissive words, ...), some of
  them only when the customer is upset (cheer to an upset customer reads as mockery).

As the rules do, it leaves out words negated just before them ("we would never blame you"),
and reads the names, figures and words of the post and of the approved facts as stand-ins.
`words` is the same reading of the words alone, without leaving any out, for the model's quick
bound. Pure and deterministic.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import lru_cache
from itertools import compress, count
from typing import Any, NamedTuple

from sandbox.core.phrases import fold
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.contradictions import NEGATION_REACH
from sandbox.core.scoring.sentiment import customer_is_upset

Span = tuple[int, int]

# A word (a French elided article or pronoun, "n'" or "qu'", is a word of its own), and emoji.
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_ELIDED = re.compile(r"((?:qu|jusqu|lorsqu|puisqu|[ldjmnstc])')(?=[^\W\d_])")
_EMOJI = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff]")
YOU = frozenset({"you", "your", "yours", "you're", "you've", "you'll", "you'd", "yourself",
                 "u", "ur", "vous", "votre", "vos", "tu", "ton", "ta", "tes", "toi", "te", "t'"})
_SIGN_OFF = re.compile(r"(?:^|\s)[-~^\u2013\u2014][ \t]*[^\W\d_][^\s]*(?: [^\W\d_]\S*){0,2}\s*$")
_SIGN_MARKS = frozenset("-~^\u2013\u2014")
_DIGITS = re.compile(r"\d+")
_ANY_DIGIT = re.compile(r"\d")
# Words too common to say anything on their own (their pairs with other words still count; a
# pair of two of them, "by a", says how one writer writes, not how a harm is said).
QUIET = frozenset((
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "at", "for", "with", "from", "by",
    "as", "is", "are", "was", "were", "be", "been", "it", "its", "this", "that", "these",
    "those", "there", "not", "no", "le", "la", "les", "l'", "un", "une", "des", "de", "du",
    "d'", "et", "ou", "au", "aux", "en", "est", "sont", "ce", "cette", "ces", "il", "elle",
    "c'", "qu'", "que", "qui", "n'", "ne", "pas", "0", "@", "%"))
YOU_REACH = 4  # words after "you" read as what is said about the customer
STEM = 5  # long words also count by their first letters
_CAPS = re.compile(r"\b[A-Z]{4,}\b")
_CAPS_QUICK = re.compile(r"[A-Z]{4}")
_QUOTE = re.compile(r"\"[^\"\n]{1,30}\"")
# The scorer's lexicon lists whose presence is a feature ("l:" + name), and those that also
# count as features with the customer's mood ("u:" + name, only when the customer is upset).
HINT_LISTS = ("cheerful", "dismissive", "sarcasm", "blame", "rude", "insults", "imperatives",
              "gratitude", "apology", "empathy", "hedging", "canned", "vague", "promise",
              "self_promotion", "please", "acknowledgement", "evasive", "greeting")
MOOD_LISTS = ("cheerful", "gratitude", "greeting")


# Word classes that generalise past the words of the training replies: a harm is often said by
# a word of the same class as another ("fantastic/great/brilliant detective work"). Each is
# a sign of one harm's definition: hindsight ("should have", "il fallait": blame), things
# the customer could easily have done ("simply", "il suffit": condescension), intensifiers
# (next to praise to an upset customer: sarcasm), certainty (absolute claims), guesses
# (speculation), sanctions (threats, after "we"), safety words (false reassurance), fault
# (liability, after "we"). Folded words (no accents), English and French.
WORD_CLASSES = {
    "hindsight": ("should", "shouldn't", "should've", "ought", "would've", "could've",
                  "fallait", "auriez", "devriez", "deviez", "aurait", "aurais", "suffisait"),
    "easy": ("simple", "simply", "easy", "easily", "basic", "obvious", "obviously", "clearly",
             "literally", "evident", "evidently", "explanatory", "simplement", "facile",
             "facilement", "clairement", "evidemment", "suffit", "pourtant", "basique",
             "forcement"),
    "intensifier": ("truly", "really", "so", "such", "whole", "entire", "incredibly",
                    "vraiment", "tellement", "quel", "quelle", "quels", "quelles", "sacre"),
    "certain": ("always", "never", "guaranteed", "guarantee", "guarantees", "definitely",
                "certainly", "completely", "totally", "entirely", "absolutely", "perfectly",
                "every", "zero", "toujours", "jamais", "garanti", "garantie", "garantis",
                "garantit", "absolument", "totalement", "entierement", "parfaitement",
                "certainement", "aucun", "aucune"),
    "guess": ("probably", "likely", "maybe", "perhaps", "might", "must", "seems", "suspect",
              "guess", "presumably", "apparently", "possibly", "probablement", "doute",
              "semble", "vraisemblablement", "apparemment", "surement", "doit"),
    "sanction": ("ban", "banned", "block", "blocked", "suspend", "suspended", "terminate",
                 "legal", "lawyers", "lawyer", "police", "bloquer", "bloque", "bloquerons",
                 "signaler", "signalerons", "suspendre", "suspendu", "suspendrons",
                 "poursuites", "avocat", "avocats", "juridique", "juridiques", "exclure",
                 "sanctions", "sanction"),
    "safe": ("safe", "fine", "harmless", "normal", "worry", "worried", "risk", "danger",
             "dangerous", "serious", "inoffensif", "inoffensive", "inquieter", "inquietez",
             "grave", "risque", "tranquille", "securite"),
    "fault": ("fault", "mistake", "error", "negligence", "responsible", "responsibility",
              "liable", "faute", "erreur", "responsable", "responsabilite", "torts"),
    "we": ("we", "we'll", "we're", "we've", "we'd", "our", "us", "nous", "notre", "nos"),
}
_CLASS_OF = {word: name for name, found in WORD_CLASSES.items() for word in found}
_CLASS_OF.update(dict.fromkeys(YOU, "you"))
CLASS_REACH = 3  # a class pair: two classes this many words apart at most


@lru_cache(maxsize=4)
def _polarity(language: str, extra: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
              ) -> tuple[dict[str, int], bool]:
    """Words that carry a strong feeling, -1 or 1, and whether they are looked up by their
    first letters: VADER's lexicon for English, the lexicon's feeling words for French."""
    if language == "en":
        from sandbox.core.scoring.sentiment import _vader

        return ({word: (1 if value > 0 else -1) for word, value in _vader().lexicon.items()
                 if abs(value) >= 1.0 and word.isalpha()}, False)
    negative, positive = extra
    signs = {}
    for sign, entries in ((-1, negative), (1, positive)):
        for entry in entries:
            word = fold(entry.rstrip("*")).text
            if " " not in word and len(word) >= 3:
                signs[word[:STEM]] = sign
    return signs, True


def feelings(ctx: ReplyContext) -> tuple[dict[str, int], bool]:
    return _feelings_of(ctx.lexicon)


@lru_cache(maxsize=16)
def _feelings_of(lexicon: Any) -> tuple[dict[str, int], bool]:
    if lexicon.language == "en":
        return _polarity("en")
    lists = getattr(lexicon, "lists", {}) or {}
    return _polarity(lexicon.language, (tuple(lists.get("negative_words", ())),
                                        tuple(lists.get("positive_words", ()))))


def _signs(ctx: ReplyContext, tokens: list[str]) -> list[int | None]:
    """The feeling of each word: -1, 1, or None."""
    signs, by_stem = feelings(ctx)
    if by_stem:
        return [signs.get(w[:STEM]) for w in tokens]
    return list(map(signs.get, tokens))


def feeling_features(signs: list[int | None], tokens: list[str], upset: bool) -> list[str]:
    """"neg"/"pos": a strong feeling word; "y:neg"/"y:pos": one just after "you"; "u:pos":
    cheer to an upset customer."""
    found = []
    if -1 in signs:
        found.append("neg")
    if 1 in signs:
        found.append("pos")
        if upset:
            found.append("u:pos")
    if YOU.isdisjoint(tokens):
        return found
    for index in you_at(tokens):
        near = signs[index + 1:index + YOU_REACH + 1]
        if -1 in near and "y:neg" not in found:
            found.append("y:neg")
        if 1 in near and "y:pos" not in found:
            found.append("y:pos")
    return found


def you_at(tokens: list[str]) -> Iterator[int]:
    """The indexes of the words "you"/"vous"/... (`YOU`), found in C: a Python test of each
    word costs more than the rest of the learned check's reading of "you"."""
    return compress(count(), map(YOU.__contains__, tokens))


def classes_of(tokens: list[str], signs: list[int | None]) -> list[str | None]:
    """The class of each word (`WORD_CLASSES`, "you", or its feeling "pos"/"neg"), or None."""
    get = _CLASS_OF.get
    return [get(w) or (None if s is None else "pos" if s > 0 else "neg")
            for w, s in zip(tokens, signs, strict=True)]


def _class_pairs(classes: list[str | None]) -> Iterator[tuple[str, int, int]]:
    """"c:<class>" for each classed word and "c:<class>><class>" for two classes close
    together in that order, with where they start and end (word indexes)."""
    for i, first in enumerate(classes):
        if first is None:
            continue
        yield "c:" + first, i, i
        for j in range(i + 1, min(len(classes), i + CLASS_REACH + 1)):
            second = classes[j]
            if second is not None:
                yield f"c:{first}>{second}", i, j


def tone_marks(reply: str, folded: str) -> list[str]:
    """The signs of tone that are not words."""
    found = []
    if "!!" in reply:
        found.append("!!")
    if "??" in reply:
        found.append("??")
    if "?!" in reply or "!?" in reply:
        found.append("?!")
    if "?" in reply:
        found.append("?")
    if "..." in reply or "\u2026" in reply:
        found.append("...")
    if _CAPS_QUICK.search(reply) and _CAPS.search(reply):
        found.append("caps")
    if '"' in folded and _QUOTE.search(folded):
        found.append("quote")
    return found


class Feature(NamedTuple):
    """One feature of a reply: its table ("u" word, "b" pair, "s" stem, "y" after you, "h"
    hint), its key, and where in the reply it is (original offsets; None for the mood)."""

    table: str
    key: str
    span: Span | None


def _body(text: str) -> str:
    """The reply without its sign-off ("- Sam", "^JM", on its own line or at the end of the
    last one): a name says nothing of tone."""
    tail = text[-32:]
    if not _SIGN_MARKS.intersection(tail):
        return text
    found = _SIGN_OFF.search(tail)
    return text[:len(text) - len(tail) + found.start()] if found else text


def _word(word: str, marks: dict[str, str]) -> str:
    """Each run of digits as "0" and a word of the event as its stand-in (`_stand_ins`): the
    words around them carry the tone, not which customer, which figure or which product."""
    word = _DIGITS.sub("0", word)
    return marks.get(word, word)


def _elisions(word: str) -> list[str]:
    """"qu'il" is "qu'" and "il"; "don't" and "aujourd'hui" stay whole."""
    parts = []
    elided = _ELIDED.match(word)
    while elided is not None:
        parts.append(elided.group(1))
        word = word[elided.end():]
        elided = _ELIDED.match(word) if "'" in word else None
    parts.append(word)
    return parts


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """The words of a folded text and where they are: French elisions apart, emoji last."""
    found = []
    for match in _TOKEN.finditer(text):
        word, start = match.group(), match.start()
        for part in _elisions(word) if "'" in word else (word,):
            found.append((part, start, start + len(part)))
            start += len(part)
    if not text.isascii():
        found.extend((m.group(), m.start(), m.end()) for m in _EMOJI.finditer(text))
    return found


def words(ctx: ReplyContext) -> list[str]:
    """The reply's words as the model reads them (what `_word` makes of each `_tokens`)."""
    text = _body(ctx.folded.text)
    if _ANY_DIGIT.search(text):
        text = _DIGITS.sub("0", text)
    found = _TOKEN.findall(text)
    if "'" in text:
        found = [part for word in found for part in (
            _elisions(word) if "'" in word else (word,))]
    if not text.isascii():
        found.extend(_EMOJI.findall(text))
    marks = _stand_ins(ctx)
    if marks.keys().isdisjoint(found):
        return found
    return list(map(marks.get, found, found))  # each word, or its stand-in


def _stand_ins(ctx: ReplyContext) -> dict[str, str]:
    return _stand_ins_of(ctx.post, ctx.compiled.facts_text, ctx.customer_name_words)


@lru_cache(maxsize=256)
def _stand_ins_of(post: str, facts: str, names: frozenset[str]) -> dict[str, str]:
    """What stands in for a word: "@" for the customer's or the brand's name, "%" for a word of
    the customer's post or of the approved facts (what the event is about, which says nothing
    of how the reply treats the customer: the same words fill its good and its harmful
    replies)."""
    marks = {}
    for text in (post, facts):
        for word, _start, _end in _tokens(fold(text).text):
            word = _DIGITS.sub("0", word)
            if len(word) >= 4 and word not in YOU and word not in QUIET:
                marks[word] = "%"
    marks.update(dict.fromkeys(names, "@"))
    return marks


def features(ctx: ReplyContext) -> list[Feature]:
    """Every feature of the reply with where it is, minus the words negated just before them
    (what the rules leave alone too), with stand-ins for the words of the post and of the
    approved facts: what the model is trained on, and what explains a decision."""
    folded = ctx.folded
    text = folded.text
    marks = _stand_ins(ctx)
    matches = _tokens(_body(text))
    found: list[Feature] = []
    spans = [folded.span(start, end) for _w, start, end in matches]
    tokens = [_word(word, marks) for word, _s, _e in matches]
    negation = ctx.lexicon.pattern("negation")
    ends = [m.end() for m in negation.finditer(text)] if negation is not None else []
    kept = [not _after_any(ends, start - NEGATION_REACH, start) for _w, start, _e in matches]
    for index, word in enumerate(tokens):
        span = spans[index]
        if kept[index] and word not in QUIET:
            found.append(Feature("u", word, span))
            if len(word) > STEM + 1:
                found.append(Feature("s", word[:STEM], span))
        if index and "@" not in (word, tokens[index - 1]) and not (
                word in QUIET and tokens[index - 1] in QUIET):
            found.append(Feature("b", f"{tokens[index - 1]} {word}",
                                 (spans[index - 1][0], span[1])))
        for back in range(2, YOU_REACH + 1):
            if index >= back and tokens[index - back] in YOU and kept[index]:
                found.append(Feature("y", word[:STEM], (spans[index - back][0], span[1])))
    for mark in tone_marks(ctx.reply, text):
        found.append(Feature("h", mark, _mark_span(ctx.reply, mark)))
    signs = [sign if keep else None
             for sign, keep in zip(_signs(ctx, tokens), kept, strict=True)]
    classes = [c if keep else None for c, keep in zip(classes_of(tokens, signs), kept,
                                                       strict=True)]
    for name, first, last in _class_pairs(classes):
        found.append(Feature("h", name, (spans[first][0], spans[last][1])))
    upset = customer_is_upset(ctx) if 1 in signs else None
    for name in feeling_features(signs, tokens, bool(upset)):
        where = signs.index(-1 if name.endswith("neg") else 1)
        if name.startswith("y:"):
            where = next(i for i, w in enumerate(tokens) if w in YOU and
                         (-1 if name.endswith("neg") else 1) in signs[i + 1:i + YOU_REACH + 1])
            where = signs.index(-1 if name.endswith("neg") else 1, where)
        found.append(Feature("h", name, spans[where]))
    for name in HINT_LISTS:
        hits = ctx.reply_hits.get(name)
        if hits:
            found.append(Feature("h", "l:" + name, hits[0]))
            if name in MOOD_LISTS:
                if upset is None:
                    upset = customer_is_upset(ctx)
                if upset:
                    found.append(Feature("h", "u:" + name, hits[0]))
    if not ctx.public:
        found.append(Feature("h", "dm", None))
    return found


def _after_any(ends: list[int], low: int, high: int) -> bool:
    """Some negation ends in [low, high]: the word at `high` is negated ("we would never
    blame you": "blame" does not count, as the rules leave it alone)."""
    index = bisect_left(ends, low)
    return index < len(ends) and ends[index] <= high


def _mark_span(reply: str, mark: str) -> Span | None:
    if mark == "caps":
        found = _CAPS.search(reply)
        return found.span() if found else None
    if mark == "quote":
        found = _QUOTE.search(fold(reply).text)
        return found.span() if found and fold(reply).starts is None else None
    where = reply.find(mark if mark != "..." else "...")
    if where < 0 and mark == "...":
        where = reply.find("\u2026")
        return (where, where + 1) if where >= 0 else None
    return (where, where + len(mark)) if where >= 0 else None
