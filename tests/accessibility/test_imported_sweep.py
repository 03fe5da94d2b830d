"""The accessibility gate over imported services: each fixture format, imported, then swept.

What an import writes is served exactly as a designer would serve it, so its pages go through
the same axe-core checks as the examples' pages.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accessibility.config import installed_axe_version
from accessibility.drivers import PlaywrightDriver
from accessibility.plan import service_plan
from accessibility.report import SweepResult
from accessibility.server import serving, sweep_app
from accessibility.sweep import run_plan
from service_builder.catalog import Catalog
from tests.importers.helpers import V1_FIXTURES, import_all

FOLDER = import_all(V1_FIXTURES)
CATALOG = Catalog.load(FOLDER)
SERVICES = sorted(CATALOG.services.values(), key=lambda s: s.id)


@pytest.fixture(scope="module")
def imported_base_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as work:
        app = sweep_app(FOLDER, f"sqlite:///{Path(work) / 'imported.db'}")
        with serving(app) as base:
            yield base


def test_every_imported_fixture_is_served() -> None:
    assert not CATALOG.refused and len(SERVICES) == len(V1_FIXTURES)


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.id)
def test_every_page_state_of_an_imported_service_passes(
    sweep_page: Any, imported_base_url: str, service: Any
) -> None:
    result = SweepResult(installed_axe_version())
    run_plan(PlaywrightDriver(sweep_page), imported_base_url, service_plan(service), result)
    assert result.checked
    failed = [c for c in result.checked if c.violations or c.problems]
    assert not failed, SweepResult(result.axe_version, failed).describe_failures()
