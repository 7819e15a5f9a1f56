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


from sandbox.web.practice import views  # noqa: E402,F401  (registers the routes)
