"""Contradictions: a reply that says something other than what is confirmed.

The approved facts (the scenario's and the guidelines'), the customer's post and the thread are
what a reply may not deny. Each check below finds one way of saying otherwise, about the same
thing (a shared code like 22B, a shared clock time, or content words in common):

- a denial of what a source asserts ("22B is fine" during its recall, "your train was on time"
  to a late passenger, "Delay Repay doesn't apply" when a fact says it does);
- a clock time, a figure or a month other than the one the facts give (`figures.py`);
- the opposite side of a fact ("off by default", "still running", "everywhere");
- another named place ("the Linmouth line" for the Harwick line), "only X" when the facts say
  X and Y, a cause the facts do not give;
- asking for what the facts say is not needed (a receipt, a form when refunds are automatic).

`contradictions(ctx)` returns the findings (rule `harm.contradiction`); `harm.py` files them
under `facts` and fails the reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from sandbox.core.phrases import fold
from sandbox.core.scoring.context import ReplyContext, per_text
from sandbox.core.scoring.figures import wrong_figures, wrong_months, wrong_times
from sandbox.core.scoring.lexicon import Lexicon
from sandbox.core.scoring.prefilter import might_match, needles
from sandbox.core.scoring.results import Finding, bad

Span = tuple[int, int]
NEGATION_REACH = 24  # characters before a phrase where "not"/"never" cancels it


def negated(ctx: ReplyContext, span: Span) -> bool:
    before = ctx.folded_slice(max(0, span[0] - NEGATION_REACH), span[0])
    pattern = ctx.lexicon.pattern("negation")
    return bool(pattern and pattern.search(before))


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
_CODE = re.compile(r"\b(?=[a-z]*\d)(?=\d*[a-z])[a-z0-9]{2,8}\b|\b\d{1,2}[:h]\d{2}\b")


@per_text
def _codes(folded_text: str) -> frozenset[str]:
    """Product and batch codes (22b, pa22) and clock times (17:42) of a folded text."""
    return frozenset(code.replace("h", ":") if code[:1].isdigit() and "h" in code else code
                     for code in _CODE.findall(folded_text))


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
    codes = _codes(text)

    def same_subject(source: str) -> bool:  # "the 18:12 is running" is not about the 17:42
        return not codes or bool(codes & _codes(fold(source).text))

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
        source = next((f for f in positive if _asserts(lexicon, f, "recall")), None)
        if source is not None:
            return source

    def about(fact: str) -> bool:
        folded = fold(fact).text
        return bool(codes & _codes(folded)) or \
            len(stems & lexicon.content_stems(folded)) >= 2

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


# Two sides of the same claim: a reply sentence about what a fact states (two content words in
# common) that says one side while the fact says the other contradicts it.
_OPPOSITES = tuple((re.compile(one), re.compile(other)) for one, other in (
    (r"\bon by default|activee? par defaut", r"\boff by default|desactivee? par defaut"),
    (r"\balways\b|\btoujours\b", r"\bnever\b|\bjamais\b"),
    (r"\b(?:is|are|was|were|still)(?: \w+)? running\b|\bwill run\b|\bcircule\b",
     r"\bcancel\w*|\bannul\w*"),
    (r"\b(?:stand|still running|(?:is|are) running|continue\w*|carr(?:y|ies) on|maintenu\w*|"
     r"continu\w*|se poursui\w*)\b", r"\bpaus\w*|\bsuspend\w*|\bhalt\w*|\bsuspendu\w*"),
    (r"\beverywhere\b|\banywhere\b|\bany bin\b|\bpartout\b|n'importe quel",
     r"\bnot yet\b|\bnot every\w*|\bnot all\b|\bpas encore\b|"
     r"\bpas (?:dans )?toutes\b|\bpas partout\b"),
    (r"\b(?:one|a single|only one) (?:supplier|source|site|factory)\b|\bun seul\b|\bune seule\b",
     r"\b(?:two|three|several) (?:supplier|source|site|factor)\w*|\bdeux\b|\btrois\b|"
     r"\bplusieurs\b"),
    (r"\b(?:we keep|we are keeping|we're keeping|stays|remains)\b|\bgardons\b|"
     r"\bmaintenons\b|\bconservons\b|\breste justifiee?\b",
     r"\bwithdraw\w*|\bremov\w*|\bdropp\w*|\bretir\w*|\bsupprim\w*|\babandonn\w*"),
))
# any side of any opposite: most sentences say none, and one search rules them all out
_ANY_SIDE = re.compile("|".join(f"(?:{side.pattern})" for pair in _OPPOSITES for side in pair))
# most replies hold no side at all: their words say so before any regex is tried
_SIDE_NEEDLES = needles(side for pair in _OPPOSITES for side in pair)
_CAUSAL = re.compile(r"\b(?:because of|due to|caused by|down to|a cause d[eu']|en raison d[eu']|"
                     r"du a|due a|provoquee? par|causee? par)\s+((?:\w+\W+){1,4})")
_FACT_CAUSE = re.compile(r"\b(?:because|due to|caused by|by a|fault|failure|cause|a cause|"
                         r"en raison|panne|defaut)\b")


_CLAUSE = re.compile(r"[,;()]|:(?!\d)|"
                     r"\s(?:which|who|while|whereas|but|and|qui|mais|alors que|et)\s")


@lru_cache(maxsize=256)
def _clauses(facts: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(fact, folded clause): "Tickets for the 17:42 are valid on the 18:12, which is running"
    says nothing about the 17:42 running."""
    return tuple((fact, clause) for fact in facts for clause in _CLAUSE.split(fold(fact).text)
                 if clause.strip())


