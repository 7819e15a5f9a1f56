"""Sessions: a per-person session version, raised to sign someone out everywhere, and the
sign-ins ended by "Sign out" on their device

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 01:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_version", sa.Integer(), server_default="1", nullable=False)
        )
    op.create_table(
        "ended_sign_in",
        sa.Column("sign_in", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("sign_in"),
    )
    with op.batch_alter_table("ended_sign_in", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ended_sign_in_expires_at"), ["expires_at"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ended_sign_in", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ended_sign_in_expires_at"))
    op.drop_table("ended_sign_in")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
