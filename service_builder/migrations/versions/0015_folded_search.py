"""find callers as staff hear them: answers folded, and unsent assisted drafts' own search text

Revision ID: 0015_folded_search
Revises: 0014_staff_searches

A case's `search_text` now also holds each answer without accents or apostrophes
(`cases.search_text`), so 'siobhan oneill' finds Siobhán O'Neill. This rebuilds it for every
case. An agent's unsent draft gets a search text of its own (`drafts.search_text`, kept as
it is saved), so Find reads its answers and never the names they are stored under: it is
written here for the assisted drafts not yet sent. (The labels of choices, which new search
texts also hold, need the service's definition, which a migration does not read: cases
opened before are found by what their choices store, not their labels; a draft gains its
labels when it is next saved.)
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

from service_builder.cases import search_text

revision = "0015_folded_search"
down_revision = "0014_staff_searches"
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
    sa.column("draft_id", sa.Integer),
)
drafts = sa.table(
    "drafts",
    sa.column("id", sa.Integer),
    sa.column("reference", sa.String),
    sa.column("channel", sa.String),
    sa.column("data", sa.JSON),
    sa.column("search_text", sa.Text),
)
SENT = (
    sa.select(
        submissions.c.id, submissions.c.reference, submissions.c.answers, submissions.c.payment
    )
    .join(cases, cases.c.submission_id == submissions.c.id)
    .order_by(submissions.c.id)
    .execution_options(stream_results=True, yield_per=BATCH)  # constant memory
)
UNSENT = (
    sa.select(drafts.c.id, drafts.c.reference, drafts.c.data)
    .outerjoin(submissions, submissions.c.draft_id == drafts.c.id)
    .where(drafts.c.channel == "assisted", submissions.c.id.is_(None))
    .order_by(drafts.c.id)
    .execution_options(stream_results=True, yield_per=BATCH)
)


def _rewrite(table: sa.TableClause, key: sa.ColumnClause[Any]) -> sa.Update:
    """An UPDATE of one row's search text, by its key (`row_id`)."""
    return (
        table.update().where(key == sa.bindparam("row_id")).values(search_text=sa.bindparam("text"))
    )


CASE_TEXT = _rewrite(cases, cases.c.submission_id)
DRAFT_TEXT = _rewrite(drafts, drafts.c.id)


def upgrade() -> None:
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=True))
    connection = op.get_bind()
    for query, write, text_of in ((SENT, CASE_TEXT, _case_text), (UNSENT, DRAFT_TEXT, _draft_text)):
        result = connection.execute(query)
        while rows := result.fetchmany(BATCH):
            connection.execute(write, [text_of(row) for row in rows])


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _case_text(row: Any) -> dict[str, Any]:
    answers, payment = _json(row.answers), _json(row.payment)
    return {"row_id": row.id, "text": search_text(row.reference, answers or {}, payment or None)}


def _draft_text(row: Any) -> dict[str, Any]:
    answers = (_json(row.data) or {}).get("answers") or {}
    return {"row_id": row.id, "text": search_text(row.reference or "", answers)}


def downgrade() -> None:
    """The drafts' column goes; the cases' longer search text finds all the shorter did."""
    with op.batch_alter_table("drafts", schema=None) as batch_op:
        batch_op.drop_column("search_text")
