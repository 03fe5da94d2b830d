"""Typed but not kept: what a person typed on a page they saved with errors, shown again there.

'Save and come back later' (residents) and 'Save and leave' (agents) keep a page's valid
answers. What did not pass its checks (half an address, a 7 where 1 to 3 are allowed) is
not an answer, but the person typed it: it is kept beside the answers in the draft's JSON
(`DraftState.typed`, by page) and the page shows it again, with the errors of what was
typed, when they come back to it (Back or the link); a field left blank is no error until
they press a button again. It is never an answer: the walk, conditions, check your
answers and submissions read only `answers`. Answering the page replaces it. A repeat item
saved with errors is kept the same way, by item (`journey.typed_key`): an item is stored
only once it is whole, so until then what was typed is all there is of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from service_builder.definitions.schema import Page
from service_builder.journey import Answers, Journey, typed_key
from service_builder.questions import AnswerError, Raw
from service_builder.questions.base import MAX_INPUT_CHARACTERS
from service_builder.steps import Step

MAX_PAGES = 5
"""Pages whose typed text a draft keeps at once: a few, so a draft stays small."""
MAX_CHOICES = 100
"""Values kept of one multi-value field (checkboxes)."""


def keep(journey: Journey, page: Page, raws: dict[str, Raw], item: int | None = None) -> None:
    """Store what was typed on the page, or on one of its items (a change for
    `save_change`). Files are not text: they are never kept here."""
    typed = journey.state.typed
    key = typed_key(page, item)
    typed.pop(key, None)
    while len(typed) >= MAX_PAGES:  # JSONB keeps no order: drop any other page's
        del typed[next(iter(typed))]
    bounded = {question: _bounded(raw) for question, raw in raws.items()}
    # Only what was typed: a field left blank is not kept, so coming back shows it blank,
    # not "Enter your phone number" before the person has pressed anything (a page left
    # as it was opened keeps nothing).
    filled = {question: raw for question, raw in bounded.items() if any(raw.values())}
    if filled:
        typed[key] = filled


def keeping(page: Page, values: Answers, raws: dict[str, Raw]) -> Callable[[Journey], None]:
    """The change for a page saved with errors: its valid answers kept (the page still needs
    the rest), and everything typed on it kept to show again."""

    def change(journey: Journey) -> None:
        journey.keep(page, values)
        keep(journey, page, raws)

    return change


def keeping_item(page: Page, item: int, raws: dict[str, Raw]) -> Callable[[Journey], None]:
    """The change for a repeat item saved with errors: what was typed on it, kept to show
    again (the item itself is stored only when it is whole)."""
    return lambda journey: keep(journey, page, raws, item)


def shown(
    journey: Journey, page: Page, raws: dict[str, Raw], item: int | None = None
) -> tuple[dict[str, Raw], list[AnswerError]]:
    """The page's (or item's) fields as they should show (`raws`, the stored answers, with
    what was typed over them) and the errors of what was typed, checked again as at saving."""
    held = journey.state.typed.get(typed_key(page, item))
    if not isinstance(held, dict) or not held:
        return raws, []
    shown_raws = dict(raws)
    errors: list[AnswerError] = []
    for question in journey.questions(page):
        raw = held.get(question.id)
        if not isinstance(raw, dict):
            continue
        shown_raws[question.id] = raw
        try:
            question.clean(raw)
        except AnswerError as error:
            errors.append(error)
    return shown_raws, errors


def resume_step(journey: Journey) -> Step | str:
    """Where a person coming back to a draft is up to: the next step, but on a repeat page
    with the next item saved half done, that item, so what was typed there is seen (the list
    does not show it, and 'No' there lets it go)."""
    step = journey.next_step
    page = journey.service.page(step)
    if page is None or not page.repeats:
        return step
    item = len(journey.items(page)) + 1
    if item > page.most_items or typed_key(page, item) not in journey.state.typed:
        return step
    return Step(page.id, item)


def held(journey: Journey, page: Page) -> dict[str, Raw]:
    """What was typed on the page, by question (empty when nothing is held)."""
    found = journey.state.typed.get(typed_key(page))
    return found if isinstance(found, dict) else {}


def _bounded(raw: Raw) -> Raw:
    texts = {name: _text(value) for name, value in raw.items()}
    return {name: value for name, value in texts.items() if value is not None}


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return value[:MAX_INPUT_CHARACTERS]
    if isinstance(value, list):
        return [v[:MAX_INPUT_CHARACTERS] for v in value[:MAX_CHOICES] if isinstance(v, str)]
    return None  # a file, or anything else that is not text
