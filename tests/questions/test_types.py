"""Each question type: what it stores, its GOV.UK error messages and its macro parameters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from service_builder.questions import QUESTION_TYPES, AnswerError, Question


def make(type_: str, **keys: Any) -> Question:
    keys.setdefault("id", "answer")
    keys.setdefault("label", "What is your full name?")
    return QUESTION_TYPES[type_].model_validate({"type": type_, **keys})


def error_of(question: Question, raw: dict[str, Any]) -> AnswerError:
    with pytest.raises(AnswerError) as caught:
        question.clean(raw)
    return caught.value


@pytest.mark.parametrize(
    ("type_", "keys", "raw", "stored"),
    [
        ("text", {}, {"answer": "  Sam  "}, "Sam"),
        ("textarea", {}, {"answer": "Line 1\nLine 2"}, "Line 1\nLine 2"),
        ("number", {"integer": True}, {"answer": "1,200"}, 1200),
        ("number", {}, {"answer": "2.5"}, 2.5),
        ("number", {"prefix": "£"}, {"answer": "£12"}, 12),
        ("email", {}, {"answer": " sam@example.com "}, "sam@example.com"),
        ("phone", {}, {"answer": "07700 900 982"}, "07700 900 982"),
        ("phone", {}, {"answer": "+33 1 23 45 67 89"}, "+33 1 23 45 67 89"),
        ("postcode", {}, {"answer": "sw1a1aa"}, "SW1A 1AA"),
        ("postcode", {}, {"answer": "gir0aa"}, "GIR 0AA"),
        (
            "address",
            {},
            {"answer-line-1": "1 High St", "answer-town": "Town", "answer-postcode": "GIR 0AA"},
            {"line_1": "1 High St", "line_2": "", "town": "Town", "postcode": "GIR 0AA"},
        ),
        ("date", {}, {"answer-day": "7", "answer-month": "3", "answer-year": "2024"}, "2024-03-07"),
        (
            "date",
            {},
            {"answer-day": "7", "answer-month": "Mar", "answer-year": "2024"},
            "2024-03-07",
        ),
        ("radios", {"options": ["a", "b"]}, {"answer": "b"}, "b"),
        ("select", {"options": ["a", "b"]}, {"answer": "a"}, "a"),
        ("yes_no", {}, {"answer": "no"}, "no"),
        ("checkboxes", {"options": ["a", "b", "c"]}, {"answer": ["c", "a"]}, ["a", "c"]),
        (
            "address",
            {},
            {
                "answer-line-1": "1 High St",
                "answer-line-2": "",
                "answer-town": "Town",
                "answer-postcode": "al12cd",
            },
            {"line_1": "1 High St", "line_2": "", "town": "Town", "postcode": "AL1 2CD"},
        ),
    ],
)
def test_valid_answers_are_stored_in_the_contract_shape(
    type_: str, keys: dict[str, Any], raw: dict[str, Any], stored: Any
) -> None:
    question = make(type_, **keys)
    assert question.clean(raw) == stored
    assert question.clean(question.raw_from_answer(stored)) == stored  # round trip


@pytest.mark.parametrize(
    ("type_", "keys", "raw", "message"),
    [
        ("text", {}, {"answer": ""}, "Enter your full name"),
        (
            "text",
            {"max_length": 3},
            {"answer": "abcd"},
            "Your full name must be 3 characters or less",
        ),
        (
            "text",
            {"min_length": 3},
            {"answer": "ab"},
            "Your full name must be 3 characters or more",
        ),
        (
            "text",
            {"pattern": "[0-9]+"},
            {"answer": "ab"},
            "Enter your full name in the correct format",
        ),
        (
            "text",
            {"pattern": "[0-9]+", "pattern_message": "Enter digits only"},
            {"answer": "ab"},
            "Enter digits only",
        ),
        (
            "textarea",
            {"max_words": 2},
            {"answer": "one two three"},
            "Your full name must be 2 words or fewer",
        ),
        ("number", {"label": "Amount"}, {"answer": "ten"}, "Amount must be a number"),
        (
            "number",
            {"label": "Amount", "integer": True},
            {"answer": "1.5"},
            "Amount must be a whole number",
        ),
        ("number", {"label": "Amount", "min": 5}, {"answer": "4"}, "Amount must be 5 or more"),
        ("number", {"label": "Amount", "max": 5}, {"answer": "6"}, "Amount must be 5 or less"),
        (
            "email",
            {},
            {"answer": "nope"},
            "Enter an email address in the correct format, like name@example.com",
        ),
        (
            "phone",
            {},
            {"answer": "123"},
            "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192",
        ),
        ("postcode", {}, {"answer": "XYZ"}, "Enter a full UK postcode, like AA3 1AB"),
        ("postcode", {}, {"answer": "GIR 1AB"}, "Enter a full UK postcode, like AA3 1AB"),
        (
            "date",
            {"label": "Date of birth"},
            {"answer-day": "31", "answer-month": "2", "answer-year": "2023"},
            "Date of birth must be a real date",
        ),
        (
            "date",
            {"label": "Date of birth"},
            {"answer-day": "9" * 30, "answer-month": "2", "answer-year": "2020"},
            "Date of birth must be a real date",
        ),
        (
            "date",
            {"label": "Date of birth"},
            {"answer-day": "", "answer-month": "2", "answer-year": ""},
            "Date of birth must include a day and a year",
        ),
        (
            "date",
            {"label": "Date of birth", "not_after": "2000-01-01"},
            {"answer-day": "2", "answer-month": "1", "answer-year": "2000"},
            "Date of birth must be the same as or before 1 January 2000",
        ),
        (
            "radios",
            {"label": "Which bin was missed?", "options": ["a"]},
            {"answer": ""},
            "Select which bin was missed",
        ),
        (
            "radios",
            {"label": "Which bin was missed?", "options": ["a"]},
            {"answer": "forged"},
            "Select which bin was missed",
        ),
        (
            "yes_no",
            {"label": "Do you have a pet?"},
            {"answer": ""},
            "Select yes or no to answer ‘Do you have a pet?’",
        ),
        (
            "yes_no",
            {"label": "Do you have a pet?", "error_name": "whether you have a pet"},
            {"answer": ""},
            "Select whether you have a pet",
        ),
        (
            "checkboxes",
            {"options": ["a", "b", "c"], "max_selected": 1},
            {"answer": ["a", "b"]},
            "Select no more than 1 option",
        ),
        (
            "checkboxes",
            {"options": ["a", "b", "none"], "exclusive": "none"},
            {"answer": ["a", "none"]},
            "Select ‘none’ or select the options that apply, not both",
        ),
        (
            "address",
            {},
            {"answer-line-1": "1 High St", "answer-town": "", "answer-postcode": "AL1 2CD"},
            "Enter town or city",
        ),
    ],
)
def test_errors_follow_govuk_wording(
    type_: str, keys: dict[str, Any], raw: dict[str, Any], message: str
) -> None:
    assert error_of(make(type_, **keys), raw).message == message


def test_error_messages_override_the_defaults() -> None:
    question = make("text", error_messages={"required": "Tell us your name"})
    assert error_of(question, {"answer": " "}).message == "Tell us your name"


def test_optional_questions_left_blank_have_no_answer() -> None:
    assert make("text", required=False).clean({"answer": ""}) is None
    assert make("date", required=False).clean({}) is None
    assert make("address", required=False).clean({}) is None
    assert make("checkboxes", options=["a"], required=False).clean({"answer": []}) is None


def test_oversized_input_gets_a_message_not_a_crash() -> None:
    error = error_of(make("text"), {"answer": "x" * 20_000})
    assert "characters or less" in error.message


def test_date_errors_point_the_summary_at_the_first_part_in_error() -> None:
    question = make("date")
    assert (
        error_of(question, {"answer-day": "1", "answer-month": "", "answer-year": "2020"}).field
        == "answer-month"
    )
    assert error_of(question, {}).field == "answer-day"


def test_date_bounds_accept_today() -> None:
    question = make("date", not_before="today")
    today = dt.date.today()
    assert question.clean(question.raw_from_answer(today.isoformat())) == today.isoformat()
    with pytest.raises(AnswerError):
        question.clean(question.raw_from_answer((today - dt.timedelta(days=1)).isoformat()))


@pytest.mark.parametrize(
    ("bound", "today", "resolved"),
    [
        ("today", "2026-11-30", "2026-11-30"),
        ("today - 18 years", "2026-11-30", "2008-11-30"),
        ("today-18 year", "2024-02-29", "2006-02-28"),  # no 29 February then
        ("today + 1 month", "2027-01-31", "2027-02-28"),
        ("today - 13 months", "2027-01-15", "2025-12-15"),
        ("today - 2 weeks", "2026-11-30", "2026-11-16"),
        ("today + 10 days", "2026-12-25", "2027-01-04"),
    ],
)
def test_a_date_bound_may_be_a_span_from_today(bound: str, today: str, resolved: str) -> None:
    from service_builder.questions.composite import resolve_date

    assert resolve_date(bound, dt.date.fromisoformat(today)).isoformat() == resolved


def test_a_date_of_birth_may_be_bounded_by_an_age() -> None:
    question = make("date", label="Date of birth", not_after="today - 18 years")
    eighteen = dt.date.today().replace(year=dt.date.today().year - 18, day=1)
    assert question.clean(question.raw_from_answer(eighteen.isoformat())) == eighteen.isoformat()
    baby = error_of(question, question.raw_from_answer(dt.date.today().isoformat()))
    assert baby.check == "not_after" and "must be the same as or before" in baby.message
    for bad in ("today - 18 yrs", "18 years ago", "today - 1000 years"):
        with pytest.raises(ValidationError, match="like 'today - 18 years'"):
            make("date", not_after=bad)


def test_commas_are_read_only_between_thousands() -> None:
    """A designer's trial: '3,5' (a decimal comma) was read as 35, and the error then said it
    was out of range, which baffles someone who typed three and a half."""
    width = make("number", min=2.4, max=12)
    assert width.clean({"answer": "3.5"}) == 3.5
    assert error_of(width, {"answer": "3,5"}).check == "invalid"
    money = make("number", prefix="£", max=10_000_000)
    for typed, value in (
        *(("£1,500", 1500), ("1,234,567.50", 1234567.5), ("-1,000", -1000)),
        *(("£ 1 500", 1500), (" 12 ", 12), ("0.5", 0.5)),
    ):
        assert money.clean({"answer": typed}) == value, typed
    for typed in ("1,50", "12,34,567", ",500", "1,,500", "0,500", "3 5", "1 2 3"):
        assert error_of(money, {"answer": typed}).check == "invalid", typed
    bags = make("number", suffix="cubic metres", suffix_one="cubic metre")
    assert [bags.clean({"answer": a}) for a in ("2  cubic  metres", "1 cubic metre")] == [2, 1]


def test_a_suffix_may_have_its_word_for_one() -> None:
    """A designer's trial: '1 bags' on check your answers."""
    bags = make("number", suffix="bags", suffix_one="bag", integer=True)
    assert [bags.display(n) for n in (1, 2, 0)] == ["1 bag", "2 bags", "0 bags"]
    assert make("number", suffix="bags").display(1) == "1 bags"  # as the designer wrote it
    assert [bags.clean({"answer": a}) for a in ("1 bag", "3 bags", "4")] == [1, 3, 4]
    cubic = make("number", suffix="cubic metres", suffix_one="cubic metre")
    assert cubic.clean({"answer": "2 cubic metres"}) == 2
    assert cubic.clean({"answer": "1 cubic metre"}) == 1
    with pytest.raises(ValidationError, match="give `suffix` too"):
        make("number", suffix_one="bag")


