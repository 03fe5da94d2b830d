"""The database: Alembic migrations (`service-builder db upgrade`; at start-up outside
production) and SQLite's settings for a server."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout)
"""What SQLAlchemy raises when the database cannot be reached (or is locked for too long)."""


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection) -> None:
    """Apply every migration not yet applied (safe to call at every start)."""
    command.upgrade(alembic_config(connection), "head")


def tune(engine: Engine) -> None:
    """SQLite in WAL mode: readers never wait for the writer, a commit appends to the log
    instead of rewriting the file (synchronous=NORMAL is durable across a crashed process,
    and loses at most the last commits on a power cut), and a writer waits up to 5 s for
    another instead of failing at once."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: object, record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def reason(error: Exception) -> str:
    """Why the database could not be reached, in one line for a log: the driver's first line
    (a connection failure names the server, never a row), or the error's kind."""
    cause = error.orig if isinstance(error, DBAPIError) else error
    first = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return first[:200] or type(cause).__name__
