"""Address lookup (`lookup: true`): find by postcode with OS Places, choose, or type it."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from service_builder.exports import as_record, to_csv
from service_builder.models import Draft, Submission, db
from tests.conftest import app_for, empty_database
from tests.html_checks import parse_page
from tests.places_stand_in import API_KEY, PlacesStandIn, serve_places
from tests.web.walker import on_page

BASE = "/address-lookup"
PAGE = f"{BASE}/home"
TYPED = {
    "home-line-1": "3 Quarry Row",
    "home-line-2": "",
    "home-town": "Aldermoor",
    "home-postcode": "al3 4ef",
}


def find(postcode: str, building: str = "") -> dict[str, str]:
    return {"home-step": "find", "home-lookup-postcode": postcode, "home-lookup-building": building}


def choose(uprn: str) -> dict[str, str]:
    return {"home-step": "choose", "home-uprn": uprn}


@pytest.fixture
def places() -> Iterator[PlacesStandIn]:
    with serve_places(PlacesStandIn()) as stand_in:
        yield stand_in


@pytest.fixture
def app(definitions_dir: Path, places: PlacesStandIn) -> Flask:
    return app_for(
        definitions_dir,
        "address-lookup.yaml",
        OS_PLACES_API_KEY=API_KEY,
        OS_PLACES_BASE_URL=places.url,
        OS_PLACES_TIMEOUT=1.0,  # the stand-in on a busy CI machine; its slow case waits 1.5 s
    )


def to_the_address(client: FlaskClient, prefix: str = "") -> None:
    response = client.post(f"{prefix}{BASE}/name", data={"full_name": "Sam Jones"})
    assert on_page(response.location) == f"{prefix}{PAGE}", response.location


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def submitted(app: Flask) -> Submission:
    with app.app_context():
        (submission,) = db.session.scalars(select(Submission))
        db.session.expunge(submission)
        return submission


def test_the_page_first_asks_for_a_postcode(client: FlaskClient) -> None:
    to_the_address(client)
    html = text(client.get(PAGE))
    facts = parse_page(html)
    assert facts.title.startswith("What is your address?")
    assert 'name="home-lookup-postcode"' in html and 'autocomplete="postal-code"' in html
    assert 'name="home-lookup-building"' in html and 'name="home-step" value="find"' in html
    assert "Find address" in html and "home-line-1" not in html
    assert f'href="{PAGE}?lookup=manual"' in html and "Enter the address manually" in html
    assert f'href="{BASE}/name"' in html  # Back, to the page before


@pytest.mark.parametrize(
    ("postcode", "message"),
    [("", "Enter a postcode"), ("SW1", "Enter a full UK postcode, like AA3 1AB")],
)
def test_a_missing_or_wrong_postcode_is_refused_in_govuk_words(
    client: FlaskClient, places: PlacesStandIn, postcode: str, message: str
) -> None:
    to_the_address(client)
    response = client.post(PAGE, data=find(postcode))
    assert response.status_code == 400
    facts = parse_page(text(response))
    assert facts.title.startswith("Error: What is your address?")
    assert facts.error_messages == [message]
    assert facts.error_links == ["#home-lookup-postcode"]
    assert 'id="home-lookup-postcode"' in text(response)
    assert places.requests == []  # nothing was looked up


def test_the_addresses_found_are_listed_with_their_count_and_a_way_out(
    client: FlaskClient, places: PlacesStandIn
) -> None:
    to_the_address(client)
    found = client.post(PAGE, data=find("al1 2cd"))
    assert found.status_code == 302 and on_page(found.location) == f"{PAGE}?lookup=results"
    assert places.requests == []  # looked up when the results are shown
    html = text(client.get(found.location))
    assert places.paths == ["/search/places/v1/postcode"]
    assert places.requests[0]["postcode"] == ["AL1 2CD"] and places.requests[0]["key"] == [API_KEY]
    assert "4 addresses found" in html
    assert '<option value="100023336956">10 Mill Lane, Aldermoor</option>' in html
    assert "12 Mill Lane, Nether End, Aldermoor" in html
    assert "Flat 2B, The Old Mill, Mill Lane, Aldermoor" in html
    assert "Mill Lane Surgery, 14 Mill Lane, Aldermoor" in html
    assert "<strong>AL1 2CD</strong>" in html
    assert f'href="{PAGE}?lookup=postcode"' in html  # Change the postcode, and Back
    assert f'href="{PAGE}?lookup=manual"' in html
    assert "I cannot find the address in the list" in html
    again = text(client.get(f"{PAGE}?lookup=postcode"))
    assert 'value="AL1 2CD"' in again  # the postcode is kept for a change


def test_choosing_an_address_stores_it_with_its_uprn_to_the_export(
    app: Flask, client: FlaskClient
) -> None:
    to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD"))
    nothing = client.post(f"{PAGE}?lookup=results", data=choose(""))
    assert nothing.status_code == 400
    facts = parse_page(text(nothing))
    assert facts.error_messages == ["Select the address"]
    assert facts.error_links == ["#home-uprn"]
    assert facts.title.startswith("Error: ")
    unknown = client.post(f"{PAGE}?lookup=results", data=choose("999"))  # not in the list
    assert unknown.status_code == 400
    chosen = client.post(f"{PAGE}?lookup=results", data=choose("100023336957"))
    assert on_page(chosen.location) == f"{BASE}/check-answers"
    summary = text(client.get(f"{BASE}/check-answers"))
    assert "12 Mill Lane<br>Nether End<br>Aldermoor<br>AL1 2CD" in summary
    client.post(f"{BASE}/check-answers")
    assert submitted(app).answers["home"] == {
        "line_1": "12 Mill Lane",
        "line_2": "Nether End",
        "town": "Aldermoor",
        "postcode": "AL1 2CD",
        "uprn": "100023336957",
    }
    with app.app_context():
        (submission,) = db.session.scalars(select(Submission))
        record = json.loads(json.dumps(as_record(submission)))
        assert record["answers"]["home"]["uprn"] == "100023336957"
        service = app.extensions["service_builder"].catalog.get("address-lookup")
        csv_text = to_csv(service, [submission])
    assert "12 Mill Lane, Nether End, Aldermoor, AL1 2CD (UPRN 100023336957)" in csv_text
    header, row = list(csv.reader(io.StringIO(csv_text)))
    assert (header[-1], row[-1]) == ("language", "en")  # a service in two languages says which


def test_a_building_narrows_the_list_and_an_unknown_one_lists_them_all(
    client: FlaskClient,
) -> None:
    to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD", "12"))
    html = text(client.get(f"{PAGE}?lookup=results"))
    assert "1 address found" in html and "10 Mill Lane" not in html
    client.post(PAGE, data=find("AL1 2CD", "old mill"))
    assert "Flat 2B, The Old Mill" in text(client.get(f"{PAGE}?lookup=results"))
    client.post(PAGE, data=find("AL1 2CD", "99"))
    html = text(client.get(f"{PAGE}?lookup=results"))
    assert "4 addresses found" in html and "could not find ‘99’" in html


def test_no_addresses_found_offers_another_postcode_or_typing_it(
    client: FlaskClient, places: PlacesStandIn
) -> None:
    places.addresses = []
    to_the_address(client)
    client.post(PAGE, data=find("AL9 9ZZ"))
    html = text(client.get(f"{PAGE}?lookup=results"))
    assert "We could not find any addresses for this postcode." in html
    assert "<select" not in html
    assert parse_page(html).title.startswith("What is your address? – No addresses found – ")
    assert f'href="{PAGE}?lookup=postcode"' in html and f'href="{PAGE}?lookup=manual"' in html


@pytest.mark.parametrize("failure", ["500", "429", "timeout", "no key", "unreachable"])
def test_when_the_lookup_fails_the_person_is_told_and_can_type_the_address(
    app: Flask,
    client: FlaskClient,
    places: PlacesStandIn,
    failure: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if failure in ("500", "429"):
        places.statuses = [int(failure)]
    elif failure == "timeout":
        places.delay = 1.5
    elif failure == "no key":
        app.config["OS_PLACES_API_KEY"] = None
    else:
        app.config["OS_PLACES_BASE_URL"] = "http://127.0.0.1:9/search/places/v1"
    to_the_address(client)
    caplog.set_level(logging.DEBUG)
    client.post(PAGE, data=find("AL1 2CD"))
    html = text(client.get(f"{PAGE}?lookup=results"))
    assert "Sorry, we cannot look up addresses at the moment." in html
    assert parse_page(html).title.startswith("What is your address? – Cannot look up addresses")
    assert f'href="{PAGE}?lookup=manual"' in html
    for record in caplog.records:  # no postcode (nor the key) in any log line
        message = record.getMessage().upper().replace(" ", "").replace("+", "")
        assert "AL12CD" not in message and API_KEY.upper() not in message
    manual = text(client.get(f"{PAGE}?lookup=manual"))
    assert 'name="home-line-1"' in manual and "Find the address using a postcode" in manual
    assert f'href="{PAGE}?lookup=results"' in manual  # Back to where they came from
    typed = client.post(f"{PAGE}?lookup=manual", data=TYPED)
    assert on_page(typed.location) == f"{BASE}/check-answers"


def test_a_lookup_failing_after_the_list_was_shown_says_so_instead_of_an_error(
    client: FlaskClient, places: PlacesStandIn
) -> None:
    to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD"))
    assert "4 addresses found" in text(client.get(f"{PAGE}?lookup=results"))
    places.statuses = [503]
    response = client.post(f"{PAGE}?lookup=results", data=choose("100023336956"))
    assert response.status_code == 200
    assert "Sorry, we cannot look up addresses at the moment." in text(response)


def test_a_client_posting_the_four_address_fields_still_answers_without_uprn(
    app: Flask, client: FlaskClient, places: PlacesStandIn
) -> None:
    to_the_address(client)
    forged = {**TYPED, "home-uprn": "100023336956", "uprn": "100023336956"}
    response = client.post(PAGE, data=forged)
    assert on_page(response.location) == f"{BASE}/check-answers"
    client.post(f"{BASE}/check-answers")
    assert submitted(app).answers["home"] == {
        "line_1": "3 Quarry Row",
        "line_2": "",
        "town": "Aldermoor",
        "postcode": "AL3 4EF",
    }
    assert places.requests == []


def test_typed_address_errors_stay_on_the_typed_form(client: FlaskClient) -> None:
    to_the_address(client)
    response = client.post(f"{PAGE}?lookup=manual", data={**TYPED, "home-town": ""})
    assert response.status_code == 400
    facts = parse_page(text(response))
    assert facts.error_messages == ["Enter town or city"]
    assert facts.error_links == ["#home-town"]
    assert 'value="3 Quarry Row"' in text(response)


def test_change_from_check_your_answers_for_a_found_and_a_typed_address(
    app: Flask, client: FlaskClient
) -> None:
    to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD"))
    client.post(f"{PAGE}?lookup=results", data=choose("100023336956"))
    summary = text(client.get(f"{BASE}/check-answers"))
    assert f'href="{PAGE}?change=1"' in summary
    opened = text(client.get(f"{PAGE}?change=1"))
    assert 'value="AL1 2CD"' in opened and "home-lookup-postcode" in opened
    assert f'href="{BASE}/check-answers"' in opened  # Back to the summary
    found = client.post(f"{PAGE}?change=1&lookup=postcode", data=find("AL1 2CD", "14"))
    assert on_page(found.location) == f"{PAGE}?change=1&lookup=results"
    results = text(client.get(found.location))
    assert f'action="{PAGE}?change=1&amp;lookup=results"' in results
    done = client.post(found.location, data=choose("100023336959"))
    assert on_page(done.location) == f"{BASE}/check-answers"
    assert "Mill Lane Surgery" in text(client.get(f"{BASE}/check-answers"))
    # typed by hand: Change opens the typed fields, filled in
    client.post(f"{PAGE}?change=1&lookup=manual", data=TYPED)
    opened = text(client.get(f"{PAGE}?change=1"))
    assert 'value="3 Quarry Row"' in opened and 'name="home-line-1"' in opened
    client.post(f"{BASE}/check-answers")
    assert "uprn" not in submitted(app).answers["home"]


def test_earlier_answers_survive_the_lookup_and_back_goes_a_step_back(
    client: FlaskClient,
) -> None:
    to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD"))
    results = text(client.get(f"{PAGE}?lookup=results"))
    assert f'href="{PAGE}?lookup=postcode"' in results
    assert 'value="Sam Jones"' in text(client.get(f"{BASE}/name"))


def test_the_results_page_without_a_search_goes_to_the_postcode(client: FlaskClient) -> None:
    to_the_address(client)
    assert on_page(client.get(f"{PAGE}?lookup=results").location) == f"{PAGE}?lookup=postcode"
    assert client.post(f"{PAGE}?lookup=results", data=choose("1")).status_code == 302


def test_every_message_of_the_lookup_is_in_welsh(client: FlaskClient) -> None:
    client.post(f"{BASE}/name?lang=cy", data={"full_name": "Sam Jones"})
    html = text(client.get(f"{PAGE}?lang=cy"))
    for english in ("Find address", "Enter the address manually", "Building name or number"):
        assert english not in html
    refused = client.post(PAGE, data=find(""))
    assert "Enter a postcode" not in text(refused)
    client.post(PAGE, data=find("AL1 2CD"))
    results = text(client.get(f"{PAGE}?lookup=results"))
    for english in ("addresses found", "Select the address", "I cannot find", "Use this address"):
        assert english not in results


def test_an_agent_looks_the_address_up_for_a_caller(app: Flask, client: FlaskClient) -> None:
    from tests.web.test_staff import sign_in, staff

    staff.__wrapped__(app)  # type: ignore[attr-defined]
    sign_in(client, "agent@example.com")
    client.post(f"/staff{BASE}/", data={"contact_channel": "phone"})
    to_the_address(client, "/staff")
    page = text(client.get(f"/staff{PAGE}"))
    assert 'autocomplete="off"' in page and 'autocomplete="postal-code"' not in page
    client.post(f"/staff{PAGE}", data=find("AL1 2CD"))
    results = text(client.get(f"/staff{PAGE}?lookup=results"))
    assert "4 addresses found" in results
    assert re.search(
        rf'href="/staff{PAGE}\?draft_reference=DR-[A-Z0-9-]+&amp;lookup=manual"', results
    )
    done = client.post(f"/staff{PAGE}?lookup=results", data=choose("100023336958"))
    assert on_page(done.location) == f"/staff{BASE}/check-answers"
    client.post(f"/staff{BASE}/check-answers")
    submission = submitted(app)
    assert submission.answers["home"]["uprn"] == "100023336958"
    assert submission.channel != "online" or submission.staff_user_id is not None


def test_the_sweep_plan_reaches_every_lookup_state_as_planned() -> None:
    """The accessibility plan for bulky waste, followed over HTTP with the sweep's OS Places
    stand-in: each planned state answers with the status the plan expects."""
    from accessibility.plan import service_plan
    from accessibility.server import sweep_app
    from service_builder.dev_places import serving_places
    from tests.conftest import DATABASE_URL, EXAMPLES

    with serving_places() as url:  # the sweep's own app: it also plays the payment at Pay
        app = sweep_app(EXAMPLES, DATABASE_URL, OS_PLACES_API_KEY="sweep", OS_PLACES_BASE_URL=url)
        empty_database(app)
        service = app.extensions["service_builder"].catalog.get("book-bulky-waste")
        client = app.test_client()
        notes = []
        for action in service_plan(service):
            if action.kind == "reset":
                client = app.test_client()
                continue
            if action.kind == "get":
                response = client.get(action.url, follow_redirects=True)
            else:
                follow = action.kind == "submit"
                response = client.post(
                    action.url, data=MultiDict(list(action.fields)), follow_redirects=follow
                )
            expected = action.expect_status or (302 if action.kind == "fetch" else 200)
            assert response.status_code == expected, (action.url, action.check)
            if action.check is not None and action.check.note.startswith("address lookup"):
                notes.append(action.check.note)
                assert response.request.path + "?" + response.request.query_string.decode() == (
                    action.check.url
                )
    assert notes == [
        "address lookup: addresses found",
        "address lookup: no address chosen",
        "address lookup: building not found, all listed",
        "address lookup: no addresses found",
        "address lookup: lookup not working",
        "address lookup: typed by hand",
        "address lookup: saved address shown",
    ]


def test_typed_address_problems_are_all_shown_at_once(app: Flask, client: FlaskClient) -> None:
    """The lookup's manual state, like any address question: each input's own message."""
    from service_builder.performance.models import Event

    to_the_address(client)
    blank = {name: "" for name in TYPED}
    response = client.post(f"{PAGE}?lookup=manual", data={**blank, "home-postcode": "ZZ"})
    assert response.status_code == 400
    facts = parse_page(text(response))
    assert facts.error_links == ["#home-line-1", "#home-town", "#home-postcode"]
    assert facts.error_messages == [
        "Enter address line 1, typically the building and street",
        "Enter town or city",
        "Enter a full UK postcode, like AA3 1AB",
    ]
    assert 'name="home-step"' not in text(response)  # still the typed form
    with app.app_context():
        failed = db.session.execute(select(Event.check_key).where(Event.kind == "error"))
        assert sorted(failed.scalars()) == ["invalid", "line_1", "town"]


AGENT_LEAVES = {"save_and_leave": "1"}


def agent_at_the_address(app: Flask, client: FlaskClient, signed_in: bool = False) -> str:
    """An agent's new draft, at the lookup page; its reference."""
    from tests.web.test_staff import sign_in, staff

    if not signed_in:
        staff.__wrapped__(app)  # type: ignore[attr-defined]
        sign_in(client, "agent@example.com")
    client.post(f"/staff{BASE}/", data={"contact_channel": "phone"})
    to_the_address(client, "/staff")
    page = text(client.get(f"/staff{PAGE}"))
    found = re.search(r"Draft reference: <strong>(DR-[A-Z0-9-]+)</strong>", page)
    assert found is not None
    return found[1]


