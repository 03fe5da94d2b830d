"""A file chosen with 'Save and come back later' or 'Save and leave': kept when it is
acceptable, and when it is not, the page says so (as Continue does) instead of dropping it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import Draft, db
from service_builder.questions.files import EXAMPLE_PNG, MEGABYTE
from tests.conftest import copy_fixture, empty_database, make_app
from tests.html_checks import parse_page
from tests.web.walker import on_page

PAGE = "/photo-report/photo"
SAVE = {"save_for_later": "1"}
LEAVE = {"save_and_leave": "1"}
SAVABLE = """
save_and_return: true
notify:
  save_template: 00000000-0000-4000-8000-000000000031
"""


@pytest.fixture
def app(definitions_dir: Path, files: Path) -> Iterator[Flask]:
    source = copy_fixture("optional_photo.yaml", definitions_dir)
    source.write_text(source.read_text() + SAVABLE)
    copy_fixture("evidence.yaml", definitions_dir)
    app = make_app(definitions_dir, SERVICE_BUILDER_FILES=str(files))
    empty_database(app)
    yield app
    empty_database(app)


def post(client: FlaskClient, content: bytes, name: str, prefix: str = "", **fields: str) -> Any:
    data: dict[str, object] = {"note": "by the bins", **fields}
    data["photo"] = (io.BytesIO(content), name)
    return client.post(f"{prefix}{PAGE}", data=data, content_type="multipart/form-data")


def answers(app: Flask) -> dict[str, Any]:
    with app.app_context():
        return dict(db.session.scalars(select(Draft)).one().data["answers"])


def at_the_photo(client: FlaskClient, prefix: str = "") -> None:
    where = client.post(f"{prefix}/photo-report/where", data={"street": "High Street"})
    assert on_page(where.location) == f"{prefix}{PAGE}"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a picture at all", "notes.png", "The selected file must be a JPG or PNG"),
        (EXAMPLE_PNG + b"\0" * (MEGABYTE + 1), "big.png", "must be smaller than 1MB"),
        (b"", "empty.png", "The selected file is empty"),
    ],
)
def test_saving_with_a_refused_file_shows_its_error_like_continue(
    app: Flask, client: FlaskClient, content: bytes, name: str, message: str
) -> None:
    at_the_photo(client)
    refused = post(client, content, name, **SAVE)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400, refused.location
    facts = parse_page(html)
    assert facts.title.startswith("Error: ") and any(message in m for m in facts.error_messages)
    assert 'value="by the bins"' in html  # nothing typed is lost
    assert "photo" not in answers(app) and "note" not in answers(app)
    # without the file, the save goes ahead with the page's other answers
    saved = client.post(PAGE, data={"note": "by the bins", **SAVE})
    assert on_page(saved.location) == "/photo-report/save-for-later"
    assert answers(app)["note"] == "by the bins"


def test_a_body_over_the_pages_limit_says_so_for_a_save_too(client: FlaskClient) -> None:
    at_the_photo(client)
    refused = post(client, EXAMPLE_PNG + b"\0" * (3 * MEGABYTE), "huge.png", **SAVE)
    assert refused.status_code == 413
    assert "must be smaller than 1MB" in refused.get_data(as_text=True)


def test_an_acceptable_file_is_kept_by_the_save(
    app: Flask, client: FlaskClient, files: Path
) -> None:
    at_the_photo(client)
    saved = post(client, EXAMPLE_PNG, "rubbish.png", **SAVE)
    assert on_page(saved.location) == "/photo-report/save-for-later"
    kept = answers(app)
    assert kept["photo"]["filename"] == "rubbish.png" and kept["note"] == "by the bins"
    assert [p for p in files.rglob("*") if p.is_file()]  # the bytes are stored
    back = client.get(PAGE).get_data(as_text=True)
    assert "rubbish.png" in back  # Back from the email page shows the file kept


def test_an_agent_saving_and_leaving_with_a_refused_file_stays_on_the_page(
    app: Flask, client: FlaskClient
) -> None:
    from tests.web.test_staff import sign_in, staff

    staff.__wrapped__(app)  # type: ignore[attr-defined]
    sign_in(client, "agent@example.com")
    client.post("/staff/photo-report/", data={"contact_channel": "phone"})
    at_the_photo(client, "/staff")
    refused = post(client, b"not a picture", "notes.png", "/staff", **LEAVE)
    assert refused.status_code == 400
    assert "The selected file must be a JPG or PNG" in refused.get_data(as_text=True)
    assert "photo" not in answers(app)
    left = client.post(f"/staff{PAGE}", data={"note": "by the bins", **LEAVE})
    assert on_page(left.location) == "/staff/"
    assert answers(app)["note"] == "by the bins"


def test_a_file_kept_beside_a_typed_error_still_shows_on_the_way_back(
    app: Flask, client: FlaskClient
) -> None:
    at_the_photo(client)
    too_long = "by the bins near the shop"  # the note allows 20 characters
    saved = post(client, EXAMPLE_PNG, "rubbish.png", note=too_long, **SAVE)
    assert on_page(saved.location) == "/photo-report/save-for-later"
    assert answers(app)["photo"]["filename"] == "rubbish.png" and "note" not in answers(app)
    back = client.get(PAGE)
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and "rubbish.png" in html
    assert f'value="{too_long}"' in html or f">{too_long}<" in html
    assert parse_page(html).title.startswith("Error: ")
