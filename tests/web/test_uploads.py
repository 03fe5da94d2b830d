"""File uploads through the app: a real multipart POST, the limits, keeping, replacing."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder, run_wsgi_app

from service_builder.files.storage import LocalStore
from service_builder.models import Draft, Submission, db
from service_builder.questions.files import EXAMPLE_EXE, EXAMPLE_PNG, MEGABYTE
from tests.conftest import app_with_files, csrf_app, csrf_token, serving
from tests.html_checks import parse_page


@pytest.fixture
def upload_app(definitions_dir: Path, files: Path) -> Iterator[Flask]:
    yield from app_with_files(definitions_dir, files, "evidence.yaml")


@pytest.fixture
def client(upload_app: Flask) -> FlaskClient:
    client = upload_app.test_client()
    client.post("/evidence/name", data={"full_name": "Sam Example"})
    return client


def post_file(client: FlaskClient, content: bytes, name: str = "photo.png", **fields: str):
    data: dict[str, object] = {"proof": (io.BytesIO(content), name), **fields}
    return client.post("/evidence/proof", data=data, content_type="multipart/form-data")


def stored(upload_app: Flask) -> dict:
    with upload_app.app_context():
        draft = db.session.scalars(db.select(Draft)).one()
        return draft.data["answers"]


def test_the_page_posts_multipart_with_the_govuk_file_upload(client: FlaskClient) -> None:
    html = client.get("/evidence/proof").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file"' in html and 'name="proof"' in html
    assert 'data-module="govuk-file-upload"' in html  # enhanced with JS, a plain input without
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in html


def test_a_real_upload_is_stored_with_the_answer_shape(
    client: FlaskClient, upload_app: Flask, files: Path
) -> None:
    response = post_file(client, EXAMPLE_PNG, "my photo.png")
    assert response.status_code == 302
    answer = stored(upload_app)["proof"]
    assert set(answer) == {"filename", "size", "content_type", "sha256", "file_id"}
    assert answer["filename"] == "my photo.png"
    assert answer["size"] == len(EXAMPLE_PNG)
    assert answer["content_type"] == "image/png"
    assert b"".join(LocalStore(files).open(answer["file_id"])) == EXAMPLE_PNG
    page = client.get("/evidence/check-answers").get_data(as_text=True)
    assert f"my photo.png ({len(EXAMPLE_PNG)} bytes)" in page


def test_check_answers_and_submission_keep_the_file(client: FlaskClient, upload_app: Flask) -> None:
    post_file(client, EXAMPLE_PNG)
    assert client.post("/evidence/check-answers").status_code == 302
    with upload_app.app_context():
        submission = db.session.scalars(db.select(Submission)).one()
        assert submission.answers["proof"]["filename"] == "photo.png"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (EXAMPLE_EXE, "photo.png", "The selected file must be a PDF, JPG or PNG"),
        (EXAMPLE_PNG, "photo.exe", "The selected file must be a PDF, JPG or PNG"),
        (b"", "photo.png", "The selected file is empty"),
        (EXAMPLE_PNG + b"\0" * MEGABYTE, "photo.png", "The selected file must be smaller than 1MB"),
    ],
)
def test_refused_files_get_govuk_errors_and_nothing_is_kept(
    client: FlaskClient, files: Path, content: bytes, name: str, message: str
) -> None:
    response = post_file(client, content, name)
    assert response.status_code == 400
    facts = parse_page(response.get_data(as_text=True))
    assert facts.title.startswith("Error: ")
    assert facts.error_messages == [message]
    assert facts.error_links == ["#proof"]
    assert not list(files.rglob("*")) or not [p for p in files.rglob("*") if p.is_file()]


def test_no_file_says_select_a_file(client: FlaskClient) -> None:
    response = client.post("/evidence/proof", data={}, content_type="multipart/form-data")
    assert parse_page(response.get_data(as_text=True)).error_messages == ["Select a file"]


def test_a_body_far_over_the_limit_is_refused_unread(client: FlaskClient) -> None:
    class Endless(io.RawIOBase):
        """A body that would never end: only a limit can stop reading it."""

        read_bytes = 0

        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
            self.read_bytes += len(buffer)
            buffer[:] = b"x" * len(buffer)
            return len(buffer)

    body = Endless()
    status, html = _run(client, _environ(body, 500 * MEGABYTE))
    assert status == 413
    facts = parse_page(html)
    assert facts.error_messages == ["The selected file must be smaller than 1MB"]
    assert body.read_bytes == 0  # refused from its length, before reading a byte


def test_an_agents_body_far_over_the_limit_is_refused_unread_too(upload_app: Flask) -> None:
    """Assisted pages read the draft a form names: never from a body refused unread."""
    from tests.casework.conftest import staff as staff_client

    agent = staff_client(upload_app, "agent@example.com", "agent")
    agent.post("/staff/evidence/", data={"contact_channel": "phone"})
    agent.post("/staff/evidence/name", data={"full_name": "Sam Example"})
    status, html = _run(agent, _environ(io.BytesIO(b""), 500 * MEGABYTE, "/staff/evidence/proof"))
    assert status == 413, html[:300]
    assert parse_page(html).error_messages == ["The selected file must be smaller than 1MB"]


def test_a_body_with_no_length_is_cut_off_at_the_limit(client: FlaskClient) -> None:
    chunks_read = []

    def endless() -> Iterator[bytes]:
        yield b'--xyz\r\nContent-Disposition: form-data; name="proof"; filename="a.png"\r\n\r\n'
        while True:
            chunks_read.append(1)
            yield b"x" * 65536

    environ = _environ(_Stream(endless()), None)
    environ["wsgi.input_terminated"] = True  # as servers say of a chunked body
    status, _html = _run(client, environ)
    assert status == 413
    assert len(chunks_read) * 65536 < 3 * MEGABYTE  # stopped soon after the 2MB page limit


def _environ(stream: io.RawIOBase, length: int | None, path: str = "/evidence/proof") -> dict:
    """A POST whose body is `stream`, with this Content-Length (or none)."""
    environ = EnvironBuilder(
        path, method="POST", content_type="multipart/form-data; boundary=xyz"
    ).get_environ()
    environ["wsgi.input"] = stream
    environ.pop("CONTENT_LENGTH", None)
    if length is not None:
        environ["CONTENT_LENGTH"] = str(length)
    return environ


def _run(client: FlaskClient, environ: dict) -> tuple[int, str]:
    """Straight to the app (the test client would measure the body by seeking to its end)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    environ["HTTP_COOKIE"] = f"session={cookie.value}"
    app_iter, status, _headers = run_wsgi_app(client.application, environ, buffered=True)
    return int(status.split()[0]), b"".join(app_iter).decode()


