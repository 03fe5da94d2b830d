"""How much work is one call? An agent completes each example service by keyboard alone in a real
Chromium (Playwright), and we count keystrokes, Tab stops and page loads.

    .venv/bin/python bench/agent_steps.py [--json FILE]

From the staff home to the confirmation: choose the service, (choose the channel), answer the
first route that reaches check-your-answers, agree the declaration, send. Keys are pressed as an
agent would: Tab to each field, type the answer, arrows for radios, Space for checkboxes, Enter
on the button. "Tabs to the first field" is counted on the first question page.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from service_builder import create_app
from service_builder.explorer import Step, explore

EMAIL = "bench.agent@example.com"
PASSWORD = "bench-agent-password-long"
MAX_TABS = 60
FOCUSED_NAME = "document.activeElement && document.activeElement.name"


@dataclass
class Count:
    service: str
    keystrokes: int = 0
    tabs: int = 0
    page_loads: int = 0
    tabs_to_first_field: int = 0
    question_top: int = 0
    """Pixels from the top of the page to the first question's heading (1280 px wide)."""


@contextmanager
def serve(database: str) -> Iterator[str]:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database,
            "SECRET_KEY": "bench",
            "SERVICE_BUILDER_ENV": "test",
            "WTF_CSRF_ENABLED": True,
            "SIGN_IN_RATE_LIMIT": "10000 per minute",
        }
    )
    with app.app_context():
        from service_builder.staff.accounts import save_user

        save_user(EMAIL, PASSWORD, "agent")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


class Agent:
    """Presses keys on a page and counts them."""

    def __init__(self, page: Page, count: Count) -> None:
        self.page = page
        self.count = count

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)
            self.count.keystrokes += 1
            if key == "Tab":
                self.count.tabs += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.count.keystrokes += len(text)

    def tab_to(self, test: str, arg: Any = None) -> int:
        """Tab until the JavaScript test on document.activeElement holds; returns the Tabs."""
        for pressed in range(MAX_TABS + 1):
            if self.page.evaluate(
                f"(arg) => {{ const e = document.activeElement; return {test}; }}", arg
            ):
                return pressed
            self.press("Tab")
        raise RuntimeError(f"never reached {test} {arg} on {self.page.url}")

    def tab_to_field(self, name: str) -> int:
        return self.tab_to("!!e && e.name === arg", name)

    def skip_to(self, name: str) -> int:
        """Use the skip link when it goes straight to the field (Tab, Enter); else Tab on."""
        self.press("Tab")
        target = self.page.evaluate(
            """(name) => { const e = document.activeElement;
            if (!e || !e.classList.contains('govuk-skip-link')) return null;
            const t = document.querySelector(e.getAttribute('href'));
            return t && (t.name === name || !!t.querySelector(`[name='${name}']`)); }""",
            name,
        )
        if target:
            self.press("Enter")
        return 1 + self.tab_to_field(name)

    def submit(self) -> None:
        """Tab to the page's main button and press Enter, waiting for the next page."""
        self.tab_to(
            "!!e && e.tagName === 'BUTTON' && e.closest('main') !== null"
            " && !e.classList.contains('govuk-button--secondary') && e.type === 'submit'"
        )
        with self.page.expect_navigation():
            self.press("Enter")

    def answer(self, step: Step) -> None:
        form = step.form()
        names = self.page.evaluate(
            """(names) => { const seen = [];
            const fields = 'main form input, main form select, main form textarea';
            for (const e of document.querySelectorAll(fields)) {
              if (names.includes(e.name) && !seen.includes(e.name)) seen.push(e.name); }
            return seen; }""",
            list(form),
        )
        for index, name in enumerate(names):
            tabs = self.skip_to(name) if index == 0 else self.tab_to_field(name)
            if index == 0:
                self.count.tabs_to_first_field = self.count.tabs_to_first_field or tabs + 0
            self.fill(name, form[name])

    def fill(self, name: str, value: Any) -> None:
        kind = self.page.evaluate("() => document.activeElement.type")
        values = value if isinstance(value, list) else [value]
        if kind == "radio":
            options = self.page.evaluate(
                "(n) => [...document.querySelectorAll(`input[name='${n}']`)].map(e => e.value)",
                name,
            )
            current = self.page.evaluate("() => document.activeElement.value")
            target, here = options.index(str(values[0])), options.index(current)
            checked = self.page.evaluate("() => document.activeElement.checked")
            if target == here and not checked:
                self.press("Space")
            elif target > here:
                self.press("ArrowDown", target - here)
            elif target < here:
                self.press("ArrowUp", here - target)
        elif kind == "checkbox":
            boxes = self.page.evaluate(
                "(n) => [...document.querySelectorAll(`input[name='${n}']`)]"
                ".map(e => [e.value, e.checked])",
                name,
            )
            wanted = {str(v) for v in values}
            for position, (box, checked) in enumerate(boxes):
                if position:
                    self.tab_to("!!e && e.name === arg[0] && e.value === arg[1]", [name, box])
                if (box in wanted) != checked:
                    self.press("Space")
        elif kind in ("select-one",):
            self.page.select_option(f"select[name='{name}']", str(values[0]))
            self.count.keystrokes += 1
        else:
            existing = self.page.evaluate("() => document.activeElement.value")
            if existing != str(values[0]):
                if existing:
                    self.press("Control+A")
                self.type(str(values[0]))


