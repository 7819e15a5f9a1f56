"""Opposites: a reply that says one side of a claim where an approved fact says the other
("on by default" against "off by default", "is running" against "was cancelled", "fully
staffed" against "18 vacancies"). A check of `contradictions.py`, which files what it finds
under `harm.contradiction`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from sandbox.core.phrases import fold
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.figures import codes as find_codes
from sandbox.core.scoring.figures import codes_before
from sandbox.core.scoring.lexicon import Lexicon
from sandbox.core.scoring.prefilter import might_match, needles

Span = tuple[int, int]

# Two sides of the same claim: a reply sentence about what a fact states (two content words in
# common) that says one side while the fact says the other contradicts it. A pair read one way
# only: the reply says the first side, a fact the second ("only a handful" against "18
# vacancies"), the second being too common in replies to be read there ("two", "by default",
# any number, an hour range).
BOTH_WAYS, ONE_WAY = "both ways", "one way"
_TABLE = (
    (r"\bon by default|activee? par defaut", r"\boff by default|desactivee? par defaut", BOTH_WAYS),
    (r"\balways\b|\btoujours\b", r"\bnever\b|\bjamais\b", BOTH_WAYS),
    (r"\b(?:is|are|was|were|still)(?: \w+)? running\b|\bwill run\b|\bcircule\b",
     r"\bcancel\w*|\bannul\w*", BOTH_WAYS),
    (r"\b(?:stand|still running|(?:is|are) running|continue\w*|carr(?:y|ies) on|maintenu\w*|"
     r"continu\w*|se poursui\w*|stay(?:s|ing)? up|rest(?:e|ent) (?:en ligne|affiche\w*))\b",
     r"\bpaus\w*|\bsuspend\w*|\bhalt\w*|\bsuspendu\w*", BOTH_WAYS),
    (r"\btous les (?:deux|trois|quatre|cinq) ans\b|\bevery (?:two|three|four|five|few|other) "
     r"years\b",
     r"\bchaque annee\b|\bevery year\b|\beach year\b|\bannuel\w*|\byearly\b", ONE_WAY),
    (r"\beverywhere\b|\banywhere\b|\bany bin\b|\bpartout\b|n'importe quel",
     r"\bnot yet\b|\bnot every\w*|\bnot all\b|\bpas encore\b|"
     r"\bpas (?:dans )?toutes\b|\bpas partout\b", BOTH_WAYS),
    (r"\b(?:one|a single|only one) (?:supplier|source|site|factory)\b|\bun seul\b|\bune seule\b",
     r"\b(?:two|three|several) (?:supplier|source|site|factor)\w*|\bdeux\b|\btrois\b|"
     r"\bplusieurs\b", BOTH_WAYS),
    (r"\bopted in\b|\bopts? in\b|\bopting in\b|\bopt-?in\b|\bwho (?:ticked|chose|agreed|asked)\b|"
     r"\bif you (?:ticked|chose|agreed|asked)\b|\bsur demande\b|\bavec (?:votre|leur) accord\b|"
     r"\bqui l'ont demande\w*",
     r"\bby default\b|\bpar defaut\b", ONE_WAY),
    (r"\btoute la journee\b|\ball day\b|\bthe whole day\b|\bla journee entiere\b",
     r"\bentre \d{1,2} ?h\b|\bbetween \d{1,2}(?::\d\d)?(?: ?[ap]m)? and\b|\bde \d{1,2} ?h a\b|"
     r"\bfrom \d{1,2}(?::\d\d)?(?: ?[ap]m)? (?:to|until)\b", ONE_WAY),
    (r"\bne contient (?:aucun|pas|plus|rien)|\bcontains? no\b|\bdoes(?:n't| not) contain\b",
     r"(?<!ne )\bcontient (?!aucun|pas|plus|rien)|(?<!n't )(?<!not )\bcontains (?!no\b)",
     BOTH_WAYS),
    (r"\bonly (?:valid|good|accepted) on (?:the|your) (?:\w+ )?(?:train|service|one)\b|"
     r"(?<!n't )(?<!not )\bneed (?:a |to buy (?:a )?)?(?:new|another|fresh|separate) ticket|"
     r"(?<!n't )(?<!not )\bneed to buy (?:a|another) ticket",
     r"\b(?:is|are|remains?|stays?) valid on\b", BOTH_WAYS),
    (r"\brien n'a change\b|\bnothing has changed\b|\bsame (?:recipe|formula)\b|\bmeme formule\b|"
     # "the formula of the cream has not changed": the words between still say what it is about
     r"\bformule(?= (?:[\w'-]+ ){0,4}?(?:n'a pas (?:ete )?(?:change|modifie)e?|(?:est |reste )?"
     r"inchangee|reste la meme)\b)|\b(?:formula|recipe)(?= (?:[\w'-]+ ){0,3}?(?:has(?:n't| not) "
     r"(?:been )?changed|is unchanged|(?:is|remains|stays) the same)\b)",
     r"\bnouvelle formule\b|\bnew (?:formula|recipe)\b", BOTH_WAYS),
    (r"\b(?:a|one|full|whole) (?:week|month|year)'?s\b|"
     r"\b(?:two|three|\d+) (?:days|weeks|months)'\B",
     r"\bone day'?s\b|\ba day'?s\b", BOTH_WAYS),
    (r"\bdu lundi au vendredi\b|\ben semaine (?:uniquement|seulement)\b|\bweekdays only\b|"
     r"\bmonday to friday\b|\bnot (?:at|on) weekends\b|\bpas le week-end\b",
     r"\btous les jours\b|\bevery day\b|\b7 (?:days a week|jours sur 7)\b", ONE_WAY),
    (r"\bn'est pas (?:encore )?public\b|\bpas encore (?:publie\w*|en ligne)\b|"
     r"\bnot (?:yet )?(?:public|published|online)\b|\bconfidenti\w*|\bresteront (?:internes?|"
     r"secrets?)\b|\b(?:kept|stay|remain)s? (?:private|internal|secret)\b",
     r"\ben ligne\b|(?<!pas )(?<!encore )\bpublie\w*|\bonline\b|(?<!not )(?<!yet )\bpublished\b",
     ONE_WAY),
    (r"\bfully staffed\b|\bno (?:vacancies|shortage)\b|\bnot short\b|\bau complet\b|"
     r"\bpas de (?:postes? vacants?|penurie)\b",
     r"\bvacanc\w*|\bshortage\b|\bpostes? vacants?\b|\bpenurie\b", BOTH_WAYS),
    (r"\bonly a (?:handful|few|couple)\b|\ba handful of\b|\bune poignee\b|\bseulement quelques\b",
     r"\b(?:1\d|[2-9]\d|\d{3,})\b", ONE_WAY),
    (r"\bune dizaine\b|\bune douzaine\b|\bdes dizaines\b|\bune centaine\b|\ba dozen\b|"
     r"\bdozens\b|\bhundreds\b",
     r"\bdeux\b|\btrois\b|\btwo\b|\bthree\b", ONE_WAY),
    (r"\b(?:aren't|isn't|is not|are not|not|never|won't be) automatic\w*|"
     r"\b(?:n'est|ne sont|ne sera|ne seront|pas) (?:pas )?automatique\w*",
     r"(?<!not )(?<!n't )\bautomatic\w*|(?<!pas )\bautomatique\w*", ONE_WAY),
    (r"\b(?:we keep|we are keeping|we're keeping|stays|remains)\b|\bgardons\b|"
     r"\breste(?:ra)? (?:sur|dans|en place)\b|\bn'avons pas prevu de (?:la |le |les )?"
     r"(?:modifier|retirer|changer|supprimer)\b|"
     r"\bmaintenons\b|\bconservons\b|\breste justifiee?\b",
     r"\bwithdraw\w*|\bremov\w*|\bdropp\w*|\bretir\w*|\bsupprim\w*|\babandonn\w*", BOTH_WAYS),
)
OPPOSITES = tuple((re.compile(one), re.compile(other)) for one, other, _way in _TABLE)
# "all day" against an hour range is about the day, whatever clock time the sentence names
_WHOLE_DAY = next(one for one, _other in OPPOSITES if one.search("toute la journee"))
# Each direction (what the reply says, what a fact says), in order.
_DIRECTIONS = tuple(direction for (one, other), (_one, _other, way) in zip(OPPOSITES, _TABLE,
                                                                          strict=True)
                    for direction in (((one, other),) if way == ONE_WAY
                                      else ((one, other), (other, one))))
# what a reply may say: most replies hold none of it, and their words say so at once
REPLY_SIDES = tuple(dict.fromkeys(mine for mine, _theirs in _DIRECTIONS))
SIDE_NEEDLES = needles(REPLY_SIDES)

CLAUSE = re.compile(r"[,;()]|:(?!\d)|"
                    r"\s(?:which|who|while|whereas|but|and|qui|mais|alors que|et)\s")


@lru_cache(maxsize=256)
def _clauses(facts: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(fact, folded clause): "Tickets for the 17:42 are valid on the 18:12, which is running"
    says nothing about the 17:42 running."""
    return tuple((fact, clause) for fact in facts for clause in CLAUSE.split(fold(fact).text)
                 if clause.strip())


