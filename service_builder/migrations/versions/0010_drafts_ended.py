"""drafts ended by an agent: `ended_at`, when a call ended without sending

Revision ID: 0010_drafts_ended
Revises: 0002_h_fileremove
Create Date: 2026-11-30 01:21:32.866847
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_drafts_ended"
down_revision = "0002_h_fileremove"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("ended_at")
