"""A file question in a real browser: the enhanced GOV.UK file upload with JavaScript, the
plain file input without it, and the file name on check-your-answers either way."""

from __future__ import annotations

from typing import Any

import pytest

from accessibility.plan import form_fields
from service_builder.catalog import Catalog
from service_builder.explorer import explore
from service_builder.questions.files import EXAMPLE_JPG, ExampleFile
from tests.accessibility.keyboard import choose_file
from tests.conftest import EXAMPLES

CATALOG = Catalog.load(EXAMPLES)
SERVICE = CATALOG.services["report-fly-tipping"]
ROUTE = next(r for r in explore(SERVICE) if not r.exit_page and "photo" in r.page_ids)


def _walk_to_the_photo(page: Any, base_url: str) -> None:
    for step in ROUTE.steps:
        if step.page.id == "photo":
            page.goto(f"{base_url}/{SERVICE.id}/photo")
            return
        page.goto(f"{base_url}/{SERVICE.id}/{step.page.id}")
        for name, value in form_fields(step.form()):
            field = page.locator(f'[name="{name}"]')
            kind = field.first.get_attribute("type")
            if kind in ("radio", "checkbox"):
                page.check(f'[name="{name}"][value="{value}"]')
            elif value:
                page.fill(f'[name="{name}"]', value)
        with page.expect_navigation():
            page.click("main button.govuk-button:not(.govuk-file-upload-button)")


PHONE_PHOTO = "IMG_20261130_163045_rubbish_near_the_bus_shelter_mill_lane.jpg"
LONG_EMAIL = "christopher.hetherington@btinternet.com"
"""A phone's photo and an ordinary address, longer than a 320 px line: they must wrap."""


def _upload_and_check(page: Any, base_url: str) -> None:
    fields = form_fields({"photo": ExampleFile(PHONE_PHOTO, EXAMPLE_JPG)})
    assert choose_file(page, *fields[0])
    with page.expect_navigation():
        page.click("main form > button.govuk-button")
    for step in ROUTE.steps[ROUTE.page_ids.index("photo") + 1 :]:
        for name, value in form_fields(step.form()):
            if value:
                page.fill(f'[name="{name}"]', LONG_EMAIL if "@" in value else value)
        with page.expect_navigation():
            page.click("main form > button.govuk-button")
    assert page.url.endswith("/check-answers")
    assert PHONE_PHOTO in page.locator("main").inner_text()
    page.set_viewport_size({"width": 320, "height": 900})
    page.goto(f"{base_url}/{SERVICE.id}/photo")  # the file chosen, named on its page
    assert PHONE_PHOTO in page.locator("main").inner_text()
    _fits(page)
    page.goto(f"{base_url}/{SERVICE.id}/check-answers")
    with page.expect_navigation():
        page.click("main form > button.govuk-button")
    assert page.url.endswith("/confirmation")
    assert LONG_EMAIL in page.locator("main").inner_text()
    _fits(page)


def _fits(page: Any) -> None:
    """Nothing scrolls sideways (WCAG 1.4.10 Reflow)."""
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll[0] <= scroll[1], f"{page.url} scrolls sideways: {scroll}"


@pytest.mark.parametrize("javascript", [True, False], ids=["enhanced", "no-javascript"])
def test_a_resident_uploads_a_photo(browser: Any, base_url: str, javascript: bool) -> None:
    context = browser.new_context(java_script_enabled=javascript)
    try:
        page = context.new_page()
        _walk_to_the_photo(page, base_url)
        enhanced = page.locator(".govuk-file-upload-button")
        if javascript:
            assert enhanced.count() == 1  # GOV.UK Frontend's drop zone and button
            assert page.locator("input[name=photo]").get_attribute("id") == "photo-input"
        else:
            assert enhanced.count() == 0
            assert page.locator("input#photo[type=file]").is_visible()
        _upload_and_check(page, base_url)
    finally:
        context.close()
