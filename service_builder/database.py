"""The database: Alembic migrations (`service-builder db upgrade`; at start-up outside
production), the check that production's schema is the code's, and SQLite's settings."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from service_builder.config import ConfigError, load_config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
UNREACHABLE = (OperationalError, InterfaceError, PoolTimeout)
"""What SQLAlchemy raises when the database cannot be reached (or is locked for too long)."""


def alembic_config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


class SchemaBehind(ConfigError):
    """The database's schema is older than the code's: `service-builder db upgrade` first."""


@functools.cache
def _migrations() -> tuple[tuple[str, ...], frozenset[str]]:
    """The code's head revisions, and every revision it has."""
    script = ScriptDirectory(str(MIGRATIONS))
    return tuple(script.get_heads()), frozenset(r.revision for r in script.walk_revisions())


@dataclass(frozen=True)
class Schema:
    """The Alembic revisions a database is at, against the code's."""

    found: tuple[str, ...]
    needed: tuple[str, ...]
    known: bool
    """Whether the code has every revision found (not so after a newer release migrated)."""

    @property
    def behind(self) -> bool:
        return self.known and set(self.found) != set(self.needed)

    @property
    def current(self) -> bool:
        return set(self.found) == set(self.needed)

    @property
    def revision(self) -> str:
        return ", ".join(self.found) or "none (no tables)"

    def problem(self) -> str:
        return (
            f"the database schema is at revision {self.revision}, this code needs "
            f"{', '.join(self.needed)}: run: service-builder db upgrade"
        )


def schema(connection: Connection) -> Schema:
    """Where the database's schema is (one or two queries; no table is needed)."""
    found = tuple(MigrationContext.configure(connection).get_current_heads())
    needed, known = _migrations()
    return Schema(found, needed, all(revision in known for revision in found))


UPGRADE_LOCK = 0x5B_DB_0001
"""PostgreSQL advisory lock key: one `db upgrade` at a time on a database."""


def upgrade(connection: Connection) -> tuple[Schema, Schema]:
    """Apply every migration not yet applied (safe to call at every start); the schema
    before and after. On PostgreSQL two at once would both create the same tables and one
    would fail: the second waits for the first to commit (a lock held to the end of the
    transaction), then finds nothing to do. SQLite allows one writer anyway. A schema at a
    revision the code does not have (a newer release migrated it) is left as it is: Alembic
    cannot go from there, and an older server must still start in a rolling release."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": UPGRADE_LOCK})
    before = schema(connection)
    if not before.known:
        return before, before
    command.upgrade(alembic_config(connection), "head")
    return before, schema(connection)


def refuse_a_schema_behind() -> None:
    """For gunicorn's master, before any worker starts: raise SchemaBehind (gunicorn prints
    its one line and exits) when production's database answers with an older schema. A
    database that does not answer is left to the workers, which check once it does."""
    config = load_config()
    url = config["SQLALCHEMY_DATABASE_URI"]
    if config["SERVICE_BUILDER_ENV"] != "production" or url == "sqlite://":
        return  # the app migrates at start
    engine = create_engine(url, **config["SQLALCHEMY_ENGINE_OPTIONS"])
    try:
        with engine.connect() as connection:
            found = schema(connection)
    except UNREACHABLE:
        return
    finally:
        engine.dispose()
    if found.behind:
        raise SchemaBehind(found.problem())


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
