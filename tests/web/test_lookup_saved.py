"""A looked-up address already given shows on its lookup page (Back, Change, a resumed draft)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.html_checks import parse_page
from tests.places_stand_in import PlacesStandIn, serve_places
from tests.web import test_address_lookup as lookup
from tests.web.test_address_lookup import BASE, PAGE, choose, find, text
from tests.web.walker import on_page

CHOSEN = "12 Mill Lane<br>Nether End<br>Aldermoor<br>AL1 2CD"


@pytest.fixture
def lookup_app(definitions_dir: Path) -> Iterator[Flask]:
    with serve_places(PlacesStandIn()) as places:
        yield lookup.app.__wrapped__(definitions_dir, places)  # type: ignore[attr-defined]


def selected(html: str) -> list[str]:
    return re.findall(r'<option value="(\d*)" selected>', html)


def saved_shown(client: FlaskClient, url: str, keep_url: str) -> str:
    html = text(client.get(url))
    facts = parse_page(html)
    assert facts.title.startswith("What is your address? – Saved address – ")
    assert "Saved address</h2>" in html and CHOSEN in html
    keep = rf'href="{re.escape(keep_url)}(\?draft_reference=DR-[A-Z0-9-]+)?">Continue with this'
    assert re.search(keep, html)  # an agent's link names the draft
    assert 'value="AL1 2CD"' in html  # the search filled in, to find a different one
    assert html.count("<h1") == 1 and html.index("<h1") < html.index("Saved address</h2>")
    return html


def test_back_and_change_show_the_chosen_address_and_preselect_it(lookup_app: Flask) -> None:
    client = lookup_app.test_client()
    lookup.to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD"))
    assert client.post(f"{PAGE}?lookup=results", data=choose("100023336957")).status_code == 302
    saved_shown(client, PAGE, f"{BASE}/check-answers")  # Back from check your answers
    saved_shown(client, f"{PAGE}?change=1", f"{BASE}/check-answers")  # its Change link
    found = client.post(f"{PAGE}?change=1&lookup=postcode", data=find("AL1 2CD"))
    results = text(client.get(found.location))
    assert "4 addresses found" in results and selected(results) == ["100023336957"]
    assert client.get(f"{BASE}/check-answers").status_code == 200  # the way on keeps it
    # a typed address, or none yet, shows no saved address
    client.post(f"{PAGE}?lookup=manual", data=lookup.TYPED)
    assert "Saved address" not in text(client.get(f"{PAGE}?lookup=postcode"))
    fresh = lookup_app.test_client()
    lookup.to_the_address(fresh)
    assert "Saved address" not in text(fresh.get(PAGE))


def test_an_agent_back_at_the_address_of_a_resumed_draft_sees_it(lookup_app: Flask) -> None:
    client = lookup_app.test_client()
    reference = lookup.agent_at_the_address(lookup_app, client)
    client.post(f"/staff{PAGE}", data=find("AL1 2CD"))
    chosen = {**choose("100023336957"), **lookup.AGENT_LEAVES}
    assert on_page(client.post(f"/staff{PAGE}?lookup=results", data=chosen).location) == "/staff/"
    resumed = client.post(f"/staff/drafts/{reference}/resume")
    assert on_page(resumed.location) == f"/staff{BASE}/check-answers"
    html = saved_shown(client, f"/staff{PAGE}", f"/staff{BASE}/check-answers")
    assert "Save and leave this draft" in html
    client.post(f"/staff{PAGE}", data=find("AL1 2CD"))
    assert selected(text(client.get(f"/staff{PAGE}?lookup=results"))) == ["100023336957"]


def test_the_saved_address_in_welsh(lookup_app: Flask) -> None:
    client = lookup_app.test_client()
    lookup.to_the_address(client)
    client.post(PAGE, data=find("AL1 2CD"))
    client.post(f"{PAGE}?lookup=results", data=choose("100023336957"))
    html = text(client.get(f"{PAGE}?lang=cy"))
    assert "Cyfeiriad wedi’i gadw" in html and "Parhau gyda’r cyfeiriad hwn" in html
