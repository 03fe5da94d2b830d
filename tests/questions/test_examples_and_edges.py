"""The example-input generators checked themselves, and the edges a mutation run found
untested: min_selected, the not_after day, error classes, counters, widths, acronyms and
the 254-character email."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any

import pytest
from werkzeug.datastructures import MultiDict

from service_builder.questions import QUESTION_TYPES, AnswerError, Question
from service_builder.questions.base import object_from_label, thing_from_label
from service_builder.questions.composite import AddressSearch

OPTIONS = {"options": ["a", "b", "c"]}
# Each type with each of its keys that changes what is valid: the generators must cope.
CONFIGURATIONS: list[tuple[str, dict[str, Any]]] = [
    ("text", {}),
    ("text", {"min_length": 5, "max_length": 6}),
    ("text", {"pattern": "^5[0-9]{7}$"}),
    ("text", {"pattern": "^[A-Z]{2}[0-9]{2}$", "min_length": 4}),
    ("text", {"max_length": 3}),
    ("textarea", {"max_length": 10}),
    ("textarea", {"max_words": 2}),
    ("number", {}),
    ("number", {"integer": True, "min": 1, "max": 3}),
    ("number", {"min": -5, "max": 5}),
    ("number", {"min": 100, "prefix": "£"}),
    ("email", {}),
    ("phone", {}),
    ("postcode", {}),
    ("date", {}),
    ("date", {"not_before": "today"}),
    ("date", {"not_after": "today"}),
    ("date", {"not_before": "2020-01-01", "not_after": "2020-01-03"}),
    ("radios", OPTIONS),
    ("select", OPTIONS),
    ("yes_no", {}),
    ("checkboxes", OPTIONS),
    ("checkboxes", {**OPTIONS, "min_selected": 2}),
    ("checkboxes", {**OPTIONS, "min_selected": 2, "max_selected": 2}),
    ("checkboxes", {"options": ["a", "b", "c", "none"], "exclusive": "none", "min_selected": 2}),
    ("checkboxes", {**OPTIONS, "max_selected": 1}),
    ("address", {}),
    ("address", {"lookup": True}),
    ("file", {}),
    ("file", {"accept": ["pdf"], "max_size_mb": 1}),
    ("file", {"accept": ["docx", "gif"], "max_size_mb": 50}),
    # Boundaries: a limit of 1 or 2, and as many options as the limit allows.
    ("text", {"min_length": 1}),
    ("text", {"min_length": 2, "max_length": 2}),
    ("checkboxes", {"options": ["a", "b"], "max_selected": 2}),
    ("checkboxes", {"options": ["a", "b"], "min_selected": 1}),
    ("checkboxes", {"options": ["a", "none"], "exclusive": "none"}),
]
IDS = [f"{type_}-{index}" for index, (type_, _) in enumerate(CONFIGURATIONS)]
"""Plain test ids (no brackets or quotes), so each test can be selected by its node id."""
INTERESTING: dict[str, list[Any]] = {
    "text": ["AB12", "51234567", "hello"],
    "number": [1, 2, 3, 50, -5, 2.5],
    "date": ["2020-01-02", "2024-02-29"],
}


def make(type_: str, **keys: Any) -> Question:
    keys.setdefault("id", "answer")
    keys.setdefault("label", "What is your NHS number?")
    return QUESTION_TYPES[type_].model_validate({"type": type_, **keys})


def error_of(question: Question, raw: dict[str, Any]) -> AnswerError:
    with pytest.raises(AnswerError) as caught:
        question.clean(raw)
    return caught.value


def test_every_type_is_configured_here() -> None:
    assert {type_ for type_, _ in CONFIGURATIONS} == set(QUESTION_TYPES)


@pytest.mark.parametrize(("type_", "keys"), CONFIGURATIONS, ids=IDS)
def test_every_example_is_accepted_and_every_value_a_condition_names_is_reached(
    type_: str, keys: dict[str, Any]
) -> None:
    question = make(type_, **keys)
    wanted = INTERESTING.get(type_, [])
    examples = question.example_inputs(wanted)
    assert examples, "at least one example"
    stored = [question.clean(raw) for raw in examples]  # never an AnswerError
    for value in wanted:
        try:
            accepted = question.clean(question.raw_from_answer(value))
        except AnswerError:
            continue  # the question can never hold it, so no route needs it
        assert accepted in stored, f"no example gives {value!r}"
    if isinstance(stored[0], list):  # checkboxes: every option is tried in some example
        chosen = set(itertools.chain.from_iterable(stored))
        assert chosen == set(question.values)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("type_", "keys"), CONFIGURATIONS, ids=IDS)
def test_every_invalid_input_trips_the_check_it_names(type_: str, keys: dict[str, Any]) -> None:
    plain = make(type_, **keys)
    # Give each check a message of its own, so a refusal for another reason shows.
    question = make(type_, **keys, error_messages={c: f"check {c}" for c in plain.checks})
    inputs = question.invalid_inputs()
    assert inputs, "at least one invalid input"
    for check, raw in inputs:
        assert check in question.checks
        assert error_of(question, raw).message == f"check {check}", raw


def test_the_invalid_inputs_cover_each_check_the_keys_switch_on() -> None:
    def checks(type_: str, **keys: Any) -> set[str]:
        return {check for check, _ in make(type_, **keys).invalid_inputs()}

    assert checks("text", min_length=3, max_length=5, pattern="^[0-9]+$") == {
        "required",
        "min_length",
        "max_length",
        "pattern",
    }
    assert checks("number", integer=True, min=1, max=3) == {
        "required",
        "invalid",
        "integer",
        "min",
        "max",
    }
    assert checks("date", not_before="2020-01-01", not_after="2020-12-31") == {
        "required",
        "incomplete",
        "invalid",
        "not_before",
        "not_after",
    }
    assert checks(
        "checkboxes", options=["a", "b", "c", "n"], exclusive="n", min_selected=2, max_selected=2
    ) == {"required", "min_selected", "max_selected", "exclusive"}
    assert checks("textarea", max_words=2) == {"required", "max_words"}
    assert checks("address", lookup=True) == {
        "required",
        "town",
        "invalid",
        "lookup_postcode",
        "lookup_invalid",
    }
    assert checks("text", required=False) == set()


# -- the mutants that survived -------------------------------------------------------------
def test_min_selected_on_checkboxes() -> None:
    question = make("checkboxes", options=["a", "b", "c", "none"], exclusive="none", min_selected=2)
    assert error_of(question, {"answer": ["a"]}).message == "Select at least 2 options"
    assert question.clean({"answer": ["c", "a"]}) == ["a", "c"]
    assert question.clean({"answer": ["none"]}) == ["none"]  # "none of these" stands alone
    with pytest.raises(ValueError, match="more than the 3 options"):
        make("checkboxes", options=["a", "b", "c", "none"], exclusive="none", min_selected=4)


def test_max_selected_on_checkboxes_is_inclusive() -> None:
    question = make("checkboxes", options=["a", "b", "c"], max_selected=2)
    assert question.clean({"answer": ["a", "b"]}) == ["a", "b"]
    assert error_of(question, {"answer": ["a", "b", "c"]}).message == (
        "Select no more than 2 options"
    )


def test_the_bounds_themselves_are_accepted() -> None:
    question = make("date", not_before="2020-01-01", not_after="2020-12-31")
    for day in ("2020-01-01", "2020-12-31"):
        assert question.clean(question.raw_from_answer(day)) == day
    after = error_of(question, question.raw_from_answer("2021-01-01"))
    assert after.message == "Your NHS number must be the same as or before 31 December 2020"
    before = error_of(question, question.raw_from_answer("2019-12-31"))
    assert before.message == "Your NHS number must be the same as or after 1 January 2020"
    today = make("date", not_after="today")
    assert today.clean(today.raw_from_answer(dt.date.today().isoformat()))


@pytest.mark.parametrize(
    ("bound", "days_from_today", "expected"),
    [
        (
            {"error_name": "the date", "not_after": "today"},
            1,
            "The date must be today or in the past",
        ),
        (
            {"error_name": "the start date", "not_before": "today"},
            -1,
            "The start date must be today or in the future",
        ),
        # the v2 contract's example: `error_name: your date of birth`, a date before today
        (
            {"error_name": "your date of birth", "not_after": "today - 1 day"},
            0,
            "Your date of birth must be in the past",
        ),
        (
            {"error_name": "the start date", "not_before": "today + 1 day"},
            0,
            "The start date must be in the future",
        ),
        ({"not_after": "today - 2 days"}, 0, "must be the same as or before"),  # named
    ],
)
def test_a_bound_on_or_next_to_today_is_said_in_govuk_words(
    bound: dict[str, str], days_from_today: int, expected: str
) -> None:
    answer = (dt.date.today() + dt.timedelta(days=days_from_today)).isoformat()
    question = make("date", label="When?", **bound)
    assert expected in error_of(question, question.raw_from_answer(answer)).message


@pytest.mark.parametrize(
    ("bound", "days_from_today", "words"),
    [("today", 1, "heddiw neu yn y gorffennol"), ("today-1 days", 0, "fod yn y gorffennol")],
)
def test_a_bound_on_or_next_to_today_is_said_in_welsh(
    bound: str, days_from_today: int, words: str
) -> None:
    answer = (dt.date.today() + dt.timedelta(days=days_from_today)).isoformat()
    welsh = QUESTION_TYPES["date"].model_validate(
        {"id": "answer", "type": "date", "label": "Pryd?", "not_after": bound},
        context={"language": "cy"},
    )
    message = error_of(welsh, welsh.raw_from_answer(answer)).message
    assert words in message and "2" not in message


@pytest.mark.parametrize(
    ("day", "month", "year", "field", "parts"),
    [
        ("31", "13", "2026", "answer-month", {"month"}),
        ("31", "12", "99999", "answer-year", {"year"}),
        ("32", "1", "2026", "answer-day", {"day"}),
        ("31", "2", "2026", "answer-day", set()),
    ],
)
def test_a_wrong_part_of_a_date_is_the_one_linked_and_highlighted(
    day: str, month: str, year: str, field: str, parts: set[str]
) -> None:
    question = make("date", label="Date seen")
    error = error_of(question, {"answer-day": day, "answer-month": month, "answer-year": year})
    assert (error.message, error.field, set(error.parts)) == (
        "Date seen must be a real date",
        field,
        parts,
    )


def test_number_bounds_are_inclusive() -> None:
    question = make("number", min=1, max=3)
    assert [question.clean({"answer": v}) for v in ("1", "3")] == [1, 3]
    between = "Your NHS number must be between 1 and 3"  # GOV.UK: both limits, one message
    assert error_of(question, {"answer": "0"}).message == between
    assert error_of(question, {"answer": "4"}).message == between
    assert error_of(question, {"answer": "4"}).check == "max"  # error_messages.max still says it
    at_least = make("number", min=1)
    assert error_of(at_least, {"answer": "0"}).message == "Your NHS number must be 1 or more"
    at_most = make("number", max=3)
    assert error_of(at_most, {"answer": "4"}).message == "Your NHS number must be 3 or less"


def test_date_inputs_have_no_error_classes_on_a_fresh_page() -> None:
    question = make("date")
    fresh = question.macro_params({}, None, False)
    assert [item["classes"] for item in fresh["items"]] == [
        "govuk-input--width-2",
        "govuk-input--width-2",
        "govuk-input--width-4",
    ]
    year = AnswerError("x", "answer-year", frozenset({"year"}))
    classes = [item["classes"] for item in question.macro_params({}, year, False)["items"]]
    assert classes == [
        "govuk-input--width-2",
        "govuk-input--width-2",
        "govuk-input--width-4 govuk-input--error",
    ]
    whole = AnswerError("x", "answer-day")
    assert all(
        item["classes"].endswith("govuk-input--error")
        for item in question.macro_params({}, whole, False)["items"]
    )


def test_the_date_hint_is_never_none() -> None:
    for keys in ({}, {"hint": None}, {"not_before": "today"}):
        hint = make("date", **keys).macro_params({}, None, False)["hint"]
        assert hint["text"].startswith("For example, ") and "None" not in hint["text"]


def test_the_textarea_counter_is_there_when_there_is_a_limit() -> None:
    counted = make("textarea", max_length=40)
    assert counted.macro == "govukCharacterCount"
    assert counted.macro_params({}, None, False)["maxlength"] == 40
    words = make("textarea", max_words=60)
    assert words.macro == "govukCharacterCount"
    assert words.macro_params({}, None, False)["maxwords"] == 60
    plain = make("textarea")
    assert plain.macro == "govukTextarea"
    assert "maxlength" not in plain.macro_params({}, None, False)


@pytest.mark.parametrize(
    ("label", "thing"),
    [
        ("NHS number", "NHS number"),
        ("What is your NHS number?", "your NHS number"),
        ("UK passport number", "UK passport number"),
        ("Email address", "email address"),
        ("What's your name?", "your name"),
        ("Enter the reference", "the reference"),
        ("A", "A"),
        ("Id", "id"),  # two letters, not both capitals: an ordinary word
        ("IDs you hold", "IDs you hold"),  # a plural acronym
    ],
)
def test_acronyms_are_kept_in_messages(label: str, thing: str) -> None:
    assert thing_from_label(label) == thing


def test_a_message_keeps_an_acronym() -> None:
    assert error_of(make("text", label="NHS number"), {"answer": ""}).message == (
        "Enter the NHS number"
    )


def test_a_label_without_a_determiner_still_makes_a_sentence_after_enter_or_select() -> None:
    """The v2 contract: grammatical without `error_name` (a trial: 'Enter email address').
    As a subject the bare noun stays, as GOV.UK's own: 'Date of birth must be a real date'."""
    assert error_of(make("email", label="Email address"), {"answer": ""}).message == (
        "Enter the email address"
    )
    born = make("date", label="Date of birth")
    assert error_of(
        born, {"answer-day": "31", "answer-month": "2", "answer-year": "2020"}
    ).message == ("Date of birth must be a real date")
    named = make("text", label="Full name", error_name="your full name")
    assert error_of(named, {"answer": ""}).message == "Enter your full name"


