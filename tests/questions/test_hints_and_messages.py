"""Hints and messages a new user tripped on: date examples, spaced account numbers, the
designer's pattern message, incomplete years and registration numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from service_builder.questions import QUESTION_TYPES, AnswerError, Question

TODAY = dt.date(2031, 5, 10)
"""Not the real today, so the hint must use the `today` it is given."""


def make(type_: str, **keys: Any) -> Question:
    keys.setdefault("id", "answer")
    keys.setdefault("label", "What is your Council Tax account number?")
    return QUESTION_TYPES[type_].model_validate({"type": type_, **keys})


def error_of(question: Question, raw: dict[str, Any]) -> AnswerError:
    with pytest.raises(AnswerError) as caught:
        question.clean(raw)
    return caught.value


@pytest.mark.parametrize(
    ("keys", "hint"),
    [
        ({}, "For example, 27 3 2007"),
        ({"not_after": "today"}, "For example, 27 3 2007"),
        ({"not_before": "1993-04-01", "not_after": "today"}, "For example, 27 3 2007"),
        ({"not_before": "today"}, "For example, 9 6 2031"),
        ({"not_before": "2007-03-27"}, "For example, 27 3 2007"),
        ({"not_after": "2007-03-27"}, "For example, 27 3 2007"),
        ({"not_before": "2007-03-28"}, "For example, 9 6 2031"),
        ({"not_before": "2031-07-01"}, "For example, 31 7 2031"),
        ({"not_after": "2007-03-26"}, "For example, 26 3 2006"),
        ({"not_before": "2007-03-27", "not_after": "2007-03-27"}, "For example, 27 3 2007"),
        ({"not_before": "2010-01-01", "not_after": "2010-01-03"}, "For example, 2 1 2010"),
        ({"not_before": "2030-05-01"}, "For example, 9 6 2031"),
        ({"not_before": "2020-01-01", "not_after": "2020-12-31"}, "For example, 1 7 2020"),
        ({"not_after": "2000-01-01"}, "For example, 1 1 1999"),
        ({"not_before": "2031-01-01", "not_after": "today"}, "For example, 6 3 2031"),
        ({"not_before": "today", "not_after": "2040-01-01"}, "For example, 5 9 2035"),
        ({"not_before": "2007-03-27", "not_after": "2008-01-01"}, "For example, 27 3 2007"),
        ({"not_before": "2006-01-01", "not_after": "2007-03-27"}, "For example, 27 3 2007"),
    ],
)
def test_the_default_date_hint_is_a_date_the_question_accepts(
    keys: dict[str, Any], hint: str
) -> None:
    question = make("date", **keys)
    assert question.example_hint(TODAY) == hint  # type: ignore[attr-defined]


def test_a_future_date_question_shows_a_future_example_and_never_none() -> None:
    question = make("date", not_before="today")
    text = question.macro_params({}, None, False)["hint"]["text"]
    day, month, year = map(int, text.removeprefix("For example, ").split())
    assert dt.date(year, month, day) > dt.date.today()
    assert "None" not in text
    own = make("date", hint="The day your lease began").macro_params({}, None, False)
    assert own["hint"] == {"text": "The day your lease began"}


ACCOUNT = {"pattern": "^5[0-9]{7}$", "pattern_message": "Enter your account number, like 51234567"}


@pytest.mark.parametrize("typed", ["5123 4567", " 51 23 45 67 ", "5123\t4567"])
def test_spaces_inside_an_account_number_are_ignored(typed: str) -> None:
    assert make("text", **ACCOUNT).clean({"answer": typed}) == "51234567"


def test_spaces_are_kept_where_the_pattern_allows_them() -> None:
    question = make("text", pattern="^[A-Z0-9 ]{2,8}$")
    assert question.clean({"answer": "AB12 CDE"}) == "AB12 CDE"


def test_a_wrong_account_number_still_gets_the_designer_s_message() -> None:
    question = make("text", **ACCOUNT)
    assert error_of(question, {"answer": "6123 4567"}).message == ACCOUNT["pattern_message"]


def test_the_designer_s_pattern_message_wins_over_a_length_message() -> None:
    question = make("text", min_length=8, max_length=8, **ACCOUNT)
    assert error_of(question, {"answer": "512"}).message == ACCOUNT["pattern_message"]
    assert error_of(question, {"answer": "5123456789"}).message == ACCOUNT["pattern_message"]
    by_key = make(
        "text", min_length=8, pattern="^5[0-9]{7}$", error_messages={"pattern": "Check it"}
    )
    assert error_of(by_key, {"answer": "512"}).message == "Check it"


def test_without_a_pattern_message_the_length_message_is_the_more_useful() -> None:
    question = make("text", min_length=8, pattern="^5[0-9]{7}$")
    error = error_of(question, {"answer": "512"})
    assert error.message == "Your Council Tax account number must be 8 characters or more"
    matched_but_short = make("text", min_length=4, pattern="^[0-9]+$")
    assert "4 characters or more" in error_of(matched_but_short, {"answer": "12"}).message


def test_a_two_digit_year_says_what_is_missing() -> None:
    question = make("date", label="When do you want your permit to start?")
    error = error_of(question, {"answer-day": "1", "answer-month": "jan", "answer-year": "27"})
    assert error.message == (
        "The answer to ‘When do you want your permit to start?’ must include a year with 4 numbers, like 2007"
    )
    # a resident's trial: a date of birth's example year was next year's; a start date's is ahead
    born = make("date", label="Date of birth", not_after="today")
    error = error_of(born, {"answer-day": "1", "answer-month": "1", "answer-year": "80"})
    assert error.message.endswith("like 2007")
    start = make("date", label="Start date", not_before="today")
    error = error_of(start, {"answer-day": "1", "answer-month": "1", "answer-year": "27"})
    assert error.message.endswith(f"like {start.example_date().year}")
    assert start.example_date() > dt.date.today()
    assert error.field == "answer-year"
    assert error.parts == frozenset({"year"})
    error = error_of(question, {"answer-day": "27", "answer-month": "jan", "answer-year": ""})
    assert (
        error.message
        == "The answer to ‘When do you want your permit to start?’ must include a year"
    )


def test_a_year_that_is_not_a_number_is_still_not_a_real_date() -> None:
    question = make("date", label="Date of birth")
    error = error_of(question, {"answer-day": "1", "answer-month": "1", "answer-year": "20x"})
    assert error.message == "Date of birth must be a real date"


def test_registration_numbers_are_stored_in_capitals() -> None:
    question = make(
        "text", label="Vehicle registration number", pattern="^[A-Z0-9 ]{2,8}$", uppercase=True
    )
    assert question.clean({"answer": "ab12 cde"}) == "AB12 CDE"
    assert make("text").clean({"answer": "ab12 cde"}) == "ab12 cde"


def test_a_repeat_items_summary_pairs_a_bare_yes_or_no_with_its_question() -> None:
    owned = make("yes_no", label="Is the vehicle owned by the charity?")
    kind = make("radios", label="What type?", options=[{"value": "van", "label": "Van"}])
    assert owned.item_line("yes") == "Is the vehicle owned by the charity? Yes"
    assert owned.display("yes") == "Yes"  # check-your-answers has the question as its key
    assert kind.item_line("van") == "Van"


def test_a_limit_of_one_character_is_said_in_the_singular() -> None:
    question = make("text", label="Your reference", max_length=1)
    assert error_of(question, {"answer": "ab"}).message == (
        "Your reference must be 1 character or less"
    )


def test_the_default_format_message_is_translated_into_welsh() -> None:
    question = QUESTION_TYPES["text"].model_validate(
        {"type": "text", "id": "answer", "label": "Cyfeirnod", "pattern": "^[0-9]+$"},
        context={"language": "cy"},
    )
    assert error_of(question, {"answer": "abc"}).message == (
        "Rhowch yr ateb i ‘Cyfeirnod’ yn y fformat cywir"
    )


def test_a_long_limit_is_written_with_a_thousands_comma() -> None:
    question = make("textarea", label="Your reference", max_length=1000)
    assert error_of(question, {"answer": "a" * 1001}).message == (
        "Your reference must be 1,000 characters or less"
    )


@pytest.mark.parametrize("type_", ["text", "textarea"])
def test_a_paste_over_every_limit_is_told_the_questions_own_limit(type_: str) -> None:
    question = make(type_, label="Full name", max_length=100)
    assert error_of(question, {"answer": "a" * 200_000}).message == (
        "Full name must be 100 characters or less"
    )


def test_a_line_break_counts_as_one_character_as_the_character_count_says() -> None:
    """Browsers send a line break as CRLF: 'AB12CDE⏎XY34FGH' is 15 characters, not 16."""
    question = make("textarea", label="Other vehicles", max_length=15)
    assert question.clean({"answer": "AB12CDE\r\nXY34FGH"}) == "AB12CDE\nXY34FGH"


def test_a_count_message_quotes_an_indirect_question_rather_than_start_with_it() -> None:
    """'Which bin was missed must be …' does not read: as a subject, only a noun phrase will
    do, so the message quotes the question."""
    question = make("text", label="Which bin was missed?", max_length=2)
    assert error_of(question, {"answer": "abc"}).message == (
        "The answer to ‘Which bin was missed?’ must be 2 characters or less"
    )


def test_a_subject_message_quotes_an_indirect_question() -> None:
    question = make("number", label="Which bin was missed?")
    assert error_of(question, {"answer": "x"}).message == (
        "The answer to ‘Which bin was missed?’ must be a number"
    )


def test_a_hedged_question_is_not_taken_for_a_noun_phrase() -> None:
    """'About how many bags would it fill must be a number' does not read either."""
    question = make("number", label="About how many bin bags would the rubbish fill?")
    assert error_of(question, {"answer": "x"}).message == (
        "The answer to ‘About how many bin bags would the rubbish fill?’ must be a number"
    )
    assert question.uses_generic_wording
    named = make("number", label="Roughly how many?", error_name="the number of bags")
    assert error_of(named, {"answer": "x"}).message == "The number of bags must be a number"


def test_welsh_messages_quote_the_question_rather_than_rework_its_english() -> None:
    question = QUESTION_TYPES["text"].model_validate(
        {"type": "text", "id": "answer", "label": "Which bin was missed?"},
        context={"language": "cy"},
    )
    assert error_of(question, {}).message == "Rhowch yr ateb i ‘Which bin was missed?’"


def test_nothing_posted_is_no_answer_and_ten_thousand_characters_is_the_most() -> None:
    question = make("text", label="Your reference", error_messages={"max_length": "Too long"})
    assert error_of(question, {}).check == "required"
    assert question.clean({"answer": "a" * 10_000}) == "a" * 10_000
    too_long = error_of(question, {"answer": "a" * 10_001})
    assert (too_long.check, too_long.message) == ("max_length", "Too long")


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (
            {"not_before": "today + 3 months", "not_after": "today + 1 day"},
            "not_before (today + 3 months, {later} today) is later than not_after "
            "(today + 1 day, {earlier} today): no date could be given",
        ),
        (
            {"not_before": "2027-06-01", "not_after": "2027-01-01"},
            "not_before (2027-06-01) is later than not_after (2027-01-01): no date could be given",
        ),
        ({"not_after": "2026-02-30"}, "2026-02-30 is not a date in the calendar"),
    ],
)
def test_date_bounds_that_let_in_no_date_are_refused(keys: dict[str, Any], message: str) -> None:
    from service_builder.questions.composite import resolve_date

    later = resolve_date("today + 3 months").isoformat()
    earlier = resolve_date("today + 1 day").isoformat()
    with pytest.raises(ValueError, match="validation error") as refused:
        make("date", **keys)
    assert message.format(later=later, earlier=earlier) in str(refused.value)
    make("date", not_before="today - 1 day", not_after="today")  # one day is enough
    # a fixed limit and one from today are not compared: it would change by the day, and a
    # definition valid today must not be refused on a later one
    make("date", not_before="today", not_after="2020-01-01")
