"""English and Welsh over HTTP: ?lang= switching, the language link, Welsh pages and errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import Submission, db
from service_builder.staff.accounts import save_user
from tests.conftest import app_for
from tests.html_checks import parse_page

BASE = "/bilingual"


@pytest.fixture
def app(definitions_dir: Path) -> Flask:
    return app_for(definitions_dir, "bilingual.yaml", "branching.yaml")  # the second: English only


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([a-z]+)"', html)
    assert match is not None
    return match.group(1)


def language_links(html: str) -> list[tuple[str, str, str, str]]:
    """(href, lang, hreflang, text) of each language link."""
    return re.findall(
        r'<a class="govuk-link" href="([^"]+)" lang="([a-z]+)" hreflang="([a-z]+)">([^<]+)</a>',
        html,
    )


def shows(html: str, text: str) -> bool:
    """The text is the whole content of some element (whitespace around it aside)."""
    return re.search(r">\s*" + re.escape(text) + r"\s*<", html) is not None


def answer_everything(client: FlaskClient) -> None:
    assert client.post(f"{BASE}/pet", data={"has_pet": "yes"}).status_code == 302
    assert client.post(f"{BASE}/kind", data={"kind": "dog"}).status_code == 302
    born = {"born-day": "27", "born-month": "3", "born-year": "1990"}
    assert client.post(f"{BASE}/born", data=born).status_code == 302
    assert client.post(f"{BASE}/notes", data={"notes": ""}).location == f"{BASE}/check-answers"


def test_lang_switches_the_page_and_the_choice_is_kept(client: FlaskClient) -> None:
    english = client.get(f"{BASE}/pet").get_data(as_text=True)
    assert html_lang(english) == "en" and "Do you have a pet?" in english
    assert language_links(english) == [(f"{BASE}/pet?lang=cy", "cy", "cy", "Cymraeg")]
    welsh = client.get(f"{BASE}/pet?lang=cy").get_data(as_text=True)
    assert html_lang(welsh) == "cy"
    assert "Oes gennych chi anifail anwes?" in welsh and shows(welsh, "Parhau")
    assert language_links(welsh) == [(f"{BASE}/pet?lang=en", "en", "en", "English")]
    # kept for the session, on every page of the service and the site's own pages
    assert html_lang(client.get(f"{BASE}/").get_data(as_text=True)) == "cy"
    cookies = client.get("/cookies").get_data(as_text=True)
    assert html_lang(cookies) == "cy" and '<h1 class="govuk-heading-l">Cwcis</h1>' in cookies
    client.get(f"{BASE}/pet?lang=en")
    assert html_lang(client.get(f"{BASE}/").get_data(as_text=True)) == "en"


def test_a_single_language_service_offers_no_link_and_stays_in_its_language(
    client: FlaskClient,
) -> None:
    client.get(f"{BASE}/?lang=cy")
    page = client.get("/branching/age").get_data(as_text=True)
    assert html_lang(page) == "en" and language_links(page) == []
    assert "Continue" in page


def test_errors_are_in_welsh_with_the_gwall_prefix(client: FlaskClient) -> None:
    response = client.post(f"{BASE}/pet?lang=cy", data={})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    facts = parse_page(html)
    assert facts.title.startswith("Gwall: Oes gennych chi anifail anwes?")
    assert facts.error_messages == ["Gwall: Dewiswch a oes gennych anifail anwes"]
    assert "Mae problem wedi codi" in html
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in html
    english = client.post(f"{BASE}/pet?lang=en", data={})
    assert parse_page(english.get_data(as_text=True)).title.startswith("Error: ")


def test_check_answers_and_confirmation_in_welsh_send_the_same_answers(
    app: Flask, client: FlaskClient
) -> None:
    client.get(f"{BASE}/?lang=cy")
    answer_everything(client)
    page = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert "Gwiriwch eich atebion cyn eu hanfon" in page
    assert shows(page, "27 Mawrth 1990") and shows(page, "Ci") and shows(page, "Ie")
    assert "Newid<span" in page.replace("\n", "").replace(" ", "")
    # the optional question left blank keeps its row, saying so
    assert "Heb ei ddarparu" in page
    assert 'href="/bilingual/notes?change=1"' in page
    sent = client.post(f"{BASE}/check-answers")
    confirmation = client.get(sent.location).get_data(as_text=True)
    assert "Eich cyfeirnod" in confirmation
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        # values, never labels, and nothing for the question left blank
        assert submission.answers == {"has_pet": "yes", "kind": "dog", "born": "1990-03-27"}


def test_english_check_answers_says_not_provided(client: FlaskClient) -> None:
    answer_everything(client)
    page = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert "Not provided" in page and "27 March 1990" in page


def test_the_back_link_and_start_page_are_translated(client: FlaskClient) -> None:
    start = client.get(f"{BASE}/?lang=cy").get_data(as_text=True)
    assert "Dechrau nawr" in start and "Dywedwch wrthym am eich anifail anwes" in start
    client.post(f"{BASE}/pet", data={"has_pet": "no"})
    born = client.get(f"{BASE}/born").get_data(as_text=True)
    assert "Yn ôl" in born and "Er enghraifft, 27 3 2007" in born
    assert shows(born, "Diwrnod") and shows(born, "Blwyddyn")


def test_site_pages_offer_welsh_when_a_service_does(client: FlaskClient) -> None:
    index = client.get("/").get_data(as_text=True)
    assert language_links(index) == [("/?lang=cy", "cy", "cy", "Cymraeg")]
    welsh = client.get("/?lang=cy").get_data(as_text=True)
    assert "Gwasanaethau ar-lein" in welsh
    assert "Dywedwch wrthym am eich anifail anwes" in welsh  # the service's Welsh title
    missing = client.get("/no-such-page/anywhere")
    assert missing.status_code == 404
    assert "Heb ddod o hyd i’r dudalen" in missing.get_data(as_text=True)


def test_an_agent_can_switch_the_service_to_welsh_for_a_caller(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        save_user("agent@example.com", "correct horse battery", "agent")
    password = "correct horse battery"
    client.post("/staff/sign-in", data={"email": "agent@example.com", "password": password})
    response = client.post(f"/staff{BASE}/", data={"contact_channel": "phone"})
    assert response.status_code == 302
    english = client.get(f"/staff{BASE}/pet").get_data(as_text=True)
    assert language_links(english) == [(f"/staff{BASE}/pet?lang=cy", "cy", "cy", "Cymraeg")]
    welsh = client.get(f"/staff{BASE}/pet?lang=cy").get_data(as_text=True)
    assert html_lang(welsh) == "cy" and "Oes gennych chi anifail anwes?" in welsh
    assert '<div lang="en">' in welsh  # the agent's own banner stays English, marked so


def test_welsh_month_names_and_the_character_count_speak_welsh(client: FlaskClient) -> None:
    client.get(f"{BASE}/?lang=cy")
    client.post(f"{BASE}/pet", data={"has_pet": "no"})
    born = {"born-day": "1", "born-month": "ionawr", "born-year": "1990"}
    assert client.post(f"{BASE}/born", data=born).location == f"{BASE}/notes"
    notes = client.get(f"{BASE}/notes").get_data(as_text=True)
    # one message per Welsh plural category, for GOV.UK Frontend's own count
    for category in ("zero", "one", "two", "few", "many", "other"):
        assert (
            f'data-i18n.characters-under-limit.{category}="Mae gennych %{{count}} nod ar ôl"'
            in (notes)
        )
    assert "Gallwch roi hyd at 20 nod" in notes
    too_long = client.post(f"{BASE}/notes", data={"notes": "x" * 21})
    assert "Rhaid i’ch nodiadau fod yn 20 nod neu lai" in too_long.get_data(as_text=True)


def test_an_unknown_language_is_ignored(client: FlaskClient) -> None:
    page = client.get(f"{BASE}/?lang=fr").get_data(as_text=True)
    assert html_lang(page) == "en"
    client.get(f"{BASE}/?lang=cy")
    assert html_lang(client.get(f"{BASE}/?lang=xx").get_data(as_text=True)) == "cy"
