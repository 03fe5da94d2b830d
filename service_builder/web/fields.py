"""Page view models: each visible question turned into its GOV.UK macro name and parameters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from service_builder.definitions.schema import Page
from service_builder.journey import Journey
from service_builder.questions import AnswerError, Question, Raw


@dataclass(frozen=True)
class RenderedField:
    macro: str
    params: dict[str, Any]


@dataclass(frozen=True)
class PageView:
    heading: str
    heading_in_field: bool
    """True when the only question's label or legend is the page's h1."""
    fields: list[RenderedField]
    errors: list[dict[str, str]]


def page_view(
    journey: Journey,
    page: Page,
    raws: dict[str, Raw],
    errors: list[AnswerError] | None = None,
    autofill: bool = True,
) -> PageView:
    questions = journey.questions(page)
    by_question = {_owner(questions, error): error for error in errors or []}
    heading_in_field = len(questions) == 1 and not page.title and not page.body
    fields = []
    for question in questions:
        params = question.macro_params(
            raws.get(question.id, {}), by_question.get(question.id), is_heading=heading_in_field
        )
        if len(questions) == 1 and not heading_in_field and not page.title:
            _hide_label(question, params)
        if not autofill:
            _no_autofill(params)
        fields.append(RenderedField(question.macro, params))
    heading = page.title or (questions[0].label if questions else page.heading)
    summary = [{"text": error.message, "href": f"#{error.field}"} for error in errors or []]
    return PageView(heading, heading_in_field, fields, summary)


def stored_raws(journey: Journey, page: Page) -> dict[str, Raw]:
    answers = journey.state.answers
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
