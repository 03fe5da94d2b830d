"""The council's brand on every page; GOV.UK's identity nowhere; light, cached assets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service_builder.assets import build_assets, css_problems, read_manifest, without_crown
from service_builder.config import ROOT
from service_builder.site import load_site
from tests.conftest import copy_fixture, make_app

PAGES = [
    "/",
    "/report-fly-tipping/",
    "/report-fly-tipping/land-type",
    "/cookies",
    "/privacy",
    "/contact",
    "/accessibility-statement",
    "/staff/sign-in",
    "/nowhere/at/all",
]
GOVUK_ONLY = [
    "govuk-crest",
    "govuk-header__logo",
    "Crown copyright",
    "GDS Transport",
    "/assets/images/",
    "/assets/fonts/",
    "govuk-icon",
    "gov.uk/",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_carry_the_council_brand_and_no_govuk_identity(client: FlaskClient, url: str) -> None:
    html = client.get(url).get_data(as_text=True)
    for mark in GOVUK_ONLY:
        assert mark not in html, f"{mark} on {url}"
    assert 'class="govuk-generic-header' in html
    assert 'src="/assets/brand/logo.svg" alt=""' in html and "Aldermoor District Council" in html
    assert '<link rel="icon" href="/assets/brand/favicon.svg"' in html
    footer = html.split('<footer class="govuk-footer">')[1]
    for link in ("/accessibility-statement", "/privacy", "/cookies", "/contact"):
        assert f'href="{link}"' in footer
    assert "© Aldermoor District Council" in footer


def test_the_stylesheet_is_the_councils(client: FlaskClient) -> None:
    manifest = read_manifest()
    css = client.get(f"/assets/{manifest['app.css']}")
    text = css.get_data(as_text=True)
    assert "GDS Transport" not in text and "govuk-crest" not in text
    assert "font-family:arial,sans-serif" in text
    assert "#00625e" in text.lower()
    for component in ("govuk-accordion", "govuk-tabs", "govuk-header__logo"):
        assert component not in text  # only the components the product uses
    assert client.get("/assets/fonts/bold-b542beb274-v2.woff2").status_code == 404
    assert client.get("/assets/images/govuk-crest.svg").status_code == 404


def test_assets_have_hashed_names_long_caching_and_compressed_variants(client: FlaskClient) -> None:
    manifest = read_manifest()
    for name in ("app.css", "init.js"):
        assert re.search(r"\.[0-9a-f]{12}\.", manifest[name])
        response = client.get(f"/assets/{manifest[name]}", headers={"Accept-Encoding": "br, gzip"})
        assert response.status_code == 200
        assert response.headers["Content-Encoding"] == "br"
        assert "immutable" in response.headers["Cache-Control"]
        assert "max-age=315360000" in response.headers["Cache-Control"]
        gzipped = client.get(f"/assets/{manifest[name]}", headers={"Accept-Encoding": "gzip"})
        assert gzipped.headers["Content-Encoding"] == "gzip"


def test_pages_are_compressed_as_served(client: FlaskClient) -> None:
    response = client.get("/report-fly-tipping/land-type", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"


def test_the_manifest_is_the_councils(client: FlaskClient) -> None:
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["name"] == "Aldermoor District Council"
    assert manifest["icons"][0]["src"] == "/assets/brand/favicon.svg"


def test_a_service_can_link_its_own_privacy_notice(definitions_dir: Path) -> None:
    path = copy_fixture("branching.yaml", definitions_dir)
    path.write_text(
        path.read_text().replace(
            "title: Branching scenario",
            "title: Branching scenario\nprivacy_url: https://example.org/privacy",
        )
    )
    client = make_app(definitions_dir).test_client()
    html = client.get("/branching/age").get_data(as_text=True)
    assert 'href="https://example.org/privacy">Privacy notice for this service' in html
    assert "Privacy notice for this service" not in client.get("/").get_data(as_text=True)


def test_rebranding_is_one_file(tmp_path: Path, definitions_dir: Path) -> None:
    text = (ROOT / "config" / "site.yaml").read_text()
    site_file = tmp_path / "site.yaml"
    site_file.write_text(
        text.replace("Aldermoor District Council", "Brackenford Borough Council")
        .replace("#00625e", "#4c2c92")
        .replace("tag: beta", "tag: none")
    )
    app: Flask = make_app(definitions_dir, SERVICE_BUILDER_SITE=str(site_file))
    html = app.test_client().get("/").get_data(as_text=True)
    assert "Brackenford Borough Council" in html and "Aldermoor" not in html
    assert "govuk-phase-banner" not in html
    assert '<meta name="theme-color" content="#4c2c92">' in html
    manifest = build_assets(load_site(site_file), tmp_path / "build")
    css = (tmp_path / "build" / manifest["app.css"]).read_text()
    assert "#4c2c92" in css.lower()
    assert css_problems(css) == []
    assert ".govuk-footer__list{column-gap:30px;margin:0;padding:0;" in css


def test_crown_rules_are_removed_from_css() -> None:
    css = (
        ".a{color:red}.govuk-footer__copyright-logo::before{background-image:url("
        '"/assets/images/govuk-crest.svg")}@supports(mask-position: initial){'
        '.govuk-footer__copyright-logo::before{mask-image:url("/assets/images/govuk-crest'
        '.svg")}}.b{color:blue}'
    )
    assert without_crown(css) == ".a{color:red}.b{color:blue}"


def test_the_phase_banner_is_inside_the_header(client: FlaskClient) -> None:
    """GOV.UK's guidance: in the header, so it is in a landmark like all content."""
    html = client.get("/").get_data(as_text=True)
    header = html[html.index('<header class="govuk-template__header">') : html.index("</header>")]
    assert "govuk-phase-banner" in header


def test_the_privacy_notice_says_how_long_saved_answers_are_kept(client: FlaskClient) -> None:
    """A resident's trial: it said unsent answers go after 1 day, where a form saved to come
    back to is kept 28 days, with the email address the link went to."""
    notice = client.get("/privacy").get_data(as_text=True)
    assert "we keep them for 28 days from when you saved them" in notice
    welsh = client.get("/privacy?lang=cy").get_data(as_text=True)
    assert "byddwn yn eu cadw am 28 diwrnod" in welsh
