"""Hand-written Change journeys over HTTP: the answers a person gives, and the exact
submission expected (not derived from the engine under test)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import Submission, db
from tests.conftest import app_for

BASE = "/pets"


@pytest.fixture
def app(definitions_dir: Path) -> Flask:
    return app_for(definitions_dir, "pets.yaml")


def post(client: FlaskClient, url: str, data: dict[str, str], goes_to: str) -> None:
    response = client.post(f"{BASE}/{url}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.location == f"{BASE}/{goes_to}", response.location


def submitted(app: Flask) -> dict[str, object]:
    with app.app_context():
        return dict(db.session.scalars(select(Submission)).one().answers)


def test_no_pet_after_a_dog_drops_the_dogs_name(client: FlaskClient, app: Flask) -> None:
    post(client, "has-pet", {"has_pet": "yes"}, "kind")
    post(client, "kind", {"kind": "dog"}, "dog-name")
    post(client, "dog-name", {"dog_name": "Rex"}, "postcode")
    post(client, "postcode", {"postcode": "sw1a1aa"}, "check-answers")
    post(client, "has-pet?change=1", {"has_pet": "no"}, "check-answers")
    summary = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert "Rex" not in summary and "What is your dog" not in summary
    assert client.get(f"{BASE}/dog-name").location == f"{BASE}/check-answers"  # off the route
    client.post(f"{BASE}/check-answers")
    assert submitted(app) == {"has_pet": "no", "postcode": "SW1A 1AA"}


def test_a_pet_again_asks_its_pages_again_with_the_kept_answers(
    client: FlaskClient, app: Flask
) -> None:
    """The pages a Change brought back are asked again, what was said filled in, before
    check your answers: not shown there unasked (two residents' trials)."""
    post(client, "has-pet", {"has_pet": "yes"}, "kind")
    post(client, "kind", {"kind": "dog"}, "dog-name")
    post(client, "dog-name", {"dog_name": "Rex"}, "postcode")
    post(client, "postcode", {"postcode": "SW1A 1AA"}, "check-answers")
    post(client, "has-pet?change=1", {"has_pet": "no"}, "check-answers")
    post(client, "has-pet?change=1", {"has_pet": "yes"}, "kind?change=1")
    kind = client.get(f"{BASE}/kind?change=1").get_data(as_text=True)
    assert re.search(r'value="dog"\s+checked', kind)
    post(client, "kind?change=1", {"kind": "dog"}, "dog-name?change=1")
    assert 'value="Rex"' in client.get(f"{BASE}/dog-name?change=1").get_data(as_text=True)
    post(client, "dog-name?change=1", {"dog_name": "Rex"}, "check-answers")
    client.post(f"{BASE}/check-answers")
    assert submitted(app) == {
        "has_pet": "yes",
        "kind": "dog",
        "dog_name": "Rex",
        "postcode": "SW1A 1AA",
    }


def test_a_cat_instead_of_a_dog_drops_the_name(client: FlaskClient, app: Flask) -> None:
    post(client, "has-pet", {"has_pet": "yes"}, "kind")
    post(client, "kind", {"kind": "dog"}, "dog-name")
    post(client, "dog-name", {"dog_name": "Rex"}, "postcode")
    post(client, "postcode", {"postcode": "SW1A 1AA"}, "check-answers")
    post(client, "kind?change=1", {"kind": "cat"}, "check-answers")
    client.post(f"{BASE}/check-answers")
    assert submitted(app) == {"has_pet": "yes", "kind": "cat", "postcode": "SW1A 1AA"}


def test_sending_after_another_tab_opened_a_page_says_why_that_page_is_next(
    client: FlaskClient, app: Flask
) -> None:
    """Residents' and agents' trials: a send from a check-your-answers page that another tab
    had since made incomplete landed on a question with no word of why."""
    post(client, "has-pet", {"has_pet": "no"}, "postcode")
    post(client, "postcode", {"postcode": "SW1A 1AA"}, "check-answers")
    first_tab = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    seen = re.search(r'name="answers_seen" value="([^"]+)"', first_tab)
    assert seen is not None
    post(client, "has-pet?change=1", {"has_pet": "yes"}, "kind?change=1")  # the other tab
    sent = client.post(f"{BASE}/check-answers", data={"answers_seen": seen[1]})
    assert sent.location == f"{BASE}/kind"
    page = client.get(sent.location).get_data(as_text=True)
    assert "Your answers have changed in another tab or window" in page
    assert "Nothing has been sent" in page
    assert "changed in another tab" not in client.get(sent.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Submission)).first() is None
    plain = client.post(f"{BASE}/check-answers")  # not from the page (no mark): no banner
    assert "changed in another tab" not in client.get(plain.location).get_data(as_text=True)
