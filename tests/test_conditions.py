"""Conditions: every operator, and comparisons with unanswered questions."""

from __future__ import annotations

from typing import Any

import pytest

from service_builder.conditions import ConditionCompiler, ConditionError
from service_builder.questions import QUESTION_TYPES

QUESTIONS = {
    "colour": QUESTION_TYPES["radios"](
        id="colour", type="radios", label="Colour", options=["red", "blue", "green"]
    ),
    "age": QUESTION_TYPES["number"](id="age", type="number", label="Age"),
    "pets": QUESTION_TYPES["checkboxes"](
        id="pets", type="checkboxes", label="Pets", options=["cat", "dog"]
    ),
    "born": QUESTION_TYPES["date"](id="born", type="date", label="Born"),
    "agree": QUESTION_TYPES["yes_no"](id="agree", type="yes_no", label="Agree?"),
    "note": QUESTION_TYPES["text"](id="note", type="text", label="Note"),
}


def holds(raw: dict[str, Any], answers: dict[str, Any]) -> bool:
    return ConditionCompiler(QUESTIONS).compile(raw, ("when",)).holds(answers)


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"colour": "red"}, {"colour": "red"}, True),
        ({"colour": "red"}, {"colour": "blue"}, False),
        ({"colour": {"eq": "red"}}, {"colour": "red"}, True),
        ({"colour": {"ne": "red"}}, {"colour": "blue"}, True),
        ({"colour": {"in": ["red", "blue"]}}, {"colour": "blue"}, True),
        ({"colour": {"not_in": ["red", "blue"]}}, {"colour": "green"}, True),
        ({"colour": {"not_in": ["red", "blue"]}}, {"colour": "red"}, False),
        ({"age": {"gt": 17}}, {"age": 18}, True),
        ({"age": {"gt": 18}}, {"age": 18}, False),
        ({"age": {"gte": 18}}, {"age": 18}, True),
        ({"age": {"lt": 18}}, {"age": 17.5}, True),
        ({"age": {"lte": 18}}, {"age": 19}, False),
        ({"born": {"lt": "2000-01-01"}}, {"born": "1999-12-31"}, True),
        ({"pets": {"contains": "dog"}}, {"pets": ["cat", "dog"]}, True),
        ({"pets": {"contains": "dog"}}, {"pets": ["cat"]}, False),
        ({"note": {"answered": True}}, {"note": "x"}, True),
        ({"note": {"answered": False}}, {}, True),
        ({"all": [{"colour": "red"}, {"age": {"gte": 18}}]}, {"colour": "red", "age": 20}, True),
        ({"all": [{"colour": "red"}, {"age": {"gte": 18}}]}, {"colour": "red", "age": 2}, False),
        ({"any": [{"colour": "red"}, {"age": {"gte": 18}}]}, {"colour": "blue", "age": 20}, True),
        ({"not": {"colour": "red"}}, {"colour": "blue"}, True),
        ({"colour": "red", "age": {"gte": 18}}, {"colour": "red", "age": 17}, False),
        ({"agree": False}, {"agree": "no"}, True),  # YAML's no, if it arrives as a boolean
        # several keys in one mapping must all hold (the spec), operators too
        ({"age": {"gte": 10, "lt": 100}}, {"age": 50}, True),
        ({"age": {"gte": 10, "lt": 100}}, {"age": 100}, False),
        ({"age": {"gte": 10, "lt": 100}}, {"age": 9}, False),
    ],
)
def test_operators(condition: dict[str, Any], answers: dict[str, Any], expected: bool) -> None:
    assert holds(condition, answers) is expected


@pytest.mark.parametrize(
    "condition",
    [
        {"colour": "red"},
        {"colour": {"ne": "red"}},
        {"colour": {"not_in": ["red"]}},
        {"age": {"lt": 100}},
        {"pets": {"contains": "dog"}},
        {"note": {"answered": True}},
    ],
)
def test_comparisons_with_unanswered_questions_are_false(condition: dict[str, Any]) -> None:
    assert holds(condition, {}) is False


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"nope": 1}, "no question has the id 'nope'"),
        ({"colour": "purple"}, "'purple' is not an option of 'colour'"),
        ({"age": "old"}, "compare it with a number"),
        ({"pets": {"gte": 1}}, "only works with number and date"),
        ({"colour": {"contains": "red"}}, "only works with a checkboxes question"),
        ({"note": {"answered": "yes"}}, "'answered' takes true or false"),
        ({"colour": {"in": "red"}}, "'in' takes a list"),
        ({"all": []}, "'all' takes a list of conditions"),
        ({}, "at least one key"),
        ({"born": {"gt": "yesterday"}}, "ISO date"),
    ],
)
def test_bad_conditions_are_refused_with_a_reason(condition: dict[str, Any], message: str) -> None:
    with pytest.raises(ConditionError) as caught:
        ConditionCompiler(QUESTIONS).compile(condition, ("when",))
    assert message in caught.value.message