@lru_cache(maxsize=2048)
def _stems_besides(lexicon: Lexicon, mine: re.Pattern[str], theirs: re.Pattern[str],
                   fact: str) -> frozenset[str]:
    """The content stems of a fact once both sides of an opposite are taken out."""
    return lexicon.content_stems(theirs.sub(" ", mine.sub(" ", fold(fact).text)))


@lru_cache(maxsize=256)
def _facts_take_sides(facts: tuple[str, ...]) -> bool:
    """Some fact says one side of an opposite: without one, no reply can say the other."""
    return any(_ANY_SIDE.search(fold(fact).text) for fact in facts)


def _opposites(ctx: ReplyContext) -> list[tuple[Span, str]]:
    if not _facts_take_sides(ctx.compiled.approved_facts) or \
            not might_match(_SIDE_NEEDLES, ctx.folded.text):
        return []
    found = []
    lexicon = ctx.lexicon
    clauses = _clauses(ctx.compiled.approved_facts)
    for sentence in ctx.sentences:
        text = ctx.folded_slice(sentence.start, sentence.end)
        if not _ANY_SIDE.search(text):
            continue
        codes = _codes(text)
        for one, other in _OPPOSITES:
            for mine, theirs in ((one, other), (other, one)):
                said = mine.search(text)
                if said is None or theirs.search(text):
                    continue
                stems = lexicon.content_stems(mine.sub(" ", text))

                def about(fact: str, clause: str, stems=stems, codes=codes, mine=mine,
                          theirs=theirs) -> bool:
                    if codes:  # "the 17:42": the clause that names it
                        return bool(codes & _codes(clause))
                    return len(stems & _stems_besides(lexicon, mine, theirs, fact)) >= 2

                related = [(fact, clause if codes else fold(fact).text)
                           for fact, clause in clauses if about(fact, clause)]
                if any(mine.search(clause) for _fact, clause in related):
                    continue  # a fact says the same thing
                source = next((fact for fact, clause in related if theirs.search(clause)),
                              None)
                if source is not None:
                    start = sentence.start + said.start()
                    found.append(((start, start + len(said.group())), source))
    return found[:2]


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


def _other_causes(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """A cause the facts do not give, where they give one: "cancelled because of a driver
    shortage" when the facts say a signalling fault."""
    causes, stems_of_facts = _causes(ctx.lexicon, ctx.compiled.approved_facts)
    if not causes:
        return []
    found = []
    for match in _CAUSAL.finditer(ctx.folded.text):
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


def _needless_demands(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """Asking for what the facts say is not needed: a receipt when "no receipt is needed", a
    form when the refund is automatic."""
    found = []
    for fact in ctx.compiled.approved_facts:
        for noun in _needless(fact):
            if noun[:5] not in ctx.folded.text:
                continue  # what the search below needs first: most replies do not hold it
            for match in re.finditer(rf"\b{re.escape(noun[:5])}\w*", ctx.folded.text):
                span = ctx.folded.span(*match.span())
                sentence = ctx.sentence_at(span[0])
                if sentence is None:
                    continue
                text = ctx.folded_slice(sentence.start, span[0])[-60:]
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
    (_opposites, '"{said}" says the opposite of the approved facts ("{fact}").'),
    (_swapped_places, '"{said}" is not the place the approved facts give ("{fact}").'),
    (_only_some, '"{said}" leaves out what the approved facts include ("{fact}").'),
    (_other_causes, '"{said}" gives a cause the approved facts do not ("{fact}"): give the '
                    'confirmed cause, or none.'),
    (_needless_demands, 'Asks for "{said}", which the approved facts say is not needed '
                        '("{fact}").'),
)

