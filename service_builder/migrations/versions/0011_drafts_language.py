"""the language an assisted draft is in: the caller's, kept with their call

Revision ID: 0011_drafts_language
Revises: 0010_drafts_ended
Create Date: 2026-11-30 06:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_drafts_language"
down_revision = "0010_drafts_ended"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("language")
