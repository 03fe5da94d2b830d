"""staff searches' words, kept with the staff session instead of in addresses

Revision ID: 0014_staff_searches
Revises: 0013_staff_devices
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_staff_searches"
down_revision = "0013_staff_devices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_searches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=32), nullable=False),
        sa.Column("staff_session_id", sa.Integer(), nullable=False),
        sa.Column("words", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["staff_session_id"], ["staff_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("staff_searches", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_searches_staff_session_id"), ["staff_session_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_searches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_searches_staff_session_id"))
    op.drop_table("staff_searches")
