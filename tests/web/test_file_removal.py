"""'Remove file' on an optional file question's page: the bytes, the answer, the banner."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.files.storage import S3Store
from service_builder.models import AuditEvent, Draft, StaffUser, db
from service_builder.performance.models import Event
from service_builder.questions.files import EXAMPLE_PNG
from service_builder.staff.accounts import save_user
from tests.conftest import (
    S3_FILES,
    app_with_files,
    copy_fixture,
    csrf_app,
    csrf_token,
    serving,
)
from tests.html_checks import parse_page
from tests.web.walker import on_page

PAGE = "/photo-report/photo"
REMOVE = {"remove_file": "photo"}


@pytest.fixture
def photo_app(definitions_dir: Path, files: Path) -> Iterator[Flask]:
    yield from app_with_files(definitions_dir, files, "optional_photo.yaml", "evidence.yaml")


@pytest.fixture
def client(photo_app: Flask) -> FlaskClient:
    client = photo_app.test_client()
    assert client.post("/photo-report/where", data={"street": "High Street"}).status_code == 302
    return client


def post(client: FlaskClient, url: str = PAGE, content: bytes | None = EXAMPLE_PNG, **fields: str):
    data: dict[str, object] = dict(fields)
    if content is not None:
        data["photo"] = (io.BytesIO(content), "my photo.png")
    return client.post(url, data=data, content_type="multipart/form-data")


def answers(app: Flask) -> dict:
    with app.app_context():
        return dict(db.session.scalars(select(Draft)).one().data["answers"])


def stored_files(files: Path) -> list[Path]:
    return [path for path in files.rglob("*") if path.is_file()]


def buttons(html: str) -> list[tuple[str, str]]:
    """Each button of the question form: its name and visible words, in page order."""
    form = re.search(r'<form method="post"[^>]*multipart/form-data.*?</form>', html, re.S)
    assert form is not None
    found = re.findall(r"<button([^>]*)>(.*?)</button>", form.group(0), re.S)
    named = []
    for attributes, inside in found:
        name = re.search(r'name="([^"]+)"', attributes)
        visible = re.sub(r'<span class="govuk-visually-hidden">.*?</span>', "", inside)
        named.append((name.group(1) if name else "", " ".join(visible.split())))
    return named


def test_a_kept_optional_file_can_be_removed_with_a_button_after_continue(
    client: FlaskClient,
) -> None:
    assert client.get(PAGE).get_data(as_text=True).count('name="remove_file"') == 0  # no file
    assert post(client).status_code == 302
    html = client.get(PAGE).get_data(as_text=True)
    parse_page(html)
    assert "Your file: my photo.png" in html
    # Continue first: Enter in a text field submits the form's first button
    assert buttons(html) == [("", "Continue"), ("remove_file", "Remove file")]
    assert 'value="photo"' in html
    assert '<span class="govuk-visually-hidden"> my photo.png</span>' in html


def test_removing_deletes_the_file_clears_the_answer_and_says_so_once(
    client: FlaskClient, photo_app: Flask, files: Path
) -> None:
    post(client, note="By the bins")
    assert len(stored_files(files)) == 1
    response = post(client, content=None, note="By the bins", **REMOVE)
    assert response.status_code == 302
    assert on_page(response.location) == PAGE
    assert stored_files(files) == []
    assert answers(photo_app) == {"street": "High Street", "note": "By the bins"}
    html = client.get(PAGE).get_data(as_text=True)
    facts = parse_page(html)
    assert "govuk-notification-banner--success" in html
    assert "File removed" in html
    assert html.index("govuk-notification-banner") < html.index("<h1")
    assert not facts.error_messages
    assert "Your file:" not in html and 'name="remove_file"' not in html
    assert "File removed" not in client.get(PAGE).get_data(as_text=True)  # not on a refresh
    # on with no file: check-your-answers reads as for any optional question left blank
    post(client, content=None, note="By the bins")
    client.post("/photo-report/seen", data={"seen_by": "Me"})
    summary = client.get("/photo-report/check-answers").get_data(as_text=True)
    row = re.search(r"Upload a photo\s*</dt>.*?</div>", summary, re.S)  # no "(optional)" here
    assert row is not None and "Not provided" in row.group(0)
    assert "Upload a photo (optional)" not in summary


def test_removing_from_check_answers_goes_back_to_the_page_as_a_change(
    client: FlaskClient, photo_app: Flask
) -> None:
    post(client)
    client.post("/photo-report/seen", data={"seen_by": "Me"})
    response = post(client, f"{PAGE}?change=1", content=None, **REMOVE)
    assert on_page(response.location) == f"{PAGE}?change=1"
    assert "photo" not in answers(photo_app)
    assert (
        on_page(client.post(f"{PAGE}?change=1", data={}).location) == "/photo-report/check-answers"
    )


def test_a_file_held_while_the_page_had_errors_is_removed_too(
    client: FlaskClient, photo_app: Flask, files: Path
) -> None:
    response = post(client, note="x" * 30)  # the note is too long: the file is held
    assert response.status_code == 400
    assert 'name="remove_file"' in response.get_data(as_text=True)
    assert len(stored_files(files)) == 1
    assert post(client, content=None, note="x" * 30, **REMOVE).status_code == 302
    assert stored_files(files) == []
    html = client.get(PAGE).get_data(as_text=True)
    assert "Your file:" not in html
    assert post(client, content=None).status_code == 302  # no file: allowed, optional
    assert "photo" not in answers(photo_app)


def test_a_required_file_offers_no_remove_and_a_forged_one_is_a_continue(
    photo_app: Flask, files: Path
) -> None:
    client = photo_app.test_client()
    client.post("/evidence/name", data={"full_name": "Sam Example"})
    data = {"proof": (io.BytesIO(EXAMPLE_PNG), "photo.png")}
    assert client.post("/evidence/proof", data=data).status_code == 302
    html = client.get("/evidence/proof").get_data(as_text=True)
    assert "Your file: photo.png" in html and 'name="remove_file"' not in html
    response = client.post("/evidence/proof", data={"remove_file": "proof"})
    assert response.status_code == 302 and response.location != "/evidence/proof"
    assert len(stored_files(files)) == 1  # kept, as a Continue keeps it


def test_removing_counts_as_a_saved_page(client: FlaskClient, photo_app: Flask) -> None:
    post(client)
    post(client, content=None, **REMOVE)
    with photo_app.app_context():
        saved = db.session.scalars(
            select(Event.page_id).where(Event.kind == "saved", Event.page_id == "photo")
        ).all()
    assert len(saved) == 2  # the upload and the removal


def test_assisted_mode_audits_the_removal(photo_app: Flask, files: Path) -> None:
    with photo_app.app_context():
        save_user("agent@example.com", "correct horse battery", "agent")
        agent = db.session.scalars(select(StaffUser.id)).one()
    client = photo_app.test_client()
    client.post(
        "/staff/sign-in", data={"email": "agent@example.com", "password": "correct horse battery"}
    )
    client.post("/staff/photo-report/", data={"contact_channel": "phone"})
    client.post("/staff/photo-report/where", data={"street": "High Street"})
    assert post(client, "/staff/photo-report/photo").status_code == 302
    html = client.get("/staff/photo-report/photo").get_data(as_text=True)
    assert [name for name, _ in buttons(html)] == ["", "save_and_leave", "remove_file"]
    response = post(client, "/staff/photo-report/photo", content=None, **REMOVE)
    assert on_page(response.location) == "/staff/photo-report/photo"
    assert stored_files(files) == []
    with photo_app.app_context():
        changes = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "changed").order_by(AuditEvent.id)
        ).all()
        assert len(changes) == 3  # street, the photo, its removal
        assert changes[-1].staff_user_id == agent
        assert "my photo" not in (changes[-1].detail or "")  # never the file's name


def test_the_welsh_page_says_remove_file_in_welsh(definitions_dir: Path, files: Path) -> None:
    source = copy_fixture("optional_photo.yaml", definitions_dir)
    welsh = source.read_text().replace("retention_days", "languages: [cy]\nretention_days")
    source.write_text(welsh)
    with serving(definitions_dir, SERVICE_BUILDER_FILES=str(files)) as app:
        client = app.test_client()
        client.post("/photo-report/where", data={"street": "Stryd Fawr"})
        post(client)
        html = client.get(PAGE).get_data(as_text=True)
        assert ("remove_file", "Tynnu’r ffeil") in buttons(html)
        post(client, content=None, **REMOVE)
        html = client.get(PAGE).get_data(as_text=True)
        assert "Ffeil wedi’i thynnu" in html and "Llwyddiant" in html


def test_removing_deletes_the_object_in_s3(s3_store: S3Store, definitions_dir: Path) -> None:
    with serving(definitions_dir, "optional_photo.yaml", SERVICE_BUILDER_FILES=S3_FILES) as app:
        client = app.test_client()
        client.post("/photo-report/where", data={"street": "High Street"})
        post(client)
        file_id = answers(app)["photo"]["file_id"]
        assert s3_store.exists(file_id)
        assert post(client, content=None, **REMOVE).status_code == 302
        assert not s3_store.exists(file_id)
        assert "photo" not in answers(app)


def test_removing_needs_the_page_forms_csrf_token(definitions_dir: Path, files: Path) -> None:
    with csrf_app(definitions_dir, files, "optional_photo.yaml") as app:
        client = app.test_client()

        def token(url: str) -> str:
            return csrf_token(client.get(url).text)

        where = token("/photo-report/where")
        client.post("/photo-report/where", data={"street": "High Street", "csrf_token": where})
        assert post(client, csrf_token=token(PAGE)).status_code == 302
        assert post(client, content=None, **REMOVE).status_code == 400  # no token: refused
        assert len(stored_files(files)) == 1
        form_token = token(PAGE)
        assert post(client, content=None, csrf_token=form_token, **REMOVE).status_code == 302
        assert stored_files(files) == []
