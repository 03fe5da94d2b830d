"""Shared fixtures: an app on SQLite (or DATABASE_URL's PostgreSQL) and an HTML-checking client."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from service_builder import create_app
from service_builder.models import db
from service_builder.payments.stand_in import STAND_IN_KEY, PayStandIn, start_stand_in
from tests.html_checks import check_page

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "form_definitions"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "definitions"
DATABASE_URL = os.environ.get("DATABASE_URL", "sqlite://")


class CheckedClient(FlaskClient):
    """A test client that checks the structure of every HTML page it receives."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        response = super().open(*args, **kwargs)
        if (
            response.mimetype == "text/html"
            and response.status_code != 302
            and "Content-Encoding" not in response.headers
        ):
            check_page(response.get_data(as_text=True), where=f"{args[0] if args else ''}")
        return response


def shared_pay() -> PayStandIn:
    """One stand-in of GOV.UK Pay for the whole run, so paying example services can be sent
    (its daemon thread ends with the run)."""
    if not _PAY:
        _PAY.append(start_stand_in()[0])
    return _PAY[0]


_PAY: list[PayStandIn] = []


def make_app(definitions: Path = EXAMPLES, **config: Any) -> Flask:
    settings: dict[str, Any] = {
        "PAY_API_KEY": STAND_IN_KEY,
        "PAY_BASE_URL": shared_pay().url,
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SERVICE_BUILDER_ENV": "test",
        "SQLALCHEMY_DATABASE_URI": DATABASE_URL,
        "SERVICE_BUILDER_DEFINITIONS": str(definitions),
        "WTF_CSRF_ENABLED": False,
        # uploads go to a folder of this test run's own, never the project's instance/
        "SERVICE_BUILDER_FILES": str(Path(tempfile.gettempdir()) / f"sb-files-{os.getpid()}"),
    }
    settings.update(config)
    app = create_app(settings)
    app.test_client_class = CheckedClient  # every HTML page any test fetches is checked
    return app


def empty_database(app: Flask) -> None:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()


@pytest.fixture
def app() -> Iterator[Flask]:
    app = make_app()
    empty_database(app)
    yield app
    empty_database(app)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def definitions_dir(tmp_path: Path) -> Path:
    """An empty definitions folder to put scenario files in."""
    folder = tmp_path / "definitions"
    folder.mkdir()
    return folder


def copy_fixture(name: str, folder: Path) -> Path:
    target = folder / name
    shutil.copyfile(FIXTURES / name, target)
    return target


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """Where this test's uploaded files are kept."""
    return tmp_path / "files"


def app_with_files(definitions: Path, files: Path, *fixtures: str) -> Iterator[Flask]:
    """An app serving the given fixture definitions, keeping uploads in `files`, on an
    empty database (for a module's app fixture to `yield from`)."""
    for name in fixtures:
        copy_fixture(name, definitions)
    app = make_app(definitions, SERVICE_BUILDER_FILES=str(files))
    empty_database(app)
    yield app
    empty_database(app)


def location(response: Any) -> str:
    return str(response.headers["Location"])


def errors_in(html: str) -> list[str]:
    return re.findall(r"govuk-error-summary__list.*?</ul>", html, re.S)