def complete(page: Page, base: str, service: Any) -> Count:
    count = Count(service.id)
    page.goto(f"{base}/staff/")  # the staff home, where each call starts (counted below)

    def loaded(_: Any) -> None:
        count.page_loads += 1

    page.on("load", loaded)
    count.page_loads = 1
    agent = Agent(page, count)
    if page.evaluate("() => !!document.querySelector(\"input[name='service']\")"):
        agent.tab_to_field("service")  # the home's one-step start (channel remembered)
        agent.fill("service", service.id)
        agent.tab_to_field("contact_channel")
        agent.fill("contact_channel", "phone")
        agent.submit()
    else:
        agent.tab_to("!!e && e.tagName === 'A' && e.textContent.trim() === arg", service.title)
        with page.expect_navigation():
            agent.press("Enter")
    if page.evaluate("() => !!document.querySelector(\"input[name='contact_channel']\")"):
        agent.tab_to_field("contact_channel")
        agent.fill("contact_channel", "phone")
        agent.submit()
    route = next(r for r in explore(service, "staff") if not r.exit_page)
    page.wait_for_load_state()
    count.question_top = round(
        page.evaluate(
            "() => document.querySelector('main h1, main legend, main label')"
            ".getBoundingClientRect().top + window.scrollY"
        )
    )
    for step in route.steps:
        page.wait_for_load_state()
        if step.page.type == "question":
            agent.answer(step)
        agent.submit()
    if page.evaluate("() => !!document.querySelector(\"input[name='declaration_agreed']\")"):
        agent.tab_to_field("declaration_agreed")
        agent.fill("declaration_agreed", ["yes"])
    agent.submit()
    page.remove_listener("load", loaded)
    assert "confirmation" in page.url, page.url
    return count


def measure() -> list[Count]:
    with tempfile.TemporaryDirectory() as folder, serve(f"sqlite:///{folder}/bench.db") as base:
        from flask import current_app  # noqa: F401  (the catalog comes from the app below)

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "SECRET_KEY": "bench",
                "SERVICE_BUILDER_ENV": "test",
            }
        )
        services = sorted(
            app.extensions["service_builder"].catalog.services.values(), key=lambda s: s.id
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
                ],
            )
            page = browser.new_page()
            page.goto(f"{base}/staff/sign-in")
            page.fill("input[name='email']", EMAIL)
            page.fill("input[name='password']", PASSWORD)
            page.click("main button")
            page.wait_for_url(f"{base}/staff/")
            counts = [complete(page, base, service) for service in services]
            browser.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    counts = measure()
    print(f"{'service':40} {'keys':>5} {'tabs':>5} {'loads':>5} {'tabs to 1st field':>17} top")
    for c in counts:
        figures = f"{c.keystrokes:5} {c.tabs:5} {c.page_loads:5} {c.tabs_to_first_field:17}"
        figures += f" {c.question_top}px"
        print(f"{c.service:40} {figures}")
    if args.json:
        args.json.write_text(json.dumps([asdict(c) for c in counts], indent=2))
    sys.exit(0)


if __name__ == "__main__":
    main()