def saved_answers(app: Flask, reference: str) -> dict[str, Any]:
    with app.app_context():
        draft = db.session.scalars(select(Draft).where(Draft.reference == reference)).one()
        return dict(draft.data.get("answers", {}))


def buttons(html: str) -> list[str]:
    """The words (and name) of each button of each form in the page's main content."""
    html = html[html.index("<main") : html.index("</main>")]
    return [
        " | ".join(
            " ".join(re.sub(r"<[^>]+>", "", b).split())
            + (f" ({n[1]})" if (n := re.search(r'name="([^"]+)"', b)) else "")
            for b in re.findall(r"<button[^>]*>.*?</button>", form, re.DOTALL)
        )
        for form in re.findall(r"<form .*?</form>", html, re.DOTALL)
    ]


def test_an_agent_can_save_and_leave_at_the_postcode(app: Flask, client: FlaskClient) -> None:
    reference = agent_at_the_address(app, client)
    page = text(client.get(f"/staff{PAGE}"))
    assert buttons(page) == ["Find address | Save and leave this draft (save_and_leave)"]
    left = client.post(f"/staff{PAGE}", data={**find(""), **AGENT_LEAVES})  # nothing typed yet
    assert on_page(left.location) == "/staff/"
    assert f"Draft {reference} saved" in text(client.get("/staff/"))
    assert "home" not in saved_answers(app, reference)
    assert (
        on_page(client.get(f"/staff{PAGE}").location) == f"/staff{BASE}/"
    )  # the draft was put down
    reference = agent_at_the_address(app, client)
    left = client.post(f"/staff{PAGE}", data={**find("AL1 2CD"), **AGENT_LEAVES})
    assert on_page(left.location) == "/staff/"
    # the search was for that caller: the next one's lookup starts afresh
    agent_at_the_address(app, client, signed_in=True)
    assert 'value="AL1 2CD"' not in text(client.get(f"/staff{PAGE}"))
    assert (
        on_page(client.get(f"/staff{PAGE}?lookup=results").location)
        == f"/staff{PAGE}?lookup=postcode"
    )


