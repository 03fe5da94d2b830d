"""What was typed on the page a person saved from comes back on that page, never as an answer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import Draft, db
from service_builder.performance.models import Event
from service_builder.web import typed
from tests.conftest import FIXTURES, empty_database, make_app
from tests.html_checks import parse_page
from tests.places_stand_in import API_KEY, PlacesStandIn, serve_places
from tests.web import test_address_lookup as lookup
from tests.web import test_save_return
from tests.web.test_assisted_calls import drafts
from tests.web.test_save_return import (
    ADDRESS,
    CAR,
    EMAIL,
    PERMIT,
    VAN,
    ZONE,
    link_path,
)
from tests.web.walker import on_page

SAVE = {"save_for_later": "1"}
repeat_app = test_save_return.repeat_app  # the repeat scenario, opted in to save and return


def page(response: Any) -> str:
    html = str(response.get_data(as_text=True))
    parse_page(html)
    return html


def stored(app: Flask) -> dict[str, Any]:
    with app.app_context():
        (draft,) = db.session.scalars(select(Draft))
        return dict(draft.data)


def save_and_send(client: FlaskClient, path: str, data: dict[str, str]) -> str:
    saved = client.post(path, data={**data, **SAVE})
    assert on_page(saved.location) == f"{PERMIT}/save-for-later"
    sent = client.post(f"{PERMIT}/save-for-later", data={"email": EMAIL})
    assert on_page(sent.location) == f"{PERMIT}/saved"
    return link_path(client.application)


def test_half_an_address_comes_back_on_back_from_the_email_page(
    app: Flask, client: FlaskClient
) -> None:
    assert client.post(f"{PERMIT}/zone", data=ZONE).status_code == 302
    half = {**ADDRESS, "home_address-postcode": "", "home_address-line-2": ""}
    assert client.post(f"{PERMIT}/home-address", data={**half, **SAVE}).status_code == 302
    back = client.get(f"{PERMIT}/home-address")
    html = page(back)
    assert back.status_code == 200
    assert 'value="1 Market Street"' in html and 'value="Aldermoor"' in html
    assert "<title>Error:" in html and "Enter postcode" in html
    data = stored(app)
    assert "home_address" not in data["answers"]  # not an answer
    assert data["typed"]["home-address"]["home_address"]["home_address-town"] == "Aldermoor"
    assert "home-address" not in data["completed"]
    # answering the page replaces what was typed
    assert client.post(f"{PERMIT}/home-address", data=ADDRESS).status_code == 302
    assert "typed" not in stored(app)


def test_an_invalid_number_comes_back_with_its_error_and_never_counts(
    app: Flask, client: FlaskClient
) -> None:
    client.post(f"{PERMIT}/zone", data=ZONE)
    client.post(f"{PERMIT}/home-address", data=ADDRESS)
    path = save_and_send(client, f"{PERMIT}/vehicle-count", {"vehicle_count": "7"})
    other = app.test_client()
    resumed = other.post(path, data={"email": EMAIL})
    assert on_page(resumed.location) == f"{PERMIT}/vehicle-count"
    shown = other.get(resumed.location)
    html = page(shown)
    assert 'value="7"' in html and "<title>Error:" in html
    assert "The number of vehicles must be between 1 and 3" in html
    assert "We have kept your answers" in html
    # the error summary takes focus and is the one alert; the banner is a region
    banner = re.search(r'<div class="govuk-notification-banner[^>]*>', html)
    assert banner and 'role="region"' in banner.group() and "auto-focus" in banner.group()
    data = stored(app)
    assert "vehicle_count" not in data["answers"]
    # not an answer: the next page is still out of reach and check your answers is closed
    assert on_page(other.get(f"{PERMIT}/vehicle").location) == f"{PERMIT}/vehicle-count"
    assert on_page(other.get(f"{PERMIT}/check-answers").location) == f"{PERMIT}/vehicle-count"


def test_typed_text_is_bounded_and_kept_for_a_few_pages_only(app: Flask) -> None:
    from service_builder.journey import DraftState, Journey

    with app.app_context():
        service = app.extensions["service_builder"].catalog.get("apply-parking-permit")
        journey = Journey(service, DraftState(), "resident")
        for current in service.pages[:8]:
            photo = {"photo": object()}  # a file: never held, nor its question
            typed.keep(journey, current, {"q": {"q-x": "x" * 20_000, "f": object()}, "p": photo})
        held = journey.state.typed
        assert len(held) == typed.MAX_PAGES and service.pages[7].id in held
        assert held[service.pages[7].id] == {"q": {"q-x": "x" * 10_000}}
        assert journey.state.to_json()["typed"] == held
        assert DraftState.from_json(journey.state.to_json()).typed == held
        assert "typed" not in DraftState().to_json()  # the shape drafts always had


@pytest.fixture
def lookup_app(definitions_dir: Path) -> Iterator[Flask]:
    with serve_places(PlacesStandIn()) as places:
        yield lookup.app.__wrapped__(definitions_dir, places)  # type: ignore[attr-defined]


def test_an_agent_gets_a_typed_address_back_after_save_and_leave(lookup_app: Flask) -> None:
    app, client = lookup_app, lookup_app.test_client()
    reference = lookup.agent_at_the_address(app, client)
    bad = {**lookup.TYPED, "home-postcode": "BAD", "home-line-1": "7 Oak Road"}
    left = client.post(f"/staff{lookup.PAGE}?lookup=manual", data={**bad, **lookup.AGENT_LEAVES})
    assert on_page(left.location) == "/staff/"
    assert "home" not in lookup.saved_answers(app, reference)
    resumed = client.post(f"/staff/drafts/{reference}/resume")
    assert on_page(resumed.location) == f"/staff{lookup.PAGE}"
    html = page(client.get(resumed.location))
    assert 'value="7 Oak Road"' in html and 'value="BAD"' in html
    assert "<title>Error:" in html and "Enter a full UK postcode" in html
    assert "Find address" not in html  # the typed form, not an empty search


def agent_leaves_with(app: Flask, client: FlaskClient, posted: dict[str, str]) -> str:
    """An agent at the address page posts `posted` with Save and leave: the draft's reference."""
    reference = lookup.agent_at_the_address(app, client)
    left = client.post(f"/staff{lookup.PAGE}", data={**posted, **lookup.AGENT_LEAVES})
    assert on_page(left.location) == "/staff/"
    return reference


