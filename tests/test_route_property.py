"""Property: whatever Changes a person makes, what is submitted is what a person who gave
only the final on-route answers would submit (conditions never read off-route answers)."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service_builder.definitions import Service
from service_builder.definitions.loader import load_text
from service_builder.journey import DraftState, Journey

VALUES = ["a", "b", "c"]


@st.composite
def definitions(draw: st.DrawFn) -> dict[str, Any]:
    """A small service: one question a page, conditions only on earlier answers, jumps
    only forwards (so every definition is valid)."""
    count = draw(st.integers(min_value=2, max_value=6))
    pages: list[dict[str, Any]] = []
    for index in range(count):
        question: dict[str, Any] = {
            "id": f"q{index}",
            "type": "radios",
            "label": f"Question {index}?",
            "options": VALUES,
            "required": draw(st.booleans()),
        }
        page: dict[str, Any] = {"id": f"p{index}", "questions": [question]}
        if index > 0 and draw(st.booleans()):
            page["show_when"] = draw(conditions(index - 1))
        if index + 2 < count and draw(st.booleans()):
            target = draw(st.integers(min_value=index + 2, max_value=count - 1))
            page["next"] = [{"when": draw(conditions(index)), "goto": f"p{target}"}]
        pages.append(page)
    return {"id": "property", "title": "Property", "pages": pages}


def conditions(last: int) -> st.SearchStrategy[dict[str, Any]]:
    """A condition on one of the questions q0 … q{last}."""
    question = st.integers(min_value=0, max_value=last).map(lambda i: f"q{i}")
    value = st.sampled_from(VALUES)
    test = st.one_of(
        value,
        value.map(lambda v: {"ne": v}),
        st.booleans().map(lambda b: {"answered": b}),
    )
    return st.tuples(question, test).map(lambda pair: {pair[0]: pair[1]})


def load(data: dict[str, Any]) -> Service:
    result = load_text(yaml.safe_dump(data, sort_keys=False), "property.yaml")
    assert result.service is not None, [str(error) for error in result.errors]
    return result.service


def answer(journey: Journey, page_id: str, values: list[str | None]) -> None:
    """Answer a page's visible questions (a required question left blank gets "a")."""
    page = journey.service.page(page_id)
    assert page is not None
    given_values: dict[str, Any] = {}
    for question in journey.questions(page):
        value = values[int(question.id[1:])]
        given_values[question.id] = "a" if value is None and question.required else value
    journey.record(page, given_values)


def finish(journey: Journey, values: list[str | None]) -> None:
    """Answer every page the route still needs, as the person would."""
    for _ in range(len(journey.service.pages) + 1):
        if journey.complete:
            return
        answer(journey, journey.next_step, values)
    raise AssertionError("the route never completed")


history = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),
        st.lists(st.sampled_from([*VALUES, None]), min_size=6, max_size=6),
    ),
    max_size=8,
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(definitions(), st.lists(st.sampled_from([*VALUES, None]), min_size=6, max_size=6), history)
def test_changes_submit_what_the_final_answers_alone_would(
    data: dict[str, Any],
    first: list[str | None],
    changes: list[tuple[int, list[str | None]]],
) -> None:
    service = load(data)
    journey = Journey(service, DraftState(), "resident")
    finish(journey, first)
    for position, values in changes:  # Change links: any page on the route, any answers
        route = [page.id for page in journey.route]
        answer(journey, route[position % len(route)], values)
        finish(journey, values)
    submitted = journey.submission_answers()

    fresh = Journey(service, DraftState(), "resident")
    final = [submitted.get(f"q{i}") for i in range(6)]
    finish(fresh, final)
    assert fresh.submission_answers() == submitted
    assert [p.id for p in fresh.route] == [p.id for p in journey.route]
    # Nothing stored off the route leaks into what is shown or submitted.
    on_route = {q.id for page in journey.route for q in journey.questions(page)}
    assert set(submitted) <= on_route
    assert [row.question.id for row in journey.summary()] == list(submitted)


def test_the_pet_story_from_the_issue() -> None:
    """Yes to a pet, then dog, then a name; then Change to no pet: the name is not asked,
    shown or submitted, though the stored 'dog' would satisfy its condition."""
    service = load(
        {
            "id": "pets",
            "title": "Pets",
            "pages": [
                {
                    "id": "has-pet",
                    "questions": [{"id": "has_pet", "type": "yes_no", "label": "Pet?"}],
                },
                {
                    "id": "kind",
                    "show_when": {"has_pet": "yes"},
                    "questions": [
                        {
                            "id": "kind",
                            "type": "radios",
                            "label": "Kind?",
                            "options": ["dog", "cat"],
                        }
                    ],
                },
                {
                    "id": "dog-name",
                    "show_when": {"kind": "dog"},
                    "questions": [{"id": "dog_name", "type": "text", "label": "Dog's name?"}],
                },
                {"id": "end", "questions": [{"id": "end", "type": "yes_no", "label": "Done?"}]},
            ],
        }
    )
    journey = Journey(service, DraftState(), "resident")
    for page_id, values in [
        ("has-pet", {"has_pet": "yes"}),
        ("kind", {"kind": "dog"}),
        ("dog-name", {"dog_name": "Rex"}),
        ("end", {"end": "yes"}),
        ("has-pet", {"has_pet": "no"}),
    ]:
        page = service.page(page_id)
        assert page is not None
        journey.record(page, values)
    assert [page.id for page in journey.route] == ["has-pet", "end"]
    assert journey.complete
    assert journey.submission_answers() == {"has_pet": "no", "end": "yes"}
