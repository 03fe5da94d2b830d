"""Page view models: each visible question turned into its GOV.UK macro name and parameters."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from flask import current_app

from service_builder.config import signing_keys
from service_builder.definitions.schema import Page
from service_builder.journey import Journey, SummaryRow
from service_builder.messages import N_, translator
from service_builder.questions import AnswerError, Question, Raw


@dataclass(frozen=True)
class RenderedField:
    macro: str
    params: dict[str, Any]

    @property
    def first_control(self) -> str | None:
        """The id of the field's first input (where the assisted skip link goes, so that the
        agent's next keystroke types in it): an address's first line, a date's day, a
        choice's first option (GOV.UK Frontend gives it the `idPrefix`), else the field."""
        params = self.params
        inputs = params.get("inputs")
        if isinstance(inputs, list) and inputs:
            return str(inputs[0].get("id"))
        items = params.get("items") or []
        first = items[0] if items and isinstance(items[0], dict) else {}
        prefix = params.get("idPrefix") or params.get("id")
        if self.macro == "govukDateInput" and first:
            return str(first.get("id") or f"{prefix}-{first.get('name')}")
        if self.macro in ("govukRadios", "govukCheckboxes"):
            return str(first.get("id") or prefix)
        return str(params["id"]) if params.get("id") else None


@dataclass(frozen=True)
class PageView:
    heading: str
    heading_in_field: bool
    """True when the only question's label or legend is the page's h1."""
    fields: list[RenderedField]
    errors: list[dict[str, str]]
    multipart: bool = False
    """True when a question uploads a file: the form posts multipart/form-data."""
    caption: str | None = None
    """Which item of a repeat page this is ('Vehicle 2'), above its heading (the page's
    title) and first in the page's title, so that no two pages are titled alike."""


def page_view(
    journey: Journey,
    page: Page,
    raws: dict[str, Raw],
    errors: list[AnswerError] | None = None,
    autofill: bool = True,
    item: int | None = None,
) -> PageView:
    questions = journey.questions(page)
    by_question = {_owner(questions, error): error for error in errors or []}
    # an item of a repeat page with one question: its label is the heading, as on any page;
    # the repeat page's title and body belong to its list page
    title = None if page.repeats and len(questions) == 1 else page.title
    caption = item_heading(page, item) if title and page.repeats and item is not None else None
    body = None if page.repeats else page.body
    heading_in_field = len(questions) == 1 and not title and not body
    fields = []
    for question in questions:
        params = question.macro_params(
            raws.get(question.id, {}), by_question.get(question.id), is_heading=heading_in_field
        )
        if len(questions) == 1 and not heading_in_field and not title:
            _hide_label(question, params)
        if not autofill:
            _no_autofill(params)
        fields.append(RenderedField(question.macro, params))
    heading = title or (questions[0].shown_label if questions else page.heading)
    summary = error_summary(errors or [])
    multipart = any(field.macro == "govukFileUpload" for field in fields)
    return PageView(heading, heading_in_field, fields, summary, multipart, caption)


def item_heading(page: Page, item: int) -> str:
    """The caption of one item of a repeat page with several questions, which tells it from
    its list page: 'Vehicle 2' from the definition's `item_name`, else 'Your vehicles: item 2'."""
    if page.item_name:
        noun = page.item_noun
        return f"{noun[:1].upper()}{noun[1:]} {item}"
    return translator(page.language).gettext(
        N_("%(title)s: item %(number)s"), title=page.title, number=item
    )


def error_summary(errors: list[AnswerError]) -> list[dict[str, str]]:
    """The error summary's list: every problem, each linking to its own input."""
    return [
        {"text": problem.message, "href": f"#{problem.field}"}
        for error in errors
        for problem in error.each
    ]


def mark(shown: Any) -> str:
    """A short digest of what a page showed, for its form (or link) to say what it was sent
    from: a form from a page opened before another tab changed the answers can then be told
    apart. Keyed with the app's secret: a short answer (a registration) in a link kept in a
    browser's history cannot be guessed back from it."""
    return _mark(shown, signing_keys(current_app.config)[0])


def changed_since(given: str | None, shown: Any) -> bool:
    """Whether a form or link's mark (`given`) says its page showed other than `shown`. One
    without a mark (None: the contract's own fields and addresses have none) is taken."""
    return given is not None and not still_shows(given, shown)


def still_shows(given: str, shown: Any) -> bool:
    """Whether `given`, the mark a form or link carried, is `shown`'s: under the current key,
    or a previous one (a page opened before the key was rotated)."""
    return any(
        hmac.compare_digest(given.encode(), _mark(shown, key).encode())
        for key in signing_keys(current_app.config)
    )


def _mark(shown: Any, key: bytes) -> str:
    text = json.dumps(shown, sort_keys=True, default=str)
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:16]


def check_answer_rows(journey: Journey) -> list[SummaryRow]:
    """The check-your-answers rows. An optional question left blank keeps its row, with no
    value ('Not provided'), as the Design System advises; it is still left out of what is
    sent."""
    return list(journey.summary(with_blanks=True))


def stored_raws(journey: Journey, page: Page, item: int | None = None) -> dict[str, Raw]:
    """The stored answers of a page (or of one item of a repeat page), as form input."""
    answers = journey.state.answers
    if item is not None:
        items = journey.items(page)
        answers = items[item - 1] if 0 < item <= len(items) else {}
    return {q.id: q.raw_from_answer(answers[q.id]) for q in page.questions if q.id in answers}


def _owner(questions: list[Question], error: AnswerError) -> str:
    return next((q.id for q in questions if error.field in q.field_names()), error.field)


def _hide_label(question: Question, params: dict[str, Any]) -> None:
    """The h1 already asks the question: keep the label for screen readers only."""
    target = params["fieldset"]["legend"] if question.is_fieldset else params["label"]
    target["classes"] = "govuk-visually-hidden"


def _no_autofill(params: Any) -> None:
    """Staff enter someone else's details: the browser must not offer the agent's own."""
    if isinstance(params, dict):
        for key, value in params.items():
            if key == "autocomplete" and value:
                params[key] = "off"
            else:
                _no_autofill(value)
    elif isinstance(params, list):
        for item in params:
            _no_autofill(item)
