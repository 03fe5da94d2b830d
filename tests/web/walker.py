"""Drives a service over plain HTTP the way any client could, using only the contracts."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import requests
from flask.testing import FlaskClient

from service_builder.definitions import Service
from service_builder.explorer import Route, Step
from service_builder.questions.files import ExampleFile
from tests.html_checks import parse_page

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$")


def as_post(form: dict[str, Any]) -> dict[str, Any]:
    """A step's form as the test client posts it: example files as real file uploads (the
    body is then multipart/form-data)."""
    return {
        name: (value.stream, value.filename) if isinstance(value, ExampleFile) else value
        for name, value in form.items()
    }


def without_file_ids(answers: Any) -> Any:
    """Answers with every file id blanked: each upload gets a fresh one."""
    if isinstance(answers, dict):
        return {k: "" if k == "file_id" else without_file_ids(v) for k, v in answers.items()}
    if isinstance(answers, list):
        return [without_file_ids(item) for item in answers]
    return answers


def on_page(location: str | None) -> str | None:
    """A link's or redirect's page: an assisted one also names the draft in hand in its query
    (`draft_reference=DR-…`, `web/assisted.AssistedRunner.url`)."""
    if not location:
        return location
    path, _, query = location.partition("?")
    kept = [part for part in query.split("&") if part and not part.startswith("draft_reference=")]
    return path + ("?" + "&".join(kept) if kept else "")


class Walker:
    def __init__(self, client: FlaskClient, service: Service, prefix: str = "") -> None:
        self.client = client
        self.service = service
        self.base = f"{prefix}/{service.id}"

    def url(self, page_id: str) -> str:
        return f"{self.base}/{page_id}"

    def answer(self, step: Step) -> Any:
        """POST a step's form; returns the response (a redirect when the answers are valid)."""
        return self.client.post(self.url(step.page.id), data=as_post(step.form()))

    def walk(self, route: Route, upto: int | None = None) -> Any:
        """Answer the route's pages in order, checking each redirect; returns the last response."""
        first = self.client.get(f"{self.base}/")
        assert first.status_code in (200, 302), first.status_code
        response = first
        steps = route.steps[:upto] if upto is not None else route.steps
        for index, step in enumerate(steps):
            page = self.client.get(self.url(step.page.id))
            if step.page.repeats and page.status_code == 302:  # no items yet: to item 1
                assert on_page(page.location) == self.url(f"{step.page.id}/1"), page.location
                page = self.client.get(page.location)
            assert page.status_code == 200, (step.page.id, page.status_code, page.location)
            if step.page.type == "exit":
                html = page.get_data(as_text=True)
                assert 'type="submit"' not in html and "govuk-button" not in html
                return page
            if step.page.repeats:
                self.add_items(step)
            response = self.answer(step)
            assert response.status_code == 302, (
                step.page.id,
                response.status_code,
                parse_page(response.get_data(as_text=True)).error_messages,
            )
            following = (
                route.steps[index + 1].page.id if index + 1 < len(route.steps) else "check-answers"
            )
            assert on_page(response.location) == self.url(following), (
                f"after {step.page.id} expected {following}, went to {response.location}"
            )
        return response

    def pay(self, response: Any) -> Any:
        """A paying service sends the resident to GOV.UK Pay (the tests' stand-in): pay there
        and follow Pay back; returns the response to the return URL."""
        location = str(response.location or "")
        if not location.startswith("http"):
            return response  # nothing to pay
        paid = requests.post(location, data={"outcome": "succeed"}, allow_redirects=False)
        assert paid.status_code == 303, paid.status_code
        return self.client.get(urlsplit(paid.headers["Location"]).path)

    def add_items(self, step: Step) -> None:
        """A repeat page's items, one item page each; every item returns to the list."""
        for number in range(1, len(step.items) + 1):
            url = self.url(f"{step.page.id}/{number}")
            response = self.client.post(url, data=as_post(step.item_form(number)))
            assert response.status_code == 302, (url, response.status_code)
            assert on_page(response.location) == self.url(step.page.id), response.location
            listing = self.client.get(self.url(step.page.id))
            assert listing.status_code == 200
            assert f'href="{url}/remove' in listing.get_data(as_text=True)


def _assert_items(service: Service, page: Any, items: Any) -> None:
    """A repeat page's answer: a list of items, each a mapping of its questions' answers."""
    assert isinstance(items, list) and 1 <= len(items) <= page.most_items
    for item in items:
        assert isinstance(item, dict)
        assert set(item) <= {q.id for q in page.questions}
        assert_stored_shape(service, item)


def _assert_file(question: Any, value: Any) -> None:
    assert set(value) == {"filename", "size", "content_type", "sha256", "file_id"}
    assert isinstance(value["size"], int) and len(value["file_id"]) == 32


def _assert_address(question: Any, value: Any) -> None:
    keys = {"line_1", "line_2", "town", "postcode"}
    if question.lookup and "uprn" in value:  # chosen from the addresses found
        keys.add("uprn")
        assert value["uprn"].isdigit()
    assert set(value) == keys
    assert POSTCODE.match(value["postcode"])


SHAPES = {"file": _assert_file, "address": _assert_address}


def assert_stored_shape(service: Service, answers: dict[str, Any]) -> None:
    """Stored answers have the shapes the definition contract promises, type by type."""
    for question_id, value in answers.items():
        page = service.page(question_id)
        if page is not None and page.repeats:
            _assert_items(service, page, value)
            continue
        question = service.question(question_id)
        assert question is not None, f"unknown answer key {question_id}"
        kind = question.type
        if kind in ("text", "textarea", "email", "phone", "select", "radios"):
            assert isinstance(value, str) and value == value.strip() and value
        elif kind == "yes_no":
            assert value in ("yes", "no")
        elif kind == "number":
            assert isinstance(value, int | float) and not isinstance(value, bool)
            if getattr(question, "integer", False):
                assert isinstance(value, int)
        elif kind == "date":
            assert isinstance(value, str) and ISO_DATE.match(value)
        elif kind == "checkboxes":
            values = [option.value for option in question.options]  # type: ignore[attr-defined]
            assert isinstance(value, list) and value == [v for v in values if v in value]
        elif kind == "postcode":
            assert POSTCODE.match(value)
        elif kind in SHAPES:
            SHAPES[kind](question, value)
        else:  # a new type needs its stored shape checked here
            raise AssertionError(f"no shape check for question type {kind}")
        if kind in ("radios", "select"):
            assert value in [o.value for o in question.options]  # type: ignore[attr-defined]
