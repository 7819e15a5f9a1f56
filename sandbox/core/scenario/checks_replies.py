"""Meaning pass for the reply conditions of branches (DESIGN.md section 5): criteria that exist
(SCN218), conditions some reply can meet (SCN319), and branches an earlier one shadows (SCN318).

Every reply condition is decided at the first reply to the event, so among an event's reply
branches the first in list order whose conditions hold wins: a later branch whose conditions
imply an earlier one's can never fire.
"""

from __future__ import annotations

from typing import Any

from sandbox.core.phrases import normalise
from sandbox.core.scenario.context import Context
from sandbox.core.scenario.suggest import hint_for
from sandbox.core.scoring.results import CRITERIA
from sandbox.core.scoring.rules import thresholds
from sandbox.core.vocabulary import REPLY_CONDITIONS

Conditions = dict[str, Any]
_SCORED = ("reply_score_below", "reply_score_at_least", "reply_breaks", "reply_passes")


def check_replies(ctx: Context) -> None:
    for path, event in ctx.events():
        earlier: list[tuple[int, Conditions]] = []
        pass_line = int(thresholds(ctx.guidelines, event.expect)[0])
        for index, branch in enumerate(event.branches):
            when = dict(branch.when.conditions)
            if not set(when) <= REPLY_CONDITIONS:
                continue
            where = (*path, "branches", index, "when")
            if not _known_criteria(ctx, where, when):
                continue
            _scored_without_expectation(ctx, where, event, when)
            impossible = _never_met(when, pass_line)
            if impossible:
                ctx.add("SCN319", ctx.value_at(*where),
                        f"no reply can meet this branch: {impossible}",
                        "remove one of the conditions, or split them into two branches")
                continue
            shadow = next((number for number, before in earlier
                           if _implies(when, before, pass_line)), None)
            if shadow is not None and not _score_only_pair(when, earlier, shadow):
                ctx.add("SCN318", ctx.value_at(*where),
                        f"this branch is shadowed by branch {shadow + 1}: every reply it "
                        "catches meets that earlier branch, which fires first",
                        "put the narrower branch first, or remove this one")
            earlier.append((index, when))


def _known_criteria(ctx: Context, where: tuple, when: Conditions) -> bool:
    fine = True
    for name in ("reply_breaks", "reply_passes"):
        value = when.get(name)
        for number, criterion in enumerate(_criteria(value)):
            if criterion not in CRITERIA:
                at = (*where, name) if isinstance(value, str) else (*where, name, number)
                ctx.add("SCN218", ctx.value_at(*at),
                        f'unknown scorer criterion "{criterion}"',
                        hint_for(criterion, CRITERIA),
                        "criteria: " + ", ".join(CRITERIA))
                fine = False
    return fine


def _scored_without_expectation(ctx: Context, where: tuple, event: Any,
                                when: Conditions) -> None:
    scored = [name for name in _SCORED if name in when]
    if scored and (event.expect is None or event.kind == "internal"):
        ctx.add("SCN311", ctx.value_at(*where, scored[0]),
                f"`{scored[0]}` needs a scored reply, but this event has nothing to score",
                "add an `expect:` block to the event, or branch on reply_mentions, "
                "no_reply_within or an action")


def _criteria(value: Any) -> list[str]:
    if value is None or value is True:
        return []
    return [value] if isinstance(value, str) else list(value)


def _phrases(value: Any) -> set[str]:
    return {normalise(p).strip() for p in ([value] if isinstance(value, str) else value)}


def _never_met(when: Conditions, pass_line: int) -> str:
    """Why no reply can meet all of `when` together, or "" when some reply can."""
    below, at_least = when.get("reply_score_below"), when.get("reply_score_at_least")
    if below == 0:
        return "no score is below 0"
    if below is not None and at_least is not None and below <= at_least:
        return f"no score is both below {below} and at least {at_least}"
    if below is not None and when.get("reply_passes") is True and below <= pass_line:
        return f"a reply that passes scores at least {pass_line}, never below {below}"
    said = _phrases(when["reply_mentions"]) if "reply_mentions" in when else set()
    if "reply_lacks" in when and said and said <= _phrases(when["reply_lacks"]):
        return "it asks the reply to say a phrase and to lack the same phrase"
    both = set(_criteria(when.get("reply_breaks"))) & set(_criteria(when.get("reply_passes")))
    if both:
        return f'a reply cannot both break and pass "{sorted(both)[0]}"'
    return ""


def _implies(later: Conditions, earlier: Conditions, pass_line: int) -> bool:
    """Every reply meeting `later` meets `earlier` too (a safe under-estimate)."""
    return all(_meets(later, name, value, pass_line) for name, value in earlier.items())


def _meets(later: Conditions, name: str, value: Any, pass_line: int) -> bool:
    """Whether every reply meeting `later` meets the condition `name: value`."""
    if name == "reply_score_at_least":
        if value == 0:  # every reply of a run is graded: any reply scores at least 0
            return True
        return (later.get("reply_score_at_least", -1) >= value
                or (later.get("reply_passes") is True and pass_line >= value))
    if name == "reply_score_below":
        return later.get("reply_score_below", 101) <= value
    if name == "reply_passes" and value is True:
        return (later.get("reply_passes") is True
                or later.get("reply_score_at_least", -1) >= pass_line)
    if name == "reply_mentions":
        return "reply_mentions" in later and \
            _phrases(later["reply_mentions"]) <= _phrases(value)
    if name == "reply_lacks":
        return "reply_lacks" in later and _phrases(value) <= _phrases(later["reply_lacks"])
    if name == "reply_breaks":
        mine = _criteria(later.get("reply_breaks"))
        return bool(mine) and set(mine) <= set(_criteria(value))
    if name == "reply_passes":
        return set(_criteria(value)) <= set(_criteria(later.get("reply_passes")))
    return False


def _score_only_pair(when: Conditions, earlier: list[tuple[int, Conditions]],
                     shadow: int) -> bool:
    """Score branches alone are SCN307's (an older code): reported once, there."""
    before = dict(earlier)[shadow]
    scores = {"reply_score_below", "reply_score_at_least"}
    return len(when) == 1 and len(before) == 1 and set(when) <= scores and set(before) <= scores