def test_conditions_describe_themselves_in_words() -> None:
    condition = ConditionCompiler(QUESTIONS).compile(
        {"any": [{"colour": "red"}, {"not": {"age": {"gte": 18}}}]}, ()
    )
    assert condition.describe() == "colour is red or not (age is at least 18)"


ADDRESS = QUESTION_TYPES["address"](id="home_address", type="address", label="Address")
REPEATS = {"vehicles": ["registration"]}
WITH_REPEAT = {
    **QUESTIONS,
    "home_address": ADDRESS,
    "registration": QUESTION_TYPES["text"](id="registration", type="text", label="Reg"),
}


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            {"home_address": "1 High St"},
            "an address question: its conditions can only use answered",
        ),
        ({"home_address": {"ne": "x"}}, "its conditions can only use answered"),
        ({"pets": "cat"}, "a checkboxes question: its conditions can only use answered, contains"),
        ({"pets": {"in": ["cat"]}}, "can only use answered, contains"),
        ({"registration": "AB12"}, "name the page, with 'count' or 'answered'"),
        ({"vehicles": 2}, "'vehicles' is a repeat page"),
        ({"vehicles": {"count": {"in": [1]}}}, "'count' takes one of: eq, ne, gt, gte, lt, lte"),
        ({"vehicles": {"count": {"gte": "two"}}}, "whole number"),
        ({"vehicles": {"answered": "yes"}}, "'answered' takes true or false"),
    ],
)
def test_operators_a_question_type_cannot_satisfy_are_refused(
    condition: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConditionError) as caught:
        ConditionCompiler(WITH_REPEAT, REPEATS).compile(condition, ("when",))
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("op", "count", "expected"),
    [
        ("eq", 2, True),
        ("ne", 2, False),
        ("gt", 1, True),
        ("gt", 2, False),
        ("gte", 2, True),
        ("gte", 3, False),
        ("lt", 3, True),
        ("lt", 2, False),
        ("lte", 2, True),
        ("lte", 1, False),
    ],
)
def test_count_compares_the_number_of_items(op: str, count: int, expected: bool) -> None:
    condition = ConditionCompiler(WITH_REPEAT, REPEATS).compile(
        {"vehicles": {"count": {op: count}}}, ()
    )
    assert condition.holds({"vehicles": [{"registration": "A"}, {"registration": "B"}]}) is expected
    assert condition.holds({}) is False  # a repeat page off the route has no count


def test_a_count_may_be_a_range() -> None:
    condition = ConditionCompiler(WITH_REPEAT, REPEATS).compile(
        {"vehicles": {"count": {"gte": 2, "lte": 3}}}, ()
    )
    assert [condition.holds({"vehicles": [{}] * n}) for n in (1, 2, 3, 4)] == [
        False,
        True,
        True,
        False,
    ]


def test_a_count_and_answered_in_one_mapping_must_both_hold() -> None:
    condition = ConditionCompiler(WITH_REPEAT, REPEATS).compile(
        {"vehicles": {"answered": True, "count": {"lte": 1}}}, ()
    )
    assert [condition.holds({"vehicles": [{}] * n}) for n in (1, 2)] == [True, False]


def test_answered_on_a_repeat_page() -> None:
    compiler = ConditionCompiler(WITH_REPEAT, REPEATS)
    assert compiler.compile({"vehicles": {"answered": True}}, ()).holds({"vehicles": [{}]})
    assert compiler.compile({"vehicles": {"answered": False}}, ()).holds({})


