"""Security headers: a strict content policy whose nonce lets only our own inline script run."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from service_builder.payments.pay import PAY_PUBLIC_API
from tests.conftest import copy_fixture, make_app


def test_pages_send_a_strict_content_security_policy(client: FlaskClient) -> None:
    response = client.get("/report-fly-tipping/land-type")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    scripts = re.findall(r"<script([^>]*)>", response.get_data(as_text=True))
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline == [f' nonce="{nonce.group(1)}"']
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    other = client.get("/report-fly-tipping/land-type").headers["Content-Security-Policy"]
    assert other != policy  # a new nonce every time
    assert "Strict-Transport-Security" not in response.headers


def test_production_adds_hsts(definitions_dir: Path) -> None:
    copy_fixture("branching.yaml", definitions_dir)
    app = make_app(definitions_dir, SERVICE_BUILDER_ENV="production")
    response = app.test_client().get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_forms_may_be_redirected_to_gov_uk_pay_only_once_payments_are_on(
    definitions_dir: Path,
) -> None:
    """ "Continue to payment" is answered by a redirect to Pay's card page, which the
    browser checks against `form-action`: without Pay's origin the resident cannot pay."""

    def form_action(**config: str) -> str:
        app = make_app(definitions_dir, **config)
        policy = app.test_client().get("/healthz").headers["Content-Security-Policy"]
        found = re.search(r"form-action ([^;]+)", policy)
        assert found is not None
        return found.group(1)

    assert form_action(PAY_API_KEY="", PAY_BASE_URL="") == "'self'"
    real_pay = "'self' https://card.payments.service.gov.uk"  # as the Pay client allows
    assert form_action(PAY_API_KEY="key", PAY_BASE_URL="") == real_pay
    assert form_action(PAY_API_KEY="key", PAY_BASE_URL=PAY_PUBLIC_API) == real_pay
    paying = form_action(PAY_API_KEY="key", PAY_BASE_URL="http://127.0.0.1:8999/api")
    assert paying.split() == [
        "'self'",
        "http://127.0.0.1:8999",  # a stand-in serving its own card page
        "https://card.payments.service.gov.uk",
    ]


def test_no_link_on_a_page_can_be_made_to_lead_off_the_site(client: FlaskClient) -> None:
    """Browsers read a backslash as a slash: /\\evil.example is //evil.example to them."""
    welsh = client.get("/%5Cevil.example/x")  # a 404, with the Cymraeg link
    assert welsh.status_code == 404
    links = re.findall(r'href="([^"]*)"', welsh.get_data(as_text=True))
    assert "/%5Cevil.example/x?lang=cy" in links
    too_large = client.post("/%5Cevil.example/x", data={"a": "x" * 300_000})
    assert too_large.status_code == 413
    links += re.findall(r'href="([^"]*)"', too_large.get_data(as_text=True))
    assert "/%5Cevil.example/x" in links  # the Back link
    assert not [link for link in links if link.startswith(("//", "/\\\\", "\\\\"))], links


def test_a_refused_form_says_why_in_the_log_for_operators(caplog: object) -> None:
    """A proxy that sends its upstream's address as Host makes every form 'expire': the
    Referer and the Host differ."""
    import logging

    import pytest

    assert isinstance(caplog, pytest.LogCaptureFixture)
    app = make_app(WTF_CSRF_ENABLED=True, WTF_CSRF_SSL_STRICT=True, RATELIMIT_ENABLED=False)
    client = app.test_client()
    page = client.get("/apply-parking-permit/zone", base_url="https://forms.example.gov.uk")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert token is not None
    with caplog.at_level(logging.INFO, logger="service_builder.web.errors"):
        refused = client.post(
            "/apply-parking-permit/zone",
            base_url="https://forms.example.gov.uk",
            headers={"Referer": "https://127.0.0.1:8000/apply-parking-permit/zone"},
            data={"zone": "A", "csrf_token": token.group(1)},
        )
    assert refused.status_code == 400
    assert "csrf refused: The referrer does not match the host." in caplog.text


def test_a_browser_that_strips_the_referer_sends_forms_by_their_origin() -> None:
    """Privacy settings strip the Referer; the Origin every browser sends with a POST says
    the same. A cross-site or `null` Origin, or neither header, is still refused."""
    app = make_app(WTF_CSRF_ENABLED=True, WTF_CSRF_SSL_STRICT=True, RATELIMIT_ENABLED=False)
    client = app.test_client()
    site = "https://forms.example.gov.uk"
    page = client.get("/apply-parking-permit/zone", base_url=site)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    assert token is not None

    def post(headers: dict[str, str]) -> int:
        return client.post(
            "/apply-parking-permit/zone",
            base_url=site,
            headers=headers,
            data={"zone": "A", "csrf_token": token.group(1)},
        ).status_code

    assert post({"Origin": "https://evil.example"}) == 400
    assert post({"Origin": "null"}) == 400
    assert post({}) == 400
    assert post({"Origin": "http://forms.example.gov.uk"}) == 400  # not over HTTPS
    assert post({"Origin": site}) == 302


def test_an_origin_read_for_the_csrf_check_is_not_taken_for_the_page_a_form_came_from() -> None:
    """Signed out while writing a case note, with no Referer: sign-in leads back to the case
    (its address's nearest page), not to the home page an invented Referer would give."""
    app = make_app(WTF_CSRF_ENABLED=True, WTF_CSRF_SSL_STRICT=True, RATELIMIT_ENABLED=False)
    client = app.test_client()
    site = "https://forms.example.gov.uk"
    page = client.get("/staff/sign-in", base_url=site).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    sent = client.post(
        "/staff/cases/ABC-1234-5678/notes",
        base_url=site,
        headers={"Origin": site},
        data={"csrf_token": token.group(1), "note": "Rang back"},
    )
    assert sent.status_code == 302
    assert "next=/staff/cases/ABC-1234-5678" in sent.location.replace("%2F", "/")
