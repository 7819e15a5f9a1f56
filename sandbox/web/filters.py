"""The template filters and globals every blueprint's pages use, registered by the factory."""

import re
from functools import lru_cache
from urllib.parse import quote

from flask import Flask

from sandbox import runs
from sandbox.core import vocabulary
from sandbox.practice_view.feed import compact_count

VERDICT_LABELS = {"pass": "Pass", "coach": "Coaching needed", "fail": "Not yet"}
TOPIC_LABELS = {"health_safety": "health and safety", "eco": "the environment"}


def dom_id(ref: str) -> str:
    """A feed id (`pile_on.0`, `noise.3`) as an HTML id that CSS selectors accept."""
    return "item-" + re.sub(r"[^A-Za-z0-9_-]", "-", ref)


def ago(at: int, now: int) -> str:
    """ "3m" as a social network writes the age of a post (simulated time)."""
    delta = max(0, now - at)
    if delta < 60:
        return f"{delta}s"
    return f"{delta // 60}m" if delta < 3600 else f"{delta // 3600}h"


def mmss(seconds: int | None) -> str:
    """A moment of a run as its clock shows it: "4:05"."""
    if seconds is None:
        return "—"
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def minutes(seconds: int | None) -> str:
    """A response time as people say it: "15 min", "1 h", "1 h 30 min", "45 s"."""
    if seconds is None:
        return "—"
    hours, rest = divmod(int(seconds), 3600)
    mins, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{mins} min" if mins else "",
             f"{secs} s" if secs else ""]
    return " ".join(part for part in parts if part) or "0 s"


@lru_cache(maxsize=1024)  # a scenario's few people, on every item they write
def avatar_src(svg: str | None) -> str:
    """Our generated SVG avatar as a data URI: shown by <img>, so it can never run a script."""
    return "data:image/svg+xml;charset=utf-8," + quote(svg or "", safe="")


def paragraphs(text: str | None) -> list[str]:
    """Text written in a YAML block as paragraphs: blank lines split, single newlines join."""
    blocks = (text or "").replace("\r\n", "\n").split("\n\n")
    return [" ".join(line.strip() for line in block.splitlines()).strip()
            for block in blocks if block.strip()]


def id_label(identifier: str | None) -> str:
    """An id a trainer wrote for machines ("quality_team") as words ("Quality team")."""
    text = str(identifier or "").replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def role_label(role: str) -> str:
    return role.upper() if role == "hr" else role.capitalize()


def verdict_label(verdict: str | None) -> str:
    return VERDICT_LABELS.get(verdict or "", verdict or "")


def topic_label(topic: str | None) -> str:
    return TOPIC_LABELS.get(topic or "") or id_label(topic).lower()


FILTERS = (dom_id, ago, compact_count, mmss, minutes, avatar_src, paragraphs, id_label, role_label,
           verdict_label, topic_label)


def init_app(app: Flask) -> None:
    for function in FILTERS:
        app.add_template_filter(function)
    # The domain's words and limits, so that no template retypes them (STYLE.md habit 15).
    app.jinja_env.globals.update(vocabulary=vocabulary, MAX_TEXT=runs.MAX_TEXT)
