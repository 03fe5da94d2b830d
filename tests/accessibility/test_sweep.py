"""The accessibility gate inside `make test`: every page state, axe-core in Chromium.

The page states come from the definitions; nothing here names a service.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from accessibility.cli import full_plan
from accessibility.config import (
    RULE_EXCEPTIONS,
    TAGS,
    axe_options,
    installed_axe_version,
    pinned_axe_version,
)
from accessibility.drivers import PlaywrightDriver
from accessibility.plan import service_plan, site_plan
from accessibility.report import SweepResult, write_reports
from accessibility.staff_plan import staff_plan
from accessibility.sweep import run_plan
from service_builder.catalog import Catalog
from tests.conftest import EXAMPLES

CATALOG = Catalog.load(EXAMPLES)
SERVICES = sorted(CATALOG.services.values(), key=lambda s: s.id)
REPORTED = SERVICES[0]
"""The service swept with the site pages by the report test (the others have a test each)."""


def test_every_service_yields_page_states() -> None:
    assert SERVICES
    for service in SERVICES:
        states = [a.check for a in service_plan(service) if a.check]
        kinds = {s.state for s in states}
        assert {"question", "question-error", "check-answers", "confirmation"} <= kinds, service.id
        pages = {s.page for s in states if s.state == "question" and s.page}
        assert pages == {
            p.id
            for p in service.pages
            if p.type in ("question", "repeat") and any(q.audience != "staff" for q in p.questions)
        }, service.id
        notes = {s.note for s in states}
        assert "from a Change link, answers filled in" in notes, service.id
        assert any(n.startswith("from a Change link: ") for n in notes), service.id
        assert "Back after sending: already sent" in notes, service.id


def test_repeat_pages_sweep_the_list_items_remove_and_their_errors() -> None:
    repeats = [(s, p) for s in SERVICES for p in s.pages if p.repeats]
    assert repeats
    for service, page in repeats:
        states = {(a.check.state, a.check.note) for a in service_plan(service) if a.check}
        for expected in [
            ("question", "repeat: item 1"),
            ("question", "repeat: the list"),
            ("question-error", "repeat: add another not answered"),
            ("question", "repeat: remove item"),
            ("question-error", "repeat: remove not answered"),
        ]:
            assert expected in states, (service.id, page.id, expected)
        assert any(state == "question-error" and "item" not in note for state, note in states)


def test_the_full_sweep_runs_at_desktop_width_too() -> None:
    plan = full_plan(CATALOG)
    widths = [a.width for a in plan if a.kind == "resize"]
    assert 1280 in widths and widths[-1] == 320
    desktop = {a.check.state for a in plan if a.check and a.check.note.endswith("(desktop)")}
    assert {"question", "question-error", "check-answers", "confirmation"} <= desktop


def test_the_axe_core_in_use_is_the_pinned_one() -> None:
    assert installed_axe_version() == pinned_axe_version()
    assert pinned_axe_version().startswith("4.")


def test_rule_exceptions_are_justified() -> None:
    for rule, why in RULE_EXCEPTIONS.items():
        assert len(why) > 40, f"exception for {rule} needs a written justification"
    assert TAGS == ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.mark.parametrize("service", SERVICES[1:], ids=lambda s: s.id)
def test_every_page_state_of_the_service_passes(
    sweep_page: Any, base_url: str, service: Any
) -> None:
    _sweep(sweep_page, base_url, service_plan(service))


def test_the_site_pages_and_a_service_pass_and_their_report_has_the_contract_shape(
    sweep_page: Any, base_url: str, tmp_path: Any
) -> None:
    """The site pages and the first service, swept and written as the report. The report is
    made of what this test swept itself: with the tests in several processes (pytest-xdist),
    another test's sweep may run in another process, or after this one."""
    result = _sweep(sweep_page, base_url, service_plan(REPORTED) + site_plan(CATALOG.services))
    write_reports(result, tmp_path / "a11y.json", publish=False)
    report = json.loads((tmp_path / "a11y.json").read_text())
    assert report["axe_version"] == pinned_axe_version()
    assert report["tags"] == TAGS
    assert {"url", "service", "page", "state", "violations"} <= set(report["pages"][0])
    states = {page["state"] for page in report["pages"]}
    assert {
        "start",
        "question",
        "question-error",
        "check-answers",
        "confirmation",
        "site",
    } <= states
    assert (tmp_path / "a11y.html").read_text().startswith("<!DOCTYPE html>")


def test_staff_and_admin_pages_pass(sweep_page: Any, base_url: str) -> None:
    _sweep(sweep_page, base_url, staff_plan(SERVICES))


def _sweep(page: Any, base: str, plan: list[Any]) -> SweepResult:
    result = SweepResult(installed_axe_version())
    run_plan(PlaywrightDriver(page), base, plan, result)
    failed = [c for c in result.checked if c.violations or c.problems]
    assert not failed, SweepResult(result.axe_version, failed).describe_failures()
    return result


def test_the_positive_control_fails(sweep_page: Any, base_url: str) -> None:
    """A deliberately inaccessible page must report violations, or the gate is blind."""
    sweep_page.goto(f"{base_url}/__a11y__/positive-control")
    assert sweep_page.evaluate("axe.version") == pinned_axe_version()
    results = sweep_page.evaluate("o => axe.run(document, o)", axe_options())
    found = {violation["id"] for violation in results["violations"]}
    assert {
        "image-alt",
        "label",
        "html-has-lang",
        "document-title",
        "button-name",
        "link-name",
        "color-contrast",
    } <= found


def test_an_unknown_tag_finds_nothing_which_is_why_the_control_exists(
    sweep_page: Any, base_url: str
) -> None:
    sweep_page.goto(f"{base_url}/__a11y__/positive-control")
    results = sweep_page.evaluate(
        "o => axe.run(document, o)",
        {"runOnly": {"type": "tag", "values": ["wcag22a"]}, "resultTypes": ["violations"]},
    )
    assert results["violations"] == []


def test_full_plan_covers_every_service_and_the_site() -> None:
    plan = full_plan(CATALOG)
    services = {a.check.service for a in plan if a.check and a.check.service}
    assert services == set(CATALOG.services)
    assert any(a.check and a.check.state == "site" for a in plan)


def test_only_a_full_sweep_of_the_examples_is_published(tmp_path: Any) -> None:
    from accessibility.cli import publishes

    assert publishes(EXAMPLES, None)
    assert not publishes(EXAMPLES, "apply-parking-permit")
    assert not publishes(tmp_path, None)
