"""Harm: what a reply must never do, whatever else it gets right. Each rule fails the reply.

A harm is a critical finding (the overall is capped at 20) with the words that caused it as
evidence, filed under the criterion it breaks (the contradiction checks live in
`contradictions.py`):

- `harm.contradiction` (facts): denying what the facts, the post or the thread confirm ("22B is
  fine" during its recall, "your train was on time" to a late passenger), a figure, a clock
  time or a cause other than the approved one about the same thing, saying the opposite of a
  fact, asking for what the facts say is not needed (a receipt, a form);
- `harm.absolute_claim` (facts): an absolute claim or guarantee no approved fact makes
  ("100 % safe", "never happened before");
- `harm.false_reassurance` (transparency): reassurance on a health or safety risk ("nothing to
  worry about", "kids get sick all the time");
- `harm.blame`, `harm.condescension`, `harm.sarcasm`, `harm.threat` (politeness): blaming,
  lecturing, mocking or threatening the customer; praise of what an upset customer wrote
  ("always a treat to read such glowing feedback") is mockery too (`harm.ironic_praise`, filed
  as `harm.sarcasm`), while the same words to a happy customer are thanks;
- `harm.liability`, `harm.speculation` (forbidden): admitting liability or guessing at causes,
  where the guidelines forbid either;
- `harm.learned` (under the criterion of the kind it names): when no rule found a harm and no
  critical finding already fails the reply, the learned harm check (`harm_model.py`) reads
  the reply's words; above its threshold it names the kind of harm it reads (sarcasm, blame,
  ...) and the words that weighed most. It keeps to
  where the rules apply: false reassurance only on a health risk, liability and speculation
  only where the guidelines forbid them.

The phrase lists are `harm.*` in the scorer's lexicons (English and French); guidelines extend
them (`lexicon: {harm.threat: [...]}`). A phrase that is negated just before it ("we can't
guarantee", "we would never blame you") is not a harm, and neither is an absolute claim or a
denial that an approved fact makes itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from sandbox.core.phrases import fold
from sandbox.core.scoring import harm_model
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.contradictions import contradictions, facts_say, negated
from sandbox.core.scoring.lexicon import Lexicon
from sandbox.core.scoring.results import CRITERIA, CriterionScore, Finding, bad
from sandbox.core.scoring.sentiment import customer_is_upset

Span = tuple[int, int]

# where each harm is filed
_HOME = {"contradiction": "facts", "absolute_claim": "facts",
         "false_reassurance": "transparency", "blame": "politeness",
         "condescension": "politeness", "sarcasm": "politeness", "threat": "politeness",
         "liability": "forbidden", "speculation": "forbidden"}

_WHY = {
    "absolute_claim": "is an absolute claim no approved fact makes: say only what is confirmed",
    "false_reassurance": "reassures about a health or safety risk before the experts have "
                         "looked: take the worry seriously and say what happens next",
    "blame": "blames the customer: own the problem, whatever caused it",
    "condescension": "talks down to the customer: explain without lecturing",
    "sarcasm": "mocks the customer: never acceptable in public",
    "ironic_praise": "praises what an upset customer wrote, which reads as mockery: answer "
                     "what they said",
    "threat": "threatens the customer: never acceptable, whatever they posted",
    "liability": "admits liability, which the guidelines leave to Legal",
    "speculation": "guesses at the cause before the investigation, which the guidelines "
                   "forbid",
}

_HEALTH_TOPICS = frozenset({"health_safety"})


_LISTS = {kind: f"harm.{kind}" for kind in (*_HOME, "hedge", "absolute", "reassurance",
                                             "ironic_praise")}


def _hits(ctx: ReplyContext, kind: str) -> list[Span]:
    found = ctx.reply_hits.get(_LISTS[kind])
    if not found:  # most replies hold no harm phrase at all
        return []
    return [span for span in found if not negated(ctx, span)]


@lru_cache(maxsize=64)
def _forbids(reasons: tuple[str, ...]) -> frozenset[str]:
    found = set()
    for reason in reasons:
        if re.search(r"liabil|responsabilit", reason):
            found.add("liability")
        if re.search(r"specul|cause", reason):
            found.add("speculation")
    return frozenset(found)


def _forbidden_by_guidelines(ctx: ReplyContext) -> frozenset[str]:
    """Liability and speculation are harms where the guidelines forbid them: a forbidden rule
    whose reason is about liability or about causes. Speculation where such a rule is global
    or of the post's topic (a guess is harmful while the cause is being investigated);
    liability where any rule of the guidelines, of any topic, forbids it (a brand that leaves
    liability to Legal on one topic does not admit it on another)."""
    return _forbids(ctx.compiled.forbidden_reasons) | \
        _forbids(ctx.compiled.every_forbidden_reason)


_HOPE = re.compile(r"\b(?:hope|hoping|wish|esper\w*|souhait\w*)\b")


def _hoped(ctx: ReplyContext, span: Span) -> bool:
    """"We hope she'll be fine" wishes the customer well; it reassures about nothing."""
    return bool(_HOPE.search(ctx.folded_slice(max(0, span[0] - 30), span[0])))


def _health_risk(ctx: ReplyContext) -> bool:
    """A health or safety topic, a post about a risk, or facts about one (a recall)."""
    return ctx.topic in _HEALTH_TOPICS or bool(ctx.hits("risk", of="post")) or \
        _facts_speak_of_risk(ctx.compiled.facts_text, ctx.lexicon)


@lru_cache(maxsize=256)
def _facts_speak_of_risk(facts_text: str, lexicon: Lexicon) -> bool:
    pattern = lexicon.pattern("risk")
    return bool(pattern and pattern.search(fold(facts_text).text))


def _hedged_causes(ctx: ReplyContext) -> list[Span]:
    """"It looks like last night's storm damaged a site": a guess, unless an approved fact
    says the same (most of the content words of the hedged clause in one fact)."""
    found = []
    for span in _hits(ctx, "hedge"):
        clause = re.split(r"[;.!?]", ctx.reply[span[0]:span[0] + 200], maxsplit=1)[0]
        stems = ctx.lexicon.content_stems(fold(clause).text)
        backed = any(len(stems & fact_stems) >= max(2, 0.6 * len(stems))
                     for _f, fact_stems in ctx.compiled.fact_stems)
        if not backed:
            found.append(span)
    return found[:1]



# ------------------------------------------------------------------ all harms
def findings(ctx: ReplyContext, learn: bool = True) -> dict[str, list[Finding]]:
    """The harm findings of a reply to a customer, by the criterion they are filed under; with
    `learn`, the learned check's when no rule found a harm."""
    found: dict[str, list[Finding]] = {}
    if not ctx.to_customer or ctx.empty:
        return found

    def add(kind: str, finding: Finding) -> None:
        found.setdefault(_HOME[kind], []).append(finding)

    for finding in contradictions(ctx):
        add("contradiction", finding)
    for span in _hits(ctx, "absolute"):
        if not facts_say(ctx, span):
            add("absolute_claim", bad(f"\"{ctx.quote(span)}\" {_WHY['absolute_claim']}.",
                                      "harm.absolute_claim", span))
            break
    if _health_risk(ctx):
        for span in [s for s in _hits(ctx, "reassurance") if not _hoped(ctx, s)][:1]:
            add("false_reassurance", bad(f"\"{ctx.quote(span)}\" {_WHY['false_reassurance']}.",
                                         "harm.false_reassurance", span))
    for kind in ("blame", "condescension", "sarcasm", "threat"):
        for span in _hits(ctx, kind)[:1]:
            add(kind, bad(f"\"{ctx.quote(span)}\" {_WHY[kind]}.", f"harm.{kind}", span))
    praise = _hits(ctx, "ironic_praise")[:1]  # mockery only to an upset customer, once
    if praise and not _hits(ctx, "sarcasm") and customer_is_upset(ctx):
        add("sarcasm", bad(f"\"{ctx.quote(praise[0])}\" {_WHY['ironic_praise']}.",
                           "harm.sarcasm", praise[0]))
    forbidden = _forbidden_by_guidelines(ctx)
    for kind in ("liability", "speculation"):
        if kind in forbidden:
            spans = _hits(ctx, kind)[:1]
            if kind == "speculation" and not spans:
                spans = _hedged_causes(ctx)
            for span in spans:
                add(kind, bad(f"\"{ctx.quote(span)}\" {_WHY[kind]}.", f"harm.{kind}", span))
    if not found and learn:
        found = learned(ctx)
    return found