@pytest.mark.parametrize(
    ("width", "classes"),
    [
        (10, "govuk-input--width-10"),
        ("2", "govuk-input--width-2"),
        ("one-half", "govuk-!-width-one-half"),
        ("full", "govuk-!-width-full"),
    ],
)
def test_width_is_applied(width: Any, classes: str) -> None:
    for type_ in ("text", "number", "postcode", "phone", "email"):
        assert make(type_, width=width).macro_params({}, None, False)["classes"] == classes
    assert "classes" not in make("text").macro_params({}, None, False)


def test_the_254_character_email_boundary() -> None:
    question = make("email")
    longest = "a" * 64 + "@" + "b" * 185 + ".com"
    assert len(longest) == 254
    assert question.clean({"answer": longest}) == longest
    error = error_of(question, {"answer": "a" + longest})
    assert error.message == "Enter an email address in the correct format, like name@example.com"


def test_invalid_inputs_sit_just_past_each_limit() -> None:
    def inputs(type_: str, **keys: Any) -> dict[str, Any]:
        return {check: raw["answer"] for check, raw in make(type_, **keys).invalid_inputs()}

    text = inputs("text", min_length=4, max_length=9)
    assert (len(text["min_length"]), len(text["max_length"])) == (3, 10)
    area = inputs("textarea", max_length=7)
    assert len(area["max_length"]) == 8
    words = inputs("textarea", max_words=3)
    assert len(words["max_words"].split()) == 4 and len(words["max_words"]) == 19
    boxes = inputs("checkboxes", options=["a", "b", "c", "d", "n"], exclusive="n", max_selected=2)
    assert boxes["max_selected"] == ["a", "b", "c"]
    assert boxes["exclusive"] == ["a", "n"]
    assert inputs("checkboxes", options=["a", "b", "c"], min_selected=3)["min_selected"] == ["a"]
    patterned = inputs("text", pattern="^[a-z]$")
    assert patterned["pattern"] == "!"


