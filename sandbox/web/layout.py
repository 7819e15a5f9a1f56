"""What every page shares: the navigation by role and the page-or-fragment choice."""

from dataclasses import dataclass

from flask import Flask, render_template
from flask_htmx import HTMX
from flask_login import current_user

htmx = HTMX()


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    roles: tuple[str, ...]  # empty: every signed-in user
    description: str = ""


NAVIGATION = (
    NavItem("Dashboard", "home.dashboard", ()),
    NavItem(
        "Practice", "practice.index", ("trainee",),
        "Play a customer situation on a simulated feed, then read your debrief.",
    ),
    NavItem(
        "Scenarios", "author.index", ("trainer",),
        "The scenario library, with every validator finding at its line.",
    ),
    NavItem(
        "Cohorts", "cohorts.index", ("trainer", "admin"),
        "Group trainees, invite newcomers, assign scenarios and follow everyone's progress.",
    ),
    NavItem(
        "Reviews", "review.index", ("trainer",),
        "Read finished runs, then confirm the scorer's result or change it with a comment.",
    ),
    NavItem(
        "Calibration", "review.calibration_page", ("trainer", "admin"),
        "How often trainers agree with the scorer: verdicts, scores and disputed findings.",
    ),
    NavItem(
        "Talent", "talent.board", ("hr",),
        "Every trainee's A.C.E. profile, percentiles, trend and flags, with the evidence.",
    ),
    NavItem(
        "Users", "admin.users", ("admin",), "Add people, change their roles, deactivate accounts."
    ),
)


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAVIGATION if not item.roles or user.has_role(*item.roles)]


def render(template: str, fragment: str | None = None, **context) -> str:
    """The whole page, or only `fragment` (a partial the page includes) for an htmx request."""
    if fragment and htmx and not htmx.boosted:
        return render_template(fragment, **context)
    return render_template(template, **context)


def init_app(app: Flask) -> None:
    htmx.init_app(app)

    @app.context_processor
    def _layout_context():
        return {"navigation": navigation_for(current_user)}
