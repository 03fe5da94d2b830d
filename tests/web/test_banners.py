"""One-off banners through Flask's message flashing: once, and only on the page they concern."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service_builder.questions.files import EXAMPLE_PNG
from tests.conftest import app_with_files
from tests.web.walker import on_page

PAGE = "/photo-report/photo"
WHERE = "/photo-report/where"


@pytest.fixture
def app(definitions_dir: Path, files: Path) -> Iterator[Flask]:
    yield from app_with_files(definitions_dir, files, "optional_photo.yaml")


def success_banners(html: str) -> list[str]:
    """The headings of the page's success banners, in page order."""
    banners = re.findall(r"govuk-notification-banner--success.*?</(?:h3|p)>", html, re.S)
    headings = [re.search(r'banner__heading[^"]*">(.*?)</', banner, re.S) for banner in banners]
    return [" ".join(found[1].split()) for found in headings if found]


def remove_the_photo(client: FlaskClient, prefix: str = "") -> None:
    """Upload a photo, then remove it: the banner is flashed for the photo page."""
    client.post(f"{prefix}{WHERE}", data={"street": "High Street"})
    data = {"photo": (io.BytesIO(EXAMPLE_PNG), "photo.png")}
    assert client.post(f"{prefix}{PAGE}", data=data).status_code == 302
    removed = client.post(f"{prefix}{PAGE}", data={"remove_file": "photo"})
    assert on_page(removed.location) == f"{prefix}{PAGE}"


def test_the_banner_shows_once_and_not_on_the_next_request(app: Flask) -> None:
    client = app.test_client()
    remove_the_photo(client)
    shown = client.get(PAGE).text
    assert success_banners(shown) == ["File removed"]
    assert re.search(r'govuk-notification-banner--success" role="alert"', shown)  # announced
    assert "data-disable-auto-focus" not in shown  # and focused, the page having no errors
    assert success_banners(client.get(PAGE).text) == []  # a refresh
    assert success_banners(client.get(WHERE).text) == []  # nor the next page


def test_other_pages_neither_show_nor_use_up_the_banner(app: Flask) -> None:
    client = app.test_client()
    remove_the_photo(client)
    assert success_banners(client.get(WHERE).text) == []  # another page of the service
    assert success_banners(client.get("/").text) == []  # the site's own page
    refused = client.post(PAGE, data={"note": "x" * 30})  # the page again, with its error
    assert refused.status_code == 400 and success_banners(refused.text) == []
    assert success_banners(client.get(PAGE).text) == ["File removed"]  # still its own
    assert success_banners(client.get(PAGE).text) == []


def test_staff_notices_and_banners_each_show_where_they_belong(app: Flask) -> None:
    from tests.casework.conftest import staff as staff_client

    client = staff_client(app, "agent@example.com", "agent")
    client.post("/staff/photo-report/", data={"contact_channel": "phone"})
    remove_the_photo(client, "/staff")
    page = client.get(f"/staff{PAGE}").text
    assert success_banners(page) == ["File removed"]
    assert "govuk-inset-text" not in page  # not also a note in the assisted bar
    assert success_banners(client.get(f"/staff{PAGE}").text) == []
    left = client.post(f"/staff{PAGE}", data={"save_and_leave": "1"})
    assert on_page(left.location) == "/staff/"
    (notice,) = success_banners(client.get("/staff/").text)  # not the used-up banner
    assert re.fullmatch(r"Draft \S+ saved", notice)
    assert success_banners(client.get("/staff/").text) == []  # once
