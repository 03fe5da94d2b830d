"""Conditions as data: compiled from definition mappings and evaluated by an operator table."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from service_builder.questions import ChoiceQuestion, Question
from service_builder.questions.base import QuestionId
from service_builder.questions.choices import YesNoQuestion
from service_builder.questions.composite import DateQuestion
from service_builder.questions.inputs import NumberQuestion
from service_builder.suggest import did_you_mean

Answers = Mapping[str, Any]
KeyPath = tuple[str | int, ...]

COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda answer, values: answer in values,
    "not_in": lambda answer, values: answer not in values,
    "contains": lambda answer, value: value in answer,
}
WORDS = {
    "eq": "is",
    "ne": "is not",
    "gt": "is more than",
    "gte": "is at least",
    "lt": "is less than",
    "lte": "is at most",
    "in": "is one of",
    "not_in": "is not one of",
    "contains": "includes",
}
ORDERED = {"gt", "gte", "lt", "lte"}


@dataclass(frozen=True)
class Compare:
    question_id: str
    op: str
    value: Any

    def holds(self, answers: Answers) -> bool:
        if self.question_id not in answers:
            return False
        return COMPARISONS[self.op](answers[self.question_id], self.value)

    def question_ids(self) -> set[str]:
        return {self.question_id}

    def describe(self) -> str:
        value = ", ".join(map(str, self.value)) if isinstance(self.value, list) else self.value
        return f"{self.question_id} {WORDS[self.op]} {value}"


@dataclass(frozen=True)
class Answered:
    question_id: str
    expected: bool

    def holds(self, answers: Answers) -> bool:
        # a repeat page finished with no items (min_items: 0) is on the route, not answered
        given = self.question_id in answers and answers[self.question_id] != []
        return given == self.expected

    def question_ids(self) -> set[str]:
        return {self.question_id}

    def describe(self) -> str:
        return f"{self.question_id} {'is answered' if self.expected else 'is not answered'}"


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Condition, ...]

    def holds(self, answers: Answers) -> bool:
        return all(part.holds(answers) for part in self.parts)

    def question_ids(self) -> set[str]:
        return set().union(*(part.question_ids() for part in self.parts))

    def describe(self) -> str:
        return " and ".join(_grouped(part) for part in self.parts)


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Condition, ...]

    def holds(self, answers: Answers) -> bool:
        return any(part.holds(answers) for part in self.parts)

    def question_ids(self) -> set[str]:
        return set().union(*(part.question_ids() for part in self.parts))

    def describe(self) -> str:
        return " or ".join(_grouped(part) for part in self.parts)


@dataclass(frozen=True)
class Not:
    part: Condition

    def holds(self, answers: Answers) -> bool:
        return not self.part.holds(answers)

    def question_ids(self) -> set[str]:
        return self.part.question_ids()

    def describe(self) -> str:
        return f"not ({self.part.describe()})"


@dataclass(frozen=True)
class Count:
    """How many items a repeat page holds on the route, compared with a number."""

    page_id: str
    op: str
    value: int

    def holds(self, answers: Answers) -> bool:
        if self.page_id not in answers:
            return False
        return COMPARISONS[self.op](len(answers[self.page_id]), self.value)

    def question_ids(self) -> set[str]:
        return {self.page_id}

    def describe(self) -> str:
        return f"the number of {self.page_id} {WORDS[self.op]} {self.value}"


Condition = Compare | Answered | Count | AllOf | AnyOf | Not
COUNT_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte")


def _grouped(part: Condition) -> str:
    text = part.describe()
    return f"({text})" if isinstance(part, AllOf | AnyOf) else text


class ConditionError(Exception):
    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


class ConditionCompiler:
    """Turns a condition mapping into a Condition, checking names, operators and values."""

    def __init__(
        self,
        questions: Mapping[str, Question],
        repeats: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """`repeats`: each repeat page's id -> the ids of the questions it asks per item."""
        self.questions = questions
        self.repeats = repeats or {}
        self.in_repeat = {q: page for page, ids in self.repeats.items() for q in ids}

    def compile(self, raw: Any, path: KeyPath) -> Condition:
        if not isinstance(raw, dict) or not raw:
            raise ConditionError(path, "a condition must be a mapping with at least one key")
        return _all_of([self._key(key, value, (*path, str(key))) for key, value in raw.items()])

    def _key(self, key: Any, value: Any, path: KeyPath) -> Condition:
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ConditionError(path, f"'{key}' takes a list of conditions")
            parts = tuple(self.compile(item, (*path, index)) for index, item in enumerate(value))
            return AllOf(parts) if key == "all" else AnyOf(parts)
        if key == "not":
            return Not(self.compile(value, path))
        if str(key) in self.repeats:
            return self._repeat(str(key), value, path)
        question = self.questions.get(str(key))
        if question is None:
            known = [*self.questions, *self.repeats]
            raise ConditionError(path, f"no question has the id '{key}'{did_you_mean(key, known)}")
        if question.id in self.in_repeat:
            raise ConditionError(
                path,
                f"'{key}' is asked once per item on the repeat page "
                f"'{self.in_repeat[question.id]}': name the page, with 'count' or 'answered'",
            )
        if isinstance(value, dict):
            if not value:
                raise ConditionError(path, "name an operator, like {gte: 18}")
            return _all_of(  # several keys in one mapping must all hold: {gte: 10, lt: 100}
                [
                    self._operator(question, str(op), operand, (*path, str(op)))
                    for op, operand in value.items()
                ]
            )
        if "eq" not in question.condition_operators:
            self._refuse(question, "eq", path)
        return Compare(question.id, "eq", self._value(question, value, path))

    @staticmethod
    def _refuse(question: Question, op: str, path: KeyPath) -> None:
        """Operators a question type does not support could never hold: say so at load."""
        if op == "contains":
            raise ConditionError(path, "'contains' only works with a checkboxes question")
        if op in ORDERED:
            raise ConditionError(path, f"'{op}' only works with number and date questions")
        usable = ", ".join(sorted(question.condition_operators))
        raise ConditionError(
            path,
            f"'{question.id}' is {_article(question.type)} {question.type} question: "
            f"its conditions can only use {usable}",
        )

    def _repeat(self, page_id: str, value: Any, path: KeyPath) -> Condition:
        """`{vehicles: {count: {gte: 2}}}` or `{vehicles: {answered: true}}`; both in one
        mapping must both hold."""
        if not isinstance(value, dict) or not value:
            raise ConditionError(path, _repeat_usage(page_id))
        return _all_of(
            [self._repeat_key(page_id, str(op), operand, path) for op, operand in value.items()]
        )

    def _repeat_key(self, page_id: str, op: str, operand: Any, path: KeyPath) -> Condition:
        path = (*path, op)
        if op == "answered":
            if not isinstance(operand, bool):
                raise ConditionError(path, "'answered' takes true or false")
            return Answered(page_id, operand)
        if op != "count" or not isinstance(operand, dict) or not operand:
            raise ConditionError(path, _repeat_usage(page_id))
        return _all_of(  # several must all hold: {gte: 2, lte: 5}
            [
                self._count(page_id, str(comparison), number, (*path, str(comparison)))
                for comparison, number in operand.items()
            ]
        )

    @staticmethod
    def _count(page_id: str, comparison: str, number: Any, path: KeyPath) -> Count:
        if comparison not in COUNT_OPERATORS:
            raise ConditionError(path, f"'count' takes one of: {', '.join(COUNT_OPERATORS)}")
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ConditionError(path, "compare a count with a whole number")
        return Count(page_id, comparison, number)

    def _operator(self, question: Question, op: str, operand: Any, path: KeyPath) -> Condition:
        if op in COMPARISONS and op not in question.condition_operators:
            self._refuse(question, op, path)
        if op == "answered":
            if not isinstance(operand, bool):
                raise ConditionError(path, "'answered' takes true or false")
            return Answered(question.id, operand)
        if op == "count":
            raise ConditionError(
                path, "'count' is for a repeat page: name the page, not a question"
            )
        if op not in COMPARISONS:
            usable = [o for o in (*COMPARISONS, "answered") if o in question.condition_operators]
            known = ", ".join(usable)
            raise ConditionError(path, f"unknown operator '{op}' (use one of: {known})")
        if op in ("in", "not_in"):
            if not isinstance(operand, list) or not operand:
                raise ConditionError(path, f"'{op}' takes a list of values")
            values = [
                self._value(question, item, (*path, index)) for index, item in enumerate(operand)
            ]
            return Compare(question.id, op, values)
        return Compare(question.id, op, self._value(question, operand, path))

    def _value(self, question: Question, value: Any, path: KeyPath) -> Any:
        if isinstance(value, dict | list) or value is None:
            raise ConditionError(path, "expected a single value")
        if isinstance(question, NumberQuestion):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ConditionError(
                    path, f"'{question.id}' is a number question: compare it with a number"
                )
            return value
        if isinstance(question, DateQuestion):
            return _iso_date(str(value), path)
        if isinstance(value, bool):  # `true`/`false` against a yes/no question mean yes/no
            text = (
                ("yes" if value else "no")
                if isinstance(question, YesNoQuestion)
                else (str(value).lower())
            )
        else:
            text = str(value)
        if isinstance(question, ChoiceQuestion) and text not in question.values:
            raise ConditionError(
                path,
                f"'{text}' is not an option of '{question.id}' "
                f"(options: {', '.join(question.values)})",
            )
        return question.condition_value(text)


def _all_of(parts: list[Condition]) -> Condition:
    """The keys of one mapping, which must all hold: one alone is itself."""
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _repeat_usage(page_id: str) -> str:
    return f"'{page_id}' is a repeat page: use {{count: {{gte: 2}}}} or {{answered: true}}"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


def _iso_date(value: str, path: KeyPath) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ConditionError(
            path, "compare a date question with an ISO date, like 2024-03-27"
        ) from None


__all__ = ["Condition", "ConditionCompiler", "ConditionError", "QuestionId"]
