"""WTForms pages: each inline error's hidden prefix is in the page's language."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.web.test_save_return import ADDRESS, EMAIL, PERMIT, ZONE, link_path

HIDDEN_PREFIX = re.compile(
    r'<p[^>]*class="govuk-error-message"[^>]*>\s*<span class="govuk-visually-hidden">([^<]*)</span>'
)


def hidden_prefixes(response: object) -> list[str]:
    html = response.get_data(as_text=True)  # type: ignore[attr-defined]
    found = HIDDEN_PREFIX.findall(html)
    assert found, "no inline error on the page"
    return [prefix.strip() for prefix in found]


def test_welsh_wtforms_pages_say_gwall_before_each_error(app: Flask, client: FlaskClient) -> None:
    client.get(f"{PERMIT}/zone?lang=cy")
    client.post(f"{PERMIT}/zone", data=ZONE)
    client.post(f"{PERMIT}/home-address", data={**ADDRESS, "save_for_later": "1"})
    pages = {
        "save-for-later": client.post(f"{PERMIT}/save-for-later", data={"email": ""}),
        "status": client.post("/status", data={"reference": "", "email_or_postcode": ""}),
        "feedback": client.post(f"{PERMIT}/feedback", data={}),
    }
    assert client.post(f"{PERMIT}/save-for-later", data={"email": EMAIL}).status_code == 302
    path = link_path(app)
    assert path.endswith("?lang=cy")
    pages["resume"] = app.test_client().post(path, data={"email": "someone.else@example.com"})
    for name, response in pages.items():
        assert response.status_code == 400, name
        assert '<html lang="cy"' in response.get_data(as_text=True), name
        assert set(hidden_prefixes(response)) == {"Gwall:"}, name


def test_english_pages_keep_error(client: FlaskClient) -> None:
    refused = client.post("/staff/sign-in", data={"email": "", "password": ""})
    assert set(hidden_prefixes(refused)) == {"Error:"}
    english = client.post("/status?lang=en", data={"reference": "", "email_or_postcode": ""})
    assert set(hidden_prefixes(english)) == {"Error:"}
