import click
from flask import current_app
from flask.cli import with_appcontext

from sandbox import db, demo
from sandbox.core.scoring import SCORER_VERSION
from sandbox.db import get_session
from sandbox.rescoring import rescore


@click.command(
    "demo",
    help="Migrate the database, add the demo accounts and some practice history, print logins.",
)
@with_appcontext
def demo_command() -> None:
    db.upgrade(current_app.config["DATABASE_URL"])
    created = demo.load_demo_users(get_session())
    history = demo.load_demo_history(get_session(), current_app.config["SCENARIOS_DIR"])
    demo.load_demo_cohort(get_session(), current_app.config["SCENARIOS_DIR"])
    # a database made by an earlier version keeps its history, graded by the current scorer
    regraded = len(rescore(get_session()).regraded)
    again = f", {regraded} re-graded by scorer {SCORER_VERSION}" if regraded else ""
    click.echo(f"Demo accounts ready ({len(created)} new, {history} runs added"
               f"{again}). Sign in with one of:")
    for login in demo.DEMO_LOGINS:
        click.echo(f"  {', '.join(login.roles):<8} {login.email:<22} password: {login.password}")
    click.echo(
        f"  ...and {demo.GENERATED_TRAINEES} generated trainees (password: "
        f"{demo.GENERATED_PASSWORD}); see them with: sandbox users list"
    )
