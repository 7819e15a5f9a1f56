"""Did-you-mean: alias tables for the words trainers bring from elsewhere, then edit distance."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from rapidfuzz import fuzz, process

ALIASES: dict[str, str] = {
    # kinds
    "tweet": "post",
    "status": "post",
    "publication": "post",
    "reply": "comment",
    "answer": "comment",
    "pm": "dm",
    "message": "dm",
    "direct_message": "dm",
    "private": "dm",
    "private_message": "dm",
    "inbox": "dm",
    "note": "internal",
    "team": "internal",
    "tag": "mention",
    "at": "mention",
    # actions
    "respond": "reply",
    "retweet": "like",
    "favourite": "like",
    "favorite": "like",
    "heart": "like",
    "escalation": "escalate",
    "forward": "escalate",
    "report": "escalate",
    "delete": "hide",
    "remove": "hide",
    "moderate": "hide",
    "skip": "ignore",
    "none": "ignore",
    "dm": "move_to_dm",
    "to_dm": "move_to_dm",
    "move-to-dm": "move_to_dm",
    "private_reply": "move_to_dm",
    # networks, languages, locales
    "x": "twitter",
    "tw": "twitter",
    "fb": "facebook",
    "meta": "facebook",
    "english": "en",
    "french": "fr",
    "francais": "fr",
    "en_gb": "en",
    "en_us": "en",
    "fr_fr": "fr",
    "en_UK": "en_GB",
    "en-UK": "en_GB",
    "en-GB": "en_GB",
    "en-US": "en_US",
    "fr-FR": "fr_FR",
    "uk": "en_GB",
    "gb": "en_GB",
    "us": "en_US",
    "fr": "fr_FR",
    "de": "de_DE",
    # difficulty, virality
    "easy": "beginner",
    "medium": "intermediate",
    "hard": "advanced",
    "expert": "advanced",
    "normal": "intermediate",
    "med": "medium",
    "mid": "medium",
    "viral": "high",
    # topics
    "health": "health_safety",
    "safety": "health_safety",
    "health-safety": "health_safety",
    "environment": "eco",
    "ecology": "eco",
    "green": "eco",
    "packaging": "eco",
    "shipping": "delivery",
    "price": "pricing",
    "prices": "pricing",
    "customer_service": "service",
    "support": "service",
    "compliment": "praise",
    "thanks": "praise",
    "misc": "other",
    # keys
    "time": "at",
    "when_": "when",
    "message_text": "text",
    "body": "text",
    "content": "text",
    "author": "from",
    "user": "from",
    "persona": "from",
    "sender": "from",
    "parent": "reply_to",
    "in_reply_to": "reply_to",
    "expected": "expect",
    "expects": "expect",
    "expectations": "expect",
    "branch": "branches",
    "go_to": "goto",
    "next": "goto",
    "then": "goto",
    "delay": "after",
    "type": "kind",
    "lang": "language",
    "locales": "locale",
    "follower_count": "followers",
    "network_name": "network",
    "must_say": "must_mention",
    "must_include": "must_mention",
    "mention": "must_mention",
    "never_say": "must_not_say",
    "forbidden": "must_not_say",
    "answer_within": "reply_within",
    "respond_within": "reply_within",
    "score": "pass_score",
    "model_reply": "model_answer",
    "example_answer": "model_answer",
    "faker": "fake",
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace("-", "_")


def did_you_mean(word: object, choices: Iterable[str], *, cutoff: float = 70) -> str | None:
    """The choice a person most likely meant by `word`, or None."""
    if not isinstance(word, str) or not word:
        return None
    options = [c for c in choices if isinstance(c, str)]
    if not options:
        return None
    alias = ALIASES.get(word) or ALIASES.get(word.lower())
    if alias in options:
        return alias
    folded = {_fold(c): c for c in options}
    if _fold(word) in folded and folded[_fold(word)] != word:
        return folded[_fold(word)]
    match = process.extractOne(_fold(word), list(folded), scorer=fuzz.ratio, score_cutoff=cutoff)
    return folded[match[0]] if match else None


def hint_for(word: object, choices: Iterable[str], *, cutoff: float = 70) -> str:
    guess = did_you_mean(word, choices, cutoff=cutoff)
    return f'did you mean "{guess}"?' if guess else ""


def slugify(text: object) -> str:
    folded = _fold(str(text)).strip()
    out = "".join(c if c.isalnum() or c in "_-" else "_" for c in folded).strip("_")
    while "__" in out:
        out = out.replace("__", "_")
    if not out or not out[0].isalpha():
        out = "x" + out
    return out
