"""Repeat pages whose items are optional (`min_items: 0`): the list comes first."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import Submission, db
from tests.conftest import app_serving
from tests.html_checks import parse_page

BASE = "/optional-repeat"
DEFINITION = """
id: optional-repeat
title: Optional repeat
pages:
  - id: pets
    type: repeat
    title: Your pets
    item_name: animal
    min_items: 0
    max_items: 2
    questions:
      - {id: pet_name, type: text, label: Pet's name}
  - id: name
    questions:
      - {id: full_name, type: text, label: Full name}
"""


@pytest.fixture
def app(definitions_dir: Path) -> Flask:
    return app_serving(definitions_dir, DEFINITION, "optional-repeat")


def test_the_first_visit_shows_the_list_and_no_goes_on(app: Flask, client: FlaskClient) -> None:
    first = client.get(f"{BASE}/pets")
    assert first.status_code == 200
    html = first.get_data(as_text=True)
    assert "Do you want to add an animal?" in html and 'name="add_another"' in html
    assert "You have not added an animal yet." in html
    refused = client.post(f"{BASE}/pets", data={})
    assert refused.status_code == 400
    assert parse_page(refused.get_data(as_text=True)).error_messages == [
        "Select yes if you want to add an animal"
    ]
    assert client.post(f"{BASE}/pets", data={"add_another": "no"}).location == f"{BASE}/name"
    client.post(f"{BASE}/name", data={"full_name": "Sam Example"})
    assert client.post(f"{BASE}/check-answers").location == f"{BASE}/confirmation"
    with app.app_context():
        answers = db.session.scalars(select(Submission)).one().answers
    assert answers.get("pets", []) == [] and answers["full_name"] == "Sam Example"


def test_yes_opens_item_one_and_then_it_asks_for_another(client: FlaskClient) -> None:
    assert client.post(f"{BASE}/pets", data={"add_another": "yes"}).location == f"{BASE}/pets/1"
    assert client.post(f"{BASE}/pets/1", data={"pet_name": "Rex"}).location == f"{BASE}/pets"
    listing = client.get(f"{BASE}/pets").get_data(as_text=True)
    assert "Rex" in listing and "Do you want to add another animal?" in listing


def test_welsh_asks_without_an_article() -> None:
    from service_builder.catalog import Catalog
    from service_builder.web.repeat import add_another_question, none_added_text
    from tests.conftest import EXAMPLES

    service = Catalog.load(EXAMPLES).services["apply-recycling-centre-permit"]
    page = service.in_language("cy").page("vehicles")
    assert page is not None
    question = add_another_question(page, first=True)
    assert question.label == "Ydych chi eisiau ychwanegu cerbyd?"
    assert none_added_text(page) == "Nid ydych wedi ychwanegu cerbyd eto."


def test_a_list_finished_with_none_has_a_count_of_0_but_is_not_answered(
    definitions_dir: Path, client: FlaskClient
) -> None:
    """'No pets' is an answer a condition can route on: `count: {eq: 0}` holds, while
    `answered: true` still means at least one item."""
    routed = DEFINITION.replace(
        "  - id: name\n",
        "  - id: no-pets\n    show_when: {pets: {count: {eq: 0}}}\n    questions:\n"
        "      - {id: why_none, type: text, label: 'Why not?'}\n"
        "  - id: vet\n    show_when: {pets: {answered: true}}\n    questions:\n"
        "      - {id: vet_name, type: text, label: Vet's name}\n"
        "  - id: name\n",
    ).replace("id: optional-repeat", "id: counted-repeat")
    client = app_serving(definitions_dir, routed, "counted-repeat").test_client()
    base = "/counted-repeat"
    assert client.post(f"{base}/pets", data={"add_another": "no"}).location == f"{base}/no-pets"
    assert client.post(f"{base}/no-pets", data={"why_none": "Allergic"}).location == (
        f"{base}/name"
    )  # no vet page: nothing was added
    client.post(f"{base}/pets", data={"add_another": "yes"})
    client.post(f"{base}/pets/1", data={"pet_name": "Rex"})
    assert client.post(f"{base}/pets", data={"add_another": "no"}).location == f"{base}/vet"


def test_check_answers_shows_a_list_left_empty_and_changes_it(client: FlaskClient) -> None:
    client.post(f"{BASE}/pets", data={"add_another": "no"})
    client.post(f"{BASE}/name", data={"full_name": "Sam Example"})
    summary = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert "Your pets" in summary and f'href="{BASE}/pets?change=1"' in summary
    listing = client.get(f"{BASE}/pets?change=1")
    assert listing.status_code == 200 and "Do you want to add an animal?" in listing.text
    added = client.post(f"{BASE}/pets?change=1", data={"add_another": "yes"})
    assert added.location.startswith(f"{BASE}/pets/1")
    client.post(added.location, data={"pet_name": "Rex"})
    client.post(f"{BASE}/pets?change=1", data={"add_another": "no"})
    summary = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert "Rex" in summary and "1 added" in summary  # the list keeps its row, to add more
    assert f'href="{BASE}/pets?change=1"' in summary