def test_an_agent_can_save_and_leave_at_the_addresses_found(
    app: Flask, client: FlaskClient
) -> None:
    reference = agent_at_the_address(app, client)
    client.post(f"/staff{PAGE}", data=find("AL1 2CD"))
    results = text(client.get(f"/staff{PAGE}?lookup=results"))
    assert buttons(results) == ["Use this address | Save and leave this draft (save_and_leave)"]
    none_chosen = client.post(f"/staff{PAGE}?lookup=results", data={**choose(""), **AGENT_LEAVES})
    assert on_page(none_chosen.location) == "/staff/"
    assert "home" not in saved_answers(app, reference)
    client.post(f"/staff/drafts/{reference}/resume")  # the search that found the list is kept
    assert 'value="AL1 2CD"' in text(client.get(f"/staff{PAGE}"))
    reference = agent_at_the_address(app, client)
    client.post(f"/staff{PAGE}", data=find("AL1 2CD"))
    chosen = {**choose("100023336958"), **AGENT_LEAVES}
    assert on_page(client.post(f"/staff{PAGE}?lookup=results", data=chosen).location) == "/staff/"
    assert saved_answers(app, reference)["home"]["uprn"] == "100023336958"  # the choice is kept


@pytest.mark.parametrize("outcome", ["none found", "not working"])
def test_an_agent_can_save_and_leave_when_the_lookup_finds_nothing(
    app: Flask, client: FlaskClient, places: PlacesStandIn, outcome: str
) -> None:
    if outcome == "none found":
        places.addresses = []
    else:
        places.statuses = [503]
    reference = agent_at_the_address(app, client)
    client.post(f"/staff{PAGE}", data=find("AL9 9ZZ"))
    results = text(client.get(f"/staff{PAGE}?lookup=results"))
    assert "<select" not in results
    assert buttons(results) == ["Save and leave this draft (save_and_leave)"]
    asked = len(places.requests)
    left = client.post(f"/staff{PAGE}?lookup=results", data={**choose(""), **AGENT_LEAVES})
    assert on_page(left.location) == "/staff/"
    assert len(places.requests) == asked  # leaving does not wait on the lookup again
    client.post(f"/staff/drafts/{reference}/resume")  # the postcode searched for is kept
    assert 'value="AL9 9ZZ"' in text(client.get(f"/staff{PAGE}"))


