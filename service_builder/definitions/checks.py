"""Checks across a whole definition: ids, page kinds, gotos, reachability and loops."""

from __future__ import annotations

import re
from collections.abc import Iterator

from service_builder.definitions.autocomplete import autocomplete_problems
from service_builder.definitions.payment import compile_fees
from service_builder.definitions.routes import KeyPath, Problem, Routes, compile_routes
from service_builder.definitions.schema import (
    CHECK_ANSWERS,
    RESERVED_PAGE_IDS,
    RESERVED_SERVICE_IDS,
    SAVE_AND_RETURN_PAGE_IDS,
    Page,
    Service,
)
from service_builder.suggest import did_you_mean

__all__ = ["KeyPath", "Problem", "check_service"]


def check_service(service: Service) -> tuple[list[Problem], Routes]:
    """Every problem in the service, in file order, and its compiled routes."""
    routes, condition_problems = compile_routes(service)
    structure = [*_ids(service), *_page_kinds(service)]
    gotos = list(_gotos(service))
    problems = [*structure, *condition_problems, *gotos]
    problems += _after_submission(service)
    problems += [Problem(path, message) for path, message in autocomplete_problems(service)]
    problems += [Problem(path, message) for path, message in compile_fees(service)[1]]
    # a duplicate page id, a page of the wrong kind, a bad goto or a rule's refused condition
    # make the routes' graph not the one written: its loops and unreachable pages would be
    # guesses
    if not (structure or gotos or any(p.changes_routes for p in condition_problems)):
        problems += _graph(service, routes)
    return problems, routes


def _ids(service: Service) -> Iterator[Problem]:
    if service.id in RESERVED_SERVICE_IDS:
        yield Problem(("id",), f"'{service.id}' is reserved for the site's own pages")
    seen_pages: set[str] = set()
    seen_questions: dict[str, str] = {}  # question id -> the page that first asks it
    for p, page in enumerate(service.pages):
        if page.id in RESERVED_PAGE_IDS:
            yield Problem(("pages", p, "id"), f"'{page.id}' is reserved for the engine's own pages")
        if service.save_and_return and page.id in SAVE_AND_RETURN_PAGE_IDS:
            yield Problem(("pages", p, "id"), f"'{page.id}' is reserved for save and return")
        if page.id in seen_pages:
            yield Problem(("pages", p, "id"), f"duplicate page id '{page.id}'")
        seen_pages.add(page.id)
        for q, question in enumerate(page.questions):
            if question.id in seen_questions:
                first = seen_questions[question.id]
                where = "this page" if first == page.id else f"page '{first}'"
                yield Problem(
                    ("pages", p, "questions", q, "id"),
                    f"duplicate question id '{question.id}': {where} already asks it",
                )
            seen_questions.setdefault(question.id, page.id)
            for check in question.error_messages:
                if check not in question.checks:
                    yield Problem(
                        ("pages", p, "questions", q, "error_messages", check),
                        f"'{check}' is not a check of a {question.type} question "
                        f"(use: {', '.join(question.checks)})",
                    )


def _page_kinds(service: Service) -> Iterator[Problem]:
    for p, page in enumerate(service.pages):
        asks = page.type in ("question", "repeat")
        if asks and not page.questions:
            yield Problem(("pages", p), f"{_kind(page)} needs at least one question")
        if not asks and page.questions:
            yield Problem(("pages", p, "questions"), f"{_kind(page)} cannot have questions")
        if not asks and not (page.title and page.body):
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

    yield from _repeat_pages(service)
    yield from _address_lookups(service)


def _address_lookups(service: Service) -> Iterator[Problem]:
    """An address found by postcode takes its page through several states of its own, so
    it is the page's only question, and not on a repeat page."""
    for p, page in enumerate(service.pages):
        for q, question in enumerate(page.questions):
            if not getattr(question, "lookup", False):
                continue
            if page.repeats:
                yield Problem(
                    ("pages", p, "questions", q, "lookup"), "lookup is not for repeat pages"
                )
            elif len(page.questions) > 1:
                yield Problem(
                    ("pages", p, "questions", q, "lookup"),
                    "an address question with lookup must be the only question on its page",
                )


