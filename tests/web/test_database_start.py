"""Production and its database: starting while it is down, and recovering by itself."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import func, select

from service_builder.cli import main
from service_builder.models import DefinitionVersion, db
from tests.conftest import make_app

HTTPS = {"base_url": "https://localhost"}
NOWHERE = "postgresql+psycopg://sb:sb@127.0.0.1:5399/nothing_listens_here"


@pytest.fixture
def production() -> Iterator[Any]:
    """Makes production apps, without leaving production's log handler to other tests."""
    root = logging.getLogger()
    before = list(root.handlers)

    def make(url: str) -> Flask:
        return make_app(
            SERVICE_BUILDER_ENV="production",
            SQLALCHEMY_DATABASE_URI=url,
            TESTING=False,
            WTF_CSRF_ENABLED=False,
        )

    yield make
    for handler in set(root.handlers) - set(before):
        root.removeHandler(handler)


def upgrade(url: str) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output


def assert_unavailable(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/", **HTTPS)
    assert page.status_code == 503
    assert "Sorry, the service is unavailable" in page.get_data(as_text=True)
    health = client.get("/healthz", **HTTPS)
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_production_starts_while_its_database_is_down_and_recovers_by_itself(
    tmp_path: Path, production: Any
) -> None:
    folder = tmp_path / "not-yet"
    url = f"sqlite:///{folder}/app.db"  # cannot be opened until the folder exists
    app = production(url)
    assert_unavailable(app)
    folder.mkdir()
    upgrade(url)
    client = app.test_client()
    assert client.get("/", **HTTPS).status_code == 200
    assert client.get("/healthz", **HTTPS).status_code == 200
    with app.app_context():  # the start-up work was done once the database answered
        assert db.session.scalar(select(func.count()).select_from(DefinitionVersion)) > 0


def test_production_starts_while_postgresql_refuses_connections(production: Any) -> None:
    assert_unavailable(production(NOWHERE))
