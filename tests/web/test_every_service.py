"""Every service in form_definitions/, walked over HTTP along every route it allows.

Nothing here names a service: a definition added to the folder is tested at once.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.catalog import Catalog
from service_builder.definitions import Service
from service_builder.explorer import Route, explore
from service_builder.models import Submission, db
from service_builder.questions import AnswerError, Question
from service_builder.questions.files import ExampleFile
from tests.conftest import EXAMPLES
from tests.html_checks import parse_page
from tests.web.walker import Walker, as_post, assert_stored_shape, without_file_ids

CATALOG = Catalog.load(EXAMPLES)
SERVICES = sorted(CATALOG.services.values(), key=lambda service: service.id)
ROUTES = [(service, route) for service in SERVICES for route in explore(service, "resident")]


def test_the_examples_folder_is_valid_and_not_empty() -> None:
    assert not CATALOG.refused, [str(e) for r in CATALOG.refused for e in r.errors]
    assert len(SERVICES) >= 4


def test_every_page_of_every_service_is_on_some_route() -> None:
    for service in SERVICES:
        reached = {
            page_id
            for audience in ("resident", "staff")
            for route in explore(service, audience)
            for page_id in route.page_ids
        }
        assert reached == {page.id for page in service.pages}, service.id


def _route_id(value: Any) -> str:
    if isinstance(value, Route):
        return "+".join(value.page_ids)
    return str(getattr(value, "id", value))


@pytest.mark.parametrize(("service", "route"), ROUTES, ids=_route_id)
def test_route_can_be_completed(
    client: FlaskClient, app: Flask, service: Service, route: Route
) -> None:
    walker = Walker(client, service)
    walker.walk(route)
    if route.exit_page:
        check = client.get(walker.url("check-answers"))
        assert check.location == walker.url(route.ends_in)
        return
    summary = client.get(walker.url("check-answers"))
    assert summary.status_code == 200
    html = summary.get_data(as_text=True)
    for answer_id, value in route.answers.items():
        repeat = service.page(answer_id)
        if repeat is not None and repeat.repeats:  # a Change link for each item
            for number in range(1, len(value) + 1):
                assert f'href="{walker.url(f"{answer_id}/{number}")}?change=1"' in html
            continue
        question = service.question(answer_id)
        assert question is not None
        assert f'href="{walker.url(_page_of(service, answer_id))}?change=1"' in html
    first = client.post(walker.url("check-answers"))
    second = client.post(walker.url("check-answers"))  # a double click
    assert first.location == second.location  # a paying service: the same payment at Pay
    assert walker.pay(first).location == walker.url("confirmation")
    confirmation = client.get(walker.url("confirmation")).get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalars(select(Submission)).all()
        assert len(stored) == 1
        submission = stored[0]
        assert submission.reference in confirmation
        assert submission.channel == "online"
        assert without_file_ids(submission.answers) == without_file_ids(route.answers)
        assert_stored_shape(service, submission.answers)
        if service.reference_prefix:
            assert submission.reference.startswith(service.reference_prefix + "-")
    again = client.get(walker.url("check-answers"))  # Back, after sending: no answers shown
    assert again.status_code == 200 and "You have already sent this form" in again.text
    assert submission.reference in again.text and "Change" not in again.text


def _page_of(service: Service, question_id: str) -> str:
    return next(p.id for p in service.pages if any(q.id == question_id for q in p.questions))


def _first_route_to(service: Service) -> dict[str, tuple[Route, int]]:
    """For each question page: a route that reaches it and its index on that route."""
    found: dict[str, tuple[Route, int]] = {}
    for route in explore(service, "resident"):
        for index, step in enumerate(route.steps):
            if step.page.type in ("question", "repeat"):
                found.setdefault(step.page.id, (route, index))
    return found


def _messages_for(question: Question, check: str, raw: dict[str, Any]) -> list[str]:
    """The question's messages for `raw` (an address may have several at once), after making
    sure that `check` is what trips first."""
    marked = question.model_copy(update={"error_messages": {check: "this check"}})
    with pytest.raises(AnswerError) as tripped:
        marked.clean(raw)
    assert tripped.value.message == "this check", (question.id, check, tripped.value.message)
    with pytest.raises(AnswerError) as caught:
        question.clean(raw)
    return [problem.message for problem in caught.value.each]


INVALID_CASES = [
    (service, page_id, route, index)
    for service in SERVICES
    for page_id, (route, index) in _first_route_to(service).items()
]


@pytest.mark.parametrize(
    ("service", "page_id", "route", "index"),
    INVALID_CASES,
    ids=lambda v: _route_id(v) if not isinstance(v, Route | int) else "",
)
def test_every_invalid_answer_is_refused_in_govuk_style(
    client: FlaskClient, service: Service, page_id: str, route: Route, index: int
) -> None:
    walker = Walker(client, service)
    walker.walk(route, upto=index)
    step = route.steps[index]
    questions = [service.question(question_id) for question_id in step.inputs]
    assert questions
    url, form = walker.url(page_id), step.form()
    if step.page.repeats:  # the questions are asked on the item pages
        url, form = walker.url(f"{page_id}/1"), step.item_form(1)
    for question in questions:
        assert question is not None
        for check, raw in question.invalid_inputs():
            body = {**form, **{name: "" for name in question.field_names()}, **raw}
            response = client.post(url, data=as_post(body))
            assert response.status_code == 400, (question.id, check)
            facts = parse_page(response.get_data(as_text=True))
            assert facts.title.startswith("Error: "), (question.id, check)
            assert facts.error_links, (question.id, check)
            assert any(link[1:] in question.field_names() for link in facts.error_links), (
                question.id,
                check,
                facts.error_links,
            )
            # The refusal is for the check this input was meant to trip, in its words.
            assert facts.error_messages == _messages_for(question, check, raw), (
                question.id,
                check,
            )
            html = response.get_data(as_text=True)
            for name, value in raw.items():  # kept exactly as typed (files never are)
                for item in value if isinstance(value, list) else [value]:
                    if item and isinstance(item, str):
                        assert f'value="{item}"' in html or f">{item}</textarea>" in html, (
                            question.id,
                            check,
                            name,
                            item,
                        )
    _assert_earlier_answers_kept(client, walker, route, index)


def _assert_earlier_answers_kept(
    client: FlaskClient, walker: Walker, route: Route, index: int
) -> None:
    """The earlier answers survived the errors."""
    previous = route.steps[index - 1].page.id if index else None
    if previous:
        page = client.get(walker.url(previous)).get_data(as_text=True)
        for raw in route.steps[index - 1].inputs.values():
            for value in raw.values():
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, ExampleFile):  # the page names the file it holds
                        assert f"Your file: {item.filename}" in page
                    elif item:
                        assert str(item).split("\n")[0] in page


def test_the_examples_together_use_every_feature() -> None:
    from service_builder.conditions import COMPARISONS
    from service_builder.questions import QUESTION_TYPES

    assert {q.type for s in SERVICES for q in s.questions} == set(QUESTION_TYPES)
    assert {p.type for s in SERVICES for p in s.pages} == {"question", "exit", "content", "repeat"}
    assert {"staff", "resident"} <= {q.audience for s in SERVICES for q in s.questions}
    operators: set[str] = set()
    for service in SERVICES:
        ids = {q.id for q in service.questions} | {p.id for p in service.pages if p.repeats}
        for page in service.pages:
            conditions = [
                page.show_when,
                *(q.show_when for q in page.questions),
                *(rule.when for rule in page.next or []),
            ]
            for condition in conditions:
                operators |= _operators_in(condition, ids)
    assert operators == {*COMPARISONS, "answered", "all", "any", "not", "(value)", "count"}
    assert any("{answered: false}" in p.read_text() for p in EXAMPLES.glob("*.yaml"))


def _operators_in(node: object, question_ids: set[str]) -> set[str]:
    """Operator names used in a raw condition; `(value)` is the {question: value} form."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _operators_in(item, question_ids)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in question_ids:
                found.add("(value)" if not isinstance(value, dict) else "")
            else:
                found.add(key)
            found |= _operators_in(value, question_ids)
    return found - {""}
