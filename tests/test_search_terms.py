"""What staff type meets what is stored: a term against a search text, in the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, literal, select

from service_builder.cases import search_text
from service_builder.definitions import load_definition
from service_builder.search_terms import date_parts, folded, found_in, needles, reference
from tests.conftest import DATABASE_URL

STORED = search_text(
    "FLY-7K3Q-9XPD",
    {
        "full_name": "Siobhán O’Neill",
        "postcode": "SW1A 1AA",
        "phone": "07700 900 123",
        "registration": "AB12 CDE",
        "date_of_birth": "1980-01-31",
        "address": {"line_1": "1 High Street", "town": "Ashford"},
    },
)


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("siobhán", True),
        ("SIOBHÁN O'NEILL", True),  # either apostrophe
        ("siobhan oneill", True),  # as a name is heard: no accents, no apostrophe
        ("oneill siobhan", True),  # every word, in any order
        ("o'neill bob", False),
        ("sw1a1aa", True),
        ("ab12cde", True),
        ("+44 7700 900123", True),  # a phone number's digits, in its +44 form
        ("31 Jan 1980", True),
        ("31st of January 1980", True),
        ("January 31, 1980", True),
        ("31-Jan-1980", True),
        ("31/1/1980", True),
        ("1 January 1980", False),  # another day of the same month (an agent's trial)
        ("31 January 2020", False),  # the same day of another year
        ("oneill 31/1/1980", True),  # a name and a date of birth
        ("oneill 1/1/1980", False),
        ("fly7k3q9xpd", True),
        ("ashford", True),
        ("town", False),  # the name an answer is stored under
        ("full_name", False),
        ("sw1a%1aa", False),  # a LIKE wildcard is a character like any other
        ("s_1a", False),
    ],
)
def test_a_term_finds_a_search_text_as_staff_expect(term: str, found: bool) -> None:
    url = DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)  # and PostgreSQL
    with create_engine(url).connect() as connection:
        assert bool(connection.scalar(select(found_in(literal(STORED), term)))) is found


def test_a_term_is_looked_for_as_people_write_it() -> None:
    found = needles("  Pat  O'Neill ")
    assert {"pat  o'neill", "pato'neill", "pat  oneill"} <= found.texts
    assert [sorted(word) for word in found.words] == [["pat"], ["o'neill", "oneill"]]
    assert needles("one").words == ()  # a single word is the text itself
    assert "1980-01-31" in needles("31st January 1980").texts
    assert "2026-02-30" not in needles("30/2/2026").texts  # not a real date: text only
    assert date_parts("30/2/2026") == (2026, 2, 30)
    assert reference("fly 7k3q 9xpd") == "FLY-7K3Q-9XPD"
    assert needles("07700 900123").phones == ("07700900123", "447700900123")
    assert folded("Zoë D’Arcy-Åkesson") == "Zoe DArcy-Akesson"


def test_a_search_text_holds_answers_as_staff_see_them() -> None:
    """Choices by their labels, dates in words, an address's lines apart (a review: they ran
    together as 'high streetashford')."""
    result = load_definition(Path("form_definitions/apply-parking-permit.yaml"))
    assert result.service is not None
    address = {"line_1": "1 High Street", "town": "Ashford", "postcode": "TN1 1AA"}
    lines = search_text("PKP-1", {"home_address": address}, service=result.service).split("\n")
    assert any("1 high street ashford" in line for line in lines), lines
    assert not any("streetashford" in line for line in lines if " " in line), lines


@pytest.mark.parametrize(
    ("term", "found"),
    [("3 April 1960", True), ("1 April 1960", False), ("April 1 1960", False)],
)
def test_a_date_finds_that_day_not_its_words_apart(term: str, found: bool) -> None:
    """An agent's trial: '1 April 1960' found a caller born on 3 April 1960, by 'april' and
    '1960' (a one-character word is not looked for)."""
    stored = "dr-1\n1960-04-03\n3 april 1960"  # a date stored, and as shown
    url = DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    with create_engine(url).connect() as connection:
        assert bool(connection.scalar(select(found_in(literal(stored), term)))) is found


def test_a_choice_is_found_by_its_labels_in_every_language_never_its_value() -> None:
    """An agent's trial: a form sent in Welsh was found by 'Parth C' but not by 'Zone C:
    Riverside', which staff see; and 'kerbside' or 'passed' (stored values) found forms."""
    result = load_definition(Path("form_definitions/apply-parking-permit.yaml"))
    assert result.service is not None
    welsh = result.service.in_language("cy")
    lines = search_text("RPP-1", {"zone": "C"}, service=welsh).split("\n")
    assert "zone c: riverside" in lines and "parth c: glan yr afon" in lines
    assert "c" not in lines  # the value stored
    older = search_text("RPP-1", {"gone": "Kept"}, service=welsh).split("\n")
    assert "kept" in older  # an answer the service no longer asks: what it stored
