import click
from flask import current_app
from flask.cli import with_appcontext

from sandbox import db


@click.group("db", help="Create and migrate the database.")
def db_group():
    pass


@db_group.command("upgrade", help="Apply every migration the database has not had yet.")
@click.option("--revision", default="head", show_default=True, help="Migrate to this revision.")
@with_appcontext
def upgrade(revision: str) -> None:
    url = current_app.config["DATABASE_URL"]
    db.upgrade(url, revision)
    click.echo(f"Database is at revision {db.current_revision(db.get_engine())}: {_safe(url)}")


@db_group.command("current", help="Print the database's migration revision.")
@with_appcontext
def current() -> None:
    click.echo(db.current_revision(db.get_engine()) or "empty (run: sandbox db upgrade)")


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
