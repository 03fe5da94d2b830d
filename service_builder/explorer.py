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

from markupsafe import Markup

from service_builder.conditions import AllOf, Answered, AnyOf, Compare, Condition, Count, Not
from service_builder.definitions import Service
from service_builder.definitions.schema import Page
from service_builder.journey import DraftState, Journey
from service_builder.questions import Question, Raw

MAX_NODES = 20_000


@dataclass(frozen=True)
class Step:
    page: Page
    inputs: dict[str, Raw]
    """Raw form input for each visible question on the page (empty for content pages; for a
    repeat page, the input of every item, which `items` holds)."""
    items: tuple[dict[str, Raw], ...] = ()
    """A repeat page's items, each its questions' raw input, in order."""

    def form(self) -> dict[str, Any]:
        """The POST body for this step (a repeat page: its list page, saying no more)."""
        if self.page.repeats:
            return {"add_another": "no"} if len(self.items) < self.page.most_items else {}
        return _body(self.inputs)

    def item_form(self, number: int) -> dict[str, Any]:
        """The POST body for item `number` (1, 2, …) of a repeat page."""
        return _body(self.items[number - 1])

    def apply(self, journey: Journey) -> None:
        """Give this step's answers, as a person would (the admin preview starts here)."""
        questions = {q.id: q for q in self.page.questions}
        if self.page.repeats:
            for number, item in enumerate(self.items, start=1):
                values = {qid: questions[qid].clean(raw) for qid, raw in item.items()}
                journey.record_item(self.page, number, values)
            journey.finish(self.page)
        elif self.page.type != "exit":
            journey.record(
                self.page, {qid: questions[qid].clean(raw) for qid, raw in self.inputs.items()}
            )

    @property
    def key(self) -> tuple[str, tuple[str, ...], int]:
        """What makes a step look different: its page, the questions drawn, the items."""
        questions = self.items[0] if self.items else self.inputs
        return self.page.id, tuple(questions), len(self.items)


