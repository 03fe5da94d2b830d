"""The explorer over definitions whose example inputs used to trip it: min_selected, and a
question shown only for one number."""

from __future__ import annotations

from service_builder.definitions.loader import load_text
from service_builder.explorer import explore

CHECKBOXES = """\
id: things
title: Things
pages:
  - id: first
    questions:
      - id: things
        type: checkboxes
        label: Which things do you have?
        min_selected: 2
        exclusive: none
        options: [a, b, c, none]
    next:
      - when: {things: {contains: c}}
        goto: third
      - when: {things: {contains: none}}
        goto: check-answers
  - id: second
    questions:
      - id: name
        type: text
        label: What is your name?
  - id: third
    questions:
      - id: count
        type: number
        label: How many?
"""

HIDDEN_QUESTION = """\
id: numbers
title: Numbers
pages:
  - id: first
    questions:
      - id: n
        type: number
        label: How many do you have?
  - id: second
    title: More about them
    questions:
      - id: why
        type: text
        label: Why do you have so many?
        show_when: {n: 50}
      - id: other
        type: text
        label: Anything else?
"""


def service(text: str):  # type: ignore[no-untyped-def]
    result = load_text(text, "svc.yaml")
    assert result.errors == []
    return result.service


def test_min_selected_does_not_crash_the_explorer_and_every_branch_is_found() -> None:
    routes = {route.page_ids for route in explore(service(CHECKBOXES))}
    assert routes == {("first",), ("first", "second", "third"), ("first", "third")}


def test_a_question_shown_only_for_one_number_is_reached() -> None:
    drawn = {
        question_id
        for route in explore(service(HIDDEN_QUESTION))
        for step in route.steps
        for question_id in step.inputs
    }
    assert drawn == {"n", "why", "other"}