def test_date_examples_sit_inside_the_bounds_and_beside_each_compared_day() -> None:
    def days(**keys: Any) -> list[str]:
        question = make("date", **keys)
        interesting = keys.pop("interesting", ())
        return [question.clean(raw) for raw in question.example_inputs(interesting)]

    assert days() == ["2024-03-27"]
    assert days(not_before="2020-01-01", not_after="2020-01-11") == ["2020-01-06"]
    assert days(not_after="2020-01-01") == [str(dt.date(2020, 1, 1) - dt.timedelta(days=12_000))]
    assert days(not_before="2020-01-01") == ["2020-01-31"]
    question = make("date", not_before="2020-01-01")
    near = [question.clean(raw) for raw in question.example_inputs(["2020-01-01", "2021-06-15"])]
    assert near == [
        "2020-01-01",
        "2020-01-02",
        "2020-01-31",
        "2021-06-14",
        "2021-06-15",
        "2021-06-16",
    ]


def test_an_address_answer_goes_back_into_its_fields() -> None:
    question = make("address")
    answer = {"line_1": "1 High St", "line_2": "Flat 2", "town": "Aldermoor", "postcode": "AL1 2CD"}
    assert question.raw_from_answer(answer) == {
        "answer-line-1": "1 High St",
        "answer-line-2": "Flat 2",
        "answer-town": "Aldermoor",
        "answer-postcode": "AL1 2CD",
    }
    assert question.raw_from_answer({"line_1": "1 High St"})["answer-town"] == ""
    assert question.clean(question.example_inputs()[0])["line_2"] == ""