def _body(inputs: dict[str, Raw]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for raw in inputs.values():
        body.update(raw)
    return body


@dataclass(frozen=True)
class Route:
    steps: tuple[Step, ...]
    ends_in: str
    """`check-answers`, or the id of the exit page the route stops at."""
    answers: dict[str, Any]
    """The answers on the route, as they would be sent (up to its exit page: those that led
    there, never sent)."""

    @property
    def page_ids(self) -> tuple[str, ...]:
        return tuple(step.page.id for step in self.steps)

    @property
    def exit_page(self) -> bool:
        return self.ends_in != "check-answers"


def explore(service: Service, audience: str = "resident") -> list[Route]:
    """Distinct routes, in the order first found. Routes are told apart by the pages they pass
    through and by the questions each page draws, so every option that reveals different
    questions (a phone number instead of an email address) is drawn by some route."""
    return _explore(service, audience)[0]


@dataclass(frozen=True)
class StepNote:
    """What tells a step apart from the same page on other routes (the admin preview's list
    says it in words): nothing, when the page looks the same on every route."""

    items: int | None = None
    """A repeat page's number of items."""
    revealed: tuple[str, ...] | None = None
    """The labels of the questions it draws that it does not draw on every route (an
    option's revealed question); () when it draws none of those."""
    answers: tuple[str, ...] = ()
    """Its answers that differ between routes (those some condition reads), as check your
    answers shows them."""

    def __bool__(self) -> bool:
        return self.items is not None or self.revealed is not None or bool(self.answers)


def step_notes(routes: list[Route]) -> list[list[StepNote]]:
    """Each route's steps' notes (`StepNote`): without them, routes that differ only in an
    answer, a revealed question or a number of items would read alike in the preview."""
    looks: dict[str, set[_Look]] = {}
    for route in routes:
        for step in route.steps:
            looks.setdefault(step.page.id, set()).add(_look(step, route))
    return [[_note(step, route, looks[step.page.id]) for step in route.steps] for route in routes]


_Look = tuple[tuple[str, ...], int, tuple[tuple[str, str], ...]]
"""A step as the preview lists it: the questions drawn, the items, and the answers given."""


def _look(step: Step, route: Route) -> _Look:
    questions = step.key[1]
    answers = () if step.page.repeats else tuple((q, repr(route.answers.get(q))) for q in questions)
    return questions, len(step.items), answers


def _note(step: Step, route: Route, looks: set[_Look]) -> StepNote:
    if len(looks) < 2:
        return StepNote()
    if step.page.repeats:
        return StepNote(items=len(step.items))
    questions = {q.id: q for q in step.page.questions}
    drawn = step.key[1]
    revealed = None
    if len({look[0] for look in looks}) > 1:
        everywhere = set.intersection(*(set(look[0]) for look in looks))
        revealed = tuple(str(questions[qid].label) for qid in drawn if qid not in everywhere)
    answers = []
    for qid in drawn:
        given = {dict(look[2]).get(qid) for look in looks if qid in look[0]}
        if len(given) > 1 and route.answers.get(qid) is not None:
            shown = questions[qid].display(route.answers[qid])
            answers.append(shown.striptags() if isinstance(shown, Markup) else str(shown))
    return StepNote(revealed=revealed, answers=tuple(answers))


def pages_never_shown(service: Service) -> list[str] | None:
    """The ids of pages no route shows, to residents or staff; None when the routes were too
    many to walk them all (nothing can then be said of the rest)."""
    shown: set[str] = set()
    for audience in ("resident", "staff"):
        routes, complete = _explore(service, audience)
        if not complete:
            return None
        shown.update(page_id for route in routes for page_id in route.page_ids)
    return [page.id for page in service.pages if page.id not in shown]


def _explore(service: Service, audience: str) -> tuple[list[Route], bool]:
    """The routes, and whether every one was walked (within MAX_NODES steps)."""
    interesting = _compared_values(service)
    routes: dict[tuple[Any, ...], Route] = {}
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
            _keep(routes, Route((*steps, Step(page, {})), page.id, journey.submission_answers()))
            return
        questions = journey.questions(page)
        choices = [_examples(q, interesting) for q in questions]
        if page.repeats:
            item = {q.id: raws[0] for q, raws in zip(questions, choices, strict=True)}
            steps_taken = [
                Step(page, item, (item,) * count)
                for count in _item_counts(page, interesting.get(page.id, []))
            ]
        else:
            steps_taken = [
                Step(page, dict(zip((q.id for q in questions), combination, strict=True)))
                for combination in product(*choices)
            ]
        for step in steps_taken:
            next_state = copy.deepcopy(state)
            step.apply(Journey(service, next_state, audience))
            walk(next_state, (*steps, step))

    walk(DraftState(), ())
    return list(routes.values()), budget[0] >= 0


def _keep(routes: dict[tuple[Any, ...], Route], route: Route) -> None:
    routes.setdefault(tuple(step.key for step in route.steps), route)


def _item_counts(page: Page, compared: list[Any]) -> list[int]:
    """How many items to add: the fewest, and each side of every count a condition names."""
    low, high = max(page.fewest_items, 1), page.most_items
    counts = {low}
    for value in compared:
        counts |= {value - 1, value, value + 1}
    return sorted(c for c in counts if low <= c <= high)


def _examples(question: Question, interesting: dict[str, list[Any]]) -> list[Raw]:
    examples = question.example_inputs(interesting.get(question.id, []))
    if question.id not in interesting:
        return examples[:1]
    return examples if question.required else [*examples, question.blank()]


def _compared_values(service: Service) -> dict[str, list[Any]]:
    """Question id -> the values conditions compare it with (empty list: only answered)."""
    found: dict[str, list[Any]] = {}
    for condition in service.routes.conditions():
        for leaf in _leaves(condition):
            if isinstance(leaf, Count):
                found.setdefault(leaf.page_id, []).append(leaf.value)
                continue
            values = found.setdefault(leaf.question_id, [])
            if isinstance(leaf, Compare):
                values += leaf.value if isinstance(leaf.value, list) else [leaf.value]
    return found


def _leaves(condition: Condition) -> Iterator[Compare | Answered | Count]:
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from _leaves(part)
    elif isinstance(condition, Not):
        yield from _leaves(condition.part)
    else:
        yield condition
