"""Repeat pages count in the figures: their list, item and remove views, saves and errors,
driven over HTTP and read back through `stats`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service_builder.performance.stats import stats, window
from tests.conftest import copy_fixture, empty_database, make_app

BASE = "/repeat"


@pytest.fixture
def app(definitions_dir: Path) -> Iterator[Flask]:
    copy_fixture("repeat.yaml", definitions_dir)
    app = make_app(definitions_dir)
    empty_database(app)
    yield app
    empty_database(app)


def figures(app: Flask) -> dict[str, Any]:
    with app.app_context():
        service = app.extensions["service_builder"].catalog.get("repeat")
        return dict(stats(service, window("repeat", None, None))["by_channel"]["online"])


def post(client: FlaskClient, url: str, status: int, **form: str) -> None:
    response = client.post(f"{BASE}/{url}", data=form)
    assert response.status_code == status, (url, response.status_code)


def test_repeat_pages_are_viewed_saved_and_their_errors_counted(app: Flask) -> None:
    stays = app.test_client()
    post(stays, "business", 302, business="no")
    assert stays.get(f"{BASE}/vehicles/1").status_code == 200
    post(stays, "vehicles/1", 400, fuel="petrol")  # no registration
    post(
        stays, "vehicles/1", 400, registration="AB12 CDE", fuel="coal"
    )  # not an option: as if none
    post(stays, "vehicles/1", 302, registration="AB12 CDE", fuel="petrol")
    assert stays.get(f"{BASE}/vehicles").status_code == 200
    post(stays, "vehicles", 400)  # neither yes nor no
    post(stays, "vehicles", 400, add_another="no")  # fewer than 2
    assert stays.get(f"{BASE}/vehicles/1/remove").status_code == 200
    post(stays, "vehicles/1/remove", 400)
    passes = app.test_client()  # reaches the list, never adds a vehicle
    post(passes, "business", 302, business="yes")
    assert passes.get(f"{BASE}/vehicles/1").status_code == 200

    online = figures(app)
    assert online["started"] == 2
    pages = {row["page"]: row for row in online["pages"]}
    assert pages["vehicles"] == {"page": "vehicles", "reached": 2, "last_seen_here": 2}
    assert pages["name"]["reached"] == 0
    assert online["validation_errors"] == [
        {"question": "add_another", "check": "min_items", "count": 1},
        {"question": "add_another", "check": "required", "count": 1},
        {"question": "confirm", "check": "required", "count": 1},
        {"question": "fuel", "check": "required", "count": 1},
        {"question": "registration", "check": "required", "count": 1},
    ]


def test_finishing_the_list_moves_the_funnel_on(app: Flask) -> None:
    client = app.test_client()
    post(client, "business", 302, business="no")
    post(client, "vehicles/1", 302, registration="AB12 CDE", fuel="petrol")
    post(client, "vehicles", 302, add_another="yes")
    post(client, "vehicles/2", 302, registration="XY34 ZZZ", fuel="diesel")
    post(client, "vehicles", 302, add_another="no")
    assert client.get(f"{BASE}/name").status_code == 200
    pages = {row["page"]: row for row in figures(app)["pages"]}
    assert pages["vehicles"] == {"page": "vehicles", "reached": 1, "last_seen_here": 0}
    assert pages["name"] == {"page": "name", "reached": 1, "last_seen_here": 1}
