"""Real-browser journeys: keyboard only, JavaScript off, and the error summary's focus."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accessibility.payment_plan import costs
from accessibility.plan import form_fields
from service_builder.catalog import Catalog
from service_builder.explorer import Route, explore
from tests.accessibility.keyboard import FOCUSED, choose_file, fill_page, press_button, tab_to
from tests.conftest import EXAMPLES
from tests.web.walker import on_page

CATALOG = Catalog.load(EXAMPLES)


def _repeats(route: Route, upto: int | None = None) -> bool:
    """Whether the route (up to a step) has a repeat page, whose steps these page-by-page
    journeys do not drive (tests/accessibility/test_sweep.py and tests/web cover them)."""
    return any(step.page.repeats for step in route.steps[:upto])


def _longest_complete_route() -> tuple[Any, Route]:
    """The example route with the most pages that reaches check-your-answers."""
    candidates = [
        (service, route)
        for service in CATALOG.services.values()
        for route in explore(service)
        if not route.exit_page and not _repeats(route)
    ]
    return max(candidates, key=lambda pair: len(pair[1].steps))


SERVICE, ROUTE = _longest_complete_route()
MANUALLY = "Enter the address manually"


def _looks_up(step: Any) -> bool:
    """A page whose address is found from a postcode: the example answers are typed in, so
    the journey takes the page's own link to enter the address by hand."""
    return any(getattr(q, "lookup", False) for q in step.page.questions)


