"""Whether a condition can ever hold: a page shown only when a question has two answers at
once, or a number more than 10 and less than 5, is a page nobody sees.

A condition only compares answers with the values written in it, so every answer a question
could have acts like one of a few: each written value, one between (and beyond) each two of
them, another value, and no answer. The condition is tried against every combination of
those; when none holds it, no answer ever will. Conditions with too many combinations to
try are taken to be able to hold.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Iterator, Mapping
from typing import Any

from service_builder.conditions import AllOf, AnyOf, Compare, Condition, Count, Not
from service_builder.questions import Question
from service_builder.questions.choices import CheckboxesQuestion, ChoiceQuestion
from service_builder.questions.composite import DateQuestion
from service_builder.questions.inputs import NumberQuestion

MOST_TRIED = 5_000
"""The most combinations of answers tried for one condition."""
UNANSWERED = object()
OTHER = "\0another answer"
"""A text answer unlike any written in the condition (no one can type a NUL)."""


def can_hold(condition: Condition, questions: Mapping[str, Question]) -> bool:
    """Whether some answers to the questions it reads make the condition hold. `questions`:
    the service's by id (an id not among them is a repeat page's, counted by its items)."""
    written: dict[str, list[Any]] = {}
    for part in _parts(condition):
        if isinstance(part, Compare | Count):
            key = part.question_id if isinstance(part, Compare) else part.page_id
            values = part.value if isinstance(part.value, list) else [part.value]
            written.setdefault(key, []).extend(values)
    ids = sorted(condition.question_ids())
    answers = [[UNANSWERED, *_kinds(questions.get(i), written.get(i, []))] for i in ids]
    if math.prod(len(kinds) for kinds in answers) > MOST_TRIED:
        return True
    for combination in itertools.product(*answers):
        given = {
            i: answer
            for i, answer in zip(ids, combination, strict=True)
            if answer is not UNANSWERED
        }
        if condition.holds(given):
            return True
    return False


def _parts(condition: Condition) -> Iterator[Condition]:
    yield condition
    if isinstance(condition, AllOf | AnyOf):
        for part in condition.parts:
            yield from _parts(part)
    elif isinstance(condition, Not):
        yield from _parts(condition.part)


def _kinds(question: Question | None, written: list[Any]) -> list[Any]:
    """One answer of each kind the question could have, as the condition's values tell them
    apart."""
    if question is None:  # a repeat page: lists of items
        counts = {0, 1, *(n + d for n in written for d in (-1, 0, 1) if n + d >= 0)}
        return [[{}] * n for n in sorted(counts)]
    if isinstance(question, CheckboxesQuestion):
        named = [v for v in question.values if v in written]
        named += [v for v in question.values if v not in written][:1]  # any one other option
        subsets = (
            list(chosen)
            for size in range(1, len(named) + 1)
            for chosen in itertools.combinations(named, size)
        )
        return list(itertools.islice(subsets, MOST_TRIED + 1))
    if isinstance(question, ChoiceQuestion):
        return list(question.values)
    if isinstance(question, NumberQuestion):
        return _between(sorted(set(written)), 1) if written else [0]
    if isinstance(question, DateQuestion):
        days = sorted({dt.date.fromisoformat(value) for value in written})
        near = {day + dt.timedelta(days=d) for day in days for d in (-1, 0, 1)}
        return [day.isoformat() for day in sorted(near)] or ["2000-01-01"]
    return [*dict.fromkeys(written), OTHER]


def _between(values: list[Any], step: int) -> list[Any]:
    """Each value, one between each two and one beyond each end."""
    middles = [(a + b) / 2 for a, b in itertools.pairwise(values)]
    return [values[0] - step, *values, *middles, values[-1] + step]


__all__ = ["can_hold"]
