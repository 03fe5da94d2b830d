"""Repeat pages over HTTP: list, items, remove, min and max, Change, count, stored shape, CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.exports import export_columns, export_rows, stream_csv, to_csv
from service_builder.models import Draft, Submission, db
from tests.conftest import app_for, copy_fixture, empty_database, make_app
from tests.html_checks import parse_page

BASE = "/repeat"


@pytest.fixture
def app(definitions_dir: Path) -> Flask:
    return app_for(definitions_dir, "repeat.yaml")


def add(client: FlaskClient, number: int, registration: str, fuel: str = "petrol") -> None:
    response = client.post(
        f"{BASE}/vehicles/{number}", data={"registration": registration, "fuel": fuel}
    )
    assert response.status_code == 302, parse_page(response.get_data(as_text=True)).error_messages
    assert response.location == f"{BASE}/vehicles"


def two_vehicles(client: FlaskClient, business: str = "no") -> None:
    assert client.post(f"{BASE}/business", data={"business": business}).location == (
        f"{BASE}/vehicles"
    )
    add(client, 1, "AB12 CDE")
    assert client.post(f"{BASE}/vehicles", data={"add_another": "yes"}).location == (
        f"{BASE}/vehicles/2"
    )
    add(client, 2, "XY34 ZZZ", "diesel")


def test_first_visit_goes_to_item_one_and_items_return_to_the_list(client: FlaskClient) -> None:
    client.post(f"{BASE}/business", data={"business": "no"})
    assert client.get(f"{BASE}/vehicles").location == f"{BASE}/vehicles/1"
    item = parse_page(client.get(f"{BASE}/vehicles/1").get_data(as_text=True))
    assert item.title.startswith("Vehicle 1 –")
    add(client, 1, "AB12 CDE")
    listing = client.get(f"{BASE}/vehicles").get_data(as_text=True)
    assert "AB12 CDE" in listing and "Vehicle 1" in listing
    assert f'href="{BASE}/vehicles/1?item_was=' in listing
    assert f'href="{BASE}/vehicles/1/remove?item_was=' in listing
    assert "Do you want to add another vehicle?" in listing
    assert 'name="add_another"' in listing


def h1(response: object) -> str:
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert found is not None
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def caption(response: object) -> str:
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = re.search(r'<span class="govuk-caption-l">(.*?)</span>\s*<h1', html, re.S)
    assert found is not None
    return found.group(1)


def test_each_item_page_has_its_own_title_and_heading(client: FlaskClient) -> None:
    """The page's title is the heading (the v2 contract); the item's caption tells it from
    the list, so that no two pages are titled alike (GOV.UK)."""
    client.post(f"{BASE}/business", data={"business": "no"})
    first = client.get(f"{BASE}/vehicles/1")
    assert (caption(first), h1(first)) == ("Vehicle 1", "Your vehicles")
    assert parse_page(first.get_data(as_text=True)).title.startswith("Vehicle 1 – ")
    refused = client.post(f"{BASE}/vehicles/1", data={})
    assert parse_page(refused.get_data(as_text=True)).title.startswith("Error: Vehicle 1 – ")
    add(client, 1, "AB12 CDE")
    listing = client.get(f"{BASE}/vehicles")
    assert h1(listing) == "Your vehicles"
    assert parse_page(listing.get_data(as_text=True)).title.startswith("Your vehicles – ")
    client.post(f"{BASE}/vehicles", data={"add_another": "yes"})
    second = client.get(f"{BASE}/vehicles/2")
    assert (caption(second), h1(second)) == ("Vehicle 2", "Your vehicles")


def test_an_item_of_a_page_with_no_item_name_is_titled_from_the_list(
    definitions_dir: Path,
) -> None:
    fixture = copy_fixture("repeat.yaml", definitions_dir)
    fixture.write_text(fixture.read_text().replace("    item_name: vehicle\n", ""))
    app = make_app(definitions_dir)
    empty_database(app)
    client = app.test_client()
    client.post(f"{BASE}/business", data={"business": "no"})
    item = client.get(f"{BASE}/vehicles/1")
    assert (caption(item), h1(item)) == ("Your vehicles: item 1", "Your vehicles")
    assert parse_page(item.get_data(as_text=True)).title.startswith("Your vehicles: item 1 – ")


def test_the_list_asks_yes_or_no_and_counts_the_minimum(client: FlaskClient) -> None:
    client.post(f"{BASE}/business", data={"business": "no"})
    add(client, 1, "AB12 CDE")
    empty = client.post(f"{BASE}/vehicles", data={})
    assert empty.status_code == 400
    assert parse_page(empty.get_data(as_text=True)).error_messages == [
        "Select yes if you want to add another vehicle"
    ]
    too_few = client.post(f"{BASE}/vehicles", data={"add_another": "no"})
    assert too_few.status_code == 400
    facts = parse_page(too_few.get_data(as_text=True))
    assert facts.title.startswith("Error: ")
    assert facts.error_messages == ["Add at least 2: select yes to add another vehicle"]
    assert client.get(f"{BASE}/name").location == f"{BASE}/vehicles"  # not past the list


def test_no_more_is_asked_at_max_items_and_count_conditions_route(client: FlaskClient) -> None:
    two_vehicles(client)
    assert client.post(f"{BASE}/vehicles", data={"add_another": "no"}).location == f"{BASE}/name"
    client.post(f"{BASE}/vehicles", data={"add_another": "yes"})
    add(client, 3, "CD56 EFG", "electric")
    listing = client.get(f"{BASE}/vehicles").get_data(as_text=True)
    assert 'name="add_another"' not in listing
    assert client.get(f"{BASE}/vehicles/4").location == f"{BASE}/vehicles"  # past max_items
    assert client.get(f"{BASE}/vehicles/9").location == f"{BASE}/vehicles"
    assert client.post(f"{BASE}/vehicles", data={}).location == f"{BASE}/many"  # count eq 3


def test_remove_asks_first_and_no_keeps_the_item(client: FlaskClient) -> None:
    two_vehicles(client)
    page = client.get(f"{BASE}/vehicles/2/remove")
    facts = parse_page(page.get_data(as_text=True))
    assert facts.title.startswith("Are you sure you want to remove vehicle 2?")
    shown = page.get_data(as_text=True)
    assert "XY34 ZZZ" in shown and "AB12 CDE" not in shown  # which vehicle: its answers
    assert shown.count("<h1") == 1 and h1(page) == "Are you sure you want to remove vehicle 2?"
    refused = client.post(f"{BASE}/vehicles/2/remove", data={})
    assert refused.status_code == 400
    assert parse_page(refused.get_data(as_text=True)).error_messages == [
        "Select yes if you want to remove vehicle 2"
    ]
    assert client.post(f"{BASE}/vehicles/2/remove", data={"confirm": "no"}).location == (
        f"{BASE}/vehicles"
    )
    assert "XY34 ZZZ" in client.get(f"{BASE}/vehicles").get_data(as_text=True)
    assert "Removed from your list" not in client.get(f"{BASE}/vehicles").get_data(as_text=True)
    client.post(f"{BASE}/vehicles/1/remove", data={"confirm": "yes"})
    listing = client.get(f"{BASE}/vehicles").get_data(as_text=True)
    assert "AB12 CDE" not in listing and "XY34 ZZZ" in listing
    assert "Removed from your list" in listing  # once: a refresh does not show it again
    assert "Removed from your list" not in client.get(f"{BASE}/vehicles").get_data(as_text=True)
    assert client.get(f"{BASE}/vehicles/2/remove").location == f"{BASE}/vehicles"


def test_stored_answer_change_from_check_answers_and_csv(client: FlaskClient, app: Flask) -> None:
    two_vehicles(client, business="yes")
    client.post(f"{BASE}/vehicles", data={"add_another": "no"})
    client.post(f"{BASE}/name", data={"full_name": "Sam Example"})
    summary = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert f'href="{BASE}/vehicles/2?change=1"' in summary
    # Change item 2 from check-your-answers: straight back to the summary (GOV.UK pattern)
    changed = client.post(
        f"{BASE}/vehicles/2?change=1",
        data={"registration": "NEW1 REG", "fuel": "electric", "fleet_number": "F7"},
    )
    assert changed.location == f"{BASE}/check-answers"
    # the list, opened in change mode, still returns to the summary when done
    done = client.post(f"{BASE}/vehicles?change=1", data={"add_another": "no"})
    assert done.location == f"{BASE}/check-answers"
    assert "NEW1 REG" in client.get(f"{BASE}/check-answers").get_data(as_text=True)
    client.post(f"{BASE}/check-answers")
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        assert submission.answers == {
            "business": "yes",
            "vehicles": [
                {"registration": "AB12 CDE", "fuel": "petrol"},
                {"registration": "NEW1 REG", "fuel": "electric", "fleet_number": "F7"},
            ],
            "full_name": "Sam Example",
        }
        service = app.extensions["service_builder"].catalog.get("repeat")
        rows = list(csv.reader(io.StringIO(to_csv(service, [submission]))))
        streamed = stream_csv(
            service, export_columns(service, "repeat", None), export_rows("repeat")
        )
        assert "".join(streamed) == to_csv(service, [submission])  # the `export` command's way
    header = rows[0]
    item_columns = [
        f"vehicles.{n}.{q}" for n in (1, 2, 3) for q in ("registration", "fuel", "fleet_number")
    ]
    assert header[3:-2] == ["business", *item_columns, "full_name"]
    cells = dict(zip(header, rows[1], strict=True))
    assert cells["vehicles.2.registration"] == "NEW1 REG"
    assert cells["vehicles.2.fleet_number"] == "F7"
    assert cells["vehicles.3.fuel"] == ""


def test_questions_inside_items_follow_earlier_answers_on_the_route(client: FlaskClient) -> None:
    two_vehicles(client, business="yes")
    assert 'name="fleet_number"' in client.get(f"{BASE}/vehicles/1").get_data(as_text=True)
    client.post(
        f"{BASE}/vehicles/1",
        data={"registration": "AB12 CDE", "fuel": "petrol", "fleet_number": "F1"},
    )
    client.post(f"{BASE}/vehicles", data={"add_another": "no"})
    client.post(f"{BASE}/name", data={"full_name": "Sam"})
    client.post(f"{BASE}/business?change=1", data={"business": "no"})
    summary = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    summary = summary[summary.index("<main") : summary.index("</main>")]  # not the CSP nonce
    summary = re.sub(r'<input type="hidden"[^>]*>', "", summary)  # nor a random CSRF token
    assert "F1" not in summary  # hidden now: neither shown nor submitted
    assert 'name="fleet_number"' not in client.get(f"{BASE}/vehicles/1").get_data(as_text=True)


def test_back_after_sending_says_the_form_was_sent(client: FlaskClient, app: Flask) -> None:
    two_vehicles(client)
    client.post(f"{BASE}/vehicles", data={"add_another": "no"})
    client.post(f"{BASE}/name", data={"full_name": "Sam Example"})
    client.post(f"{BASE}/check-answers")
    with app.app_context():
        reference = db.session.scalars(select(Submission)).one().reference
    for url in (
        f"{BASE}/name",
        f"{BASE}/",
        f"{BASE}/business",
        f"{BASE}/vehicles/1",
        f"{BASE}/vehicles/2/remove",
        f"{BASE}/vehicles/4",
    ):
        response = client.get(url, follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "You have already sent this form" in html, url
        assert response.mimetype == "text/html", url  # a page, not its source
        assert reference in html
    again = client.post(f"{BASE}/start-again")
    assert again.location == f"{BASE}/"
    assert client.get(f"{BASE}/business").status_code == 200
    assert "already sent" not in client.get(f"{BASE}/business").get_data(as_text=True)


def test_a_change_that_asks_items_a_new_question_leads_to_the_first_item_lacking_it(
    tmp_path: Path,
) -> None:
    # the fixture, with the fleet number required of businesses' vehicles
    text = (Path(__file__).parent.parent / "fixtures" / "definitions" / "repeat.yaml").read_text()
    required = text.replace(
        '        required: false\n        show_when: {business: "yes"}',
        '        show_when: {business: "yes"}',
    )
    assert required != text
    (tmp_path / "repeat.yaml").write_text(required)
    app = make_app(tmp_path)
    empty_database(app)
    client = app.test_client()
    two_vehicles(client, business="no")
    client.post(f"{BASE}/vehicles", data={"add_another": "no"})
    client.post(f"{BASE}/name", data={"full_name": "Sam"})
    assert client.get(f"{BASE}/check-answers").status_code == 200
    changed = client.post(f"{BASE}/business?change=1", data={"business": "yes"})
    assert changed.location == f"{BASE}/vehicles?change=1"  # the items now need a fleet number
    listing = client.get(changed.location).get_data(as_text=True)
    assert len(re.findall(r"govuk-tag--red[^>]*>\s*Incomplete\s*</strong>", listing)) == 2
    assert "vehicle 1 (incomplete)" in listing  # the Change link says so to screen readers
    done = client.post(f"{BASE}/vehicles?change=1", data={"add_another": "no"})
    assert done.status_code == 400  # the first item lacking it, saying what: not a loop
    item = done.get_data(as_text=True)
    assert 'name="fleet_number"' in item and 'value="AB12 CDE"' in item
    assert parse_page(item).error_messages == ["Enter the fleet number"]
    assert f'action="{BASE}/vehicles/1?change=1"' in item
    assert (
        client.post(
            f"{BASE}/vehicles/1?change=1",
            data={"registration": "AB12 CDE", "fuel": "petrol", "fleet_number": "F1"},
        ).status_code
        == 302
    )
    listing = client.get(f"{BASE}/vehicles?change=1").get_data(as_text=True)
    assert len(re.findall(r"govuk-tag--red[^>]*>\s*Incomplete\s*</strong>", listing)) == 1


def item_was(client: FlaskClient, url: str) -> str:
    found = re.search(r'name="item_was" value="([^"]+)"', client.get(url).get_data(as_text=True))
    assert found is not None
    return found.group(1)


def test_a_form_for_an_item_that_changed_in_another_tab_saves_nothing(
    client: FlaskClient, app: Flask
) -> None:
    two_vehicles(client)
    client.post(f"{BASE}/vehicles", data={"add_another": "yes"})
    add(client, 3, "CCC1")
    second = item_was(client, f"{BASE}/vehicles/2")  # tab 1 opens vehicle 2
    removal = item_was(client, f"{BASE}/vehicles/2/remove")
    client.post(f"{BASE}/vehicles/1/remove", data={"confirm": "yes"})  # tab 2 removes vehicle 1
    stale = {"registration": "XY34 NEW", "fuel": "diesel", "item_was": second}
    assert client.post(f"{BASE}/vehicles/2", data=stale).location == f"{BASE}/vehicles"
    assert (
        client.post(
            f"{BASE}/vehicles/2/remove", data={"confirm": "yes", "item_was": removal}
        ).location
        == f"{BASE}/vehicles"
    )
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        kept = [item["registration"] for item in draft.data["answers"]["vehicles"]]
    assert kept == ["XY34 ZZZ", "CCC1"]  # neither saved over nor removed
    listing = client.get(f"{BASE}/vehicles").get_data(as_text=True)
    assert "Your list changed in another tab or window" in listing  # said, once
    assert "Your list changed" not in client.get(f"{BASE}/vehicles").get_data(as_text=True)
    fresh = {
        "registration": "CCC2",
        "fuel": "diesel",
        "item_was": item_was(client, f"{BASE}/vehicles/2"),
    }
    assert client.post(f"{BASE}/vehicles/2", data=fresh).location == f"{BASE}/vehicles"


def test_check_answers_has_a_row_for_the_list_to_add_or_remove_items(client: FlaskClient) -> None:
    two_vehicles(client)
    client.post(f"{BASE}/vehicles", data={"add_another": "no"})
    client.post(f"{BASE}/name", data={"full_name": "Sam Example"})
    summary = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">\s*(.*?)\s*</dt>\s*'
        r'<dd class="govuk-summary-list__value">\s*(.*?)\s*</dd>\s*'
        r'<dd class="govuk-summary-list__actions">\s*<a class="govuk-link" href="([^"]+)"',
        summary,
    )
    keys = [(key, value, href) for key, value, href in rows if "ehicle" in key]
    assert keys[0] == ("Your vehicles", "2 added", f"{BASE}/vehicles?change=1")  # the list
    assert [key for key, _, _ in keys[1:]] == ["Vehicle 1", "Vehicle 2"]
    listing = client.get(f"{BASE}/vehicles?change=1").get_data(as_text=True)
    assert 'name="add_another"' in listing  # from there, add another or remove one


def test_removing_the_last_needed_item_from_check_answers_asks_for_one_not_yes_or_no(
    client: FlaskClient,
) -> None:
    """A trial: with every item removed, the list asked "Do you want to add a vehicle?" and
    could only refuse "No". As on the first visit, it goes to the first item instead."""
    two_vehicles(client)
    client.post(f"{BASE}/vehicles", data={"add_another": "no"})
    client.post(f"{BASE}/name", data={"full_name": "Sam Example"})
    assert client.get(f"{BASE}/check-answers").status_code == 200
    for _ in range(2):
        removed = client.post(f"{BASE}/vehicles/1/remove?change=1", data={"confirm": "yes"})
    listing = client.get(removed.location)
    assert listing.status_code == 302 and listing.location == f"{BASE}/vehicles/1?change=1"


def test_the_lists_links_to_an_item_another_tab_has_removed_open_the_list_again(
    client: FlaskClient, app: Flask
) -> None:
    two_vehicles(client)
    listing = client.get(f"{BASE}/vehicles").get_data(as_text=True)  # tab 1's list
    links = re.findall(r'href="(/repeat/vehicles/2[^"]*)"', listing)
    change, remove = (link.replace("&amp;", "&") for link in links)
    assert "item_was=" in change and remove.startswith(f"{BASE}/vehicles/2/remove?")
    client.post(f"{BASE}/vehicles/1/remove", data={"confirm": "yes"})  # tab 2 removes vehicle 1
    for stale in (change, remove):
        opened = client.get(stale)  # tab 1: was "Change vehicle 2", now a new, empty item
        assert opened.location == f"{BASE}/vehicles", stale
        shown = client.get(opened.location).get_data(as_text=True)
        assert "Your list changed in another tab or window" in shown
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
    assert len(draft.data["answers"]["vehicles"]) == 1
    assert client.get(f"{BASE}/vehicles/2").status_code == 200  # unmarked: a new item, as ever
