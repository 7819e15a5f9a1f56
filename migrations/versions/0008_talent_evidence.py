"""Talent evidence: trainers void a run (or restore it) with a reason, kept as an audit trail;
and dispute a finding or a criterion score (calibration of the scorer)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 03:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
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


    op.create_table(
        "finding_dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=True),
        sa.Column("trainer_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("event_id", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("criterion", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("finding", sa.Integer(), nullable=True),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("scorer_version", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('wrong', 'too_high', 'too_low')",
                           name="ck_finding_dispute_kind"),
        sa.CheckConstraint("label IS NULL OR label IN ('good', 'weak', 'harmful')",
                           name="ck_finding_dispute_label"),
        sa.ForeignKeyConstraint(["trainer_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "key", name="uq_finding_dispute_key"),
    )
    with op.batch_alter_table("finding_dispute", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_dispute_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("finding_dispute", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_dispute_run_id"))
    op.drop_table("finding_dispute")
    with op.batch_alter_table("run_void", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_void_run_id"))
    op.drop_table("run_void")
