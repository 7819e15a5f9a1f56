"""Scenario lifecycle (draft, published, archived, with an audit trail) and saved versions

A library file with no recorded state is published, so the shipped scenarios and files added in
git keep working on an existing or fresh database (sandbox.lifecycle).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 03:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lifecycle_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('scenario', 'guidelines')", name="ck_lifecycle_change_kind"),
        sa.CheckConstraint("state IN ('draft', 'published', 'archived', 'deleted')",
                           name="ck_lifecycle_change_state"),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lifecycle_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lifecycle_change_key"), ["key"], unique=False)
    op.create_table(
        "content_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["digest"], ["content_version.digest"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("content_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_revision_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_revision_key"))
    op.drop_table("content_revision")
    with op.batch_alter_table("lifecycle_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lifecycle_change_key"))
    op.drop_table("lifecycle_change")