def test_date_invalid_inputs_are_the_days_just_outside_the_bounds() -> None:
    question = make("date", not_before="2020-01-10", not_after="2020-01-20")
    found = dict(question.invalid_inputs())
    assert found["not_before"] == question.raw_from_answer("2020-01-09")
    assert found["not_after"] == question.raw_from_answer("2020-01-21")


def test_the_address_checks_in_order_with_their_fields() -> None:
    question = make("address", label="What is your address?")
    good = {
        "answer-line-1": "1 High St",
        "answer-line-2": "",
        "answer-town": "Aldermoor",
        "answer-postcode": "al12cd",
    }
    assert question.clean(good) == {
        "line_1": "1 High St",
        "line_2": "",
        "town": "Aldermoor",
        "postcode": "AL1 2CD",
    }
    blank = error_of(question, {name: "" for name in good})
    assert [(e.check, e.message, e.field, e.parts) for e in blank.each] == [
        (
            "required",
            "Enter address line 1, typically the building and street",
            "answer-line-1",
            frozenset({"line_1"}),
        ),
        ("town", "Enter town or city", "answer-town", frozenset({"town"})),
        ("postcode", "Enter postcode", "answer-postcode", frozenset({"postcode"})),
    ]
    assert make("address", required=False).clean({name: " " for name in good}) is None
    longest = {**good, "answer-town": "t" * 200}
    assert question.clean(longest)["town"] == "t" * 200
    long = error_of(question, {**good, "answer-town": "t" * 201, "answer-line-1": ""})
    assert [(e.check, e.message, e.field, e.parts) for e in long.each] == [
        (
            "line_1",
            "Enter address line 1, typically the building and street",
            "answer-line-1",
            frozenset({"line_1"}),
        ),
        (
            "invalid",
            "Town or city must be 200 characters or less",
            "answer-town",
            frozenset({"town"}),
        ),
    ]
    for key, field, message in [
        ("line_1", "answer-line-1", "Enter address line 1, typically the building and street"),
        ("town", "answer-town", "Enter town or city"),
        ("postcode", "answer-postcode", "Enter postcode"),
    ]:
        missing = error_of(question, {**good, field: ""})
        assert [(e.check, e.message, e.field, e.parts) for e in missing.each] == [
            (key, message, field, frozenset({key}))
        ]
    wrong = error_of(question, {**good, "answer-postcode": "ZZ"})
    assert [(e.check, e.message, e.field, e.parts) for e in wrong.each] == [
        (
            "invalid",
            "Enter a full UK postcode, like AA3 1AB",
            "answer-postcode",
            frozenset({"postcode"}),
        )
    ]


