"""A definition's routing compiled once into typed structures: lookups, conditions, next rules.

`compile_routes` is the only place that turns condition mappings into Conditions. The journey,
the graph, the explorer and the checks all read the `Routes` it returns; nothing is written
back onto the definition's models.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from service_builder.conditions import Condition, ConditionCompiler, ConditionError
from service_builder.definitions.satisfiable import can_hold
from service_builder.definitions.schema import CHECK_ANSWERS, Page, Service
from service_builder.questions import Question

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: KeyPath
    message: str
    changes_routes: bool = False
    """A `next` rule whose condition was refused: it is kept as a rule with no condition, so
    the routes' graph is not what was written (no loops or unreachable pages are told)."""


@dataclass(frozen=True)
class Rule:
    """One `next` rule: go to `goto` when `condition` holds (always, without one)."""

    condition: Condition | None
    goto: str


@dataclass(frozen=True)
class Routes:
    pages: Mapping[str, Page]
    questions: Mapping[str, Question]
    page_of: Mapping[str, str]
    """Question id -> the id of the page that asks it."""
    page_conditions: Mapping[str, Condition]
    """Page id -> its `show_when`."""
    question_conditions: Mapping[str, Condition]
    """Question id -> its `show_when`."""
    rules: Mapping[str, tuple[Rule, ...]]
    default_next: Mapping[str, str]
    """Page id -> the page after it in the list (`check-answers` after the last)."""

    def page_visible(self, page: Page, answers: Mapping[str, Any], audience: str) -> bool:
        """On the route for these answers: its condition holds and it has something to show."""
        condition = self.page_conditions.get(page.id)
        if condition is not None and not condition.holds(answers):
            return False
        return not page.questions or bool(self.questions_for(page, answers, audience))

    def questions_for(
        self, page: Page, answers: Mapping[str, Any], audience: str
    ) -> list[Question]:
        return [q for q in page.questions if self.question_visible(q, answers, audience)]

    def question_visible(
        self, question: Question, answers: Mapping[str, Any], audience: str
    ) -> bool:
        if question.audience not in ("all", audience):
            return False
        condition = self.question_conditions.get(question.id)
        return condition is None or condition.holds(answers)

    def next_page_id(self, page: Page, answers: Mapping[str, Any]) -> str:
        """The page after this one for these answers (`check-answers` ends the questions)."""
        for rule in self.rules.get(page.id, ()):
            if rule.condition is None or rule.condition.holds(answers):
                return rule.goto
        return self.default_next[page.id]

    def targets(self, page: Page) -> list[str]:
        """Every page this one can lead to, whatever the answers."""
        rules = self.rules.get(page.id, ())
        targets = [rule.goto for rule in rules]
        if not rules or rules[-1].condition is not None:
            targets.append(self.default_next[page.id])
        return targets

    def conditions(self) -> Iterator[Condition]:
        yield from self.page_conditions.values()
        yield from self.question_conditions.values()
        for rules in self.rules.values():
            yield from (rule.condition for rule in rules if rule.condition is not None)


SKIPPED = "the page would always be skipped"
HIDDEN = "the question would always be hidden"
NOT_TAKEN = "the rule would never be taken"


def compile_routes(service: Service) -> tuple[Routes, list[Problem]]:
    """The service's routes, and every problem with its conditions (in file order)."""
    return _Compiler(service).run()


class _Compiler:
    def __init__(self, service: Service) -> None:
        self.service = service
        self.pages: dict[str, Page] = {}
        self.questions: dict[str, Question] = {}
        self.page_of: dict[str, str] = {}
        for page in service.pages:
            self.pages.setdefault(page.id, page)
            for question in page.questions:
                self.questions.setdefault(question.id, question)
                self.page_of.setdefault(question.id, page.id)
        repeats = {p.id: [q.id for q in p.questions] for p in service.pages if p.repeats}
        self.items = {p.id: (p.fewest_items, p.most_items) for p in service.pages if p.repeats}
        self.conditions = ConditionCompiler(self.questions, repeats)
        ids = [page.id for page in service.pages]
        self.index = {page_id: i for i, page_id in reversed(list(enumerate(ids)))}
        self.default_next = {
            page_id: (ids[i + 1] if i + 1 < len(ids) else CHECK_ANSWERS)
            for i, page_id in enumerate(ids)
        }
        self.problems: list[Problem] = []

    def run(self) -> tuple[Routes, list[Problem]]:
        page_conditions: dict[str, Condition] = {}
        question_conditions: dict[str, Condition] = {}
        rules: dict[str, tuple[Rule, ...]] = {}
        for p, page in enumerate(self.service.pages):
            shown = self.compile(page.show_when, ("pages", p, "show_when"), p, SKIPPED)
            if shown is not None:
                page_conditions.setdefault(page.id, shown)
            for q, question in enumerate(page.questions):
                path = ("pages", p, "questions", q, "show_when")
                shown = self.compile(question.show_when, path, p, HIDDEN)
                if shown is not None:
                    question_conditions.setdefault(question.id, shown)
            rules.setdefault(
                page.id,
                tuple(
                    Rule(
                        self.compile(
                            rule.when, ("pages", p, "next", r, "when"), p, NOT_TAKEN, True
                        ),
                        rule.goto,
                    )
                    for r, rule in enumerate(page.next or [])
                ),
            )
        routes = Routes(
            self.pages,
            self.questions,
            self.page_of,
            page_conditions,
            question_conditions,
            rules,
            self.default_next,
        )
        return routes, self.problems

    def compile(
        self, raw: Any, path: KeyPath, p: int, never: str, same_page_ok: bool = False
    ) -> Condition | None:
        """A condition, checked to read only earlier pages (`next` rules: this page too) and to
        be able to hold (`never`: what it would mean if it could not)."""
        if raw is None:
            return None
        try:
            condition = self.conditions.compile(raw, path)
        except ConditionError as error:
            self.problems.append(Problem(error.path, error.message, changes_routes=same_page_ok))
            return None
        for name in sorted(condition.question_ids()):
            where = self.index[self.page_of.get(name, name)]
            if where > p or (where == p and not same_page_ok):
                self.problems.append(
                    Problem(
                        path,
                        f"reads '{name}', which is asked on "
                        f"{'this' if where == p else 'a later'} page: a condition can "
                        "only read answers from earlier pages",
                    )
                )
        if not can_hold(condition, self.questions, self.items):
            self.problems.append(Problem(path, f"can never hold ({condition.describe()}): {never}"))
        return condition
