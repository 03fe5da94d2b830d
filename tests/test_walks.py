"""The route walk kept per process and resumed after a change (service_builder/walks.py)
gives exactly what walking from the first page, with a copy of the answers per page, gives."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_builder.definitions import Service
from service_builder.definitions.schema import Page
from service_builder.journey import DraftState, Journey
from service_builder.walks import Walk, walks
from tests.test_route_property import VALUES, definitions, load


def walked_afresh(journey: Journey) -> tuple[list[str], dict[str, Any], dict[str, dict[str, Any]]]:
    """The walk as it was first written: from the first page, a copy of the answers per page."""
    service, routes, state = journey.service, journey.routes, journey.state
    on_route: dict[str, Any] = {}
    before: dict[str, dict[str, Any]] = {}
    pages: list[str] = []
    page: Page | None = service.pages[0]
    while page is not None and page.id not in before:
        if routes.page_visible(page, on_route, journey.audience):
            pages.append(page.id)
            before[page.id] = dict(on_route)
            questions = routes.questions_for(page, before[page.id], journey.audience)
            finished = page.id in state.completed and all(
                q.id in state.answers for q in questions if q.required
            )
            if page.type == "exit" or not finished:
                break
            on_route.update({q.id: state.answers[q.id] for q in questions if q.id in state.answers})
        page = service.page(routes.next_page_id(page, on_route))
    return pages, on_route, before


def same_as_afresh(journey: Journey) -> None:
    pages, answers, before = walked_afresh(journey)
    assert [page.id for page in journey.route] == pages
    assert journey.answers == answers
    for page in journey.route:
        assert dict(journey._before(page)) == before[page.id]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    definitions(),
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=5),
            st.sampled_from([*VALUES, None]),
            st.booleans(),
        ),
        max_size=12,
    ),
)
def test_kept_and_resumed_walks_match_a_walk_from_the_first_page(
    data: dict[str, Any], changes: list[tuple[int, str | None, bool]]
) -> None:
    service: Service = load(data)
    journey = Journey(service, DraftState(), "resident")
    route = journey.route
    for place, value, walk_after in changes:
        page = route[min(place, len(route) - 1)]
        question = page.questions[0]
        journey.record(page, {question.id: value} if value or question.required else {})
        if not walk_after:  # two changes in a row: the next lands on this one's resume point
            continue
        same_as_afresh(journey)  # walked (or found) after the change, so the next resumes
        route = journey.route
        again = Journey(service, DraftState.from_json(journey.state.to_json()), "resident")
        same_as_afresh(again)  # found in the cache: the same walk
        walks.walks.clear()
        same_as_afresh(Journey(service, DraftState.from_json(journey.state.to_json()), "staff"))
    same_as_afresh(journey)


def test_an_id_given_twice_is_seen_as_it_was_by_each_page() -> None:
    first, second, third = (SimpleNamespace(id=name) for name in ("one", "two", "three"))
    walk = Walk(service=None)  # type: ignore[arg-type]
    walk.add(first)  # type: ignore[arg-type]
    walk.give({"shared": 1, "a": "x"})
    walk.add(second)  # type: ignore[arg-type]
    walk.give({"shared": 2})
    walk.add(third)  # type: ignore[arg-type]
    assert dict(walk.before("one")) == {}
    assert dict(walk.before("two")) == {"shared": 1, "a": "x"}
    assert dict(walk.before("three")) == {"shared": 2, "a": "x"}
    resumed = walk.up_to("three")
    assert dict(resumed.before("two")) == {"shared": 1, "a": "x"}
    assert resumed.answers == {"shared": 2, "a": "x"}