def _follow_link(page: Any, text: str) -> None:
    tab_to(page, lambda el: el["tag"] == "a" and el["text"] == text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _send(page: Any, by_keyboard: bool) -> None:
    """Send from check-your-answers; a paying route pays first on the GOV.UK Pay stand-in."""
    paying = costs(SERVICE, ROUTE) > 0
    label = "Continue to payment" if paying else SERVICE.submit_label
    if by_keyboard:
        press_button(page, label)
    else:
        with page.expect_navigation():
            page.click("main button.govuk-button")
    if paying:
        assert "/secure/" in page.url, page.url  # on Pay's card page
        if by_keyboard:
            tab_to(page, lambda el: el["tag"] == "button" and el["text"] == "Pay")
            with page.expect_navigation():
                page.keyboard.press("Enter")
        else:
            with page.expect_navigation():
                page.click("button[value=succeed]")
        page.wait_for_url(re.compile(r".*/confirmation$"))


def test_a_resident_completes_a_service_with_the_keyboard_only(
    desktop_page: Any, base_url: str
) -> None:
    page = desktop_page
    page.goto(f"{base_url}/{SERVICE.id}/")
    if SERVICE.start:
        press_button(page, SERVICE.start.button)
    for step in ROUTE.steps:
        assert page.url.endswith(f"/{SERVICE.id}/{step.page.id}"), page.url
        if _looks_up(step):
            _follow_link(page, MANUALLY)
        fields = list(form_fields(step.form()))
        fill_page(page, [f for f in fields if f[1] != ""])
    assert page.url.endswith("/check-answers")
    _send(page, by_keyboard=True)
    assert page.url.endswith("/confirmation")
    assert page.locator(".govuk-panel").is_visible()


def test_an_agent_signs_in_and_completes_a_service_with_the_keyboard_only(
    desktop_page: Any, base_url: str
) -> None:
    from accessibility.staff_plan import EMAIL, PASSWORD

    page = desktop_page
    service, route = max(
        (
            (s, r)
            for s in CATALOG.services.values()
            if s.declaration
            for r in explore(s, "staff")
            if not r.exit_page and not _repeats(r)
        ),
        key=lambda pair: len(pair[1].steps),
    )
    page.goto(f"{base_url}/staff/sign-in")
    fill_page(page, [("email", EMAIL), ("password", PASSWORD)])
    assert page.url.endswith("/staff/")
    fill_page(page, [("service", service.id), ("contact_channel", "webchat")])  # one step
    for step in route.steps:  # each assisted address names the call's draft
        assert on_page(page.url).endswith(f"/staff/{service.id}/{step.page.id}"), page.url
        assert "draft_reference=DR-" in page.url
        fill_page(page, [f for f in form_fields(step.form()) if f[1] != ""])
    assert on_page(page.url).endswith("/check-answers")
    fill_page(page, [("declaration_agreed", "yes")])
    assert on_page(page.url).endswith("/confirmation"), page.url
    assert "Give the resident this reference" in page.content()  # a webchat: in writing


def test_a_resident_completes_a_service_without_javascript(browser: Any, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{SERVICE.id}/")
        assert "govuk-frontend-supported" not in (page.get_attribute("body", "class") or "")
        _complete_by_pointing_and_typing(page, base_url)
    finally:
        context.close()


def test_a_resident_completes_a_service_with_all_css_and_js_blocked(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context()
    blocked: list[str] = []

    def block(route: Any) -> None:
        blocked.append(route.request.url)
        route.abort()

    context.route(re.compile(r".*\.(css|js)(\?.*)?$"), block)
    try:
        page = context.new_page()
        page.goto(f"{base_url}/{SERVICE.id}/")
        assert (
            page.evaluate(
                "getComputedStyle(document.querySelector('.govuk-width-container')).maxWidth"
            )
            != "960px"
        )  # unstyled
        _complete_by_pointing_and_typing(page, base_url)
        assert any(url.endswith(".css") for url in blocked)
        assert any(url.endswith(".js") for url in blocked)
    finally:
        context.close()


def _complete_by_pointing_and_typing(page: Any, base_url: str) -> None:
    for step in ROUTE.steps:
        manual = "?lookup=manual" if _looks_up(step) else ""
        page.goto(f"{base_url}/{SERVICE.id}/{step.page.id}{manual}")
        for name, value in form_fields(step.form()):
            if choose_file(page, name, value):
                continue
            field = page.locator(f'[name="{name}"]')
            kind = field.first.get_attribute("type")
            if kind in ("radio", "checkbox"):
                page.check(f'[name="{name}"][value="{value}"]')
            elif field.first.evaluate("el => el.tagName") == "SELECT":
                page.select_option(f'[name="{name}"]', value)
            elif value:
                page.fill(f'[name="{name}"]', value)
        with page.expect_navigation():
            page.click("main button.govuk-button")
    assert page.url.endswith("/check-answers")
    _send(page, by_keyboard=False)
    assert page.url.endswith("/confirmation")
    assert page.locator(".govuk-panel__title").is_visible()


@pytest.mark.parametrize("question_type", ["radios", "date", "text", "checkboxes"])
def test_the_error_summary_takes_focus_and_its_links_move_focus_to_the_field(
    desktop_page: Any, base_url: str, question_type: str
) -> None:
    service, route, index = _route_to_type(question_type)
    page = desktop_page
    page.context.clear_cookies()
    page.goto(f"{base_url}/healthz")
    for step in route.steps[:index]:
        page.evaluate(
            """async ([url, fields]) => { const body = new URLSearchParams();
            for (const [n, v] of fields) body.append(n, v);
            await fetch(url, {method: 'POST', body, redirect: 'manual'}); }""",
            [
                f"{base_url}/{service.id}/{step.page.id}",
                [list(f) for f in form_fields(step.form())],
            ],
        )
    page.goto(f"{base_url}/{service.id}/{route.steps[index].page.id}")
    with page.expect_navigation():
        page.click("main button.govuk-button")
    page.wait_for_function("document.activeElement.classList.contains('govuk-error-summary')")
    link = page.locator(".govuk-error-summary__list a").first
    target = (link.get_attribute("href") or "#")[1:]
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=target
    )
    assert page.evaluate(FOCUSED)["name"] in (target, target.rsplit("-", 1)[0])


def _route_to_type(question_type: str) -> tuple[Any, Route, int]:
    for service in CATALOG.services.values():
        for route in explore(service):
            for index, step in enumerate(route.steps):
                if _repeats(route, index + 1):
                    break
                questions = [service.question(q) for q in step.inputs]
                if (
                    questions
                    and questions[0]
                    and questions[0].type == question_type
                    and questions[0].required
                ):
                    return service, route, index
    raise AssertionError(f"no example service asks a required {question_type} question first")