def test_numbers_are_read_as_people_write_them() -> None:
    question = make("number", suffix="kg")
    assert question.clean({"answer": "1 200 kg"}) == 1200
    assert question.clean({"answer": "12kg"}) == 12
    assert error_of(question, {"answer": "kg12"}).message == "Your NHS number must be a number"
    assert make("number", prefix="£").clean({"answer": "£1,250.50"}) == 1250.5
    assert make("number").clean({"answer": "3.0"}) == 3.0
    assert isinstance(make("number").clean({"answer": "3.0"}), float)


def test_a_textarea_over_its_length_says_so() -> None:
    question = make("textarea", label="Describe the place", max_length=5)
    assert question.clean({"answer": "12345"}) == "12345"
    error = error_of(question, {"answer": "123456"})
    assert error.message == "The answer to ‘Describe the place’ must be 5 characters or less"


def test_a_looked_up_address_keeps_its_uprn_but_a_posted_one_is_never_believed() -> None:
    question = make("address", lookup=True)
    answer = {
        "line_1": "1 High St",
        "line_2": "",
        "town": "Aldermoor",
        "postcode": "AL1 2CD",
        "uprn": "100023336956",
    }
    assert question.clean(question.raw_from_answer(answer)) == answer  # re-checked on sending
    typed = {**question.raw_from_answer(answer), "answer-uprn": "100023336956"}
    del typed["uprn"]
    assert "uprn" not in question.clean(typed)
    assert "uprn" not in make("address").clean(make("address").raw_from_answer(answer))
    assert error_of(question, {"answer-step": "choose", "answer-uprn": ""}).field == "answer-uprn"


