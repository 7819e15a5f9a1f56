"""Contradictions: a reply that says something other than what is confirmed.

The approved facts (the scenario's and the guidelines'), the customer's post and the thread are
what a reply may not deny. Each check below finds one way of saying otherwise, about the same
thing (a shared code like 22B, a shared clock time, or content words in common):

- a denial of what a source asserts ("22B is fine" during its recall, "your train was on time"
  to a late passenger, "Delay Repay doesn't apply" when a fact says it does);
- a clock time, a figure, a month or a code other than the one the facts give (`figures.py`),
  or a share the facts give for another band of a delay (`tiers.py`);
- the opposite side of a fact ("off by default", "still running", "fully staffed":
  `opposites.py`);
- another named place ("the Linmouth line" for the Harwick line), "only X" when the facts say
  X and Y, a cause the facts do not give;
- asking for what the facts say is not needed (a receipt, a form when refunds are automatic).

`contradictions(ctx)` returns the findings (rule `harm.contradiction`); `harm.py` files them
under `facts` and fails the reply.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sandbox.core.phrases import fold
from sandbox.core.scoring.context import ReplyContext, per_text
from sandbox.core.scoring.figures import codes as find_codes
from sandbox.core.scoring.figures import (
    codes_before,
    wrong_codes,
    wrong_figures,
    wrong_months,
    wrong_times,
    wrong_weekdays,
)
from sandbox.core.scoring.lexicon import Lexicon
from sandbox.core.scoring.opposites import CLAUSE, opposites
from sandbox.core.scoring.results import Finding, bad
from sandbox.core.scoring.tiers import wrong_tiers

Span = tuple[int, int]
NEGATION_REACH = 24  # characters before a phrase where "not"/"never" cancels it


_SENTENCE_END = re.compile(r".*[.!?]\s", re.DOTALL)


# "or not" offers a choice and negates nothing ("believe it or not we do read these")
_OR_NOT = re.compile(r"\b(?:or not|ou non)\b")


def negated(ctx: ReplyContext, span: Span) -> bool:
    """"Not" or "never" just before the phrase, in its own sentence ("Not a hack! From what
    we can tell" still guesses)."""
    before = _OR_NOT.sub(" ", _window(ctx, span, NEGATION_REACH))
    pattern = ctx.lexicon.pattern("negation")
    return bool(pattern and pattern.search(before)) or _disclaimed(ctx, span)


DISCLAIMER_REACH = 80  # characters before a phrase where "we can't promise" disclaims it


def _disclaimed(ctx: ReplyContext, span: Span) -> bool:
    """"We can't tell you a device is safe to keep using": the reply says it cannot say it."""
    pattern = ctx.lexicon.pattern("disclaimer")
    if pattern is None:
        return False
    return bool(pattern.search(_window(ctx, span, DISCLAIMER_REACH)))


_CUT_WORD = re.compile(r"^\S*\s?")


def _window(ctx: ReplyContext, span: Span, reach: int) -> str:
    """Up to `reach` characters before `span`, whole words of its own sentence only (a window
    that starts inside "verveline" must not read a "ne")."""
    start = max(0, span[0] - reach)
    before = ctx.folded_slice(start, span[0])
    if start > 0 and ctx.reply[start - 1].isalnum():
        before = _CUT_WORD.sub("", before, count=1)
    return _SENTENCE_END.sub("", before, count=1)


def facts_say(ctx: ReplyContext, span: Span) -> bool:
    """The approved facts themselves contain the phrase: it is the official line."""
    phrase = ctx.folded_slice(span[0], span[1]).strip()
    return bool(phrase) and phrase in fold(ctx.compiled.facts_text).text


# ------------------------------------------------------------------ contradictions
# Denials that name what they deny ("was on time", "only charged once", "working normally")
# contradict any source that asserts it; other denials ("is fine", "not true") need a shared
# subject: a code like 22B, the word itself ("no recall"), or two content words of a fact.
_SELF_NAMING = {
    "delay": re.compile(r"\b(on time|delay|late|cancel|a l'heure|retard|annul)"),
    "charge": re.compile(r"\b(charg|debit|factur)"),
    "outage": re.compile(r"\b(normal|outage|fault|panne|fonctionne)"),
}
def _asserts(lexicon: Lexicon, text: str, category: str) -> bool:
    return _asserts_in(lexicon, category, text)


@per_text
def _asserts_in(lexicon: Lexicon, category: str, text: str) -> bool:
    pattern = lexicon.pattern(f"denied.{category}")
    return bool(pattern and pattern.search(fold(text).text))


@per_text
def _is_negative(lexicon: Lexicon, text: str) -> bool:
    pattern = lexicon.pattern("negation")
    denial = lexicon.pattern("harm.denial")
    folded = fold(text).text
    return bool((pattern and pattern.search(folded)) or (denial and denial.search(folded)))


def _contradiction(ctx: ReplyContext, span: Span) -> str | None:
    """What a denial at `span` contradicts, or None when nothing confirmed is denied."""
    sentence = ctx.sentence_at(span[0])
    if sentence is None:
        return None
    lexicon = ctx.lexicon
    said = ctx.folded_slice(span[0], span[1])
    text = ctx.folded_slice(sentence.start, sentence.end)
    facts = ctx.compiled.approved_facts
    codes = codes_before(text, span[0] - sentence.start)  # "22B is recalled, 19A is not"

    def same_subject(source: str) -> bool:  # "the 18:12 is running" is not about the 17:42
        return not codes or bool(codes & find_codes(fold(source).text))

    for category, names in _SELF_NAMING.items():
        if names.search(said):
            if _asserts(lexicon, ctx.post, category) and same_subject(ctx.post):
                return ctx.post
            return next((f for f in facts if _asserts(lexicon, f, category)
                         and not _is_negative(lexicon, f) and same_subject(f)), None)
    stems = lexicon.content_stems(text) - lexicon.content_stems(said)
    positive = [f for f in facts if not _is_negative(lexicon, f)]
    negative = [f for f in facts if _is_negative(lexicon, f)]
    if _asserts(lexicon, text, "recall"):
        source = next((f for f in positive if _asserts(lexicon, f, "recall")
                       and same_subject(f)), None)
        if source is not None:
            return source

    def about(fact: str) -> bool:
        folded = fold(fact).text
        if codes:
            return bool(codes & find_codes(folded))
        return len(stems & lexicon.content_stems(folded)) >= 2

    source = next((f for f in positive if about(f)), None)
    if source is not None and not any(about(f) for f in negative):
        return source
    return None




_NOT_NEEDED = (
    re.compile(r"\bno (\w+)(?: \w+)? (?:is |are )?(?:needed|required|necessary)"),
    re.compile(r"\bwithout (?:a |an |the |any |their |your )?(\w+)"),
    re.compile(r"\b(\w+) (?:is |are )?not (?:needed|required|necessary)"),
    re.compile(r"\bdon'?t need (?:a |an |any |to send |to show |to keep |their |your )?(\w+)"),
    re.compile(r"\bsans (?:aucun |aucune |le |la |les |leur |votre )?(\w+)"),
    re.compile(r"\baucun(?:e)? (\w+) (?:n'est )?(?:necessaire|requis|requise|demande)"),
    re.compile(r"\bpas besoin d[e'] ?(?:la |le |leur |votre )?(\w+)"),
)
_AUTOMATIC = re.compile(r"automatic|automatiquement|nothing to do|don'?t need to do|no action "
                        r"(?:is )?needed|rien a faire|aucune demarche|sans demarche")
_PAPERWORK = ("form", "claim", "apply", "application", "request", "invoice", "receipt", "proof",
              "formulaire", "reclamation", "demande", "dossier", "facture", "justificatif",
              "preuve")
_DEMAND = re.compile(r"\b(?:send|bring|show|attach|upload|fill|complete|submit|keep|provide|"
                     r"include|apply|request|claim|need|needs|envoy|joign|rempli|fourni|present|"
                     r"gard|conserv|transmet|deman|faites|faire)\w*")


_CAUSAL = re.compile(r"\b(?:because of|due to|caused by|down to|a cause d[eu']|en raison d[eu']|"
                     r"du a|due a|provoquee? par|causee? par)\s+((?:\w+\W+){1,4})")
_FACT_CAUSE = re.compile(r"\b(?:because|due to|caused by|by a|fault|failure|cause|a cause|"
                         r"en raison|panne|defaut)\b")


_PLACE_NOUNS = ("line|station|store|shop|branch|site|depot|factory|warehouse|route|team|"
                "office|hospital|school|ligne|gare|magasin|boutique|usine|entrepot|equipe|agence")
_NAMED_EN = re.compile(rf"\b([A-Z][\w'-]+) ({_PLACE_NOUNS})\b")
_NAMED_FR = re.compile(rf"\b({_PLACE_NOUNS}) (?:de |d'|du |des )?([A-Z][\w'-]+)")


@per_text
def _named_places(text: str) -> set[tuple[str, str]]:
    """("harwick", "line") for "the Harwick line"; ("harwick", "gare") for "la gare de Harwick"."""
    found = {(fold(name).text, fold(noun).text) for name, noun in _NAMED_EN.findall(text)}
    found |= {(fold(name).text, fold(noun).text) for noun, name in _NAMED_FR.findall(text)}
    return found


@lru_cache(maxsize=256)
def _stated_places(facts: tuple[str, ...]) -> set[tuple[str, str]]:
    return set().union(*(_named_places(f) for f in facts)) if facts else set()


def _swapped_places(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """A named place other than the one the facts give for the same kind of place, about the
    same person or thing: "Dev on the Linmouth line" when a fact says "Dev ... Harwick line"."""
    facts = ctx.compiled.approved_facts
    stated = _stated_places(facts)
    if not stated:
        return []  # no fact names a place: none can be swapped
    found = []
    for sentence in ctx.sentences:
        for name, noun in _named_places(sentence.text):
            if (name, noun) in stated:
                continue
            stems = ctx.lexicon.content_stems(ctx.folded_slice(sentence.start, sentence.end))
            names = {m.group() for m in re.finditer(r"\b[A-Z][a-z]{2,}", sentence.text)
                     if m.start() > 0}
            for fact in facts:
                others = {n for n, kind in _named_places(fact) if kind == noun and n != name}
                shared = names & set(re.findall(r"\b[A-Z][a-z]{2,}", fact))
                if others and (shared or len(stems & ctx.lexicon.content_stems(
                        fold(fact).text)) >= 2):
                    where = ctx.folded_slice(sentence.start, sentence.end).find(name)
                    start = sentence.start + max(0, where)
                    found.append(((start, start + len(name)), fact))
                    break
    return found[:1]


@lru_cache(maxsize=256)
def _causes(lexicon: Lexicon, facts: tuple[str, ...]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The facts that give a cause, and the content stems of all the facts."""
    causes = tuple(f for f in facts if _FACT_CAUSE.search(fold(f).text))
    return causes, lexicon.content_stems(fold(" ".join(facts)).text) if causes else frozenset()


_ONLY = re.compile(r"\b(?:only|just|solely|seulement|uniquement|que)\b"
                   r"[^.!?]{0,30}?\b([A-Z][a-z]{2,})")


_NAMED_PAIR = re.compile(r"[A-Z][a-z]{2,} (?:and|et) [A-Z][a-z]{2,}")


@lru_cache(maxsize=256)
def _facts_pair_names(facts: tuple[str, ...]) -> bool:
    return any(_NAMED_PAIR.search(fact) for fact in facts)


def _only_some(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """"Only Brambury" when a fact says "Linmouth and Brambury": fewer than the facts say."""
    if not _facts_pair_names(ctx.compiled.approved_facts):
        return []  # no fact names two places or people together
    found = []
    for match in _ONLY.finditer(ctx.reply):
        name = match.group(1)
        sentence = ctx.sentence_at(match.start())
        text = sentence.text if sentence else ctx.reply
        for fact in ctx.compiled.approved_facts:
            pair = re.search(rf"\b([A-Z][a-z]{{2,}}) (?:and|et) {name}\b|\b{name} (?:and|et) "
                             rf"([A-Z][a-z]{{2,}})\b", fact)
            if pair:
                other = pair.group(1) or pair.group(2)
                if other not in text:
                    found.append(((match.start(), match.end()), fact))
                    break
    return found[:1]


_BECAUSE = re.compile(r"\b(?:because|parce qu'?e?)\s+(?!of\b)((?:\w+\W+){1,4})")


@lru_cache(maxsize=256)
def _cause_stems(lexicon: Lexicon, causes: tuple[str, ...]) -> frozenset[str]:
    return lexicon.content_stems(fold(" ".join(causes)).text)


def _causal_matches(ctx: ReplyContext, cause_stems: frozenset[str]) -> list[re.Match[str]]:
    """"Due to …", "caused by …"; and "because …" after words of a fact that gives a cause
    ("the 17:42 was cancelled because no driver was available"), not after anything else
    ("unplug it because it could overheat" explains advice, not the incident)."""
    text = ctx.folded.text
    found = list(_CAUSAL.finditer(text))
    for match in _BECAUSE.finditer(text):
        clause = CLAUSE.split(text[max(0, match.start() - 80):match.start()])[-1]
        if ctx.lexicon.content_stems(clause) & cause_stems:
            found.append(match)
    return found


def _other_causes(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """A cause the facts do not give, where they give one: "cancelled because of a driver
    shortage" when the facts say a signalling fault."""
    causes, stems_of_facts = _causes(ctx.lexicon, ctx.compiled.approved_facts)
    if not causes:
        return []
    found = []
    cause_stems = _cause_stems(ctx.lexicon, causes)
    for match in _causal_matches(ctx, cause_stems):
        named = ctx.lexicon.content_stems(match.group(1))
        if named and not named & stems_of_facts:
            span = ctx.folded.span(match.start(), match.end(1))
            if not negated(ctx, span):
                found.append((span, causes[0]))
    return found[:1]


@per_text
def _needless(fact: str) -> tuple[str, ...]:
    """What a fact says is not needed: "no receipt needed" gives "receipt"."""
    folded = fold(fact).text
    needless = {m.group(1) for pattern in _NOT_NEEDED for m in pattern.finditer(folded)}
    if _AUTOMATIC.search(folded):
        needless.update(_PAPERWORK)
    return tuple(sorted(n for n in needless if len(n) >= 4))


@lru_cache(maxsize=256)
def _needless_in(facts: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The facts that say something is not needed, with what (`_needless`): read once per fact
    sheet, so a reply is only checked against the few facts that say so."""
    return tuple((fact, nouns) for fact in facts if (nouns := _needless(fact)))


def _needless_demands(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """Asking for what the facts say is not needed: a receipt when "no receipt is needed", a
    form when the refund is automatic."""
    found = []
    for fact, nouns in _needless_in(ctx.compiled.approved_facts):
        for noun in nouns:
            if noun[:5] not in ctx.folded.text:
                continue  # what the search below needs first: most replies do not hold it
            for match in re.finditer(rf"\b{re.escape(noun[:5])}\w*", ctx.folded.text):
                span = ctx.folded.span(*match.span())
                sentence = ctx.sentence_at(span[0])
                if sentence is None:
                    continue
                # the clause that asks: "No need to ring the bank: just fill in the form" asks
                text = re.split(r"[:;,]", ctx.folded_slice(sentence.start, span[0])[-60:])[-1]
                if not _DEMAND.search(text) or negated(ctx, span) or re.search(
                        r"\b(?:no|without|sans|aucun\w*|pas)\b", text) or \
                        _AUTOMATIC.search(text):
                    continue
                found.append((span, fact))
                break
    return found[:1]


def contradictions(ctx: ReplyContext) -> list[Finding]:
    findings = []
    for span in ctx.hits("harm.denial"):
        if negated(ctx, span) or facts_say(ctx, span):
            continue
        source = _contradiction(ctx, span)
        if source is not None:
            where = "the customer's post" if source is ctx.post else "the approved facts"
            findings.append(bad(f"\"{ctx.quote(span)}\" contradicts {where} (\"{short(source)}"
                                "\"): never deny what is confirmed.", "harm.contradiction",
                                span))
    for check, says in _FACT_CHECKS:
        for span, fact in check(ctx):
            findings.append(bad(says.format(said=ctx.quote(span), fact=short(fact)),
                                "harm.contradiction", span))
    return findings[:3]


def short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


# Checks of a reply against the approved facts: (check, what the finding says)
_FACT_CHECKS = (
    (wrong_times, '"{said}" contradicts the approved facts ("{fact}"): give the confirmed time.'),
    (wrong_figures, '"{said}" contradicts the approved facts ("{fact}"): give the confirmed '
                     'figure.'),
    (wrong_months, '"{said}" contradicts the approved facts ("{fact}"): give the confirmed '
                    'date.'),
    (wrong_weekdays, '"{said}" contradicts the approved facts ("{fact}"): give the confirmed '
                      'day.'),
    (wrong_tiers, '"{said}" is not what the approved facts give for this delay ("{fact}").'),
    (wrong_codes, '"{said}" is not what the approved facts name ("{fact}"): give the confirmed '
                  'code.'),
    (opposites, '"{said}" says the opposite of the approved facts ("{fact}").'),
    (_swapped_places, '"{said}" is not the place the approved facts give ("{fact}").'),
    (_only_some, '"{said}" leaves out what the approved facts include ("{fact}").'),
    (_other_causes, '"{said}" gives a cause the approved facts do not ("{fact}"): give the '
                    'confirmed cause, or none.'),
    (_needless_demands, 'Asks for "{said}", which the approved facts say is not needed '
                        '("{fact}").'),
)

