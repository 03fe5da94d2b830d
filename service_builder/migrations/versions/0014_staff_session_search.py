"""the cases search's words, kept with the staff session instead of in addresses

Revision ID: 0014_staff_session_search
Revises: 0013_staff_devices
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_staff_session_search"
down_revision = "0013_staff_devices"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("case_search", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_column("case_search")
