"""save and come back later: return links, and deliveries owed for a draft

Revision ID: 0002_h_save
Revises: 0004_backfill_cases
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_h_save"
down_revision = "0004_backfill_cases"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "return_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email_salt", sa.String(length=32), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["draft_id"], ["drafts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("return_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_return_links_draft_id"), ["draft_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_return_links_expires_at"), ["expires_at"], unique=False
        )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("draft_id", sa.Integer(), nullable=True))
        batch_op.alter_column("submission_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_deliveries_draft_id"), ["draft_id"], unique=False)
        batch_op.create_foreign_key("fk_deliveries_draft_id_drafts", "drafts", ["draft_id"], ["id"])


def downgrade() -> None:
    op.execute("DELETE FROM deliveries WHERE submission_id IS NULL")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint("fk_deliveries_draft_id_drafts", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_deliveries_draft_id"))
        batch_op.alter_column("submission_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("draft_id")
    with op.batch_alter_table("return_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_return_links_expires_at"))
        batch_op.drop_index(batch_op.f("ix_return_links_draft_id"))
    op.drop_table("return_links")
