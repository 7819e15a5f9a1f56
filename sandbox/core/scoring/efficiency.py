"""Efficiency: engaged and customer-centred — empathy, politeness, customer focus, resolution.

Privacy and the expected actions (protocol criteria) live in `protocol.py`.
"""

from __future__ import annotations

import re

from sandbox.core.phrases import fold
from sandbox.core.scoring.context import ReplyContext
from sandbox.core.scoring.results import CriterionScore, Finding, count
from sandbox.core.scoring.sentiment import customer_is_upset, post_is_positive


def empathy(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer or not customer_is_upset(ctx):
        return None
    score = 0
    findings: list[Finding] = []
    apology, feeling = ctx.first("apology"), ctx.first("empathy")
    if apology:
        score += 45
        findings.append(Finding(f"Apologises: \"{ctx.quote(apology)}\".", "lexicon.apology",
                                apology))
    if feeling and feeling != apology:
        score += 45
        findings.append(Finding(f"Acknowledges how the customer feels: \"{ctx.quote(feeling)}\".",
                                "lexicon.empathy", feeling))
    elif feeling:
        score += 30
        findings.append(Finding(f"Shows feeling: \"{ctx.quote(feeling)}\".", "lexicon.empathy",
                                feeling))
    if ctx.post_specifics & ctx.reply_stems:
        score += 10
        findings.append(Finding("Refers to what actually happened to the customer.",
                                "empathy.specifics"))
    for span in ctx.hits("dismissive")[:2]:
        score -= 40
        findings.append(Finding(f"\"{ctx.quote(span)}\" dismisses an upset customer.",
                                "lexicon.dismissive", span))
    for span in ctx.hits("cheerful")[:2]:
        score -= 25
        findings.append(Finding(f"\"{ctx.quote(span)}\" sounds cheerful to someone who is upset.",
                                "lexicon.cheerful", span))
    if not apology and not feeling:
        findings.append(Finding("The customer is upset and the reply neither apologises nor "
                                "acknowledges it.", "empathy"))
    return CriterionScore("empathy", max(0, min(100, score)), tuple(findings))


_LEADING_ADDRESS = re.compile(r"^[^,:]{0,30}[,:]\s*")


def _imperatives(ctx: ReplyContext) -> list[tuple[int, int]]:
    """Sentences that open with a bare order ("Check your statement.") and no softener."""
    pattern = ctx.lexicon.pattern("imperatives")
    found: list[tuple[int, int]] = []
    if pattern is None or not ctx.hits("imperatives"):
        return found
    softeners = ctx.hits("please") + ctx.hits("hedging")
    for sentence in ctx.sentences:
        # skip a leading greeting or name: "Hi Tom, check ..." still orders
        text = fold(sentence.text).text
        body = _LEADING_ADDRESS.sub("", text, count=1)
        if pattern.match(body) and not any(sentence.start <= s < sentence.end
                                           for s, _e in softeners):
            found.append((sentence.start, sentence.end))
    return found


_POLITE = (("gratitude", "Thanks the customer"), ("greeting", "Greets the customer"),
           ("apology", "Apologises"), ("hedging", "Asks rather than orders"),
           ("please", "Says please"))


def politeness(ctx: ReplyContext) -> CriterionScore | None:
    score, critical = 60, False
    findings: list[Finding] = []
    bonus = 0
    for name, label in _POLITE:
        span = ctx.first(name)
        if span and bonus < 40:
            bonus += 10
            findings.append(Finding(f"{label}: \"{ctx.quote(span)}\".", f"lexicon.{name}", span))
    score += bonus
    orders = _imperatives(ctx)
    if orders:
        score -= min(30, 10 * len(orders))
        verb = "gives" if len(orders) == 1 else "give"
        findings.append(Finding(f"{count(len(orders), 'sentence')} {verb} a bare order: soften "
                                "with \"could you\" or \"please\".", "lexicon.imperatives",
                                orders[0]))
    penalties = (("blame", 35, "blames the customer"), ("sarcasm", 30, "sounds sarcastic"),
                 ("dismissive", 30, "is dismissive"), ("rude", 40, "is rude"))
    for name, cost, why in penalties:
        for span in ctx.hits(name)[:2]:
            score -= cost
            findings.append(Finding(f"\"{ctx.quote(span)}\" {why}.", f"lexicon.{name}", span))
    insults = ctx.hits("insults")
    if insults:
        critical = True
        score = 0
        findings.append(Finding(f"\"{ctx.quote(insults[0])}\" insults the customer: never "
                                "acceptable in public.", "lexicon.insults", insults[0]))
    return CriterionScore("politeness", max(0, min(100, score)), tuple(findings),
                          critical=critical)


def customer_focus(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer:
        return None
    findings: list[Finding] = []
    score = 0
    name = ctx.customer_mention
    if name:
        score += 20
        findings.append(Finding(f"Addresses the customer personally: \"{ctx.quote(name)}\".",
                                "customer_focus.name", name))
    elif ctx.customer_names:
        findings.append(Finding("Does not use the customer's name or handle.",
                                "customer_focus.name"))
    shared = ctx.post_specifics & ctx.reply_stems
    if shared:
        score += 15 if len(shared) == 1 else 25 if len(shared) == 2 else 35
        findings.append(Finding(f"Picks up {count(len(shared), 'detail')} from the customer's "
                                "post.", "customer_focus.specifics"))
    elif ctx.post_specifics:
        findings.append(Finding("Says nothing specific about the customer's actual problem.",
                                "customer_focus.specifics"))
    you, we = len(ctx.hits("you_pronouns")), len(ctx.hits("we_pronouns"))
    share = 0.5 if you + we == 0 else you / (you + we)
    score += round(45 * min(1.0, share / 0.5))
    if we > you:
        findings.append(Finding(f"Talks about \"we/I\" ({we}x) more than about \"you\" ({you}x).",
                                "customer_focus.pronouns"))
    else:
        findings.append(Finding(f"Talks to the customer (\"you\" {you}x, \"we/I\" {we}x).",
                                "customer_focus.pronouns"))
    for span in ctx.hits("self_promotion")[:2]:
        score -= 20
        findings.append(Finding(f"\"{ctx.quote(span)}\" promotes the brand instead of helping.",
                                "lexicon.self_promotion", span))
    return CriterionScore("customer_focus", max(0, min(100, score)), tuple(findings))


def _question_to_customer(ctx: ReplyContext) -> tuple[int, int] | None:
    starters = ctx.lexicon.pattern("question_starters")
    for sentence in ctx.sentences:
        if not sentence.text.endswith("?"):
            continue
        span = (sentence.start, sentence.end)
        inside = [h for h in ctx.hits("you_pronouns") if span[0] <= h[0] < span[1]]
        if inside or (starters and starters.search(fold(sentence.text).text)):
            return span
    return None


_STEPS = (("next_step_dm", 40, "Moves the conversation to a private channel"),
          ("link", 35, "Gives a link"),
          ("next_step_action", 35, "Commits to a concrete action"),
          ("time_frame", 20, "Gives a time frame"))


def resolution(ctx: ReplyContext) -> CriterionScore | None:
    if not ctx.to_customer or ctx.topic == "praise" or post_is_positive(ctx):
        return None
    score = 0
    findings: list[Finding] = []
    for name, points, label in _STEPS:
        span = ctx.first(name)
        if span:
            score += points
            findings.append(Finding(f"{label}: \"{ctx.quote(span)}\".", f"lexicon.{name}", span))
    question = _question_to_customer(ctx)
    if question:
        score += 25
        findings.append(Finding(f"Asks what is needed to help: \"{ctx.quote(question)}\".",
                                "resolution.question", question))
    vague = ctx.first("vague")
    if score == 0:
        message = ("Only a vague promise" if vague else "No next step") + \
            ": tell the customer what happens now (DM, link, action, time frame)."
        findings.append(Finding(message, "resolution", vague))
    elif vague:
        findings.append(Finding(f"\"{ctx.quote(vague)}\" is vague; the concrete step is what "
                                "counts.", "lexicon.vague", vague))
    return CriterionScore("resolution", min(100, score), tuple(findings))
