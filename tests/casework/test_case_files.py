"""Uploaded files on the case: listed, downloaded by the team (audited), fetched by webhooks."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import AuditEvent, Submission, db
from service_builder.questions.files import EXAMPLE_PNG
from service_builder.web.case_files import request_signature
from tests.casework.conftest import staff
from tests.conftest import copy_fixture, empty_database, make_app

SECRET = "evidence-shared-secret"


@pytest.fixture
def app(definitions_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("EVIDENCE_CASE_SECRET", SECRET)
    copy_fixture("evidence.yaml", definitions_dir)
    copy_fixture("casework.yaml", definitions_dir)
    app = make_app(
        definitions_dir, SERVICE_BUILDER_FILES=str(tmp_path / "files"), RATELIMIT_ENABLED=False
    )
    empty_database(app)
    yield app
    empty_database(app)


@pytest.fixture
def sent(app: Flask) -> tuple[str, str]:
    """A submission with a file: its reference and the file's id."""
    resident = app.test_client()
    resident.post("/evidence/name", data={"full_name": "Grace Hopper"})
    data = {"proof": (io.BytesIO(EXAMPLE_PNG), "grace’s receipt.png")}
    assert resident.post("/evidence/proof", data=data).status_code == 302
    assert resident.post("/evidence/check-answers").status_code == 302
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        return submission.reference, submission.answers["proof"]["file_id"]


def test_the_team_sees_and_downloads_the_file_and_it_is_audited(
    app: Flask, sent: tuple[str, str]
) -> None:
    reference, file_id = sent
    worker = staff(app, "evidence@council.example", "caseworker", ("evidence",))
    page = worker.get(f"/staff/cases/{reference}").get_data(as_text=True)
    url = f"/staff/cases/{reference}/files/{file_id}"
    assert f'href="{url}"' in page and "grace’s receipt.png" in page
    response = worker.get(url)
    assert response.status_code == 200
    assert response.data == EXAMPLE_PNG
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"] == (
        "attachment; filename=\"grace_s receipt.png\"; filename*=UTF-8''grace%E2%80%99s%20receipt.png"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "downloaded-file")
        ).all()
        assert len(events) == 1 and events[0].staff_user_id is not None
        assert events[0].detail == f"proof ({file_id}), by staff"  # no file name, no answers
    printed = worker.get(f"/staff/submissions/{reference}/print").get_data(as_text=True)
    assert "grace’s receipt.png" in printed


@pytest.mark.parametrize("role", ["agent", "caseworker"])
def test_another_team_cannot_download(app: Flask, sent: tuple[str, str], role: str) -> None:
    reference, file_id = sent
    outsider = staff(app, f"highways-{role}@council.example", role, ("highways",))
    response = outsider.get(f"/staff/cases/{reference}/files/{file_id}")
    assert response.status_code == 404
    assert response.data != EXAMPLE_PNG
    with app.app_context():
        assert db.session.scalars(select(AuditEvent.action)).all() == []


def test_signed_out_and_unknown_files_get_nothing(app: Flask, sent: tuple[str, str]) -> None:
    reference, file_id = sent
    anonymous = app.test_client().get(f"/staff/cases/{reference}/files/{file_id}")
    assert anonymous.status_code == 302 and "/staff/sign-in" in anonymous.location
    boss = staff(app, "boss@council.example", "supervisor")
    assert boss.get(f"/staff/cases/{reference}/files/{'0' * 32}").status_code == 404
    assert boss.get(f"/staff/cases/{reference}/files/{file_id}").status_code == 200


def _signed_get(client: FlaskClient, path: str, secret: str, at: float | None = None):  # type: ignore[no-untyped-def]
    timestamp = str(int(at if at is not None else time.time()))
    return client.get(
        path,
        headers={
            "X-Service-Builder-Timestamp": timestamp,
            "X-Service-Builder-Signature": request_signature(secret, path, timestamp),
        },
    )


def test_a_webhook_receiver_fetches_the_file_with_a_signed_request(
    app: Flask, sent: tuple[str, str]
) -> None:
    reference, file_id = sent
    client = app.test_client()
    path = f"/webhooks/files/{reference}/{file_id}"
    response = _signed_get(client, path, SECRET)
    assert response.status_code == 200 and response.data == EXAMPLE_PNG
    assert "attachment" in response.headers["Content-Disposition"]
    assert _signed_get(client, path, "a guess").status_code == 403
    assert _signed_get(client, path, SECRET, time.time() - 600).status_code == 403  # too old
    assert client.get(path).status_code == 403
    other = f"/webhooks/files/{reference}/{'0' * 32}"
    assert _signed_get(client, other, SECRET).status_code == 404
    with app.app_context():
        details = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "downloaded-file")
        ).all()
        assert details == [f"proof ({file_id}), by webhook"]


def test_the_export_record_carries_the_answer_not_a_url(app: Flask, sent: tuple[str, str]) -> None:
    from service_builder.deliveries import Delivery

    _reference, file_id = sent
    with app.app_context():
        delivery = db.session.scalars(select(Delivery)).first()
        assert delivery is not None
        body = delivery.payload["body"]
    assert f'"file_id": "{file_id}"' in body or f'"file_id":"{file_id}"' in body
    assert "/webhooks/files/" not in body


@pytest.mark.parametrize(
    "signature",
    ["sha256=\xe9", "sha256=" + "\xe9" * 64, "sha256=" + "A" * 64, "sha256", ""],
    ids=["non-ascii", "non-ascii-full-length", "upper-case", "no-digest", "empty"],
)
def test_a_malformed_webhook_signature_is_refused(
    app: Flask, sent: tuple[str, str], signature: str
) -> None:
    reference, file_id = sent
    response = app.test_client().get(
        f"/webhooks/files/{reference}/{file_id}",
        headers={
            "X-Service-Builder-Timestamp": str(int(time.time())),
            "X-Service-Builder-Signature": signature,
        },
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "timestamp", ["\xb2", "9" * 5000, "-1", " 1"], ids=["superscript", "huge", "negative", "space"]
)
def test_a_malformed_webhook_timestamp_is_refused(
    app: Flask, sent: tuple[str, str], timestamp: str
) -> None:
    reference, file_id = sent
    path = f"/webhooks/files/{reference}/{file_id}"
    response = app.test_client().get(
        path,
        headers={
            "X-Service-Builder-Timestamp": timestamp,
            "X-Service-Builder-Signature": request_signature(SECRET, path, timestamp),
        },
    )
    assert response.status_code == 403


def test_an_unsigned_request_cannot_tell_which_references_exist(
    app: Flask, sent: tuple[str, str]
) -> None:
    reference, file_id = sent
    client = app.test_client()
    for path in (
        f"/webhooks/files/{reference}/{file_id}",
        f"/webhooks/files/ZZ-0000-0000/{file_id}",
    ):
        assert client.get(path).status_code == 403
        assert _signed_get(client, path, "a guess").status_code == 403
    unknown = f"/webhooks/files/ZZ-0000-0000/{file_id}"
    assert _signed_get(client, unknown, SECRET).status_code == 403
