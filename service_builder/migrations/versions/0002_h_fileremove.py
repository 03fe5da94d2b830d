"""one live GOV.UK Pay payment per draft: a partial unique index on payments

Revision ID: 0002_h_fileremove
Revises: 0002_h_pay
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_h_fileremove"
down_revision = "0002_h_pay"
branch_labels = None
depends_on = None

LIVE = "status IN ('capturable', 'created', 'started', 'submitted')"


def upgrade() -> None:
    # A draft that the old race gave two live payments keeps its latest one live, as
    # `start_payment` (which reads only the latest) already treated it.
    op.execute(
        f"UPDATE payments SET status = 'superseded' WHERE {LIVE} AND id NOT IN "
        f"(SELECT max_id FROM (SELECT MAX(id) AS max_id FROM payments WHERE {LIVE} "
        "GROUP BY draft_id) AS latest)"
    )
    op.create_index(
        "uq_payments_live_draft",
        "payments",
        ["draft_id"],
        unique=True,
        sqlite_where=sa.text(LIVE),
        postgresql_where=sa.text(LIVE),
    )


def downgrade() -> None:
    op.drop_index("uq_payments_live_draft", table_name="payments")
