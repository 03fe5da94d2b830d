"""browsers that signed in to a staff account, for device cookies against lock-out abuse

Revision ID: 0013_staff_devices
Revises: 0012_payment_search
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_staff_devices"
down_revision = "0012_payment_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_devices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["staff_user_id"], ["staff_users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("staff_devices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_staff_devices_staff_user_id"), ["staff_user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_devices_staff_user_id"))
    op.drop_table("staff_devices")
