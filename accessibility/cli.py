"""`service-builder a11y`: the whole sweep with Selenium, a JSON and an HTML report."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from accessibility.config import CHROMEDRIVER, CHROMIUM, ROOT, installed_axe_version
from accessibility.plan import DESKTOP_WIDTH, Action, at_width, service_plan, site_plan
from accessibility.report import SweepResult, write_reports
from accessibility.server import serving, sweep_app
from accessibility.sweep import run_plan, timed
from service_builder.catalog import Catalog


class SweepUnavailable(RuntimeError):
    """The sweep cannot run here (no browser, no axe-core, or nothing to check)."""


def full_plan(catalog: Catalog, service_id: str | None = None) -> list[Action]:
    """Every page state: all services (or one) and, for a full sweep, the site's pages."""
    from accessibility.staff_plan import staff_plan

    services = sorted(catalog.services.values(), key=lambda s: s.id)
    if service_id is not None:
        services = [s for s in services if s.id == service_id]
        if not services:
            raise SweepUnavailable(f"no valid service with the id '{service_id}'")
    actions: list[Action] = []
    for service in services:
        plan = service_plan(service)
        if not any(action.check for action in plan):
            raise SweepUnavailable(f"{service.id} yields no page states")
        actions += plan + at_width(plan, DESKTOP_WIDTH, "desktop")
    if service_id is None:
        actions += site_plan(catalog.services)
    actions += staff_plan(services, site_pages=service_id is None)
    return actions


def publishes(definitions: Path, service_id: str | None) -> bool:
    """Only a full sweep of the product's own services is what the accessibility statement
    publishes; a sweep of one service, or of other definitions, must not overwrite it."""
    return service_id is None and definitions.resolve() == (ROOT / "form_definitions").resolve()


def run_selenium_sweep(
    definitions: Path, service_id: str | None, report: Path | None
) -> SweepResult:
    for needed in (CHROMIUM, CHROMEDRIVER):
        if not needed.exists():
            raise SweepUnavailable(
                f"{needed} is missing: install Debian's chromium and chromium-driver (make browser)"
            )
    from accessibility.drivers import SeleniumDriver

    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        app = sweep_app(definitions, f"sqlite:///{Path(work) / 'sweep.db'}")
        catalog = app.extensions["service_builder"].catalog
        plan = full_plan(catalog, service_id)
        result = SweepResult(installed_axe_version())
        driver = SeleniumDriver()
        try:
            with app.app_context():
                from accessibility.staff_plan import prepare_staff

                prepare_staff()
            with serving(app) as base:
                run_plan(driver, base, plan, result)
        finally:
            driver.close()
    timed(result, started)
    write_reports(result, report, publish=publishes(definitions, service_id))
    return result