def test_a_single_question_is_the_page_heading() -> None:
    params = make("text").macro_params({"answer": "Sam"}, None, is_heading=True)
    assert params["label"] == {
        "text": "What is your full name?",
        "isPageHeading": True,
        "classes": "govuk-label--l",
    }
    assert params["value"] == "Sam"
    radios = make("radios", options=["a"]).macro_params({}, None, is_heading=True)
    assert radios["fieldset"]["legend"]["isPageHeading"] is True


def test_autocomplete_tokens_default_by_type_and_can_be_set() -> None:
    assert make("email").macro_params({}, None, False)["autocomplete"] == "email"
    assert make("phone").macro_params({}, None, False)["autocomplete"] == "tel"
    assert make("text", autocomplete="name").macro_params({}, None, False)["autocomplete"] == "name"
    address = make("address").macro_params({}, None, False)
    assert [i["autocomplete"] for i in address["inputs"]] == [
        "address-line1",
        "address-line2",
        "address-level2",
        "postal-code",
    ]


def test_a_postcode_gets_postal_code_only_when_the_designer_asks() -> None:
    assert "autocomplete" not in make("postcode").macro_params({}, None, False)
    own = make("postcode", autocomplete="postal-code").macro_params({}, None, False)
    assert own["autocomplete"] == "postal-code"