def test_the_package_does_not_import_the_app_eagerly() -> None:
    import subprocess
    import sys

    code = (
        "import sys, service_builder.journey, service_builder.explorer;"
        "print('flask' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("condition", "path", "message"),
    [
        ({}, ("when",), "a condition must be a mapping with at least one key"),
        (
            {"registration": "AB12"},
            ("when", "registration"),
            "'registration' is asked once per item on the repeat page 'vehicles': "
            "name the page, with 'count' or 'answered'",
        ),
        ({"all": {}}, ("when", "all"), "'all' takes a list of conditions"),
        ({"colour": {}}, ("when", "colour"), "name an operator, like {gte: 18}"),
        (
            {"home_address": "1 High St"},
            ("when", "home_address"),
            "'home_address' is an address question: its conditions can only use answered",
        ),
        (
            {"colour": {"contains": "red"}},
            ("when", "colour", "contains"),
            "'contains' only works with a checkboxes question",
        ),
        (
            {"pets": {"gte": 1}},
            ("when", "pets", "gte"),
            "'gte' only works with number and date questions",
        ),
        (
            {"pets": {"in": ["cat"]}},
            ("when", "pets", "in"),
            "'pets' is a checkboxes question: its conditions can only use answered, contains",
        ),
        (
            {"note": {"answered": "yes"}},
            ("when", "note", "answered"),
            "'answered' takes true or false",
        ),
        ({"colour": {"eq": ["red"]}}, ("when", "colour", "eq"), "expected a single value"),
        ({"colour": {"in": ["red", None]}}, ("when", "colour", "in", 1), "expected a single value"),
        (
            {"colour": {"in": ["red", "purple"]}},
            ("when", "colour", "in", 1),
            "'purple' is not an option of 'colour' (options: red, blue, green)",
        ),
        ({"age": "old"}, ("when", "age"), "'age' is a number question: compare it with a number"),
        ({"age": True}, ("when", "age"), "'age' is a number question: compare it with a number"),
        (
            {"born": "yesterday"},
            ("when", "born"),
            "compare a date question with an ISO date, like 2024-03-27",
        ),
        (
            {"vehicles": 2},
            ("when", "vehicles"),
            "'vehicles' is a repeat page: use {count: {gte: 2}} or {answered: true}",
        ),
        (
            {"vehicles": {"count": 2}},
            ("when", "vehicles", "count"),
            "'vehicles' is a repeat page: use {count: {gte: 2}} or {answered: true}",
        ),
        (
            {"vehicles": {"size": {"gte": 1}}},
            ("when", "vehicles", "size"),
            "'vehicles' is a repeat page: use {count: {gte: 2}} or {answered: true}",
        ),
        (
            {"vehicles": {"answered": "yes"}},
            ("when", "vehicles", "answered"),
            "'answered' takes true or false",
        ),
        (
            {"vehicles": {"count": {"in": [1]}}},
            ("when", "vehicles", "count", "in"),
            "'count' takes one of: eq, ne, gt, gte, lt, lte",
        ),
        (
            {"vehicles": {"count": {"gte": -1}}},
            ("when", "vehicles", "count", "gte"),
            "compare a count with a whole number",
        ),
        (
            {"vehicles": {"count": {"gte": True}}},
            ("when", "vehicles", "count", "gte"),
            "compare a count with a whole number",
        ),
    ],
)
def test_a_refusal_names_the_exact_place_and_says_what_to_do(
    condition: dict[str, Any], path: tuple[str | int, ...], message: str
) -> None:
    """The loader shows the path and the message to the designer, so both must be exact."""
    with pytest.raises(ConditionError) as caught:
        ConditionCompiler(WITH_REPEAT, REPEATS).compile(condition, ("when",))
    assert (caught.value.path, caught.value.message, str(caught.value)) == (path, message, message)


def test_booleans_mean_yes_and_no_only_for_yes_no_questions() -> None:
    flag = QUESTION_TYPES["radios"](
        id="flag", type="radios", label="Flag", options=["true", "false"]
    )
    compiler = ConditionCompiler({**QUESTIONS, "flag": flag})
    assert compiler.compile({"agree": True}, ()).holds({"agree": "yes"})
    assert not compiler.compile({"agree": True}, ()).holds({"agree": "no"})
    assert compiler.compile({"flag": True}, ()).holds({"flag": "true"})
    assert compiler.compile({"flag": False}, ()).holds({"flag": "false"})


def test_a_postcode_in_a_condition_is_read_as_postcodes_are_stored() -> None:
    postcode = QUESTION_TYPES["postcode"](id="postcode", type="postcode", label="Postcode")
    compiler = ConditionCompiler({**QUESTIONS, "postcode": postcode})
    for written in ("sw1a1aa", "SW1A  1AA", {"in": ["sw1a 1aa", "AL1 2CD"]}):
        assert compiler.compile({"postcode": written}, ()).holds({"postcode": "SW1A 1AA"})
    assert compiler.compile({"note": "sw1a1aa"}, ()).holds({"note": "sw1a1aa"})  # text as is


def test_a_count_of_zero_is_a_valid_comparison() -> None:
    condition = ConditionCompiler(WITH_REPEAT, REPEATS).compile(
        {"vehicles": {"count": {"eq": 0}}}, ()
    )
    assert condition.holds({"vehicles": []}) and not condition.holds({"vehicles": [{}]})


def test_every_kind_of_condition_describes_itself() -> None:
    compiler = ConditionCompiler(WITH_REPEAT, REPEATS)
    cases = {
        "colour is one of red, blue": {"colour": {"in": ["red", "blue"]}},
        "note is answered": {"note": {"answered": True}},
        "note is not answered": {"note": {"answered": False}},
        "colour is red and age is less than 5": {"colour": "red", "age": {"lt": 5}},
        "(colour is red and age is at most 5) or the number of vehicles is more than 1": {
            "any": [
                {"all": [{"colour": "red"}, {"age": {"lte": 5}}]},
                {"vehicles": {"count": {"gt": 1}}},
            ]
        },
        "(colour is red or note is answered) and pets includes cat": {
            "all": [
                {"any": [{"colour": "red"}, {"note": {"answered": True}}]},
                {"pets": {"contains": "cat"}},
            ]
        },
    }
    for words, raw in cases.items():
        assert compiler.compile(raw, ()).describe() == words
