"""Files go with the answers that hold them: purged drafts, purged submissions, orphans."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from service_builder.files.storage import LocalStore
from service_builder.models import Draft, Submission, db, utcnow
from service_builder.questions.files import EXAMPLE_PNG
from service_builder.retention import purge
from tests.conftest import app_with_files


@pytest.fixture
def upload_app(definitions_dir: Path, files: Path) -> Iterator[Flask]:
    yield from app_with_files(definitions_dir, files, "evidence.yaml")


def upload(client: FlaskClient, app: Flask) -> str:
    client.post("/evidence/name", data={"full_name": "Sam Example"})
    data = {"proof": (io.BytesIO(EXAMPLE_PNG), "photo.png")}
    assert client.post("/evidence/proof", data=data).status_code == 302
    with app.app_context():
        draft = db.session.scalars(db.select(Draft)).one()
        return str(draft.data["answers"]["proof"]["file_id"])


def test_a_purged_submission_takes_its_file(upload_app: Flask, files: Path) -> None:
    client = upload_app.test_client()
    file_id = upload(client, upload_app)
    assert client.post("/evidence/check-answers").status_code == 302
    store, catalog = LocalStore(files), upload_app.extensions["service_builder"].catalog
    with upload_app.app_context():
        assert purge(catalog, upload_app.config).files == 0
        assert store.exists(file_id)
        old = utcnow() - dt.timedelta(days=31)  # evidence keeps submissions 30 days
        db.session.execute(update(Submission).values(submitted_at=old))
        db.session.commit()
        result = purge(catalog, upload_app.config)
    assert result.submissions == 1 and result.files == 1
    assert not store.exists(file_id)


def test_an_abandoned_draft_takes_its_file(upload_app: Flask, files: Path) -> None:
    file_id = upload(upload_app.test_client(), upload_app)
    store, catalog = LocalStore(files), upload_app.extensions["service_builder"].catalog
    with upload_app.app_context():
        db.session.execute(update(Draft).values(updated_at=utcnow() - dt.timedelta(days=2)))
        db.session.commit()
        result = purge(catalog, upload_app.config)
    assert result.drafts == 1 and result.files == 1
    assert not store.exists(file_id)


def test_orphans_go_once_older_than_any_draft_can_be(upload_app: Flask, files: Path) -> None:
    client = upload_app.test_client()
    held = upload(client, upload_app)
    # a file accepted on a page with another error, then abandoned: no answer holds it
    response = client.post(
        "/evidence/proof",
        data={"proof": (io.BytesIO(EXAMPLE_PNG), "other.png"), "note": "x" * 30},
    )
    assert response.status_code == 400
    store = LocalStore(files)
    orphan = next(i for i, _ in store.listing() if i != held)
    catalog = upload_app.extensions["service_builder"].catalog
    with upload_app.app_context():
        assert purge(catalog, upload_app.config).files == 0  # young: maybe still wanted
        month_ago = time.time() - 31 * 86400
        os.utime(store.path(orphan), (month_ago, month_ago))
        os.utime(store.path(held), (month_ago, month_ago))
        assert purge(catalog, upload_app.config).files == 1
    assert not store.exists(orphan) and store.exists(held)