def test_a_postcode_search_left_with_an_error_comes_back(lookup_app: Flask) -> None:
    app, client = lookup_app, lookup_app.test_client()
    reference = agent_leaves_with(app, client, lookup.find("NOT A POSTCODE"))
    client.post(f"/staff/drafts/{reference}/resume")
    html = page(client.get(f"/staff{lookup.PAGE}"))
    assert 'value="NOT A POSTCODE"' in html and "<title>Error:" in html


def test_a_postcode_found_then_left_comes_back_with_the_draft_only(lookup_app: Flask) -> None:
    app, client = lookup_app, lookup_app.test_client()
    reference = agent_leaves_with(app, client, lookup.find("AL1 2CD"))
    assert "home" not in lookup.saved_answers(app, reference)  # a search is not an answer
    lookup.agent_at_the_address(app, client, signed_in=True)  # the next caller: afresh
    assert 'value="AL1 2CD"' not in page(client.get(f"/staff{lookup.PAGE}"))
    client.post(f"/staff/drafts/{reference}/resume")
    html = page(client.get(f"/staff{lookup.PAGE}"))
    assert 'value="AL1 2CD"' in html and "<title>Error:" not in html


# -- repeat items -------------------------------------------------------------------------------
def test_a_repeat_item_saved_half_done_comes_back_on_that_item(repeat_app: Flask) -> None:
    client = repeat_app.test_client()
    assert client.post("/repeat/business", data={"business": "no"}).status_code == 302
    assert on_page(client.post("/repeat/vehicles/1", data=CAR).location) == "/repeat/vehicles"
    half = {"registration": "XY34ZZZ", **SAVE}  # no fuel: not whole, so not an item
    assert (
        on_page(client.post("/repeat/vehicles/2", data=half).location) == "/repeat/save-for-later"
    )
    asking = page(client.get("/repeat/save-for-later"))
    assert 'href="/repeat/vehicles/2"' in asking  # Back to the item saved from
    client.post("/repeat/save-for-later", data={"email": EMAIL})
    fresh = repeat_app.test_client()
    resumed = fresh.post(link_path(repeat_app), data={"email": EMAIL})
    assert on_page(resumed.location) == "/repeat/vehicles/2"  # the half-done item, not the list
    assert "XY34ZZZ" not in page(fresh.get("/repeat/vehicles"))  # not in the list: no item
    shown = fresh.get(resumed.location)
    html = page(shown)
    assert 'value="XY34ZZZ"' in html  # what was typed; the fuel left blank is no error
    assert "<title>Error:" not in html and 'href="#fuel"' not in html  # until Continue
    data = stored(repeat_app)
    assert data["answers"]["vehicles"] == [CAR] and list(data["typed"]) == ["vehicles/2"]
    assert data["typed"]["vehicles/2"]["registration"] == {"registration": "XY34ZZZ"}
    item_one = page(fresh.get("/repeat/vehicles/1"))  # another item shows only its own
    assert 'value="AB12CDE"' in item_one and "XY34ZZZ" not in item_one
    assert on_page(fresh.post("/repeat/vehicles/2", data=VAN).location) == "/repeat/vehicles"
    assert "typed" not in stored(repeat_app)  # the item, whole, replaces what was typed