def test_residents_and_the_typed_form_keep_their_own_buttons(
    app: Flask, client: FlaskClient
) -> None:
    to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD"))
    for state in ("postcode", "results"):
        assert "Save and leave" not in text(client.get(f"{PAGE}?lookup={state}"))
    agent = app.test_client()
    agent_at_the_address(app, agent)
    manual = text(agent.get(f"/staff{PAGE}?lookup=manual"))
    assert buttons(manual) == ["Continue | Save and leave this draft (save_and_leave)"]


def test_each_state_of_the_lookup_has_its_own_title(client: FlaskClient) -> None:
    """GOV.UK: every page has a distinct title; the three states share one URL and h1."""
    to_the_address(client)
    postcode = parse_page(text(client.get(PAGE))).title
    refused = parse_page(text(client.post(PAGE, data=find("")))).title
    client.post(PAGE, data=find("AL1 2CD"))
    results = parse_page(text(client.get(f"{PAGE}?lookup=results"))).title
    manual = parse_page(text(client.get(f"{PAGE}?lookup=manual"))).title
    assert postcode.startswith("What is your address? – Find the address – ")
    assert refused.startswith("Error: What is your address? – Find the address – ")
    assert results.startswith("What is your address? – Select the address – ")
    assert manual.startswith("What is your address? – Enter the address – ")
    client.get(f"{PAGE}?lang=cy")
    welsh = [
        parse_page(text(client.get(f"{PAGE}?lookup={state}"))).title
        for state in ("postcode", "results", "manual")
    ]
    assert len(set(welsh)) == 3
    steps = ("Dod o hyd i’r cyfeiriad", "Dewiswch y cyfeiriad", "Rhowch y cyfeiriad")
    for title, step in zip(welsh, steps, strict=True):
        assert f" – {step} – " in title, title
    client.post(PAGE, data=choose("100023336957"))
    saved = parse_page(text(client.get(PAGE))).title  # Back to it, saved
    assert " – Cyfeiriad wedi’i gadw – " in saved, saved
    saved = parse_page(text(client.get(f"{PAGE}?lang=en"))).title
    assert saved.startswith("What is your address? – Saved address – ")


