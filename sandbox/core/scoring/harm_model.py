"""The learned harm check: a linear model that weighs a reply's features (`harm_features`).

The harm rules (`harm.py`) catch what their phrase lists name; a trainee under pressure finds
other words for the same sarcasm, blame or condescension. This check weighs the reply's
features with weights learned from labelled replies (the verdict sets a maintainer trains on
with `benchmarks/train_harm_model.py`; the weights are `lexicons/harm_model.json`, loaded once).

A logistic model gives the probability that the reply is harmful; above the threshold chosen by
cross-validation, a second (multinomial) model names the kind of harm. The words that pushed
the decision most are the evidence.

It is pure and deterministic, and cheap: a reply's features are looked up in five tables.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from itertools import repeat
from typing import Any

from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.harm_features import (
    CLASS_REACH,
    HINT_LISTS,
    MOOD_LISTS,
    STEM,
    YOU,
    YOU_REACH,
    Feature,
    Span,
    classes_of,
    features,
    feeling_features,
    feelings,
    tone_marks,
    words,
    you_at,
)
from sandbox.core.scoring.sentiment import customer_is_upset

WEIGHTS_FILE = "harm_model.json"
# The kinds of harm a reader can tell from words alone. Contradictions need the facts and
# exposed personal data needs the data itself: the rules check those, not this model.
KINDS = ("absolute_claim", "false_reassurance", "blame", "condescension", "sarcasm", "threat",
         "liability", "speculation")
# A reply is flagged only when its three strongest features weigh this much together: a
# harm is said in a few words, and a long reply adds up many small weights.
STRONGEST_WORDS = 1.0
_MOST_ROWS = 20000  # the words whose weights a model remembers, per lexicon


# ------------------------------------------------------------------ the model
@dataclass(frozen=True)
class HarmModel:
    """The weights: a logistic model (harm or not) and a multinomial one (which harm)."""

    bias: float
    weights: dict[str, dict[str, float]]  # table -> key -> weight
    threshold: float  # the logit above which a reply is flagged
    kind_bias: dict[str, float]
    kind_weights: dict[str, dict[str, dict[str, float]]]  # table -> key -> kind -> weight
    trained_on: tuple[str, ...] = ()
    # the word pairs' weights by (word, word), quicker to look up than "word word"
    pairs: dict[tuple[str, str], float] = field(default_factory=dict, compare=False)
    # the class features' weights by (class, next class or None for the class alone)
    classed: dict[tuple[str, str | None], float] = field(default_factory=dict, compare=False)
    # per lexicon, what each word seen so far adds up to: (its word's and its stem's weight,
    # its feeling, its class), one lookup a word instead of four
    rows: dict[Any, dict[str, tuple[float, int | None, str | None]]] = field(
        default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.pairs.update({tuple(key.split(" ", 1)): value
                           for key, value in self.weights["b"].items()})
        for key, value in self.weights["h"].items():
            if key.startswith("c:"):
                first, _, second = key[2:].partition(">")
                self.classed[(first, second or None)] = value

    def _rows(self, ctx: ReplyContext, said: list[str]
              ) -> list[tuple[float, int | None, str | None]]:
        known = self.rows.get(ctx.lexicon)
        if known is None or len(known) > _MOST_ROWS:
            known = self.rows[ctx.lexicon] = {}
        found = []
        for word in said:
            row = known.get(word)
            if row is None:
                row = known[word] = self._row(ctx, word)
            found.append(row)
        return found

    def _row(self, ctx: ReplyContext, word: str) -> tuple[float, int | None, str | None]:
        signs, by_stem = feelings(ctx)
        sign = signs.get(word[:STEM] if by_stem else word)
        weight = self.weights["u"].get(word, 0.0)
        if len(word) > STEM + 1:
            weight += self.weights["s"].get(word[:STEM], 0.0)
        return weight, sign, classes_of([word], [sign])[0]

    def _class_sum(self, classes: list[str | None]) -> float:
        """What `harm_features._class_pairs` adds up to, without building its keys."""
        weights = self.classed
        at = [i for i, c in enumerate(classes) if c is not None]
        total = 0.0
        for n, i in enumerate(at):
            first = classes[i]
            total += weights.get((first, None), 0.0)
            for j in at[n + 1:]:
                if j - i > CLASS_REACH:
                    break
                total += weights.get((first, classes[j]), 0.0)
        return total

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> HarmModel:
        return cls(float(data["bias"]), {t: dict(w) for t, w in data["weights"].items()},
                   float(data["threshold"]), dict(data["kind_bias"]),
                   {t: dict(w) for t, w in data["kind_weights"].items()},
                   tuple(data.get("trained_on", ())))

    def quick_logit(self, ctx: ReplyContext) -> float:
        """The logit over every feature, without leaving out negated or stated words: an upper
        bound of `logit` when the features left out push towards harm, in a few lookups."""
        text = ctx.folded.text
        weights = self.weights
        said = words(ctx)
        rows = self._rows(ctx, said)
        total = self.bias + sum([row[0] for row in rows])
        total += sum(map(self.pairs.get, zip(said, said[1:], strict=False), repeat(0.0)))
        if not YOU.isdisjoint(said):
            after_you = weights["y"]
            for index in you_at(said):
                total += sum([after_you.get(w[:STEM], 0.0)
                              for w in said[index + 2:index + YOU_REACH + 1]])
        hints = weights["h"]
        for mark in tone_marks(ctx.reply, text):
            total += hints.get(mark, 0.0)
        signs = [row[1] for row in rows]
        total += self._class_sum([row[2] for row in rows])
        upset = customer_is_upset(ctx) if 1 in signs else None
        for name in feeling_features(signs, said, bool(upset)):
            total += hints.get(name, 0.0)
        table = ctx.reply_hits
        for name in filter(table.__contains__, HINT_LISTS):  # in C: most lists are not there
            total += hints.get("l:" + name, 0.0)
            if name in MOOD_LISTS:
                if upset is None:
                    upset = customer_is_upset(ctx)
                if upset:
                    total += hints.get("u:" + name, 0.0)
        if not ctx.public:
            total += hints.get("dm", 0.0)
        return total

    def weight(self, feature: Feature) -> float:
        return self.weights[feature.table].get(feature.key, 0.0)

    def logit(self, found: list[Feature]) -> float:
        return self.bias + sum(self.weight(f) for f in found)

    def kinds(self, found: list[Feature]) -> dict[str, float]:
        """The probability of each kind of harm, given that the reply is harmful."""
        scores = dict(self.kind_bias)
        for feature in found:
            for kind, weight in self.kind_weights[feature.table].get(feature.key, {}).items():
                scores[kind] += weight
        top = max(scores.values())
        exps = {kind: math.exp(score - top) for kind, score in scores.items()}
        total = sum(exps.values())
        return {kind: value / total for kind, value in exps.items()}


@dataclass(frozen=True)
class Judgement:
    """What the model says about a flagged reply."""

    kinds: dict[str, float]  # the probability of each kind, given that the reply is harmful
    probability: float
    features: tuple[Feature, ...]


def judge(model: HarmModel, ctx: ReplyContext) -> Judgement | None:
    """The model's judgement of a reply when it reads as harmful, else None."""
    if model.quick_logit(ctx) <= model.threshold:
        return None  # most replies: a few lookups, nothing more
    found = features(ctx)
    logit = model.logit(found)
    if logit <= model.threshold:
        return None
    strongest = sorted((model.weight(f) for f in found if f.span is not None), reverse=True)
    if sum(strongest[:3]) < STRONGEST_WORDS:
        return None  # no word weighs much: many small ones add up on a long reply
    return Judgement(model.kinds(found), 1 / (1 + math.exp(-logit)), tuple(found))