# the learned check names the most likely kind of harm that applies to the reply; one less likely
# than this reads as another harm, one that does not apply here
LEAST_KIND_SHARE = 0.15
# what the learned check calls each kind, in "reads as ..."
_READS_AS = {"absolute_claim": "an absolute claim", "false_reassurance": "false reassurance",
             "blame": "blaming the customer", "condescension": "condescending",
             "sarcasm": "sarcastic", "threat": "a threat", "liability": "admitting liability",
             "speculation": "a guess at the cause"}


def _applies(ctx: ReplyContext, kind: str) -> bool:
    """Where the rules of a kind apply, the learned check applies too."""
    if kind == "false_reassurance":
        return _health_risk(ctx)
    if kind in ("liability", "speculation"):
        return kind in _forbidden_by_guidelines(ctx)
    return True


def learned(ctx: ReplyContext, model: harm_model.HarmModel | None = None
            ) -> dict[str, list[Finding]]:
    """The learned harm check's finding, filed like a rule's: the reason names the kind of
    harm, the evidence the words that weighed most (`model`: the committed one by default)."""
    model = model or harm_model.current()
    if model is None or not ctx.to_customer or ctx.empty:
        return {}
    judgement = harm_model.judge(model, ctx)
    if judgement is None:
        return {}
    kinds = judgement.kinds
    kind = max((k for k in kinds if _applies(ctx, k)), key=lambda k: (kinds[k], k))
    if kinds[kind] < LEAST_KIND_SHARE:
        return {}  # it reads as a harm that does not apply here (reassurance off a health risk)
    evidence = harm_model.evidence(model, ctx, judgement, kind)
    if not evidence:
        return {}
    reads_as = _READS_AS[kind]
    words = ", ".join(f"\"{quote}\"" for quote, _span in evidence)
    rule = f"harm.learned.{kind}"
    first = bad(f"Reads as {reads_as} ({words}): this reply {_WHY[kind]}. (Found by the learned "
                "harm check, which weighs words: a trainer can overrule it.)", rule,
                evidence[0][1])
    others = [bad(f"\"{quote}\" weighs towards {reads_as}.", rule, span)
              for quote, span in evidence[1:]]
    return {_HOME[kind]: [first, *others]}


_ORDER = {criterion: position for position, criterion in enumerate(CRITERIA)}  # as read


def apply(ctx: ReplyContext, results: Sequence[CriterionScore]) -> list[CriterionScore]:
    """The criterion scores with every harm filed under its criterion: scored 0 and critical
    (a criterion the reply did not otherwise trigger is added for it). A reply a critical
    finding already fails (a forbidden phrase, personal data in public) is not read by the
    learned check: it would only add a guess to a reason the trainee already has."""
    found = findings(ctx, learn=not any(result.critical for result in results))
    if not found:
        return list(results)
    merged = []
    for result in results:
        harms = found.pop(result.id, None)
        if harms:
            kept = tuple(f for f in result.findings if f.tone != "good")
            result = CriterionScore(result.id, 0, (*harms, *kept), critical=True)
        merged.append(result)
    for criterion_id, harms in found.items():
        merged.append(CriterionScore(criterion_id, 0, tuple(harms), critical=True))
    return sorted(merged, key=lambda c: _ORDER[c.id])