def test_removing_an_item_drops_what_was_typed_on_the_items_after_it(repeat_app: Flask) -> None:
    client = repeat_app.test_client()
    client.post("/repeat/business", data={"business": "no"})
    client.post("/repeat/vehicles/1", data=CAR)
    client.post("/repeat/vehicles/2", data={"registration": "XY34ZZZ", **SAVE})
    assert stored(repeat_app)["typed"]
    removed = client.post("/repeat/vehicles/1/remove", data={"confirm": "yes"})
    assert on_page(removed.location) == "/repeat/vehicles"
    data = stored(repeat_app)
    assert data["answers"]["vehicles"] == [] and "typed" not in data  # no longer item 2


def test_an_agent_leaves_from_a_repeat_item_whole_or_half_done(repeat_app: Flask) -> None:
    from tests.casework.conftest import staff as staff_client

    agent = staff_client(repeat_app, "agent@example.com", "agent")
    agent.post("/staff/repeat/", data={"contact_channel": "phone"})
    agent.post("/staff/repeat/business", data={"business": "no"})
    item = page(agent.get("/staff/repeat/vehicles/1"))
    assert 'name="save_and_leave"' in item  # the button the item page offers does what it says
    whole = agent.post("/staff/repeat/vehicles/1", data={**CAR, "save_and_leave": "1"})
    assert on_page(whole.location) == "/staff/"
    (draft,) = drafts(repeat_app)
    assert draft.data["answers"]["vehicles"] == [CAR]
    agent.post(f"/staff/drafts/{draft.reference}/resume")
    half = {"registration": "XY34ZZZ", "save_and_leave": "1"}
    assert on_page(agent.post("/staff/repeat/vehicles/2", data=half).location) == "/staff/"
    (draft,) = drafts(repeat_app)
    assert draft.data["answers"]["vehicles"] == [CAR]
    assert draft.data["typed"]["vehicles/2"]["registration"] == {"registration": "XY34ZZZ"}
    resumed = agent.post(f"/staff/drafts/{draft.reference}/resume")
    assert on_page(resumed.location) == "/staff/repeat/vehicles/2"  # on the half-done item
    html = page(agent.get(resumed.location))
    assert 'value="XY34ZZZ"' in html and "<title>Error:" not in html  # blank is no error yet


# -- a resident saving from the address lookup's own forms --------------------------------------
LOOKUP_SAVE_TEMPLATE = "00000000-0000-4000-8000-000000000033"


@pytest.fixture
def saving_lookup(definitions_dir: Path) -> Iterator[tuple[Flask, PlacesStandIn]]:
    """The lookup scenario, opted in to save and return."""
    fixture = (FIXTURES / "address-lookup.yaml").read_text(encoding="utf-8")
    opted_in = f"save_and_return: true\nnotify:\n  save_template: {LOOKUP_SAVE_TEMPLATE}\n"
    (definitions_dir / "address-lookup.yaml").write_text(fixture + opted_in, encoding="utf-8")
    with serve_places(PlacesStandIn()) as places:
        settings = {"OS_PLACES_BASE_URL": places.url, "OS_PLACES_TIMEOUT": 1.0}
        app = make_app(definitions_dir, OS_PLACES_API_KEY=API_KEY, **settings)
        empty_database(app)
        yield app, places
        empty_database(app)


def saved_from_the_lookup(
    app: Flask, posted: dict[str, str], state: str = "results", lands: str = lookup.PAGE
) -> str:
    """A resident searches AL1 2CD, then saves from the lookup's `state` with `posted`, and
    follows the return link (which `lands` there): the lookup page, as it then shows."""
    client = app.test_client()
    lookup.to_the_address(client)
    client.post(lookup.PAGE, data=lookup.find("AL1 2CD"))
    shown = page(client.get(f"{lookup.PAGE}?lookup={state}"))
    assert lookup.buttons(shown)[0].endswith("| Save and come back later (save_for_later)")
    saved = client.post(f"{lookup.PAGE}?lookup={state}", data={**posted, **SAVE})
    assert on_page(saved.location) == "/address-lookup/save-for-later"
    asking = page(client.get(saved.location))  # Back: to the same state of the lookup
    assert f'href="{lookup.PAGE}?lookup={state}"' in asking
    client.post("/address-lookup/save-for-later", data={"email": EMAIL})
    fresh = app.test_client()
    resumed = fresh.post(link_path(app), data={"email": EMAIL})
    assert on_page(resumed.location) == lands
    return page(fresh.get(lookup.PAGE))


