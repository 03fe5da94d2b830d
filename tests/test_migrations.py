"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, inspect, text

from service_builder.database import alembic_config, upgrade
from service_builder.models import db
from tests.conftest import DATABASE_URL


def engine() -> Engine:
    return create_engine(DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1))


@contextmanager
def downgraded_to(revision: str) -> Iterator[Connection]:
    """A connection to the test database brought up to date and then back down to
    `revision`, as a database last migrated then would be (one transaction)."""
    with engine().begin() as connection:
        upgrade(connection)
        command.downgrade(alembic_config(connection), revision)
        yield connection


def delete_rows(connection: Connection, *tables: str) -> None:
    for table in tables:
        connection.execute(text(f"DELETE FROM {table}"))


def insert_draft(connection: Connection, draft_id: int, service_id: str, at: dt.datetime) -> None:
    """An online draft with no answers, as the old schema stores it."""
    connection.execute(
        text(
            "INSERT INTO drafts (id, token, service_id, channel, data, created_at, updated_at,"
            " version) VALUES (:id, :token, :service_id, 'online', '{}', :at, :at, 1)"
        ),
        {"id": draft_id, "token": f"t{draft_id}", "service_id": service_id, "at": at},
    )


def test_migrations_match_the_models() -> None:
    with engine().begin() as connection:
        upgrade(connection)
        upgrade(connection)  # a second start changes nothing
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == []
        assert {
            "drafts",
            "submissions",
            "staff_users",
            "audit_events",
            "definition_versions",
            "alembic_version",
        } <= set(inspect(connection).get_table_names())


def test_submissions_from_before_cases_get_a_case_on_upgrade() -> None:
    with downgraded_to("0003_submission_language") as connection:
        delete_rows(connection, "cases", "submissions", "drafts")
        insert_draft(connection, 901, "old", dt.datetime(2025, 1, 2, 3, 4))
        connection.execute(
            text(
                "INSERT INTO submissions (id, reference, service_id, definition_version,"
                " submitted_at, channel, answers, language, draft_id) VALUES (901, 'OLD-1',"
                " 'old', 'v', :at, 'online', :answers, 'en', 901)"
            ),
            {"at": dt.datetime(2025, 1, 2, 3, 4), "answers": '{"name": "Ada Lovelace"}'},
        )
        upgrade(connection)
        case = connection.execute(text("SELECT * FROM cases")).mappings().one()
        assert (case["reference"], case["status"]) == ("OLD-1", "received")
        assert "ada lovelace" in case["search_text"]
        delete_rows(connection, "cases", "submissions", "drafts")


def test_paid_forms_sent_before_can_be_found_by_their_payment_on_upgrade() -> None:
    with downgraded_to("0011_drafts_language") as connection:
        delete_rows(connection, "cases", "submissions", "drafts")
        for number, payment in (
            (903, '{"reference": "PAY-AB12-CD34", "pay_payment_id": "x9"}'),
            (904, "null"),
        ):
            insert_draft(connection, number, "paid", dt.datetime(2026, 1, 2, 3, 4))
            connection.execute(
                text(
                    "INSERT INTO submissions (id, reference, service_id, definition_version,"
                    " submitted_at, channel, answers, language, draft_id, payment) VALUES"
                    " (:id, :reference, 'paid', 'v', :at, 'online', :answers, 'en', :id,"
                    " :payment)"
                ),
                {
                    "id": number,
                    "reference": f"P-{number}",
                    "at": dt.datetime(2026, 1, 2),
                    "answers": '{"name": "Ada"}',
                    "payment": payment,
                },
            )
            connection.execute(
                text(
                    "INSERT INTO cases (submission_id, reference, service_id, submitted_at,"
                    " status, search_text, updated_at) VALUES (:id, :reference, 'paid', :at,"
                    " 'received', :old, :at)"
                ),
                {
                    "id": number,
                    "reference": f"P-{number}",
                    "at": dt.datetime(2026, 1, 2),
                    "old": f"p-{number}\nada",
                },
            )
        upgrade(connection)
        texts = dict(connection.execute(text("SELECT submission_id, search_text FROM cases")).all())
        assert texts == {903: "p-903\nada\npay-ab12-cd34\nx9", 904: "p-904\nada"}
        delete_rows(connection, "cases", "submissions", "drafts")


def test_a_draft_with_two_live_payments_keeps_its_latest_live_on_upgrade() -> None:
    """The one-live-payment index (0002_h_fileremove): what the old race left is tidied first."""
    migration = importlib.import_module("service_builder.migrations.versions.0002_h_fileremove")
    with downgraded_to(migration.down_revision) as connection:
        delete_rows(connection, "payments", "drafts")
        insert_draft(connection, 902, "paying", dt.datetime(2026, 1, 2, 3, 4))
        for number, status in ((1, "created"), (2, "started"), (3, "failed")):
            connection.execute(
                text(
                    "INSERT INTO payments (id, draft_id, token, reference, amount, status,"
                    " created_at, updated_at) VALUES (:id, 902, :token, :token, 100, :status,"
                    " :at, :at)"
                ),
                {
                    "id": 900 + number,
                    "token": f"p{number}",
                    "status": status,
                    "at": dt.datetime(2026, 1, 2),
                },
            )
        upgrade(connection)
        statuses = connection.execute(text("SELECT id, status FROM payments ORDER BY id")).all()
        assert [tuple(row) for row in statuses] == [
            (901, "superseded"),
            (902, "started"),
            (903, "failed"),
        ]
        delete_rows(connection, "payments", "drafts")


def test_callers_are_found_as_staff_hear_them_on_upgrade() -> None:
    """0015: every case's search text is rebuilt with its answers folded, and an agent's
    unsent draft gets a search text of its own (a resident's, or a sent one, none)."""
    with downgraded_to("0014_staff_searches") as connection:
        delete_rows(connection, "cases", "submissions", "drafts")
        at = dt.datetime(2026, 11, 1, 9, 0)
        for number in (905, 906, 907):
            insert_draft(connection, number, "calls", at)
        answers = '{"answers": {"full_name": "Zo\\u00eb O\\u2019Neill"}, "completed": []}'
        connection.execute(
            text(
                "UPDATE drafts SET channel = 'assisted', reference = 'DR-' || id, data = :data"
                " WHERE id IN (905, 906)"
            ),
            {"data": answers},
        )
        connection.execute(
            text(
                "INSERT INTO submissions (id, reference, service_id, definition_version,"
                " submitted_at, channel, answers, language, draft_id) VALUES (906, 'C-906',"
                " 'calls', 'v', :at, 'assisted', :answers, 'en', 906)"
            ),
            {"at": at, "answers": '{"full_name": "Zo\\u00eb O\\u2019Neill"}'},
        )
        connection.execute(
            text(
                "INSERT INTO cases (submission_id, reference, service_id, submitted_at, status,"
                " search_text, updated_at) VALUES (906, 'C-906', 'calls', :at, 'received',"
                " :old, :at)"
            ),
            {"at": at, "old": "c-906\nzoë o’neill"},
        )
        upgrade(connection)
        case = connection.execute(text("SELECT search_text FROM cases")).scalar_one()
        assert "zoe oneill" in case.split("\n") and "zoë o’neill" in case.split("\n")
        drafts = dict(connection.execute(text("SELECT id, search_text FROM drafts")).all())
        assert drafts[905] is not None and "zoe oneill" in drafts[905].split("\n")
        assert drafts[906] is None and drafts[907] is None  # sent; a resident's own
        delete_rows(connection, "cases", "submissions", "drafts")
