"""open the case of every submission sent before cases existed

Revision ID: 0004_backfill_cases
Revises: 0003_submission_language

Submissions stored before the casework release have no row in `cases`, so the inbox and
the resident's status page could not find them. This opens each one as `received`.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from service_builder.cases import search_text

revision = "0004_backfill_cases"
down_revision = "0003_submission_language"
branch_labels = None
depends_on = None

BATCH = 1000
cases = sa.table(
    "cases",
    sa.column("submission_id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("service_id", sa.String),
    sa.column("submitted_at", sa.DateTime),
    sa.column("status", sa.String),
    sa.column("search_text", sa.Text),
    sa.column("updated_at", sa.DateTime),
)
submissions = sa.table(
    "submissions",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("service_id", sa.String),
    sa.column("submitted_at", sa.DateTime),
    sa.column("answers", sa.JSON),
)
WITHOUT_CASE = (
    sa.select(submissions)
    .outerjoin(cases, cases.c.submission_id == submissions.c.id)
    .where(cases.c.submission_id.is_(None))
    .order_by(submissions.c.id)
)


def upgrade() -> None:
    connection = op.get_bind()
    result = connection.execute(WITHOUT_CASE)
    while rows := result.fetchmany(BATCH):
        connection.execute(cases.insert(), [_case(row) for row in rows])


def _case(row: Any) -> dict[str, Any]:
    answers = row.answers if isinstance(row.answers, dict) else json.loads(row.answers or "{}")
    return {
        "submission_id": row.id,
        "reference": row.reference,
        "service_id": row.service_id,
        "submitted_at": row.submitted_at,
        "status": "received",
        "search_text": search_text(row.reference, answers),
        "updated_at": row.submitted_at,
    }


def downgrade() -> None:
    """Nothing to undo: the cases opened here are indistinguishable from later ones."""