def test_a_resident_saving_from_the_list_keeps_the_search_or_the_address_chosen(
    saving_lookup: tuple[Flask, PlacesStandIn],
) -> None:
    app, places = saving_lookup
    html = saved_from_the_lookup(app, lookup.choose(""))  # none chosen: the search is kept
    assert 'value="AL1 2CD"' in html and "Find address" in html and "<title>Error:" not in html
    assert "home" not in stored(app)["answers"]
    assert len(places.requests) == 1  # the list's own lookup: saving looked nothing up again
    with app.app_context():  # and a save is not an error on the page
        assert db.session.scalars(select(Event).where(Event.kind == "error")).all() == []
    empty_database(app)
    chosen = lookup.choose("100023336957")  # an answer: the link goes on from the page
    html = saved_from_the_lookup(app, chosen, lands="/address-lookup/check-answers")
    assert stored(app)["answers"]["home"]["uprn"] == "100023336957"
    assert "Saved address</h2>" in html


def test_a_resident_saving_a_postcode_search_gets_it_back(
    saving_lookup: tuple[Flask, PlacesStandIn],
) -> None:
    app, _places = saving_lookup
    html = saved_from_the_lookup(app, lookup.find("NOT A POSTCODE"), state="postcode")
    assert 'value="NOT A POSTCODE"' in html and "<title>Error:" in html


@pytest.mark.parametrize("outcome", ["none found", "not working"])
def test_a_resident_can_save_when_the_lookup_finds_nothing(
    saving_lookup: tuple[Flask, PlacesStandIn], outcome: str
) -> None:
    app, places = saving_lookup
    if outcome == "none found":
        places.addresses = []
    else:
        places.statuses = [503]
    client = app.test_client()
    lookup.to_the_address(client)
    client.post(lookup.PAGE, data=lookup.find("AL9 9ZZ"))
    shown = page(client.get(f"{lookup.PAGE}?lookup=results"))
    assert lookup.buttons(shown) == ["Save and come back later (save_for_later)"]
    asked = len(places.requests)
    saved = client.post(f"{lookup.PAGE}?lookup=results", data={**lookup.choose(""), **SAVE})
    assert on_page(saved.location) == "/address-lookup/save-for-later"
    assert len(places.requests) == asked  # not asked again, however slow it is
    client.post("/address-lookup/save-for-later", data={"email": EMAIL})
    fresh = app.test_client()
    assert on_page(fresh.post(link_path(app), data={"email": EMAIL}).location) == lookup.PAGE
    assert 'value="AL9 9ZZ"' in page(fresh.get(lookup.PAGE))


def test_a_page_saved_as_it_was_opened_comes_back_without_errors(
    app: Flask, client: FlaskClient
) -> None:
    client.post(f"{PERMIT}/zone", data=ZONE)
    empty = {name: "" for name in ADDRESS}
    path = save_and_send(client, f"{PERMIT}/home-address", empty)
    assert "typed" not in stored(app)  # nothing typed: nothing held
    other = app.test_client()
    resumed = other.post(path, data={"email": EMAIL})
    html = page(other.get(resumed.location))
    assert on_page(resumed.location) == f"{PERMIT}/home-address"
    assert "<title>Error:" not in html and "There is a problem" not in html


def test_an_agent_leaves_from_the_repeat_list_too(repeat_app: Flask) -> None:
    from tests.casework.conftest import staff as staff_client

    agent = staff_client(repeat_app, "agent@example.com", "agent")
    agent.post("/staff/repeat/", data={"contact_channel": "phone"})
    agent.post("/staff/repeat/business", data={"business": "no"})
    agent.post("/staff/repeat/vehicles/1", data=CAR)
    listing = page(agent.get("/staff/repeat/vehicles"))
    assert lookup.buttons(listing)[-1] == "Continue | Save and leave this draft (save_and_leave)"
    left = agent.post("/staff/repeat/vehicles", data={"save_and_leave": "1"})  # 'add another?'
    assert on_page(left.location) == "/staff/"  # unanswered: nothing to keep, but the agent leaves
    (draft,) = drafts(repeat_app)
    assert draft.data["answers"]["vehicles"] == [CAR] and "typed" not in draft.data
