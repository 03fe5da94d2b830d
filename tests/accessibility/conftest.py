"""A real Chromium (Debian's), one reused context and page, the app served on loopback."""

from __future__ import annotations

import inspect
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accessibility.config import AXE_JS, CHROMIUM, KEEP_OFF_THE_NETWORK, MOBILE_WIDTH
from accessibility.server import serving, sweep_app
from tests.conftest import EXAMPLES

IN_CI = os.environ.get("CI") == "true"


BROWSER_FIXTURES = {
    "browser",
    "page",
    "context",
    "sweep_page",
    "desktop_page",
    "served",
    "base_url",
}
"""Fixtures that start Chromium or the served app: a test that uses one is a browser test."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        asks_for = set(inspect.signature(getattr(item, "obj", lambda: None)).parameters)
        if "tests/accessibility" in str(item.path) and asks_for & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _verify_url() -> None:
    """pytest-base-url's check of the base URL, made a no-op: its autouse fixture asks for
    `base_url`, which would start the served app for tests that need no browser."""


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not CHROMIUM.exists() or not AXE_JS.exists():
        message = f"needs {CHROMIUM} (Debian chromium) and {AXE_JS} (npm ci)"
        if IN_CI:
            pytest.fail(f"the browser tests cannot run: {message}")
        pytest.skip(message)
    return {"executable_path": str(CHROMIUM), "args": [KEEP_OFF_THE_NETWORK]}


@pytest.fixture(scope="session")
def served() -> Iterator[tuple[str, Any]]:
    """The real app with the example services, on 127.0.0.1, with a throwaway database."""
    with tempfile.TemporaryDirectory() as work:
        app = sweep_app(EXAMPLES, f"sqlite:///{Path(work) / 'sweep.db'}")
        with app.app_context():
            from accessibility.staff_plan import prepare_staff

            prepare_staff()
        with serving(app) as base:
            yield base, app


@pytest.fixture(scope="session")
def base_url(served: tuple[str, Any]) -> str:
    return served[0]


@pytest.fixture(scope="session")
def sweep_page(browser: Any) -> Iterator[Any]:
    """One page, reused for every page state: axe-core is added to every document."""
    context = browser.new_context(viewport={"width": MOBILE_WIDTH, "height": 900})
    context.add_init_script(path=str(AXE_JS))
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    yield page
    context.close()
