"""OS Places: turning its DPA records into address answers, and every way it can fail."""

from __future__ import annotations

import logging

import pytest

from service_builder.definitions.loader import load_text
from service_builder.os_places import AddressFinder, LookupUnavailable, place_from_dpa
from tests.places_stand_in import ADDRESSES, API_KEY, PlacesStandIn, dpa, serve_places


def test_dpa_records_become_address_answers_in_readable_case() -> None:
    found = [place_from_dpa(record) for record in ADDRESSES]
    assert [place.answer if place else None for place in found] == [
        {
            "line_1": "10 Mill Lane",
            "line_2": "",
            "town": "Aldermoor",
            "postcode": "AL1 2CD",
            "uprn": "100023336956",
        },
        {
            "line_1": "12 Mill Lane",
            "line_2": "Nether End",
            "town": "Aldermoor",
            "postcode": "AL1 2CD",
            "uprn": "100023336957",
        },
        {
            "line_1": "Flat 2B, The Old Mill, Mill Lane",
            "line_2": "",
            "town": "Aldermoor",
            "postcode": "AL1 2CD",
            "uprn": "100023336958",
        },
        {
            "line_1": "Mill Lane Surgery, 14 Mill Lane",
            "line_2": "",
            "town": "Aldermoor",
            "postcode": "AL1 2CD",
            "uprn": "100023336959",
        },
    ]


def test_a_dependent_street_and_double_locality_keep_their_place() -> None:
    place = place_from_dpa(
        dpa(
            "1",
            BUILDING_NUMBER="3A",
            DEPENDENT_THOROUGHFARE_NAME="THE MEWS",
            THOROUGHFARE_NAME="HIGH STREET",
            DOUBLE_DEPENDENT_LOCALITY="UPPER END",
            DEPENDENT_LOCALITY="NETHER END",
        )
    )
    assert place is not None
    assert (place.line_1, place.line_2) == ("3A The Mews, High Street", "Upper End, Nether End")


@pytest.mark.parametrize(
    "broken",
    [{"UPRN": ""}, {"POST_TOWN": ""}, {"POSTCODE": "NOT A POSTCODE"}, {"THOROUGHFARE_NAME": ""}],
)
def test_a_record_lacking_what_an_answer_needs_is_left_out(broken: dict[str, str]) -> None:
    assert place_from_dpa({**dpa("7", THOROUGHFARE_NAME="MILL LANE"), **broken}) is None


def test_a_building_matches_whole_words_only() -> None:
    ten, twelve = (place_from_dpa(record) for record in ADDRESSES[:2])
    assert ten is not None and twelve is not None
    assert ten.matches("10") and not ten.matches("1") and twelve.matches("nether end")


def test_the_finder_asks_the_postcode_endpoint_and_reads_no_results_as_none() -> None:
    with serve_places(PlacesStandIn()) as places:
        finder = AddressFinder(API_KEY, places.url + "/", timeout=2)
        assert len(finder.find("AL1 2CD")) == 4
        places.addresses = [{"LPI": {"UPRN": "1"}}, *ADDRESSES[:1]]  # only DPA records count
        assert [a.uprn for a in finder.find("AL1 2CD")] == ["100023336956"]
        places.addresses = []
        assert finder.find("AL9 9ZZ") == []
    assert places.paths == ["/search/places/v1/postcode"] * 3
    assert places.requests[0] == {
        "postcode": ["AL1 2CD"],
        "key": [API_KEY],
        "dataset": ["DPA"],
        "maxresults": ["100"],
    }


@pytest.mark.parametrize("status", [400, 401, 429, 500, 503])
def test_every_error_status_means_unavailable(status: int) -> None:
    with (
        serve_places(PlacesStandIn(statuses=[status])) as places,
        pytest.raises(LookupUnavailable),
    ):
        AddressFinder(API_KEY, places.url).find("AL1 2CD")


def test_a_wrong_key_a_timeout_no_key_and_no_server_mean_unavailable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    with serve_places(PlacesStandIn(delay=1.0)) as places:
        with pytest.raises(LookupUnavailable):
            AddressFinder("wrong", places.url, timeout=2).find("AL1 2CD")
        with pytest.raises(LookupUnavailable):
            AddressFinder(API_KEY, places.url, timeout=0.2).find("AL1 2CD")
    with pytest.raises(LookupUnavailable):
        AddressFinder(None).find("AL1 2CD")
    with pytest.raises(LookupUnavailable):
        AddressFinder(API_KEY, "http://127.0.0.1:9/places").find("AL1 2CD")
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "AL1" not in logged and "wrong" not in logged and API_KEY not in logged


SERVICE = """\
id: lookups
title: Lookups
pages:
  - id: home
    {kind}
    questions:
      - id: home
        type: address
        label: What is your address?
        lookup: true
{more}
"""


def test_lookup_is_a_key_of_address_questions_only() -> None:
    assert load_text(SERVICE.format(kind="", more=""), "svc.yaml").errors == []
    text = SERVICE.format(kind="", more="").replace("type: address", "type: postcode")
    assert any("lookup" in str(error) for error in load_text(text, "svc.yaml").errors)


def test_a_lookup_must_be_alone_on_a_question_page() -> None:
    more = "      - id: name\n        type: text\n        label: Name\n    title: Where\n"
    errors = [str(e) for e in load_text(SERVICE.format(kind="", more=more), "svc.yaml").errors]
    assert errors == [
        "svc.yaml:10: pages[0].questions[0].lookup: an address question with lookup must be "
        "the only question on its page"
    ]
    repeat = "type: repeat\n    title: Homes\n    max_items: 3"
    text = SERVICE.format(kind=repeat, more="").replace("- id: home\n", "- id: homes\n", 1)
    errors = [str(e) for e in load_text(text, "svc.yaml").errors]
    assert errors == ["svc.yaml:12: pages[0].questions[0].lookup: lookup is not for repeat pages"]


def test_make_runs_receiver_answers_address_lookups_with_fictional_addresses() -> None:
    from service_builder.dev_places import EMPTY_POSTCODE, FAILING_POSTCODE, FOUND_POSTCODE
    from service_builder.dev_receiver import make_handler
    from service_builder.loopback import serving

    with serving(make_handler("secret")) as server:
        base = f"{server.url}/search/places/v1"
        finder = AddressFinder("development", base, timeout=2)
        found = finder.find(FOUND_POSTCODE)
        assert len(found) == 5 and all(place.postcode == FOUND_POSTCODE for place in found)
        assert "Flat 3A, Rose House, Market Street" in [place.line_1 for place in found]
        assert finder.find(EMPTY_POSTCODE) == []
        with pytest.raises(LookupUnavailable):
            finder.find(FAILING_POSTCODE)
        with pytest.raises(LookupUnavailable):
            AddressFinder("", base).find(FOUND_POSTCODE)
