"""A typed address with several problems shows them all at once, as GOV.UK's address pattern
does: one error summary entry per input, linking to it, and each input with its own message
and error styling; each failed check is counted once in the performance figures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import db
from service_builder.performance.models import DailyCount, Event
from tests.conftest import app_for
from tests.html_checks import parse_page

BASE = "/address-typed"
PAGE = f"{BASE}/home"
LINE_1 = "Enter address line 1, typically the building and street"
BLANK = {"home-line-1": "", "home-line-2": "", "home-town": "", "home-postcode": ""}


@pytest.fixture
def app(definitions_dir: Path) -> Flask:
    return app_for(definitions_dir, "address-typed.yaml")


def in_error(html: str) -> list[str]:
    """The ids of the inputs drawn in error: their class, and their message read with them."""
    found = []
    for tag in re.findall(r"<input [^>]*>", html):
        name = re.search(r'id="([^"]+)"', tag)
        if name and "govuk-input--error" in tag:
            assert f'aria-describedby="{name[1]}-error"' in tag, tag
            found.append(name[1])
    return found


def failed_checks(app: Flask) -> list[tuple[str | None, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            select(Event.question_id, Event.check_key).where(Event.kind == "error")
        )
        return sorted(tuple(row) for row in rows)


def error_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = db.session.scalars(select(DailyCount).where(DailyCount.metric == "error"))
        return {count.item: count.count for count in counts}


def test_a_blank_address_shows_each_missing_input_at_once(app: Flask, client: FlaskClient) -> None:
    response = client.post(PAGE, data=BLANK)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    facts = parse_page(html)
    assert facts.title.startswith("Error: What is your address?")
    assert facts.error_links == ["#home-line-1", "#home-town", "#home-postcode"]
    assert facts.error_messages == [LINE_1, "Enter town or city", "Enter postcode"]
    summary = html[html.index("govuk-error-summary__list") :]
    for message in (LINE_1, "Enter town or city", "Enter postcode"):
        assert message in summary[: summary.index("</ul>")]
    assert in_error(html) == ["home-line-1", "home-town", "home-postcode"]
    assert failed_checks(app) == [("home", "postcode"), ("home", "required"), ("home", "town")]
    assert error_counts(app) == {"home:required": 1, "home:town": 1, "home:postcode": 1}


def test_what_was_typed_stays_and_only_the_wrong_inputs_are_marked(
    app: Flask, client: FlaskClient
) -> None:
    typed = {**BLANK, "home-line-1": "3 Quarry Row", "home-line-2": "l" * 201}
    response = client.post(PAGE, data={**typed, "home-postcode": "NOT A POSTCODE"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    facts = parse_page(html)
    assert facts.error_links == ["#home-line-2", "#home-town", "#home-postcode"]
    assert facts.error_messages == [
        "Address line 2 (optional) must be 200 characters or less",
        "Enter town or city",
        "Enter a full UK postcode, like AA3 1AB",
    ]
    assert in_error(html) == ["home-line-2", "home-town", "home-postcode"]
    assert 'value="3 Quarry Row"' in html and 'value="NOT A POSTCODE"' in html
    # two inputs fail `invalid`: one event for the question's check, as for any question
    assert failed_checks(app) == [("home", "invalid"), ("home", "town")]
    fixed = client.post(
        PAGE, data={**typed, "home-line-2": "", "home-town": "Aldermoor", "home-postcode": "ZZ"}
    )
    assert parse_page(fixed.get_data(as_text=True)).error_links == ["#home-postcode"]
    assert error_counts(app) == {"home:invalid": 2, "home:town": 1}
    done = client.post(
        PAGE,
        data={**typed, "home-line-2": "", "home-town": "Aldermoor", "home-postcode": "al3 4ef"},
    )
    assert done.location == f"{BASE}/phone"


def test_each_problem_is_said_in_welsh(client: FlaskClient) -> None:
    client.get(f"{PAGE}?lang=cy")
    response = client.post(PAGE, data={**BLANK, "home-line-1": "3 Rhes y Chwarel"})
    facts = parse_page(response.get_data(as_text=True))
    assert facts.title.startswith("Gwall: Beth yw eich cyfeiriad?")
    assert facts.error_links == ["#home-town", "#home-postcode"]
    assert facts.error_messages == [
        "Gwall: Rhowch y dref neu’r ddinas",  # the hidden prefix, in Welsh
        "Gwall: Rhowch y cod post",
    ]
