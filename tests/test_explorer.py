"""The explorer: every branch that draws different questions, and repeat pages' item counts."""

from __future__ import annotations

import pytest

from service_builder.catalog import Catalog
from service_builder.definitions import load_definition
from service_builder.explorer import StepNote, explore, step_notes
from tests.conftest import EXAMPLES, FIXTURES

SERVICES = sorted(Catalog.load(EXAMPLES).services.values(), key=lambda s: s.id)


@pytest.mark.parametrize("service", SERVICES, ids=lambda s: s.id)
def test_every_question_is_drawn_by_some_route(service) -> None:  # type: ignore[no-untyped-def]
    drawn = {
        question_id
        for audience in ("resident", "staff")
        for route in explore(service, audience)
        for step in route.steps
        for question_id in step.inputs
    }
    assert [q.id for q in service.questions if q.id not in drawn] == []


def test_an_option_that_reveals_other_questions_on_the_same_pages_is_a_route() -> None:
    """Email or phone: the same pages, different questions; both are drawn (and swept)."""
    service = next(s for s in SERVICES if s.id == "book-bulky-waste")
    drawn = [set(step.inputs) for route in explore(service) for step in route.steps]
    assert any("contact_email" in inputs for inputs in drawn)
    assert any("contact_phone" in inputs for inputs in drawn)


def test_repeat_pages_are_explored_at_each_count_a_condition_names() -> None:
    result = load_definition(FIXTURES / "repeat.yaml")
    assert result.service is not None
    counts = {
        len(step.items)
        for route in explore(result.service)
        for step in route.steps
        if step.page.repeats
    }
    assert counts == {2, 3}  # min_items 2; `count: {eq: 3}` adds 3 (4 is past max_items)
    routes = {route.page_ids for route in explore(result.service)}
    assert ("business", "vehicles", "many", "name") in routes
    assert ("business", "vehicles", "name") in routes


def test_the_preview_notes_what_tells_routes_through_the_same_pages_apart() -> None:
    """Answers, item counts and revealed questions: without them, such routes read alike."""
    result = load_definition(FIXTURES / "repeat.yaml")
    assert result.service is not None
    routes = explore(result.service)
    notes = step_notes(routes)
    listed = {
        (route.page_ids, tuple(note for note in route_notes if note))
        for route, route_notes in zip(routes, notes, strict=True)
    }
    assert len(listed) == len(routes)  # no two routes read alike
    assert {n for route_notes in notes for n in route_notes} == {
        StepNote(),  # the same on every route
        StepNote(items=2),
        StepNote(items=3),
        StepNote(answers=("Yes",)),  # the answer a condition reads, as check answers shows it
        StepNote(answers=("No",)),
    }
    bulky = next(s for s in SERVICES if s.id == "book-bulky-waste")
    said = {note for route_notes in step_notes(explore(bulky)) for note in route_notes}
    assert StepNote(revealed=("Email address",)) in said
    assert StepNote(revealed=("Mobile or telephone number",)) in said
    assert StepNote(answers=("By email",)) in said
    discount = next(s for s in SERVICES if s.id == "council-tax-single-person-discount")
    routes = explore(discount)
    exits = [
        notes for route, notes in zip(routes, step_notes(routes), strict=True) if route.exit_page
    ]
    assert [note.answers for note in exits[0] if note] == [  # what led to the exit page
        ("Yes",),
        ("No, at least one of them is not in these groups",),
    ]