def test_the_lookup_search_reads_the_postcode_and_building() -> None:
    question = make("address", lookup=True)
    form = {
        "answer-step": "find",
        "answer-lookup-postcode": " al1 2cd ",
        "answer-lookup-building": "12",
    }
    raw = question.read(MultiDict(form))
    assert question.step(raw) == "find"
    assert question.search(raw) == AddressSearch("AL1 2CD", "12")
    assert question.step(question.read(MultiDict({"answer-step": "other"}))) == "manual"
    assert make("address").read(MultiDict(form)).get("answer-step") is None  # no lookup: typed
    too_long = {**raw, "answer-lookup-building": "x" * 101}
    assert error_of(question, too_long).field == "answer-lookup-building"


@pytest.mark.parametrize(
    ("keys", "interesting", "expected"),
    [
        ({}, [], ["0", "10"]),  # no bounds: 0 and ten above it
        ({}, [5], ["0", "4", "5", "6", "10"]),  # each side of a condition's value
        ({"min": 2, "max": 8}, [5, 8], ["2", "4", "5", "6", "7", "8"]),  # within the bounds
        ({"min": 3}, [], ["3", "13"]),
        ({"max": 20}, [], ["0", "20"]),
        ({"integer": True}, [2.5], ["0", "10"]),  # halves are not whole numbers
    ],
)
def test_number_examples_are_the_bounds_and_each_side_of_a_condition_value(
    keys: dict[str, Any], interesting: list[float], expected: list[str]
) -> None:
    examples = make("number", **keys).example_inputs(interesting)
    assert [example["answer"] for example in examples] == expected


@pytest.mark.parametrize(
    "keys",
    [
        {"pattern": "^5[0-9]{7}$"},
        {"pattern": "^[0-9]+$", "min_length": 6},
        {"min_length": 15, "max_length": 15},  # longer than the plain example
        {"min_length": 30},
    ],
)
def test_a_text_example_is_accepted_with_no_condition_values_to_lean_on(
    keys: dict[str, Any],
) -> None:
    question = make("text", **keys)
    examples = question.example_inputs()
    assert len(examples) == 1
    question.clean(examples[0])  # never an AnswerError


def test_a_minimum_length_of_two_gets_a_too_short_example() -> None:
    inputs = dict(make("text", min_length=2).invalid_inputs())
    assert inputs["min_length"] == {"answer": "a"}
    assert "min_length" not in dict(make("text", min_length=1).invalid_inputs())  # "" is blank


def test_date_examples_include_both_bounds_when_conditions_name_them() -> None:
    question = make("date", not_before="2020-01-01", not_after="2020-01-03")
    examples = question.example_inputs(["2020-01-03", "2020-01-01"])
    assert [question.clean(raw) for raw in examples] == ["2020-01-01", "2020-01-02", "2020-01-03"]


@pytest.mark.parametrize(("type_", "keys"), CONFIGURATIONS, ids=IDS)
def test_every_default_message_is_translated_into_welsh(type_: str, keys: dict[str, Any]) -> None:
    """A default message whose words drift from the catalogue's would show in English on a
    Welsh page."""
    data = {"type": type_, "id": "answer", "label": "Cyfeirnod", **keys}
    english = QUESTION_TYPES[type_].model_validate(data)
    welsh = QUESTION_TYPES[type_].model_validate(data, context={"language": "cy"})
    for check, raw in english.invalid_inputs():
        in_english, in_welsh = error_of(english, raw).message, error_of(welsh, raw).message
        english_words = {
            word for word in re.findall(r"[A-Za-z]{3,}", in_english) if not word.isupper()
        } - {
            "Cyfeirnod",
            "none",
            "com",
        }  # the label, an option, a domain; file types (PDF, JPG) are the same in Welsh
        assert not english_words & set(re.findall(r"[A-Za-z]{3,}", in_welsh)), (check, in_welsh)


