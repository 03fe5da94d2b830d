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


def test_the_timeout_warning_keeps_focus_and_clears_the_page_at_the_deadline(
    browser: Any, served: tuple[str, Any]
) -> None:
    from accessibility.staff_plan import EMAIL, PASSWORD

    base_url, app = served

    context = browser.new_context(viewport={"width": 1024, "height": 900})
    try:
        page = context.new_page()
        page.clock.install()
        page.goto(f"{base_url}/staff/sign-in")
        fill_page(page, [("email", EMAIL), ("password", PASSWORD)])
        fill_page(page, [("service", "report-fly-tipping"), ("contact_channel", "phone")])
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
