"""Whether a condition can ever hold: a page shown only when a question has two answers at
once, or a number more than 10 and less than 5, is a page nobody sees.

A condition only compares answers with the values written in it, so every answer a question
could have acts like one of a few: each written value, one between (and beyond) each two of
them, another value, and no answer. The condition is tried against every combination of
those; when none holds it, no answer ever will. Conditions with too many combinations to
try are taken to be able to hold.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from service_builder.conditions import AllOf, AnyOf, Compare, Condition, Count, Not
from service_builder.definitions.schema import MAX_REPEAT_ITEMS
from service_builder.questions import Question

MOST_TRIED = 5_000
"""The most combinations of answers tried for one condition."""
UNANSWERED = object()


def can_hold(
    condition: Condition,
    questions: Mapping[str, Question],
    items: Mapping[str, tuple[int, int]] | None = None,
) -> bool:
    """Whether some answers to the questions it reads make the condition hold. `questions`:
    the service's by id (an id not among them is a repeat page's, counted by its items);
    `items`: a repeat page's fewest and most items, by its id."""
    written: dict[str, list[Any]] = {}
    for part in _parts(condition):
        if isinstance(part, Compare | Count):
            key = part.question_id if isinstance(part, Compare) else part.page_id
            values = part.value if isinstance(part.value, list) else [part.value]
            written.setdefault(key, []).extend(values)
    ids = sorted(condition.question_ids())
    answers = [
        [
            UNANSWERED,
            *itertools.islice(
                _kinds(questions.get(i), written.get(i, []), (items or {}).get(i)), MOST_TRIED
            ),
        ]
        for i in ids
    ]
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


def _kinds(
    question: Question | None, written: list[Any], limits: tuple[int, int] | None
) -> Iterable[Any]:
    """One answer of each kind the question could have, as the condition's values tell them
    apart; a repeat page's: lists of so many items, none (a page off the route) or from its
    fewest to its most."""
    if question is None:
        fewest, most = limits or (0, MAX_REPEAT_ITEMS)
        near = {fewest, most, *(n + d for n in written for d in (-1, 0, 1))}
        counts = {0} | {n for n in near if fewest <= n <= most}
        return [[{}] * n for n in sorted(counts)]
    return question.condition_kinds(written)


__all__ = ["can_hold"]
