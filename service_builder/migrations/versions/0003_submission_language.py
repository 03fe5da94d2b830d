"""the language a submission was made in

Revision ID: 0003_submission_language
Revises: 0002_h_cc
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_submission_language"
down_revision = "0002_h_cc"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), server_default="en", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("language")
