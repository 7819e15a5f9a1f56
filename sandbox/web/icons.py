"""Our own icons (sandbox/static/icons/sprite.svg) and an item's counts, as template globals.

They were Jinja macros, imported by every partial that shows them: a live update renders those
partials for each item whose counts moved, and importing a macro costs more than the markup it
writes. Each returns safe markup; every value it writes is escaped.
"""

from flask import Flask, g, url_for
from markupsafe import Markup, escape

from sandbox.practice_view.feed import compact_count
from sandbox.web.filters import dom_id


def _sprite() -> str:
    """The sprite's address, once per request (behind a proxy's prefix, url_for knows it)."""
    found = g.get("icon_sprite")
    if found is None:
        found = g.icon_sprite = url_for("static", filename="icons/sprite.svg")
    return found


def icon(name: str) -> Markup:
    """One symbol of the sprite, drawn in the text colour; `name` is a symbol id."""
    return Markup('<svg class="icon" aria-hidden="true" focusable="false">'
                  f'<use href="{escape(_sprite())}#{escape(name)}"></use></svg>')


def count(item, name: str, value: int, oob: bool = False) -> Markup:
    """One count of an item, kept in step by the live update (practice/_counters.html)."""
    swap = ' hx-swap-oob="true"' if oob else ""
    shown = compact_count(value) if value else ""
    return Markup(f'<span id="{escape(name)}-{escape(dom_id(item.id))}" class="n"{swap}>'
                  f"{escape(shown)}</span>")


COUNT_NAMES = ("replies", "shares", "likes", "views")  # as practice/_counters.html orders them


def moved_counts(counts) -> Markup:
    """The counts a live update redraws on Twitter, out of band, for each (item, what moved)
    whose heat stayed put (practice/_counters.html draws those whose heat moved): a page late
    in a run redraws a hundred or more of them on every poll."""
    return Markup("").join(count(item, name, getattr(item.engagement, name), oob=True)
                           for item, redraw in counts if "heat" not in redraw
                           for name in COUNT_NAMES if name in redraw)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(icon=icon, count=count, moved_counts=moved_counts)
