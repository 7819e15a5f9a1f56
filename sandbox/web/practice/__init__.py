from flask import Blueprint

bp = Blueprint("practice", __name__)



@bp.app_template_filter("dom_id")
def _dom_id(ref: str) -> str:
    from sandbox.web.practice.workspace import dom_id

    return dom_id(ref)


@bp.app_template_filter("ago")
def _ago(at: int, now: int) -> str:
    from sandbox.web.practice.workspace import ago

    return ago(at, now)


@bp.app_template_filter("avatar_src")
def _avatar_src(svg: str | None) -> str:
    """Our generated SVG avatar as a data URI: shown by <img>, so it can never run a script."""
    from urllib.parse import quote

    return "data:image/svg+xml;charset=utf-8," + quote(svg or "", safe="")


@bp.app_template_filter("mmss")
def _mmss(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    minutes, secs = divmod(max(0, int(seconds)), 60)
    return f"{minutes}:{secs:02d}"



@bp.app_template_filter("paragraphs")
def _paragraphs(text: str | None) -> list[str]:
    """Text written in a YAML block as paragraphs: blank lines split, single newlines join."""
    blocks = (text or "").replace("\r\n", "\n").split("\n\n")
    return [" ".join(line.strip() for line in block.splitlines()).strip()
            for block in blocks if block.strip()]


@bp.app_template_filter("minutes")
def _minutes(seconds: int | None) -> str:
    """A response time as people say it: "15 min", "1 h", "1 h 30 min", "45 s"."""
    if seconds is None:
        return "—"
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else "",
             f"{secs} s" if secs else ""]
    return " ".join(part for part in parts if part) or "0 s"


from sandbox.web.practice import views  # noqa: E402,F401  (registers the routes)