def _repeat_pages(service: Service) -> Iterator[Problem]:
    """`type: repeat` keys: only on repeat pages, and a list page that can be headed and
    ended; the page's id is what conditions name, so no question may share it."""
    question_ids = {q.id for q in service.questions}
    for p, page in enumerate(service.pages):
        keys = [k for k in ("item_name", "min_items", "max_items") if getattr(page, k) is not None]
        if page.type != "repeat":
            for key in keys:
                yield Problem(("pages", p, key), f"'{key}' is only for pages of type: repeat")
            continue
        if page.max_items is None:
            yield Problem(("pages", p), "a repeat page needs max_items (at most 50)")
        elif page.fewest_items > page.max_items:
            yield Problem(("pages", p, "min_items"), "min_items is more than max_items")
        if not page.title:
            yield Problem(("pages", p), "a repeat page needs a title: the list page's heading")
        if page.id in question_ids:
            yield Problem(("pages", p, "id"), f"'{page.id}' is also a question id")
        for q, question in enumerate(page.questions):
            if question.type == "file":  # one upload per question and page, not per item
                yield Problem(
                    ("pages", p, "questions", q, "type"), "a repeat page cannot ask for a file"
                )


def _kind(page: Page) -> str:
    return {
        "exit": "an exit page",
        "content": "a content page",
        "question": "a question page",
        "repeat": "a repeat page",
    }.get(page.type, "a page")


def _gotos(service: Service) -> Iterator[Problem]:
    for p, page in enumerate(service.pages):
        for r, rule in enumerate(page.next or []):
            if rule.goto != CHECK_ANSWERS and service.page(rule.goto) is None:
                known = [other.id for other in service.pages] + [CHECK_ANSWERS]
                yield Problem(
                    ("pages", p, "next", r, "goto"),
                    f"no page has the id '{rule.goto}'{did_you_mean(rule.goto, known)}",
                )
            elif rule.goto == page.id:
                yield Problem(("pages", p, "next", r, "goto"), "a page cannot go to itself")


def _graph(service: Service, routes: Routes) -> Iterator[Problem]:
    """Unreachable pages and loops, over every route the rules allow."""
    index = {page.id: i for i, page in enumerate(service.pages)}
    edges = {
        page.id: [t for t in routes.targets(page) if t != CHECK_ANSWERS]
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


def _after_submission(service: Service) -> Iterator[Problem]:
    """The `notify` keys name an email question and come with the templates they need."""
    notify = service.notify
    if service.save_and_return and (notify is None or not notify.save_template):
        yield Problem(
            ("save_and_return",),
            "save and return sends its link by email: add 'notify.save_template'",
        )
    if notify is None:
        return
    if notify.email_question is not None:
        question = service.question(notify.email_question)
        if question is None:
            ids = [q.id for q in service.questions]
            yield Problem(
                ("notify", "email_question"),
                f"no question has the id '{notify.email_question}'"
                + did_you_mean(notify.email_question, ids),
            )
        elif question.type != "email":
            yield Problem(
                ("notify", "email_question"),
                f"'{notify.email_question}' is a {question.type} question, not an email question",
            )
    resident_templates = notify.confirmation_template or notify.status_template
    if resident_templates and notify.email_question is None:
        yield Problem(("notify",), "resident emails need an 'email_question'")
    if notify.email_question is not None and not (resident_templates or notify.save_template):
        yield Problem(
            ("notify",), "an 'email_question' needs a 'confirmation_template' or 'status_template'"
        )
    if bool(notify.team_email) != bool(notify.team_template):
        yield Problem(("notify",), "'team_email' and 'team_template' go together")
    if notify.team_email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", notify.team_email):
        yield Problem(("notify", "team_email"), f"'{notify.team_email}' is not an email address")
