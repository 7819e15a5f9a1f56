"""Cohort owners: the trainers who may change a cohort (existing cohorts start with none)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 01:40:00.000000

Cohorts created before this migration have no owner: every trainer may still change them, as
before, until someone adds an owner on the cohort's page (docs/security.md, "Cohort ownership").
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_owner",
        sa.Column("cohort_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["cohort_id"], ["cohort.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("cohort_id", "user_id"),
    )
    with op.batch_alter_table("cohort_owner", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cohort_owner_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cohort_owner", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_owner_user_id"))

    op.drop_table("cohort_owner")
