"""The staff timeout warning in a real browser, on a fake clock: a modal dialog that keeps
focus, closes with Escape (staying signed in) back to where focus was, and at the deadline
loads the page again, which signed out is the sign-in page: no caller's answers stay on
screen."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from service_builder.models import db
from service_builder.staff.sessions import StaffSession
from tests.accessibility.keyboard import fill_page


def on_a_call(context: Any, base_url: str) -> Any:
    """A page, on a fake clock, signed in as the sweep's agent, on a call's first question."""
    from accessibility.staff_plan import EMAIL, PASSWORD

    page = context.new_page()
    page.clock.install()
    page.goto(f"{base_url}/staff/sign-in")
    fill_page(page, [("email", EMAIL), ("password", PASSWORD)])
    fill_page(page, [("service", "report-fly-tipping"), ("contact_channel", "phone")])
    return page


def test_the_timeout_warning_keeps_focus_and_clears_the_page_at_the_deadline(
    browser: Any, served: tuple[str, Any]
) -> None:
    base_url, app = served

    context = browser.new_context(viewport={"width": 1024, "height": 900})
    try:
        page = on_a_call(context, base_url)
        question = page.url
        page.locator("main input:not([type=hidden])").first.focus()
        dialog = page.locator("[data-module=app-timeout-warning]")
        assert dialog.is_hidden()
        page.clock.run_for("28:30")  # the warning opens two minutes before the sign-out
        assert dialog.is_visible() and dialog.get_attribute("aria-modal") == "true"
        assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
        for _ in range(3):
            page.keyboard.press("Tab")
            assert page.evaluate("document.activeElement.closest('[role=alertdialog]') !== null")
        page.keyboard.press("Escape")  # Stay signed in
        dialog.wait_for(state="hidden")
        assert page.evaluate("document.activeElement.matches('main input')")  # where it was
        with app.app_context():  # nothing done for the whole idle time: signed out
            newest = db.session.scalars(select(StaffSession).order_by(StaffSession.id.desc()))
            newest.first().last_seen_at -= dt.timedelta(minutes=31)
            db.session.commit()
        page.clock.run_for("30:30")
        page.wait_for_url("**/staff/sign-in?**")
        query = parse_qs(urlsplit(page.url).query)
        assert query["timed_out"] == ["1"] and question.endswith(query["next"][0])
    finally:
        context.close()


def test_a_tab_left_open_stays_while_the_agent_works_in_another(
    browser: Any, served: tuple[str, Any]
) -> None:
    """Pages loaded in one tab keep the session for every tab: the other tab's warning
    closes, and it does not reload (losing what was typed on it) at its own deadline."""
    base_url, _ = served
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    try:
        left = on_a_call(context, base_url)
        question = left.url
        chosen = left.locator("main input[type=radio]").first
        chosen.check()  # chosen, not yet saved
        working = context.new_page()
        working.goto(f"{base_url}/staff/")
        dialog = left.locator("[data-module=app-timeout-warning]")
        left.clock.run_for("28:30")
        assert dialog.is_visible()
        working.reload()  # the agent is busy in the other tab: the session goes on
        left.clock.run_for("00:02")
        assert dialog.is_hidden()
        left.clock.run_for("02:00")  # past the left tab's own deadline
        assert left.url == question and chosen.is_checked()
    finally:
        context.close()


def test_a_tab_left_open_is_loaded_again_only_once_the_session_has_surely_ended(
    browser: Any, served: tuple[str, Any]
) -> None:
    """Loaded again a moment before the server's deadline (the seconds left are rounded
    down), the page would count as activity and the session would never end."""
    base_url, app = served
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    try:
        page = on_a_call(context, base_url)
        page.evaluate("window.notLoadedAgain = true")
        page.clock.run_for(1799_500)  # ms: the last second, by the page's rounded deadline
        assert page.evaluate("window.notLoadedAgain === true")
        with app.app_context():  # the server's deadline passes
            newest = db.session.scalars(select(StaffSession).order_by(StaffSession.id.desc()))
            newest.first().last_seen_at -= dt.timedelta(minutes=31)
            db.session.commit()
        page.clock.run_for("00:07")
        page.wait_for_url("**/staff/sign-in?**")
    finally:
        context.close()


def test_signing_out_in_one_tab_clears_the_others(browser: Any, served: tuple[str, Any]) -> None:
    """An agent's trial: signed out in one tab, a caller's answers stayed on screen in
    another until its idle timer ran out. Every tab of the browser loads itself again, which
    signed out is the sign-in page."""
    base_url, _ = served
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    try:
        left = on_a_call(context, base_url)
        working = context.new_page()
        working.goto(f"{base_url}/staff/")
        working.get_by_role("navigation", name="Staff menu").get_by_role("button").click()
        working.wait_for_url("**/staff/sign-in?signed_out=1")
        left.clock.run_for("00:02")
        left.wait_for_url("**/staff/sign-in?**")
        assert "Sign in" in left.title()
    finally:
        context.close()
