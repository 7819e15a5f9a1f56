"""Score reviews: trainers confirm or override a run's score, with a comment (audit trail)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 16:12:48.571436
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewer_name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("decision", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("scorer_overall", sa.Integer(), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("dimensions", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.CheckConstraint(
            "decision IN ('confirmed', 'overridden')", name="ck_run_review_decision"
        ),
        sa.ForeignKeyConstraint(["reviewer_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_id", "key", name="uq_run_review_key"),
    )
    with op.batch_alter_table("run_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_review_run_id"), ["run_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("run_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_run_review_run_id"))

    op.drop_table("run_review")
