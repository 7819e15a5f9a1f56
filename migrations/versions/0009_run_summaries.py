"""Run summaries: what the trainer and HR pages read of each finished run (the standing score,
its evidence, its counts), kept up to date by the write path; filled here for every run
finished before. And an index for the latest reviews

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "run_summary",
        sa.Column("run_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("stopped_early", sa.Boolean(), nullable=False),
        sa.Column("voided", sa.Boolean(), nullable=False),
        sa.Column("overall", sa.Integer(), nullable=False),
        sa.Column("agility", sa.Integer(), nullable=True),
        sa.Column("coherence", sa.Integer(), nullable=True),
        sa.Column("efficiency", sa.Integer(), nullable=True),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.Column("graded", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["run.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("run_id"),
    )
    with op.batch_alter_table("run_summary", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_run_summary_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_run_summary_revision"), ["revision"], unique=False)
        batch_op.create_index("ix_run_summary_waiting", ["reviewed", "finished_at", "run_id"],
                              unique=False)

    with op.batch_alter_table("run_review", schema=None) as batch_op:
        batch_op.create_index("ix_run_review_recent", ["created_at", "id"], unique=False)

    # Every run finished before this revision: summarised by the same function as the write
    # path (each played version is parsed once; on the project's 2-core machine about 20 s of
    # CPU per 20,000 runs, 3.5 minutes for 200,000).
    from sqlmodel import Session

    from sandbox import talent_store

    with Session(bind=op.get_bind()) as session:
        talent_store.rebuild(session, commit=False)


def downgrade() -> None:
    with op.batch_alter_table("run_review", schema=None) as batch_op:
        batch_op.drop_index("ix_run_review_recent")
    with op.batch_alter_table("run_summary", schema=None) as batch_op:
        batch_op.drop_index("ix_run_summary_waiting")
        batch_op.drop_index(batch_op.f("ix_run_summary_revision"))
        batch_op.drop_index(batch_op.f("ix_run_summary_user_id"))
    op.drop_table("run_summary")
