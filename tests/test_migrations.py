"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from service_builder.database import upgrade
from service_builder.models import db
from tests.conftest import DATABASE_URL


def test_migrations_match_the_models() -> None:
    url = DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as connection:
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