def test_cannot_find_it_in_the_list_keeps_the_postcode_searched_for(
    client: FlaskClient,
) -> None:
    to_the_address(client)
    client.post(PAGE, data=find("al1 2cd"))
    assert f'href="{PAGE}?lookup=manual"' in text(client.get(f"{PAGE}?lookup=results"))
    manual = text(client.get(f"{PAGE}?lookup=manual"))
    postcode = re.search(r'<input[^>]*name="home-postcode"[^>]*>', manual)
    assert postcode is not None and 'value="AL1 2CD"' in postcode.group(0)
    line_1 = re.search(r'<input[^>]*name="home-line-1"[^>]*>', manual)
    assert line_1 is not None and 'value=""' in line_1.group(0)
    # an address typed at that postcode is shown as typed
    assert client.post(f"{PAGE}?lookup=manual", data=TYPED).status_code == 302
    client.post(PAGE, data=find("AL3 4EF"))
    again = text(client.get(f"{PAGE}?lookup=manual"))
    assert 'value="3 Quarry Row"' in again
    # another postcode searched for since: that one, not the old address's lines
    client.post(PAGE, data=find("AL1 2CD"))
    other = text(client.get(f"{PAGE}?lookup=manual"))
    assert "3 Quarry Row" not in other and 'value="AL1 2CD"' in other


