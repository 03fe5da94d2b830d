"""Every distinct route through a service, with example answers that take it.

Used by the accessibility sweep, the generic walker tests and the admin preview. Only the
answers that some condition reads are varied; the others take one example each.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from service_builder.conditions import AllOf, Answered, AnyOf, Compare, Condition, Not
from service_builder.definitions import Service
from service_builder.definitions.schema import Page
from service_builder.journey import DraftState, Journey
from service_builder.questions import Question, Raw

MAX_NODES = 20_000


@dataclass(frozen=True)
class Step:
    page: Page
    inputs: dict[str, Raw]
    """Raw form input for each visible question on the page (empty for content pages)."""

    def form(self) -> dict[str, Any]:
        """The POST body for this step."""
        body: dict[str, Any] = {}
        for raw in self.inputs.values():
            body.update(raw)
        return body


@dataclass(frozen=True)
class Route:
    steps: tuple[Step, ...]
    ends_in: str
    """`check-answers`, or the id of the exit page the route stops at."""
    answers: dict[str, Any]

    @property
    def page_ids(self) -> tuple[str, ...]:
        return tuple(step.page.id for step in self.steps)

    @property
    def exit_page(self) -> bool:
        return self.ends_in != "check-answers"


def explore(service: Service, audience: str = "resident") -> list[Route]:
    """Distinct routes (by the pages they pass through), in the order first found."""
    interesting = _compared_values(service)
    routes: dict[tuple[str, ...], Route] = {}
    budget = [MAX_NODES]

    def walk(state: DraftState, steps: tuple[Step, ...]) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            return
        journey = Journey(service, state, audience)
        if journey.complete:
            _keep(routes, Route(steps, "check-answers", journey.submission_answers()))
            return
        page = journey.route[-1]
        if page.type == "exit":
            _keep(routes, Route((*steps, Step(page, {})), page.id, {}))
            return
        questions = journey.questions(page)
        choices = [_examples(q, interesting) for q in questions]
        for combination in product(*choices):
            inputs = {q.id: raw for q, raw in zip(questions, combination, strict=True)}
            next_state = copy.deepcopy(state)
            following = Journey(service, next_state, audience)
            following.record(page, {q.id: q.clean(inputs[q.id]) for q in questions})
            walk(next_state, (*steps, Step(page, inputs)))

    walk(DraftState(), ())
    return list(routes.values())


def _keep(routes: dict[tuple[str, ...], Route], route: Route) -> None:
    routes.setdefault(route.page_ids, route)


def _examples(question: Question, interesting: dict[str, list[Any]]) -> list[Raw]:
    examples = question.example_inputs(interesting.get(question.id, []))
    if question.id not in interesting:
        return examples[:1]
    return examples if question.required else [*examples, question.blank()]


def _compared_values(service: Service) -> dict[str, list[Any]]:
    """Question id -> the values conditions compare it with (empty list: only answered)."""
    found: dict[str, list[Any]] = {}
    for condition in _conditions(service):
        for leaf in _leaves(condition):
            values = found.setdefault(leaf.question_id, [])
            if isinstance(leaf, Compare):
                values += leaf.value if isinstance(leaf.value, list) else [leaf.value]
    return found


def _conditions(service: Service) -> Iterator[Condition]:
    for page in service.pages:
        if page._show_when is not None:
            yield page._show_when
        for question in page.questions:
            if question._show_when is not None:
                yield question._show_when  # type: ignore[misc]
        for rule in page.next or []:
            if rule._when is not None:
                yield rule._when


def _leaves(condition: Condition) -> Iterator[Compare | Answered]:
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from _leaves(part)
    elif isinstance(condition, Not):
        yield from _leaves(condition.part)
    else:
        yield condition