def evidence(model: HarmModel, ctx: ReplyContext, judgement: Judgement, kind: str,
             most: int = 3) -> tuple[tuple[str, Span], ...]:
    """The words that weigh most towards a harm, and towards this kind of harm (the quote and
    where it is), strongest first, at most `most`, none overlapping another."""
    def towards(feature: Feature) -> tuple[float, float]:
        harm = model.weight(feature)
        this_kind = model.kind_weights[feature.table].get(feature.key, {}).get(kind, 0.0)
        return harm, this_kind

    scored = [(towards(f), f) for f in judgement.features if f.span is not None]
    both = [(harm + this_kind, f) for (harm, this_kind), f in scored
            if harm > 0 and this_kind > 0]
    ranked = sorted(both or [(harm, f) for (harm, _k), f in scored if harm > 0],
                    key=lambda item: -item[0])
    chosen: list[tuple[str, Span]] = []
    for _weight, feature in ranked:
        start, end = feature.span
        if end <= start or any(start < e and s < end for _q, (s, e) in chosen):
            continue
        chosen.append((ctx.quote(feature.span), feature.span))
        if len(chosen) == most:
            break
    return tuple(chosen)


# ------------------------------------------------------------------ the weights in use
_override: list[HarmModel | None] = []


@lru_cache(maxsize=1)
def shipped() -> HarmModel | None:
    """The committed weights (None when the file is missing: the rules still run)."""
    source = resources.files("sandbox.core.scoring").joinpath("lexicons", WEIGHTS_FILE)
    if not source.is_file():
        return None
    return HarmModel.from_json(json.loads(source.read_text(encoding="utf-8")))


def current() -> HarmModel | None:
    """The model the scorer uses: the committed one, or the one `using` put in place."""
    return _override[-1] if _override else shipped()


@contextmanager
def using(model: HarmModel | None) -> Iterator[None]:
    """Score with another model (or none) for a while: what cross-validation needs."""
    _override.append(model)
    try:
        yield
    finally:
        _override.pop()