@lru_cache(maxsize=2048)
def _stems_besides(lexicon: Lexicon, mine: re.Pattern[str], theirs: re.Pattern[str],
                   fact: str) -> frozenset[str]:
    """The content stems of a fact once both sides of an opposite are taken out."""
    return lexicon.content_stems(theirs.sub(" ", mine.sub(" ", fold(fact).text)))


@lru_cache(maxsize=256)
def _directions_for(facts: tuple[str, ...]
                    ) -> tuple[tuple[tuple[re.Pattern[str], re.Pattern[str]], ...],
                               re.Pattern[str] | None]:
    """The directions whose second side some fact says, and one regex of their first sides
    (None when there is none: no reply can say the other side of anything)."""
    folded = [fold(fact).text for fact in facts]
    found = tuple((mine, theirs) for mine, theirs in _DIRECTIONS
                  if any(theirs.search(text) for text in folded))
    if not found:
        return (), None
    return found, re.compile("|".join(f"(?:{mine.pattern})"
                                      for mine in dict.fromkeys(m for m, _t in found)))


def opposites(ctx: ReplyContext) -> list[tuple[Span, str]]:
    """Sentences that say one side of an opposite where a fact about the same thing (the
    clause naming the same code, or two content words besides the sides) says the other."""
    directions, any_side = _directions_for(ctx.compiled.approved_facts)
    if any_side is None or not might_match(SIDE_NEEDLES, ctx.folded.text) or \
            not any_side.search(ctx.folded.text):
        return []
    found = []
    lexicon = ctx.lexicon
    clauses = _clauses(ctx.compiled.approved_facts)
    for sentence in ctx.sentences:
        text = ctx.folded_slice(sentence.start, sentence.end)
        if not any_side.search(text):
            continue
        for mine, theirs in directions:
            said = mine.search(text)
            if said is None or theirs.search(text):
                continue
            # a span of the day is about the day, whatever clock time follows
            codes = frozenset() if mine is _WHOLE_DAY else codes_before(text, said.start())
            stems = lexicon.content_stems(mine.sub(" ", text))

            def about(fact: str, clause: str, stems=stems, codes=codes, mine=mine,
                      theirs=theirs) -> bool:
                if codes:  # "the 17:42": the clause that names it
                    return bool(codes & find_codes(clause))
                return len(stems & _stems_besides(lexicon, mine, theirs, fact)) >= 2

            related = [(fact, clause if codes else fold(fact).text)
                       for fact, clause in clauses if about(fact, clause)]
            if codes and not find_codes(text[:said.start()]) and not any(
                    mine.search(clause) or theirs.search(clause) for _f, clause in related):
                # the times come after the side and their clause says neither ("weekdays, from
                # 9 h to 20 h" against "every day, from 9 h to 20 h"): the words say what the
                # sentence is about
                related = list(dict.fromkeys((fact, fold(fact).text) for fact, clause in clauses
                                             if about(fact, clause, codes=frozenset())))
            if any(mine.search(clause) for _fact, clause in related):
                continue  # a fact says the same thing
            source = next((fact for fact, clause in related if theirs.search(clause)), None)
            if source is not None:
                start = sentence.start + said.start()
                found.append(((start, start + len(said.group())), source))
    return found[:2]