class _Stream(io.RawIOBase):
    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.left = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        if not self.left:
            self.left = next(self.chunks)
        size = min(len(buffer), len(self.left))
        buffer[:size] = self.left[:size]
        self.left = self.left[size:]
        return size


def test_an_accepted_file_stays_when_another_answer_is_wrong(
    client: FlaskClient, upload_app: Flask
) -> None:
    response = post_file(client, EXAMPLE_PNG, note="x" * 30)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Your file: photo.png" in html
    # posted again with no new file, the one accepted is kept
    response = client.post(
        "/evidence/proof", data={"note": "fine"}, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    assert stored(upload_app)["proof"]["filename"] == "photo.png"


def test_the_control_is_described_by_the_file_it_holds(client: FlaskClient) -> None:
    post_file(client, EXAMPLE_PNG)
    html = client.get("/evidence/proof").get_data(as_text=True)
    control = re.search(r'<input[^>]*type="file"[^>]*>', html)
    assert control is not None
    described = re.search(r'aria-describedby="([^"]*)"', control.group(0))
    assert described is not None and "proof-current" in described.group(1).split()
    assert 'id="proof-current"' in html and "Your file: photo.png" in html
    refused = post_file(client, EXAMPLE_EXE, "bad.png")  # the error is still announced too
    control = re.search(r'<input[^>]*type="file"[^>]*>', refused.get_data(as_text=True))
    assert control is not None
    described = re.search(r'aria-describedby="([^"]*)"', control.group(0))
    assert described is not None and {"proof-current", "proof-error"} <= set(
        described.group(1).split()
    )


def test_a_replaced_file_is_deleted(client: FlaskClient, upload_app: Flask, files: Path) -> None:
    post_file(client, EXAMPLE_PNG)
    first = stored(upload_app)["proof"]["file_id"]
    html = client.get("/evidence/proof?change=1").get_data(as_text=True)
    assert "Your file: photo.png" in html
    post_file(client, EXAMPLE_PNG, "second.png")
    second = stored(upload_app)["proof"]
    assert second["filename"] == "second.png" and second["file_id"] != first
    store = LocalStore(files)
    assert not store.exists(first) and store.exists(second["file_id"])


def test_csrf_is_kept_on_multipart_posts(definitions_dir: Path, files: Path) -> None:
    with csrf_app(definitions_dir, files, "evidence.yaml") as app:
        client = app.test_client()
        token = csrf_token(client.get("/evidence/name").get_data(as_text=True))
        client.post("/evidence/name", data={"full_name": "Sam", "csrf_token": token})
        html = client.get("/evidence/proof").get_data(as_text=True)
        assert 'name="csrf_token"' in html
        without = client.post("/evidence/proof", data={"proof": (io.BytesIO(EXAMPLE_PNG), "a.png")})
        assert without.status_code == 400 and not [p for p in files.rglob("*") if p.is_file()]
        data = {"proof": (io.BytesIO(EXAMPLE_PNG), "a.png"), "csrf_token": token}
        assert client.post("/evidence/proof", data=data).status_code == 302


def test_a_file_question_on_a_repeat_page_is_refused(definitions_dir: Path) -> None:
    from service_builder.definitions.loader import load_text

    text = (
        "id: x\ntitle: X\npages:\n  - id: items\n    type: repeat\n    title: Items\n"
        "    max_items: 2\n    questions:\n      - {id: photo, type: file, label: Upload a photo}\n"
    )
    problems = [str(p) for p in load_text(text, "x.yaml").errors]
    assert any("a repeat page cannot ask for a file" in p for p in problems), problems


def test_a_refused_replacement_leaves_the_accepted_file_in_place(
    client: FlaskClient, upload_app: Flask
) -> None:
    post_file(client, EXAMPLE_PNG, "first.png")
    response = post_file(client, EXAMPLE_EXE, "second.png")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The selected file must be a PDF, JPG or PNG" in html
    assert "Your file: first.png" in html  # still held, and shown
    assert stored(upload_app)["proof"]["filename"] == "first.png"


def test_upload_pages_are_limited_per_person_before_the_file_is_read(
    definitions_dir: Path, files: Path
) -> None:
    with serving(
        definitions_dir,
        "evidence.yaml",
        SERVICE_BUILDER_FILES=str(files),
        UPLOAD_RATE_LIMIT="2/minute",
    ) as app:
        codes = []
        for _ in range(3):  # a fresh session each time, as the tester's script did
            client = app.test_client()
            client.post("/evidence/name", data={"full_name": "Sam Example"})
            codes.append(post_file(client, EXAMPLE_PNG).status_code)
        assert codes == [302, 302, 429]
        assert sum(1 for path in files.rglob("*") if path.is_file()) == 2  # the third not kept
        refused = post_file(client, EXAMPLE_PNG)
        assert "Too many attempts" in refused.get_data(as_text=True)
        assert client.get("/evidence/proof").status_code == 200  # reading the page is not limited
        assert client.post("/evidence/name", data={"full_name": "Sam"}).status_code == 302