def test_a_posted_value_that_is_not_an_option_counts_as_no_answer() -> None:
    """A tampered or stale option value gets the question's 'required' message, the
    designer's own when there is one."""
    question = make("radios", options=["a", "b"], error_messages={"required": "Choose a or b"})
    error = error_of(question, {"answer": "purple"})
    assert (error.check, error.message) == ("required", "Choose a or b")


def test_an_address_line_over_200_characters_fails_the_invalid_check() -> None:
    question = make("address", error_messages={"invalid": "Check the address"})
    raw = {**question.example_inputs()[0], "answer-town": "t" * 201}
    error = error_of(question, raw)
    assert (error.check, error.message, error.field) == (
        "invalid",
        "Check the address",
        "answer-town",
    )


def test_a_limit_of_one_word_is_said_in_the_singular() -> None:
    question = make("textarea", label="Your reason", max_words=1)
    assert error_of(question, {"answer": "two words"}).message == (
        "Your reason must be 1 word or fewer"
    )


def test_a_number_may_be_written_in_up_to_40_characters() -> None:
    question = make("number")
    assert question.clean({"answer": "1." + "0" * 38}) == 1  # 40 characters
    assert error_of(question, {"answer": "1." + "0" * 39}).check == "invalid"


def test_a_whole_number_is_stored_as_written() -> None:
    """'12' is stored (and exported) as 12, not 12.0; '12.0' keeps its point."""
    question = make("number")
    assert json.dumps([question.clean({"answer": "12"}), question.clean({"answer": "12.0"})]) == (
        "[12, 12.0]"
    )


def test_checkboxes_with_nothing_posted_or_an_unknown_option() -> None:
    question = make("checkboxes", options=["a", "b"], error_messages={"required": "Choose one"})
    assert (error_of(question, {}).check, error_of(question, {}).message) == (
        "required",
        "Choose one",
    )
    unknown = error_of(question, {"answer": ["a", "zebra"]})
    assert (unknown.check, unknown.message) == ("required", "Choose one")


def test_a_short_year_and_a_year_before_1000_fail_the_invalid_check() -> None:
    question = make("date", error_messages={"invalid": "Enter a real date"})
    short = error_of(question, {"answer-day": "1", "answer-month": "2", "answer-year": "27"})
    assert (short.check, short.message, short.field) == (
        "invalid",
        "Enter a real date",
        "answer-year",
    )
    early = error_of(question, {"answer-day": "1", "answer-month": "2", "answer-year": "0999"})
    assert (early.check, early.message) == ("invalid", "Enter a real date")


@pytest.mark.parametrize(("day", "month", "year"), [("0", "2", "2020"), ("1", "0", "2020")])
def test_a_day_or_month_of_zero_is_not_a_real_date(day: str, month: str, year: str) -> None:
    raw = {"answer-day": day, "answer-month": month, "answer-year": year}
    assert error_of(make("date"), raw).check == "invalid"


def test_the_year_1000_is_the_first_accepted() -> None:
    question = make("date")
    assert question.clean({"answer-day": "1", "answer-month": "2", "answer-year": "1000"}) == (
        "1000-02-01"
    )


def test_date_errors_mark_the_boxes_to_fix_and_link_to_the_first() -> None:
    question = make("date", not_before="2020-01-01")
    incomplete = error_of(question, {"answer-day": "", "answer-month": "2", "answer-year": ""})
    assert (incomplete.field, incomplete.parts) == ("answer-day", frozenset({"day", "year"}))
    early = error_of(question, {"answer-day": "1", "answer-month": "2", "answer-year": "2019"})
    assert (early.check, early.field) == ("not_before", "answer-day")
    late = make("date", not_after="2020-01-01")
    after = error_of(late, {"answer-day": "2", "answer-month": "1", "answer-year": "2020"})
    assert (after.check, after.field) == ("not_after", "answer-day")


def test_a_yes_no_question_is_never_reworked_into_an_object() -> None:
    """'Select do you have a pet' does not read: such labels are quoted instead."""
    assert object_from_label("Do you have a pet?") is None


def test_number_invalid_inputs_sit_just_past_min_and_max() -> None:
    found = {
        check: raw["answer"] for check, raw in make("number", min=1.5, max=10).invalid_inputs()
    }
    assert (found["min"], found["max"]) == ("0.5", "11")


