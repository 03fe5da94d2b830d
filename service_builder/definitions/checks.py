"""Checks across a whole definition: ids, routes, loops and conditions; wires up the routing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from service_builder.conditions import ConditionCompiler, ConditionError
from service_builder.definitions.autocomplete import autocomplete_problems
from service_builder.definitions.schema import (
    CHECK_ANSWERS,
    RESERVED_PAGE_IDS,
    RESERVED_SERVICE_IDS,
    NextRule,
    Page,
    Service,
)
from service_builder.questions import Question

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    path: KeyPath
    message: str


def check_service(service: Service) -> list[Problem]:
    """Every problem in the service, in file order; wires conditions and routes when it is sound."""
    problems = list(_ids(service))
    service._pages_by_id = {}
    for page in service.pages:
        service._pages_by_id.setdefault(page.id, page)
    service._questions_by_id = {}
    for question in service.questions:
        service._questions_by_id.setdefault(question.id, question)
    for index, page in enumerate(service.pages):
        following = service.pages[index + 1].id if index + 1 < len(service.pages) else CHECK_ANSWERS
        page._default_next = following
    problems += _page_kinds(service)
    problems += _conditions(service)
    problems += _gotos(service)
    problems += [Problem(path, message) for path, message in autocomplete_problems(service)]
    if not problems:
        problems += _graph(service)
    return problems


def _ids(service: Service) -> Iterator[Problem]:
    if service.id in RESERVED_SERVICE_IDS:
        yield Problem(("id",), f"'{service.id}' is reserved for the site's own pages")
    seen_pages: set[str] = set()
    seen_questions: set[str] = set()
    for p, page in enumerate(service.pages):
        if page.id in RESERVED_PAGE_IDS:
            yield Problem(("pages", p, "id"), f"'{page.id}' is reserved for the engine's own pages")
        if page.id in seen_pages:
            yield Problem(("pages", p, "id"), f"duplicate page id '{page.id}'")
        seen_pages.add(page.id)
        for q, question in enumerate(page.questions):
            if question.id in seen_questions:
                yield Problem(
                    ("pages", p, "questions", q, "id"), f"duplicate question id '{question.id}'"
                )
            seen_questions.add(question.id)
            for check in question.error_messages:
                if check not in question.checks:
                    yield Problem(
                        ("pages", p, "questions", q, "error_messages", check),
                        f"'{check}' is not a check of a {question.type} question "
                        f"(use: {', '.join(question.checks)})",
                    )


def _page_kinds(service: Service) -> Iterator[Problem]:
    for p, page in enumerate(service.pages):
        if page.type == "question" and not page.questions:
            yield Problem(("pages", p), "a question page needs at least one question")
        if page.type != "question" and page.questions:
            yield Problem(("pages", p, "questions"), f"{_kind(page)} cannot have questions")
        if page.type != "question" and not (page.title and page.body):
            yield Problem(("pages", p), f"{_kind(page)} needs a title and a body")
        if page.type == "exit" and page.next:
            yield Problem(("pages", p, "next"), "an exit page has no way on, so no next rules")
        if len(page.questions) > 1 and not page.title:
            yield Problem(("pages", p), "a page with more than one question needs a title")
        rules = page.next or []
        for r, rule in enumerate(rules[:-1]):
            if rule.when is None:
                yield Problem(
                    ("pages", p, "next", r),
                    "only the last rule may have no 'when': the rules after it never run",
                )


def _kind(page: Page) -> str:
    return {"exit": "an exit page", "content": "a content page"}.get(page.type, "a page")


def _conditions(service: Service) -> Iterator[Problem]:
    compiler = ConditionCompiler(service._questions_by_id)
    page_of = {q.id: index for index, page in enumerate(service.pages) for q in page.questions}
    for p, page in enumerate(service.pages):
        for raw, path, owner in _condition_sites(page, p):
            try:
                condition = compiler.compile(raw, path)
            except ConditionError as error:
                yield Problem(error.path, error.message)
                continue
            for question_id in sorted(condition.question_ids()):
                where = page_of[question_id]
                if where > p or (where == p and not isinstance(owner, NextRule)):
                    yield Problem(
                        path,
                        f"reads '{question_id}', which is asked on "
                        f"{'this' if where == p else 'a later'} page: a condition can "
                        "only read answers from earlier pages",
                    )
            if isinstance(owner, NextRule):
                owner._when = condition
            else:
                owner._show_when = condition


def _condition_sites(
    page: Page, p: int
) -> Iterator[tuple[object, KeyPath, Page | Question | NextRule]]:
    """Each condition on a page, with its key path and the object it belongs to."""
    if page.show_when is not None:
        yield page.show_when, ("pages", p, "show_when"), page
    for q, question in enumerate(page.questions):
        if question.show_when is not None:
            yield question.show_when, ("pages", p, "questions", q, "show_when"), question
    for r, rule in enumerate(page.next or []):
        if rule.when is not None:
            yield rule.when, ("pages", p, "next", r, "when"), rule


def _gotos(service: Service) -> Iterator[Problem]:
    for p, page in enumerate(service.pages):
        for r, rule in enumerate(page.next or []):
            if rule.goto != CHECK_ANSWERS and service.page(rule.goto) is None:
                yield Problem(("pages", p, "next", r, "goto"), f"no page has the id '{rule.goto}'")
            elif rule.goto == page.id:
                yield Problem(("pages", p, "next", r, "goto"), "a page cannot go to itself")


def _graph(service: Service) -> Iterator[Problem]:
    """Unreachable pages and loops, over every route the rules allow."""
    index = {page.id: i for i, page in enumerate(service.pages)}
    edges = {
        page.id: [t for t in page.targets() if t != CHECK_ANSWERS]
        for page in service.pages
        if page.type != "exit"
    }
    reached: set[str] = set()
    stack = [service.pages[0].id]
    while stack:
        page_id = stack.pop()
        if page_id not in reached:
            reached.add(page_id)
            stack.extend(edges.get(page_id, []))
    for page in service.pages:
        if page.id not in reached:
            yield Problem(
                ("pages", index[page.id]), f"page '{page.id}' cannot be reached by any route"
            )
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished

    def visit(page_id: str, trail: list[str]) -> Iterator[Problem]:
        state[page_id] = 1
        for target in edges.get(page_id, []):
            if state.get(target) == 1:
                loop = " -> ".join([*trail[trail.index(target) :], page_id, target])
                yield Problem(("pages", index[page_id], "next"), f"routes loop: {loop}")
            elif target not in state:
                yield from visit(target, [*trail, page_id])
        state[page_id] = 2

    yield from visit(service.pages[0].id, [])
