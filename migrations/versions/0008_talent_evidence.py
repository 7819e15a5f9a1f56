"""Talent evidence: trainers void a run (or restore it) with a reason, kept as an audit trail

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-06 03:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_void",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("trainer_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("decision IN ('voided', 'restored')", name="ck_run_void_decision"),
        sa.ForeignKeyConstraint(["trainer_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "key", name="uq_run_void_key"),
    )
    with op.batch_alter_table("run_void", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_void_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("run_void", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_void_run_id"))
    op.drop_table("run_void")
