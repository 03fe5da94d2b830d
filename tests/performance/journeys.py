"""Known journeys through the pothole fixture, driven over HTTP, for exact figures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from service_builder.staff.accounts import save_user
from tests.conftest import empty_database, make_app

FOLDER = Path(__file__).resolve().parent.parent / "fixtures" / "performance"
SERVICE = "report-a-pothole"
PASSWORD = "correct horse battery"


def pothole_app() -> Iterator[Flask]:
    """The app with the pothole fixture, on an empty database (for a module's `app`)."""
    app = make_app(FOLDER)
    empty_database(app)
    yield app
    empty_database(app)


def online(app: Flask) -> FlaskClient:
    return app.test_client()


def assisted(app: Flask, email: str = "agent@example.com") -> FlaskClient:
    with app.app_context():
        save_user(email, PASSWORD, "agent")
    client = app.test_client()
    client.post("/staff/sign-in", data={"email": email, "password": PASSWORD})
    assert client.post(f"/staff/{SERVICE}/", data={"contact_channel": "phone"}).status_code == 302
    return client


def go(client: FlaskClient, prefix: str, page: str, **form: str) -> int:
    """View a page, then (when `form` is given) answer it; the status of the answer."""
    assert client.get(f"{prefix}/{SERVICE}/{page}").status_code == 200
    if not form:
        return 200
    status = client.post(f"{prefix}/{SERVICE}/{page}", data=form).status_code
    return int(status)


def complete(client: FlaskClient, prefix: str = "") -> None:
    go(client, prefix, "where", in_area="yes")
    go(client, prefix, "details", size="big")
    assert client.get(f"{prefix}/{SERVICE}/check-answers").status_code == 200
    assert client.post(f"{prefix}/{SERVICE}/check-answers").status_code == 302
