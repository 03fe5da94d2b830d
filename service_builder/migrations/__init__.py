"""Database migrations (Alembic): the schema's history, applied at start-up."""
