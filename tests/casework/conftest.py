"""Fixtures for casework and deliveries: two teams' services, stand-in servers, seeded cases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service_builder.staff.accounts import save_user
from tests.conftest import copy_fixture, empty_database, make_app
from tests.stand_ins import NOTIFY_API_KEY, StandIn, serve

PASSWORD = "correct-horse-battery"
POTHOLE = "/report-a-pothole"


@pytest.fixture
def casework_dir(definitions_dir: Path) -> Path:
    copy_fixture("casework.yaml", definitions_dir)
    copy_fixture("casework-parks.yaml", definitions_dir)
    return definitions_dir


@pytest.fixture
def app(casework_dir: Path) -> Iterator[Flask]:
    app = make_app(casework_dir, RATELIMIT_ENABLED=False)
    empty_database(app)
    yield app
    empty_database(app)


@pytest.fixture
def webhook() -> Iterator[StandIn]:
    with serve(StandIn("webhook")) as stand_in:
        yield stand_in


@pytest.fixture
def notify() -> Iterator[StandIn]:
    with serve(StandIn("notify")) as stand_in:
        yield stand_in


@pytest.fixture
def environ(webhook: StandIn, notify: StandIn) -> dict[str, str]:
    return {
        "POTHOLE_CASE_URL": webhook.url + "/cases",
        "POTHOLE_CASE_SECRET": "shared-secret",
        "NOTIFY_API_KEY": NOTIFY_API_KEY,
        "NOTIFY_BASE_URL": notify.url,
    }


def send_pothole(
    client: FlaskClient,
    name: str = "Ada Lovelace",
    email: str = "ada@example.com",
    postcode: str = "SW1A 1AA",
    phone: str = "",
) -> str:
    """Fill in and send the pothole form as a resident; the reference."""
    answers = {"full_name": name, "email": email, "postcode": postcode, "phone": phone}
    assert client.post(f"{POTHOLE}/details", data=answers).status_code == 302
    response = client.post(f"{POTHOLE}/check-answers")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    import re

    match = re.search(r"POT-[0-9A-Z]{4}-[0-9A-Z]{4}", page)
    assert match, page
    return match.group(0)


def staff(app: Flask, email: str, role: str, teams: tuple[str, ...] = ()) -> FlaskClient:
    """A signed-in client for a new member of staff."""
    from service_builder.cases import set_teams
    from service_builder.staff.accounts import find_user

    with app.app_context():
        save_user(email, PASSWORD, role)
        set_teams(find_user(email), teams)  # type: ignore[arg-type]
    client = app.test_client()
    response = client.post("/staff/sign-in", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client
