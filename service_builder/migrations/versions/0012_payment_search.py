"""find a paid form's case by its payment references

Revision ID: 0012_payment_search
Revises: 0011_drafts_language

A case's `search_text` now holds its submission's payment reference and GOV.UK Pay payment
id too (`cases.search_text`). This rebuilds it for the cases of paid submissions sent
before, so that the inbox finds them the same way.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from service_builder.cases import search_text

revision = "0012_payment_search"
down_revision = "0011_drafts_language"
branch_labels = None
depends_on = None

BATCH = 1000
cases = sa.table("cases", sa.column("submission_id", sa.Integer), sa.column("search_text", sa.Text))
submissions = sa.table(
    "submissions",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("answers", sa.JSON),
    sa.column("payment", sa.JSON),
)
PAID = (
    sa.select(submissions)
    .join(cases, cases.c.submission_id == submissions.c.id)
    .where(
        submissions.c.payment.is_not(None),
        sa.cast(submissions.c.payment, sa.Text) != "null",  # no payment, as the JSON column
    )  # keeps it: only paid forms are read
    .order_by(submissions.c.id)
    .execution_options(stream_results=True, yield_per=BATCH)  # a server-side cursor where
)  # the database has one: constant memory however many were paid
REWRITE = (
    cases.update()
    .where(cases.c.submission_id == sa.bindparam("paid_id"))
    .values(search_text=sa.bindparam("text"))
)


def upgrade() -> None:
    connection = op.get_bind()
    result = connection.execute(PAID)
    while rows := result.fetchmany(BATCH):
        texts = [text for row in rows if (text := _text(row)) is not None]
        if texts:
            connection.execute(REWRITE, texts)


def _text(row: Any) -> dict[str, Any] | None:
    """The case's new search text; None for a submission without a payment (stored as JSON
    `null`, which SQL's IS NOT NULL lets through)."""
    answers, payment = (
        json.loads(value) if isinstance(value, str) else value
        for value in (row.answers, row.payment)
    )
    if not payment:
        return None
    return {"paid_id": row.id, "text": search_text(row.reference, answers or {}, payment)}


def downgrade() -> None:
    """Nothing to undo: the longer search text finds all that the shorter one did."""