def test_address_searches_are_limited_per_person_before_os_places_is_called(
    definitions_dir: Path, places: PlacesStandIn
) -> None:
    from tests.web.test_staff import sign_in, staff

    app = app_for(
        definitions_dir,
        "address-lookup.yaml",
        OS_PLACES_API_KEY=API_KEY,
        OS_PLACES_BASE_URL=places.url,
        ADDRESS_LOOKUP_RATE_LIMIT="3 per minute",
    )
    resident = app.test_client()
    to_the_address(resident)
    for _ in range(3):
        assert resident.post(PAGE, data=find("AL1 2CD")).status_code == 302
        assert resident.get(f"{PAGE}?lookup=results").status_code == 200
    assert len(places.requests) == 3
    refused = resident.get(f"{PAGE}?lookup=results")
    assert refused.status_code == 429 and "Too many attempts" in text(refused)
    assert resident.post(PAGE, data=find("AL1 2CD"), follow_redirects=True).status_code == 429
    assert len(places.requests) == 3  # nothing more was paid for
    assert resident.get(PAGE).status_code == 200  # the page itself is not limited
    agent = app.test_client()  # the same address, but signed in: the agent's own count
    staff.__wrapped__(app)  # type: ignore[attr-defined]
    sign_in(agent, "agent@example.com")
    agent.post(f"/staff{BASE}/", data={"contact_channel": "phone"})
    to_the_address(agent, "/staff")
    agent.post(f"/staff{PAGE}", data=find("AL1 2CD"))
    assert "4 addresses found" in text(agent.get(f"/staff{PAGE}?lookup=results"))
    empty_database(app)


