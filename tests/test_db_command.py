"""`service-builder db upgrade`: the release step, safe to run again and to run twice at once."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import create_engine, make_url, text

from service_builder.cli import main
from service_builder.database import MIGRATIONS
from tests.conftest import DATABASE_URL

CLI = str(Path(sys.executable).with_name("service-builder"))
POSTGRES = DATABASE_URL.startswith("postgresql")
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def upgrade(url: str) -> str:
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.output


def test_upgrade_is_idempotent_on_sqlite_and_says_what_it_did_to_which_database(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    assert upgrade(url) == (f"database {url}: migrated from revision none (no tables) to {HEAD}\n")
    assert upgrade(url) == (f"database {url}: already at revision {HEAD}: database is up to date\n")
    engine = create_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def test_upgrade_leaves_a_schema_a_newer_release_migrated_and_exits_0_in_one_line(
    tmp_path: Path,
) -> None:
    """An older server in a rolling release (or a rollback) must still start: `make serve`
    runs `db upgrade` first, and it used to end in Alembic's traceback and exit 1."""
    url = f"sqlite:///{tmp_path / 'app.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0003_future_release'"))
    assert upgrade(url) == (
        f"database {url}: at revision 0003_future_release, which this code does not have "
        "(a newer release migrated it): nothing changed\n"
    )
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).all() == [
            ("0003_future_release",)
        ]
    engine.dispose()


def test_upgrade_in_production_needs_no_secret_key_and_warns_of_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """It used to warn "SECRET_KEY is shorter than 32 characters" of its own stand-in."""
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "SERVICE_BUILDER_ENV": "production",
        "SECRET_KEY": "",
    }
    with caplog.at_level("WARNING"):
        result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code == 0, result.output
    assert "SECRET_KEY" not in caplog.text + result.output


def test_upgrade_without_database_url_says_it_used_the_local_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service_builder.config.ROOT", tmp_path)  # not the checkout's instance/
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": ""})
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"database sqlite:///{tmp_path}/instance/app.db (DATABASE_URL is not set: the local "
        f"SQLite database): migrated from revision none (no tables) to {HEAD}\n"
    )


@pytest.fixture
def fresh_postgresql() -> Iterator[str]:
    """A schema of its own in DATABASE_URL's database: as empty as a new database."""
    name = f"upgrade_race_{secrets.token_hex(4)}"
    engine = create_engine(DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {name}"))
    joiner = "&" if "?" in DATABASE_URL else "?"
    yield f"{DATABASE_URL}{joiner}options=-csearch_path%3D{name}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {name} CASCADE"))
    engine.dispose()


@pytest.mark.skipif(
    not POSTGRES, reason="set DATABASE_URL to a PostgreSQL database to run this on PostgreSQL"
)
def test_upgrades_started_together_on_a_fresh_postgresql_database_all_succeed(
    fresh_postgresql: str,
) -> None:
    """Without the advisory lock one of them failed about every other time (IntegrityError on
    pg_type_typname_nsp_index: both created the same table)."""
    env = {**os.environ, "DATABASE_URL": fresh_postgresql}
    upgrades = [
        subprocess.Popen(
            [CLI, "db", "upgrade"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [process.communicate(timeout=120)[0] for process in upgrades]
    assert [process.returncode for process in upgrades] == [0] * 4, outputs
    shown = make_url(fresh_postgresql).render_as_string(hide_password=True)
    assert make_url(fresh_postgresql).password is None or ":***@" in shown
    shown = shown.replace("postgresql://", "postgresql+psycopg://", 1)
    assert sorted(outputs) == [
        f"database {shown}: already at revision {HEAD}: database is up to date\n"
    ] * 3 + [f"database {shown}: migrated from revision none (no tables) to {HEAD}\n"]
