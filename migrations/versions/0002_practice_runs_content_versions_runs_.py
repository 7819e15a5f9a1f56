"""practice runs: content versions, runs, actions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 03:06:12.345958
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "content_version",
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("digest"),
    )
    with op.batch_alter_table("content_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_content_version_slug"), ["slug"], unique=False)

    op.create_table(
        "run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("scenario_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("guidelines_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("speed", sa.Float(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("paused_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("paused_seconds", sa.Float(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("finished_sim_s", sa.Integer(), nullable=True),
        sa.Column("overall", sa.Integer(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("scorer_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.ForeignKeyConstraint(
            ["guidelines_digest"],
            ["content_version.digest"],
        ),
        sa.ForeignKeyConstraint(
            ["scenario_digest"],
            ["content_version.digest"],
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_scenario_id"), ["scenario_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_run_user_id"), ["user_id"], unique=False)

    op.create_table(
        "run_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("to", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("sim_at", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=True),
        sa.Column("score", sa.JSON(), nullable=True),
        sa.Column("scorer_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "key", name="uq_run_action_key"),
    )
    with op.batch_alter_table("run_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_action_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("run_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_action_run_id"))

    op.drop_table("run_action")
    with op.batch_alter_table("run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_user_id"))
        batch_op.drop_index(batch_op.f("ix_run_scenario_id"))

    op.drop_table("run")
    with op.batch_alter_table("content_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_content_version_slug"))

    op.drop_table("content_version")
