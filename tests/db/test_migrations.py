"""The migrations and the models describe the same database, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

from sandbox import db


def test_the_migrated_database_matches_the_models_exactly(database_url, engine_for):
    db.upgrade(database_url)
    engine = engine_for(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], "a model changed without a migration: add one with alembic"


def test_the_database_is_at_the_newest_migration_after_an_upgrade(database_url, engine_for):
    db.upgrade(database_url)
    head = ScriptDirectory.from_config(db.alembic_config(database_url)).get_current_head()
    assert db.current_revision(engine_for(database_url)) == head


def test_every_migration_can_be_undone(database_url, engine_for):
    from alembic import command

    db.upgrade(database_url)
    command.downgrade(db.alembic_config(database_url), "base")
    tables = set(inspect(engine_for(database_url)).get_table_names()) - {"alembic_version"}
    assert tables == set()