def test_the_lookup_search_refusals_name_their_check_field_and_words() -> None:
    question = make("address", lookup=True)
    find = {"answer-step": "find"}
    postcode_field, building_field = "answer-lookup-postcode", "answer-lookup-building"

    def refusal(raw: dict[str, Any]) -> tuple[str, str, str]:
        error = error_of(question, {**find, **raw})
        return error.check, error.field, error.message

    assert refusal({}) == ("lookup_postcode", postcode_field, "Enter a postcode")  # no field
    assert refusal({postcode_field: "NOT A POSTCODE"}) == (
        "lookup_invalid",
        postcode_field,
        "Enter a full UK postcode, like AA3 1AB",
    )
    assert refusal({postcode_field: "AL1 2CD", building_field: "x" * 101}) == (
        "lookup_invalid",
        building_field,
        "Building name or number must be 100 characters or less",
    )
    # no building field at all is no building; 100 characters is the most allowed
    assert question.search({postcode_field: "al1 2cd"}) == AddressSearch("AL1 2CD", "")
    full = {postcode_field: "AL1 2CD", building_field: "x" * 100}
    assert question.search(full).building == "x" * 100
    # the typed postcode is read up to 20 characters (spaces inside it are dropped)
    assert question.search({postcode_field: "AL1" + " " * 14 + "2CD"}).postcode == "AL1 2CD"
    assert refusal({postcode_field: "AL1" + " " * 15 + "2CD"})[0] == "lookup_invalid"


def test_choosing_a_found_address_is_read_and_refused_until_matched() -> None:
    question = make("address", lookup=True)
    raw = question.read(MultiDict({"answer-step": "choose", "answer-uprn": "100023336956"}))
    assert raw["answer-step"] == "choose" and raw["answer-uprn"] == "100023336956"
    error = error_of(question, raw)
    assert (error.check, error.field, error.message) == (
        "lookup_choice",
        "answer-uprn",
        "Select the address",
    )


def test_an_address_question_without_lookup_ignores_a_step() -> None:
    question = make("address")
    raw = {**question.example_inputs()[0], "answer-step": "find"}
    assert question.clean(raw)["line_1"] == "1 Market Street"


def test_a_looked_up_address_exports_with_its_uprn() -> None:
    question = make("address", lookup=True)
    answer = {"line_1": "1 High St", "town": "Aldermoor", "postcode": "AL1 2CD"}
    assert question.export(answer) == "1 High St, Aldermoor, AL1 2CD"
    assert question.export({**answer, "uprn": "100023336956"}) == (
        "1 High St, Aldermoor, AL1 2CD (UPRN 100023336956)"
    )


def test_a_date_box_is_read_up_to_20_characters() -> None:
    question = make("date")
    twenty = {"answer-day": "0" * 19 + "1", "answer-month": "3", "answer-year": "2020"}
    assert question.clean(twenty) == "2020-03-01"
    # a 21st character is cut off: 20 zeros is no real day
    assert error_of(question, {**twenty, "answer-day": "0" * 20 + "1"}).check == "invalid"


def test_an_amount_in_pounds_has_at_most_two_decimal_places() -> None:
    fee = make("number", label="How much did you pay?", prefix="£", max=1000)
    assert fee.clean({"answer": "£12.50"}) == 12.5
    assert fee.clean({"answer": "12.340"}) == 12.34
    assert fee.clean({"answer": "12"}) == 12
    refused = error_of(fee, {"answer": "12.345"})
    assert (refused.check, refused.message, refused.field) == (
        "invalid",
        "Enter an amount in pounds and pence, like 12.50",
        "answer",
    )
    named = make("number", label="Cost", error_name="the cost", prefix="£", max=1000)
    assert error_of(named, {"answer": "12.345"}).message == (
        "Enter the cost in pounds and pence, like 12.50"
    )
    weight = make("number", label="Weight", suffix="kg", max=1000)
    assert weight.clean({"answer": "12.345"}) == 12.345
    welsh = QUESTION_TYPES["number"].model_validate(
        {"id": "answer", "type": "number", "label": "Faint?", "prefix": "£", "max": 9},
        context={"language": "cy"},
    )
    assert error_of(welsh, {"answer": "1.005"}).message == (
        "Rhowch swm mewn punnoedd a cheiniogau, fel 12.50"
    )
