"""Shared fixtures: an app on SQLite (or DATABASE_URL's PostgreSQL) and an HTML-checking client."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from service_builder import create_app
from service_builder.files.storage import S3Store, file_store
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
            and response.request.method != "HEAD"  # the headers of a page, without it
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


def app_serving(definitions: Path, definition: str, name: str) -> Flask:
    """An app serving one definition, written into `definitions` as `{name}.yaml`, on an
    empty database."""
    (definitions / f"{name}.yaml").write_text(definition, encoding="utf-8")
    app = make_app(definitions)
    empty_database(app)
    return app


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


def app_for(definitions: Path, *fixtures: str, **config: Any) -> Flask:
    """An app serving the given fixture definitions (copied into `definitions`) on an empty
    database: a module's `app` fixture in one line."""
    for name in fixtures:
        copy_fixture(name, definitions)
    app = make_app(definitions, **config)
    empty_database(app)
    return app


@contextmanager
def serving(definitions: Path, *fixtures: str, **config: Any) -> Iterator[Flask]:
    """`app_for` within a `with`, its database emptied again after (for a test that needs
    an app of its own settings: S3, CSRF on, a changed definition)."""
    app = app_for(definitions, *fixtures, **config)
    try:
        yield app
    finally:
        empty_database(app)


def app_with_files(
    definitions: Path, files: Path, *fixtures: str, **config: Any
) -> Iterator[Flask]:
    """An app serving the given fixture definitions, keeping uploads in `files`, on an
    empty database (for a module's app fixture to `yield from`, or `serving`'s way)."""
    with serving(definitions, *fixtures, SERVICE_BUILDER_FILES=str(files), **config) as app:
        yield app


def csrf_app(definitions: Path, files: Path, *fixtures: str) -> AbstractContextManager[Flask]:
    """`serving` an app that keeps uploads in `files` and checks CSRF tokens, as production
    does (tests' apps do not): for the tests that a multipart post still needs its token."""
    return serving(definitions, *fixtures, SERVICE_BUILDER_FILES=str(files), WTF_CSRF_ENABLED=True)


S3_FILES = "s3://uploads/council/files"
"""Where the S3 tests keep files: a bucket on the moto server of `s3_endpoint`."""


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """A real S3 API on 127.0.0.1 (moto's server), no network."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_store(s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> S3Store:
    """The store at `S3_FILES`, in an empty bucket; boto3 (and so the app) talks to moto."""
    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-2",
        "AWS_ENDPOINT_URL": s3_endpoint,
    }.items():
        monkeypatch.setenv(name, value)
    requests.post(f"{s3_endpoint}/moto-api/reset", timeout=10)  # each test starts empty
    client = boto3.client("s3")
    client.create_bucket(
        Bucket="uploads", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    store = file_store(S3_FILES, Path("/nowhere"))
    assert isinstance(store, S3Store)
    return store


def location(response: Any) -> str:
    return str(response.headers["Location"])


def errors_in(html: str) -> list[str]:
    return re.findall(r"govuk-error-summary__list.*?</ul>", html, re.S)


def csrf_token(html: str) -> str:
    """The CSRF token in a page's form (for an app made with WTF_CSRF_ENABLED=True)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None, "no CSRF token on the page"
    return found.group(1)
