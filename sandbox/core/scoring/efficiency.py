"""Efficiency: engaged and customer-centred — empathy, politeness, customer focus, resolution.

Privacy and the expected actions (protocol criteria) live in `protocol.py`.
"""

from __future__ import annotations

import re

from sandbox.core.scoring.context import ReplyContext, per_text
from sandbox.core.scoring.prefilter import might_match, needles
from sandbox.core.scoring.results import CriterionScore, Finding, bad, count, good
from sandbox.core.scoring.sentiment import customer_is_upset, post_is_positive


def empathy(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer or not customer_is_upset(ctx):
        return None
    score = 0
    findings: list[Finding] = []
    apology, feeling = ctx.first("apology"), ctx.first("empathy")
    if apology:
        score += 45
        findings.append(good(f"Apologises: \"{ctx.quote(apology)}\".", "lexicon.apology",
                                apology))
    if feeling and feeling != apology:
        score += 45
        findings.append(good(f"Acknowledges how the customer feels: \"{ctx.quote(feeling)}\".",
                                "lexicon.empathy", feeling))
    elif feeling:
        score += 30
        findings.append(good(f"Shows feeling: \"{ctx.quote(feeling)}\".", "lexicon.empathy",
                                feeling))
    if ctx.post_specifics & ctx.reply_stems:
        score += 10
        findings.append(good("Refers to what actually happened to the customer.",
                                "empathy.specifics"))
    for span in ctx.hits("dismissive")[:2]:
        score -= 40
        findings.append(bad(f"\"{ctx.quote(span)}\" dismisses an upset customer.",
                                "lexicon.dismissive", span))
    for span in ctx.hits("cheerful")[:2]:
        score -= 25
        findings.append(bad(f"\"{ctx.quote(span)}\" sounds cheerful to someone who is upset.",
                                "lexicon.cheerful", span))
    if not apology and not feeling:
        findings.append(bad("The customer is upset and the reply neither apologises nor "
                                "acknowledges it.", "empathy"))
    return CriterionScore("empathy", max(0, min(100, score)), tuple(findings))


_LEADING_ADDRESS = re.compile(r"^[^,:]{0,30}[,:]\s*")


FOCUS_SHARE = 1 / 3  # of the pronouns, at least one "you" for two "we"


def customer_focus(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer:
        return None
    findings: list[Finding] = []
    score = 0
    name = ctx.customer_mention
    if name:
        score += 20
        findings.append(good(f"Addresses the customer personally: \"{ctx.quote(name)}\".",
                                "customer_focus.name", name))
    elif ctx.customer_names:
        findings.append(bad("Does not use the customer's name or handle.",
                                "customer_focus.name"))
    shared = ctx.post_specifics & ctx.reply_stems
    if shared:
        score += 15 if len(shared) == 1 else 25 if len(shared) == 2 else 35
        findings.append(good(f"Picks up {count(len(shared), 'detail')} from the customer's "
                                "post.", "customer_focus.specifics"))
    elif ctx.post_specifics:
        findings.append(bad("Says nothing specific about the customer's actual problem.",
                                "customer_focus.specifics"))
    you, we = len(ctx.hits("you_pronouns")), len(ctx.hits("we_pronouns"))
    # a brand says "we'll refund you": one "you" for two "we" is still talking to the customer
    share = 0.5 if you + we == 0 else you / (you + we)
    score += round(45 * min(1.0, share / FOCUS_SHARE))
    if you + we == 0:
        findings.append(Finding("Uses neither \"you\" nor \"we\".", "customer_focus.pronouns"))
    elif share < FOCUS_SHARE:
        findings.append(bad(f"Talks about \"we/I\" ({we}x) far more than about \"you\" "
                            f"({you}x).", "customer_focus.pronouns"))
    else:
        findings.append(good(f"Talks to the customer (\"you\" {you}x, \"we/I\" {we}x).",
                             "customer_focus.pronouns"))
    for span in ctx.hits("self_promotion")[:2]:
        score -= 20
        findings.append(bad(f"\"{ctx.quote(span)}\" promotes the brand instead of helping.",
                                "lexicon.self_promotion", span))
    return CriterionScore("customer_focus", max(0, min(100, score)), tuple(findings))


def _question_to_customer(ctx: ReplyContext) -> tuple[int, int] | None:
    starters = ctx.lexicon.pattern("question_starters")
    for sentence in ctx.sentences:
        if not sentence.text.endswith("?"):
            continue
        span = (sentence.start, sentence.end)
        inside = [h for h in ctx.hits("you_pronouns") if span[0] <= h[0] < span[1]]
        if inside or (starters and starters.search(
                ctx.folded_slice(sentence.start, sentence.end))):
            return span
    return None


_INSTRUCTION_LEAD = re.compile(
    r"^(?:(?:please|just|simply|then|so|now|meanwhile|in the meantime|until then|for now|"
    r"if \w+(?: \w+){0,6},|to \w+(?: \w+){0,5},|you can|you could|you'll need to|"
    r"you will need to|all you need to do is|your choice|you decide|s'il vous plait,?|"
    r"en attendant,?|d'ici la,?|vous pouvez|il vous suffit de|il suffit de)[\s:,]+)*")


_YOU_CAN = re.compile(r"\b(?:you can|vous pouvez|you'll be able to)\s+\w+")
_YOU_CAN_NEEDLES = needles([_YOU_CAN])  # led by \b, it is tried at every position: look first


def _instruction(ctx: ReplyContext) -> tuple[int, int] | None:
    """A sentence that tells the customer what they can do: "Switch it off in the app under
    Privacy", "you can claim Delay Repay at ...", "Arrêtez la crème"."""
    verbs = ctx.lexicon.pattern("instructions")
    if verbs is None:
        return None
    for sentence in ctx.sentences:
        text = ctx.folded_slice(sentence.start, sentence.end)
        body = _INSTRUCTION_LEAD.sub("", _LEADING_ADDRESS.sub("", text, count=1), count=1)
        if verbs.match(body) or might_match(_YOU_CAN_NEEDLES, text) and \
                _YOU_CAN.search(text) and verbs.search(text):
            return (sentence.start, sentence.end)
    return None


_STEPS = (("next_step_dm", 40, "Moves the conversation to a private channel"),
          ("link", 35, "Gives a link"),
          ("next_step_action", 35, "Commits to a concrete action"),
          ("time_frame", 20, "Gives a time frame"))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 70 else text[:67] + "..."


_ASKS = re.compile(r"\?|\b(?:is it|are you|is this|was it|do you|did you|why|how|when|which|"
                   r"what|est-ce|pourquoi|comment|quand|quel\w*|oui ou non)\b")


@per_text
def _asks(folded_post: str) -> bool:
    """The customer asks something (read once per post, not once per reply)."""
    return _ASKS.search(folded_post) is not None


_YES_NO = re.compile(r"(?:^|[.!?:,]\s*)(?:yes|no|oui|non)\b[,:.!]")


def _answers_question(ctx: ReplyContext) -> bool:
    """The customer asked something and the reply answers it: a plain yes or no, or an
    approved fact, about what they wrote (echoing their words alone answers nothing)."""
    if not _asks(ctx.post_folded.text):
        return False
    shared = ctx.post_specifics & ctx.reply_stems
    if not shared:
        return False
    return ctx.shared_fact is not None or bool(_YES_NO.search(ctx.folded.text))


def resolution(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer or ctx.topic == "praise" or post_is_positive(ctx):
        return None
    score = 0
    findings: list[Finding] = []
    for name, points, label in _STEPS:
        span = ctx.first(name)
        if span:
            score += points
            findings.append(good(f"{label}: \"{ctx.quote(span)}\".", f"lexicon.{name}", span))
    instruction = _instruction(ctx)
    if instruction and score < 100:
        score += 35
        findings.append(good(f"Tells the customer what they can do: \"{ctx.quote(instruction)}\".",
                             "resolution.instruction", instruction))
    question = _question_to_customer(ctx)
    if question:
        score += 25
        findings.append(good(f"Asks what is needed to help: \"{ctx.quote(question)}\".",
                             "resolution.question", question))
    fact = ctx.shared_fact
    if fact is not None:
        score += 30
        findings.append(good(f"Gives the confirmed facts: \"{_short(fact)}\".",
                             "resolution.facts"))
    if _answers_question(ctx):
        score += 35
        findings.append(good("Answers what the customer asked, in their own terms.",
                             "resolution.answer"))
    vague = ctx.first("vague")
    if score == 0:
        message = ("Only a vague promise" if vague else "No next step") + \
            ": tell the customer what happens now (DM, link, action, time frame)."
        findings.append(bad(message, "resolution", vague))
    elif vague:
        findings.append(bad(f"\"{ctx.quote(vague)}\" is vague; the concrete step is what "
                                "counts.", "lexicon.vague", vague))
    return CriterionScore("resolution", min(100, score), tuple(findings))
