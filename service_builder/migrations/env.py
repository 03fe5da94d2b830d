"""Alembic environment: runs on the connection the app hands over (see service_builder.database)."""

from __future__ import annotations

from alembic import context

from service_builder.models import db

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=db.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
