"""Coherence: the company's line — key messages, forbidden phrases, voice, transparency.

Facts and consistency (figures and promises) live in `claims.py`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from sandbox.core.phrases import Folded, fold
from sandbox.core.scoring.context import ReplyContext, quoted
from sandbox.core.scoring.prefilter import might_match
from sandbox.core.scoring.results import CriterionScore, Finding, as_words, bad, count, good
from sandbox.core.scoring.rules import Requirement, ban_phrases

Span = tuple[int, int]


@lru_cache(maxsize=1024)
def _label(alternatives: tuple[str, ...]) -> str:
    """How a finding names a key message (written once per key message, not per reply)."""
    first = f"\"{alternatives[0]}\""
    if len(alternatives) == 1:
        return first
    return first + " (or " + ", ".join(f"\"{a}\"" for a in alternatives[1:]) + ")"


def _close_word(ctx: ReplyContext, target: str) -> Span | None:
    """A reply word sharing a long prefix with a one-word phrase ("apologies" ~ "apologise");
    `target` is the folded phrase (see `rules.Requirement.close_targets`)."""
    if target[:5] not in ctx.folded.text:  # no word can start with it: skip the word index
        return None
    for start, end, candidate in ctx.words_by_prefix.get(target[:5], ()):
        if abs(len(candidate) - len(target)) > 3:
            continue
        common = 0
        for a, b in zip(candidate, target, strict=False):
            if a != b:
                break
            common += 1
        if common >= max(5, len(target) - 2):
            return (start, end)
    return None


def _near_phrase(ctx: ReplyContext, stems: frozenset[str]) -> bool:
    """Every content word of a multi-word phrase appears in the reply, in some form."""
    return len(stems) >= 2 and stems <= ctx.reply_stems


def _said_before(ctx: ReplyContext) -> list[tuple[str, Folded]]:
    """In a private conversation, the trainee's earlier texts on the same event (the public
    note that moved it to DM, earlier messages), each with its folded form: a key message said
    there is not asked for again ("private message" in a private message)."""
    if ctx.channel != "dm" or ctx.event_id is None:
        return []
    return [(e.text, fold(e.text)) for e in ctx.earlier
            if e.event_id == ctx.event_id and e.text.strip()]


def _said_in(texts: list[tuple[str, Folded]], requirement: Requirement) -> str | None:
    """What the first of `texts` holding the key message says of it, quoted."""
    for text, folded in texts:
        span = requirement.patterns.earliest(folded)
        if span is not None:
            return quoted(text[span[0]:span[1]])
    return None


def key_messages(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer:
        return None
    required = ctx.compiled.requirements
    if not required:
        return None
    earned = 0.0
    findings: list[Finding] = []
    said_before = _said_before(ctx)
    for requirement in required:
        alternatives, rule = requirement.alternatives, requirement.rule
        span = requirement.patterns.earliest(ctx.folded)
        if span is None:
            span = next((s for t in requirement.close_targets if (s := _close_word(ctx, t))),
                        None)
        if span is not None:
            earned += 1
            findings.append(good(f"Mentions {_label(alternatives)}: "
                                    f"\"{ctx.quote(span)}\".", rule, span))
        elif said_before and (earlier := _said_in(said_before, requirement)) is not None:
            earned += 1  # no span: the evidence is in another text
            findings.append(good(f"Said {_label(alternatives)} earlier in this conversation: "
                                 f"\"{earlier}\".", rule))
        elif any(_near_phrase(ctx, stems) for stems in requirement.near_stems):
            earned += 0.5
            findings.append(bad(f"Comes close to {_label(alternatives)} but does not say it "
                                    "clearly: half the points.", rule))
        else:
            findings.append(bad(f"Does not mention {_label(alternatives)}.", rule))
    return CriterionScore("key_messages", round(100 * earned / len(required)), tuple(findings))


def _ban_span(ctx: ReplyContext, ban) -> Span | None:
    return ban_phrases(ban).earliest(ctx.folded)


def _no_ban_possible(ctx: ReplyContext) -> bool:
    """The reply holds none of the needles of any ban (`rules.ban_screen`): no ban matches."""
    compiled = ctx.compiled
    text = ctx.folded.text
    return compiled.ban_needles is not None and not might_match(compiled.ban_needles, text) \
        and (not compiled.ban_needles_ascii_only or text.isascii())


def forbidden(ctx: ReplyContext) -> CriterionScore | None:
    rules = ctx.compiled.bans
    if not rules:
        return None
    score, critical = 100, False
    findings: list[Finding] = []
    penalised: list[Span] = []
    for ban in () if _no_ban_possible(ctx) else rules:
        reason, is_critical, penalty, rule = ban.reason, ban.critical, ban.penalty, ban.rule
        span = _ban_span(ctx, ban)
        if span is None:
            continue
        because = f": {reason}" if reason else ""
        findings.append(bad(f"\"{ctx.quote(span)}\" is forbidden{because}.", rule, span))
        if is_critical:
            critical = True
        if not any(s[0] < span[1] and span[0] < s[1] for s in penalised):
            score -= penalty
            penalised.append(span)
    if critical:
        score = 0
    if not findings:
        findings.append(good(f"None of the {len(rules)} forbidden phrases appear.",
                                "guidelines.forbidden"))
    return CriterionScore("forbidden", max(0, score), tuple(findings), critical=critical)


_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2190-\u21FF"
                    "\u2300-\u23FF\uFE0F\u200D]+")
_EXCLAMATION = re.compile("[!\uff01]")
_CAPS_WORD = re.compile(r"(?<![\w@#])([^\W\d_a-z]{4,}(?:['\u2019][^\W\d_a-z]+)?)(?![\w])")


@lru_cache(maxsize=256)
def _sign_off_pattern(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


_SIGNATURE_START = re.compile(r"(?<=\s)[^\w\s]")  # "- Sam", "^JM" after the last sentence


def _signature(pattern: re.Pattern[str], last: str) -> str | None:
    """The sign-off the guidelines' pattern finds on the reply's last line: the whole line
    ("- Sam" on its own), or its end after a space, from a mark such as "-" or "^" (a one-line
    tweet: "... today. - Sam")."""
    if pattern.search(last):
        return last
    for mark in reversed(list(_SIGNATURE_START.finditer(last))):
        if pattern.search(last[mark.start():]):
            return last[mark.start():]
    return None


def _greeting(ctx: ReplyContext, policy: str) -> tuple[int, list[Finding]]:
    rule = "guidelines.voice.greeting"
    if policy != "required":
        return 0, []
    opening = ctx.reply[:80]
    greet = next((s for s in ctx.hits("greeting") if s[0] < 20), None)
    name = ctx.customer_mention
    named = name is not None and name[0] < len(opening)
    if greet and (named or not ctx.customer_names):
        span = (greet[0], max(greet[1], name[1] if name else 0))
        return 0, [good(f"Greets the customer: \"{ctx.quote(span)}\".", rule, span)]
    if named:
        return 0, [good(f"Addresses the customer by name: \"{ctx.quote(name)}\".", rule, name)]
    if greet:
        return 10, [bad("Greets, but not by name or handle.", rule, greet)]
    return 30, [bad("No greeting: open with the customer's name or handle.", rule)]


def voice(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer:
        return None
    rules = ctx.rules("voice")
    if rules is None:
        return None
    findings: list[Finding] = []
    penalty, greeting_findings = _greeting(ctx, str(getattr(rules, "greeting", "") or ""))
    findings += greeting_findings

    sign_off = getattr(rules, "sign_off", None)
    pattern = _sign_off_pattern(sign_off) if sign_off else None
    if pattern is not None:
        lines = [line for line in ctx.reply.splitlines() if line.strip()]
        last = lines[-1].strip() if lines else ""
        signed = _signature(pattern, last)
        if signed is not None:
            start = ctx.reply.rfind(signed)
            findings.append(good(f"Signs off as the guidelines ask: \"{signed}\".",
                                    "guidelines.voice.sign_off", (start, start + len(signed))))
        else:
            penalty += 15
            findings.append(bad("No sign-off on the last line (e.g. \"- Sam\").",
                                    "guidelines.voice.sign_off"))

    limit = getattr(rules, "max_exclamations", None)
    marks = [m.start() for m in _EXCLAMATION.finditer(ctx.reply)]
    if limit is not None and len(marks) > limit:
        extra = len(marks) - limit
        penalty += min(40, 10 * extra)
        findings.append(bad(f"{len(marks)} exclamation marks; the guidelines allow {limit}.",
                                "guidelines.voice.max_exclamations",
                                (marks[limit], marks[-1] + 1)))

    policy = str(getattr(rules, "emoji", "allowed") or "allowed")
    emoji = [m.span() for m in _EMOJI.finditer(ctx.reply) if m.group().strip("\ufe0f\u200d")]
    if emoji and policy in ("avoid", "forbidden"):
        used = sum(len(ctx.reply[s:e].replace("\ufe0f", "").replace("\u200d", ""))
                   for s, e in emoji)
        each, cap = (25, 60) if policy == "forbidden" else (10, 30)
        penalty += min(cap, each * used)
        word = "forbidden" if policy == "forbidden" else "to avoid"
        findings.append(bad(f"Emoji are {word} in this brand's voice ({used} used).",
                                "guidelines.voice.emoji", emoji[0]))

    caps = [m.span(1) for m in _CAPS_WORD.finditer(ctx.reply)
            if not _is_known_acronym(ctx, m.group(1))] if _may_shout(ctx.reply) else []
    if caps:
        penalty += min(40, 10 * len(caps))
        shouting = f"{count(len(caps), 'word')} in capitals " + \
            ("reads" if len(caps) == 1 else "read")
        findings.append(bad(f"{shouting} as shouting: \"{ctx.quote(caps[0])}\".",
                                "voice.all_caps", caps[0]))

    person = str(getattr(rules, "person", "") or "")
    singular = ctx.hits("singular_pronouns")
    if person == "we" and singular:
        penalty += min(45, 15 * len(singular))
        findings.append(bad(f"Speaks as \"{ctx.quote(singular[0])}\"; the brand speaks as "
                                "\"we\".", "guidelines.voice.person", singular[0]))
    if not findings:
        findings.append(good("Matches the brand's voice.", "guidelines.voice"))
    return CriterionScore("voice", max(0, 100 - penalty), tuple(findings))


_FOUR_CAPITALS = re.compile("[A-Z]{4}")


def _may_shout(text: str) -> bool:
    """Whether `_CAPS_WORD` can find a word in `text`. In ASCII text its words are four
    capitals A-Z in a row, which a search finds far quicker than `_CAPS_WORD` (led by a
    lookbehind, tried at every position); other texts are searched as they are."""
    return not text.isascii() or _FOUR_CAPITALS.search(text) is not None


def _is_known_acronym(ctx: ReplyContext, word: str) -> bool:
    folded = fold(word).text
    rules = ctx.compiled
    return folded in rules.jargon_folded or folded == rules.brand_folded or word in ctx.post


def transparency(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.sensitive_topic or not ctx.to_customer:
        return None
    score = 25
    findings: list[Finding] = []
    evasive = ctx.hits("evasive")
    for span in evasive[:3]:
        score -= 45
        findings.append(bad(f"\"{ctx.quote(span)}\" sounds evasive on a "
                                f"{as_words(ctx.topic)} topic: say what you know and what you "
                                "are doing.", "lexicon.evasive", span))
    acknowledged = ctx.hits("acknowledgement")
    if acknowledged:
        score += min(40, 20 * len(acknowledged))
        findings.append(good(f"Acknowledges the issue openly: \"{ctx.quote(acknowledged[0])}\".",
                                "lexicon.acknowledgement", acknowledged[0]))
    fact = ctx.shared_fact
    if fact:
        score += 30
        findings.append(good(f"Shares the official information: \"{fact}\".", "facts"))
    if not evasive and not acknowledged and not fact:
        findings.append(bad(f"Says nothing concrete on a {as_words(ctx.topic)} topic: "
                                "acknowledge the issue and share what is known.", "transparency"))
    return CriterionScore("transparency", max(0, min(100, score)), tuple(findings))