def test_select_and_date_carry_their_autocomplete_tokens() -> None:
    select = make("select", options=["a", "b"], autocomplete="country-name")
    assert select.macro_params({}, None, False)["attributes"] == {"autocomplete": "country-name"}
    assert "attributes" not in make("select", options=["a"]).macro_params({}, None, False)
    bday = make("date", autocomplete="bday").macro_params({}, None, False)
    assert [item["autocomplete"] for item in bday["items"]] == [
        "bday-day",
        "bday-month",
        "bday-year",
    ]
    off = make("date", autocomplete="off").macro_params({}, None, False)
    assert [item["autocomplete"] for item in off["items"]] == ["off", "off", "off"]
    plain = make("date").macro_params({}, None, False)
    assert [item["autocomplete"] for item in plain["items"]] == [None, None, None]


def test_checkbox_exclusive_option_gets_the_govuk_behaviour() -> None:
    params = make("checkboxes", options=["a", "b", "none"], exclusive="none").macro_params(
        {"answer": ["a"]}, None, False
    )
    assert params["items"][-1]["behaviour"] == "exclusive"
    assert params["items"][-2] == {"divider": "or"}
    assert params["items"][0]["checked"] is True


@pytest.mark.parametrize(
    ("type_", "keys", "message"),
    [
        ("checkboxes", {"options": ["a"], "exclusive": "z"}, "not one of the option values"),
        ("radios", {"options": ["a", "a"]}, "duplicate option values"),
        ("radios", {"options": []}, "at least one option"),
        ("text", {"pattern": "("}, "not a valid regular expression"),
        ("textarea", {"max_length": 3, "max_words": 3}, "not both"),
        ("number", {"min": 3, "max": 1}, "min is greater than max"),
        ("date", {"not_before": "soon"}, "ISO date"),
        ("yes_no", {"options": ["y", "n"]}, "use radios"),
        ("text", {"width": 7}, "Input should be"),
    ],
)
def test_inconsistent_keys_are_refused(type_: str, keys: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make(type_, **keys)
    assert message in str(caught.value)


def test_every_type_has_valid_examples_and_refuses_its_invalid_inputs() -> None:
    for type_, _cls in QUESTION_TYPES.items():
        keys: dict[str, Any] = (
            {"options": ["a", "b"]} if type_ in ("radios", "select", "checkboxes") else {}
        )
        plain = make(type_, **keys)
        # A message of its own for each check, so a refusal for the wrong reason shows.
        question = make(type_, **keys, error_messages={c: f"check {c}" for c in plain.checks})
        for raw in question.example_inputs():
            question.clean(raw)
        kinds = []
        for check, raw in question.invalid_inputs():
            assert error_of(question, raw).message == f"check {check}", (type_, raw)
            kinds.append(check)
        assert "required" in kinds, type_


def test_characters_that_show_nothing_are_taken_out_of_answers() -> None:
    """Pasted zero-width spaces make an address that looks right fail at Notify; reordering
    controls make a name read backwards on staff pages. Joiners that scripts need stay."""
    email = QUESTION_TYPES["email"].model_validate({"id": "e", "type": "email", "label": "Email?"})
    assert email.clean({"e": "a@exam\u200bple.com\ufeff"}) == "a@example.com"
    text = QUESTION_TYPES["text"].model_validate({"id": "t", "type": "text", "label": "Name?"})
    assert text.clean({"t": "\u202eevil\u202c"}) == "evil"
    assert text.clean({"t": "\u2066Ada\u2069 \U0001f469\u200d\U0001f52c"}) == (
        "Ada \U0001f469\u200d\U0001f52c"
    )
    address = QUESTION_TYPES["address"].model_validate(
        {"id": "a", "type": "address", "label": "Address?"}
    )
    typed = {"a-line-1": "\u202e1 High St", "a-town": "Town\u200b", "a-postcode": "SW1A\u200b1AA"}
    assert address.clean(typed) == {
        "line_1": "1 High St",
        "line_2": "",
        "town": "Town",
        "postcode": "SW1A 1AA",
    }
    date = QUESTION_TYPES["date"].model_validate({"id": "d", "type": "date", "label": "When?"})
    assert date.clean({"d-day": "3\u200b", "d-month": "4", "d-year": "\ufeff1960"}) == (
        dt.date(1960, 4, 3).isoformat()
    )


def test_numbers_are_shown_as_gov_uk_writes_them_and_money_with_its_pence() -> None:
    """A trial: £1,500.50 showed on check your answers as £1500.5, and the limits of an
    error as 'between 0 and 1000000'."""
    money = make("number", prefix="£", min=0, max=1_000_000)
    assert [money.display(v) for v in (1500.5, 1500, 0.5)] == ["£1,500.50", "£1,500", "£0.50"]
    assert make("number", suffix="kg").display(1234567.25) == "1,234,567.25 kg"
    assert make("number", suffix="kg").display(0.0000001) == "0.0000001 kg"  # never 1E-7
    assert money.display(-1500) == "-£1,500"
    pence = make("number", prefix="£", min=0.5, max=10_000)
    with pytest.raises(AnswerError) as caught:  # a review: '£0.5'
        pence.clean({"answer": "0.1"})
    assert caught.value.message.endswith("must be between £0.50 and £10,000")
    with pytest.raises(AnswerError) as caught:
        money.clean({"answer": "2,000,000"})
    assert caught.value.message.endswith("must be between £0 and £1,000,000")
    bags = make("number", suffix="bags", min=1, max=5000, integer=True)
    with pytest.raises(AnswerError) as caught:
        bags.clean({"answer": "5001"})
    assert caught.value.message.endswith("must be between 1 and 5,000")  # no unit in limits