def test_two_calls_at_the_address_of_one_service_each_keep_their_own_search(
    app: Flask, client: FlaskClient
) -> None:
    first = agent_at_the_address(app, client)
    second = agent_at_the_address(app, client, signed_in=True)  # another tab, another caller
    tab_1, tab_2 = (f"/staff{PAGE}?draft_reference={draft}" for draft in (first, second))
    client.post(tab_1, data={**find("AL1 2CD"), "draft_reference": first})
    client.post(tab_2, data={**find("AL1 2CD", "12"), "draft_reference": second})
    assert "4 addresses found" in text(client.get(f"{tab_1}&lookup=results"))
    assert "1 address found" in text(client.get(f"{tab_2}&lookup=results"))
    chosen = client.post(
        f"{tab_1}&lookup=results", data={**choose("100023336958"), "draft_reference": first}
    )
    assert on_page(chosen.location) == f"/staff{BASE}/check-answers"
    assert saved_answers(app, first)["home"]["uprn"] == "100023336958"
    assert "1 address found" in text(client.get(f"{tab_2}&lookup=results"))  # still theirs
    third = agent_at_the_address(app, client, signed_in=True)
    tab_3 = f"/staff{PAGE}?draft_reference={third}"
    client.post(tab_3, data={**find("AL1 2CD"), "draft_reference": third})
    client.post(f"/staff/drafts/{third}/pause")  # 'Save and leave' on one call only
    assert "1 address found" in text(client.get(f"{tab_2}&lookup=results"))


def session_in(app: Flask, client: FlaskClient) -> dict[str, Any]:
    """The session cookie's payload, as anyone holding the cookie can read it."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return dict(serializer.loads(cookie.value))


@pytest.mark.parametrize("answer", ["chosen", "typed"])
def test_the_search_leaves_the_cookie_once_the_address_is_given(
    app: Flask, client: FlaskClient, answer: str
) -> None:
    to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD", "Flat 2B"))
    [(key, held)] = session_in(app, client)["address_searches"].items()
    assert key.startswith("resident:address-lookup:home:") and held == ["AL1 2CD", "Flat 2B"]
    if answer == "chosen":
        given = client.post(f"{PAGE}?lookup=results", data=choose("100023336958"))
    else:
        given = client.post(f"{PAGE}?lookup=manual", data=TYPED)
    assert on_page(given.location) == f"{BASE}/check-answers"
    payload = session_in(app, client)
    assert "address_searches" not in payload
    assert "AL1 2CD" not in json.dumps(payload) and "Flat" not in json.dumps(payload)
    summary = text(client.get(f"{BASE}/check-answers"))
    assert ("Flat 2B" if answer == "chosen" else "3 Quarry Row") in summary
