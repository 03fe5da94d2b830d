"""Each type's whole GOV.UK macro parameters, and how answers are shown and exported:
exact, so that a change to any of them is seen."""

from __future__ import annotations

from typing import Any

import pytest
from markupsafe import Markup
from pydantic import ValidationError

from service_builder.questions import QUESTION_TYPES, AnswerError, Question


def make(type_: str, **keys: Any) -> Question:
    keys.setdefault("id", "answer")
    keys.setdefault("label", "Which one?")
    return QUESTION_TYPES[type_].model_validate({"type": type_, **keys})


M_LABEL = {"classes": "govuk-label--m", "text": "Which one?"}
M_LEGEND = {"legend": {"classes": "govuk-fieldset__legend--m", "text": "Which one?"}}
L_LEGEND = {
    "legend": {"classes": "govuk-fieldset__legend--l", "isPageHeading": True, "text": "Which one?"}
}


def test_select() -> None:
    question = make(
        "select",
        options=[{"value": "a", "label": "A"}, "b"],
        hint="Pick",
        autocomplete="country-name",
    )
    error = AnswerError("Select one", "answer")
    assert question.macro_params({"answer": "b"}, error, True) == {
        "attributes": {"autocomplete": "country-name"},
        "errorMessage": {"text": "Select one", "visuallyHiddenText": "Error"},
        "hint": {"text": "Pick"},
        "id": "answer",
        "items": [
            {"selected": False, "text": "Choose an option", "value": ""},
            {"selected": False, "text": "A", "value": "a"},
            {"selected": True, "text": "b", "value": "b"},
        ],
        "label": {"classes": "govuk-label--l", "isPageHeading": True, "text": "Which one?"},
        "name": "answer",
        "value": "b",
    }
    fresh = make("select", options=["a"]).macro_params({}, None, False)
    assert fresh["items"][0] == {"selected": True, "text": "Choose an option", "value": ""}
    assert fresh["value"] == "" and "classes" not in fresh


def test_radios() -> None:
    question = make(
        "radios", options=[{"value": "a", "label": "A", "hint": "first"}, "b"], inline=True
    )
    assert question.macro_params({"answer": "a"}, None, False) == {
        "classes": "govuk-radios--inline",
        "errorMessage": None,
        "fieldset": M_LEGEND,
        "hint": None,
        "id": "answer",
        "items": [
            {"checked": True, "hint": {"text": "first"}, "text": "A", "value": "a"},
            {"checked": False, "hint": None, "text": "b", "value": "b"},
        ],
        "name": "answer",
    }
    stacked = make("radios", options=["a"], width="full").macro_params({}, None, False)
    assert "classes" not in stacked and "value" not in stacked


def test_yes_no() -> None:
    assert make("yes_no").macro_params({"answer": "no"}, None, True) == {
        "classes": "govuk-radios--inline",
        "errorMessage": None,
        "fieldset": L_LEGEND,
        "hint": None,
        "id": "answer",
        "items": [
            {"checked": False, "hint": None, "text": "Yes", "value": "yes"},
            {"checked": True, "hint": None, "text": "No", "value": "no"},
        ],
        "name": "answer",
    }
    assert "classes" not in make("yes_no", inline=False).macro_params({}, None, True)


def test_checkboxes() -> None:
    question = make("checkboxes", options=["a", "b", "none"], exclusive="none")
    assert question.macro_params({"answer": ["a", "b"]}, None, False) == {
        "errorMessage": None,
        "fieldset": M_LEGEND,
        "hint": {"text": "Select all that apply."},
        "id": "answer",
        "items": [
            {"checked": True, "hint": None, "text": "a", "value": "a"},
            {"checked": True, "hint": None, "text": "b", "value": "b"},
            {"divider": "or"},
            {
                "behaviour": "exclusive",
                "checked": False,
                "hint": None,
                "text": "none",
                "value": "none",
            },
        ],
        "name": "answer",
    }
    first = make("checkboxes", options=["none", "a"], exclusive="none")
    items = first.macro_params({}, None, False)["items"]
    assert [item.get("behaviour") for item in items] == ["exclusive", None]  # no divider
    assert make("checkboxes", options=["a"], hint="Own").macro_params({}, None, False)["hint"] == {
        "text": "Own"
    }
    assert (
        make("checkboxes", options=["a", "b"], max_selected=1).macro_params({}, None, False)["hint"]
        is None
    )


def test_number() -> None:
    question = make("number", prefix="£", suffix="kg", integer=True)
    assert question.macro_params({"answer": "5"}, None, False) == {
        "classes": "govuk-input--width-10",
        "errorMessage": None,
        "hint": None,
        "id": "answer",
        "inputmode": "numeric",
        "label": M_LABEL,
        "name": "answer",
        "prefix": {"text": "£"},
        "spellcheck": False,
        "suffix": {"text": "kg"},
        "value": "5",
    }
    plain = make("number", width=3).macro_params({}, None, False)
    assert plain["inputmode"] == "decimal" and plain["classes"] == "govuk-input--width-3"
    assert "prefix" not in plain and "suffix" not in plain


def test_postcode_and_textarea() -> None:
    assert make("postcode").macro_params({"answer": "x"}, None, False) == {
        "classes": "govuk-input--width-10",
        "errorMessage": None,
        "hint": None,
        "id": "answer",
        "label": M_LABEL,
        "name": "answer",
        "spellcheck": False,
        "value": "x",
    }
    assert make("textarea", rows=3, max_length=40).macro_params({"answer": "x"}, None, False) == {
        "errorMessage": None,
        "hint": None,
        "id": "answer",
        "label": M_LABEL,
        "maxlength": 40,
        "name": "answer",
        "rows": 3,
        "value": "x",
        "charactersAtLimitText": "You have 0 characters remaining",
        "charactersOverLimitText": {
            "one": "You have %{count} character too many",
            "other": "You have %{count} characters too many",
        },
        "charactersUnderLimitText": {
            "one": "You have %{count} character remaining",
            "other": "You have %{count} characters remaining",
        },
        "textareaDescriptionText": "You can enter up to 40 characters",
    }


def test_address() -> None:
    error = AnswerError("Enter town or city", "answer-town", frozenset({"town"}))
    params = make("address").macro_params({"answer-town": "T"}, error, True)
    assert params == {
        "errorMessage": None,
        "fieldset": L_LEGEND,
        "hint": None,
        "id": "answer",
        "inputs": [
            {
                "autocomplete": "address-line1",
                "classes": None,
                "errorMessage": None,
                "id": "answer-line-1",
                "label": {"text": "Address line 1"},
                "name": "answer-line-1",
                "value": "",
            },
            {
                "autocomplete": "address-line2",
                "classes": None,
                "errorMessage": None,
                "id": "answer-line-2",
                "label": {"text": "Address line 2 (optional)"},
                "name": "answer-line-2",
                "value": "",
            },
            {
                "autocomplete": "address-level2",
                "classes": "govuk-!-width-two-thirds",
                "errorMessage": {"text": "Enter town or city", "visuallyHiddenText": "Error"},
                "id": "answer-town",
                "label": {"text": "Town or city"},
                "name": "answer-town",
                "value": "T",
            },
            {
                "autocomplete": "postal-code",
                "classes": "govuk-input--width-10",
                "errorMessage": None,
                "id": "answer-postcode",
                "label": {"text": "Postcode"},
                "name": "answer-postcode",
                "value": "",
            },
        ],
        "name": "answer",
        "value": "",
    }
    whole = make("address").macro_params({}, AnswerError("Enter address", "answer-line-1"), False)
    assert [i["errorMessage"] for i in whole["inputs"]] == [
        {"text": "Enter address", "visuallyHiddenText": "Error"},
        None,
        None,
        None,
    ]


ADDRESS = {"line_1": "1 High St", "line_2": "", "town": "Aldermoor", "postcode": "AL1 2CD"}


def test_answers_as_check_your_answers_shows_them_and_as_a_csv_cell() -> None:
    options = [{"value": "a", "label": "Apple"}, {"value": "b", "label": "Banana"}]
    cases: list[tuple[Question, Any, Any, str]] = [
        (make("text"), "Sam", "Sam", "Sam"),
        (make("number", prefix="£", suffix="kg"), 12, "£12 kg", "12"),
        (make("number"), 2.5, "2.5", "2.5"),
        (make("textarea"), "a <b>\nline 2", Markup("a &lt;b&gt;<br>line 2"), "a <b>\nline 2"),
        (make("date"), "2024-03-07", "7 March 2024", "2024-03-07"),
        (make("radios", options=options), "b", "Banana", "b"),
        (make("radios", options=options), "z", "z", "z"),
        (make("checkboxes", options=options), ["a", "b"], "Apple, Banana", "a; b"),
        (
            make("address"),
            ADDRESS,
            Markup("1 High St<br>Aldermoor<br>AL1 2CD"),
            "1 High St, Aldermoor, AL1 2CD",
        ),
    ]
    for question, value, shown, cell in cases:
        assert question.display(value) == shown, question.type
        assert question.export(value) == cell, question.type


def test_the_base_example_is_one_plain_answer() -> None:
    question = make("text")
    assert super(type(question), question).example_inputs() == [{"answer": "Example answer"}]


def test_every_single_input_type_passes_the_error_and_the_heading_on() -> None:
    error = AnswerError("Something is wrong", "answer")
    for type_, keys in [
        ("text", {}),
        ("number", {}),
        ("postcode", {}),
        ("textarea", {"max_words": 5}),
        ("email", {}),
        ("phone", {}),
        ("radios", {"options": ["a"]}),
        ("yes_no", {}),
        ("select", {"options": ["a"]}),
        ("checkboxes", {"options": ["a"]}),
    ]:
        params = make(type_, **keys).macro_params({}, error, True)
        assert params["errorMessage"] == {
            "text": "Something is wrong",
            "visuallyHiddenText": "Error",
        }, type_
        heading = params["fieldset"]["legend"] if "fieldset" in params else params["label"]
        assert heading["isPageHeading"] is True, type_


def test_phone_email_text_and_date() -> None:
    assert make("phone").macro_params({"answer": "1"}, None, False) == {
        "autocomplete": "tel",
        "classes": "govuk-input--width-20",
        "errorMessage": None,
        "hint": None,
        "id": "answer",
        "label": M_LABEL,
        "name": "answer",
        "type": "tel",
        "value": "1",
    }
    assert make("phone", width=5).macro_params({}, None, False)["classes"] == (
        "govuk-input--width-5"
    )
    assert make("email").macro_params({"answer": "1"}, None, False) == {
        "autocomplete": "email",
        "errorMessage": None,
        "hint": None,
        "id": "answer",
        "label": M_LABEL,
        "name": "answer",
        "spellcheck": False,
        "type": "email",
        "value": "1",
    }
    text = make("text", spellcheck=False, width="one-half", hint="H")
    assert text.macro_params({"answer": "1"}, None, False) == {
        "classes": "govuk-!-width-one-half",
        "errorMessage": None,
        "hint": {"text": "H"},
        "id": "answer",
        "label": M_LABEL,
        "name": "answer",
        "spellcheck": False,
        "value": "1",
    }
    assert "spellcheck" not in make("text").macro_params({}, None, False)
    date = make("date", autocomplete="bday", hint="H")
    raw = {"answer-day": "1", "answer-month": "2", "answer-year": "2000"}
    error = AnswerError("x", "answer-month", frozenset({"month"}))
    assert date.macro_params(raw, error, True) == {
        "errorMessage": {"text": "x", "visuallyHiddenText": "Error"},
        "fieldset": L_LEGEND,
        "hint": {"text": "H"},
        "id": "answer",
        "items": [
            {
                "autocomplete": "bday-day",
                "classes": "govuk-input--width-2",
                "label": "Day",
                "name": "day",
                "value": "1",
            },
            {
                "autocomplete": "bday-month",
                "classes": "govuk-input--width-2 govuk-input--error",
                "label": "Month",
                "name": "month",
                "value": "2",
            },
            {
                "autocomplete": "bday-year",
                "classes": "govuk-input--width-4",
                "label": "Year",
                "name": "year",
                "value": "2000",
            },
        ],
        "namePrefix": "answer",
    }


class Form(dict[str, Any]):
    """A POST body with repeated fields, like werkzeug's MultiDict."""

    def get(self, key: str, default: Any = None) -> Any:
        values = super().get(key)
        return values[0] if values else default

    def getlist(self, key: str) -> list[Any]:
        return list(super().get(key) or [])


def test_reading_a_post_body_keeps_only_text_and_cuts_it_at_the_limit() -> None:
    from service_builder.questions.base import MAX_INPUT_CHARACTERS

    long = "x" * (MAX_INPUT_CHARACTERS + 50)
    form = Form(
        answer=["typed", "second"],
        **{"answer-day": ["1"], "answer-month": [3], "answer-year": [long]},
        **{"answer-line-1": ["1 High St"], "answer-town": [None], "answer-postcode": [long]},
    )
    assert make("text").read(form) == {"answer": "typed"}
    assert make("text").read(Form(answer=[7])) == {"answer": ""}
    assert make("text").read(Form()) == {"answer": ""}
    assert make("date").read(form) == {
        "answer-day": "1",
        "answer-month": "",
        "answer-year": "x" * (MAX_INPUT_CHARACTERS + 1),
    }
    address = make("address").read(form)
    assert address == {
        "answer-line-1": "1 High St",
        "answer-line-2": "",
        "answer-town": "",
        "answer-postcode": "x" * (MAX_INPUT_CHARACTERS + 1),
    }
    boxes = make("checkboxes", options=["a", "b"]).read(Form(answer=["a", 3, "b"]))
    assert boxes == {"answer": ["a", "b"]}


def test_an_answer_goes_back_into_its_field_as_text() -> None:
    assert make("number").raw_from_answer(12) == {"answer": "12"}
    assert make("text").raw_from_answer(None) == {"answer": ""}
    assert make("checkboxes", options=["a"]).raw_from_answer(None) == {"answer": []}


def test_the_or_divider_comes_only_before_a_last_exclusive_option() -> None:
    """GOV.UK's 'or' divider separates a final 'None' option from the rest; an exclusive
    option first or in the middle, or alone, gets the behaviour but no divider."""

    def dividers(options: list[str], exclusive: str) -> list[int]:
        items = make("checkboxes", options=options, exclusive=exclusive).items([])
        return [index for index, item in enumerate(items) if "divider" in item]

    assert dividers(["a", "none"], "none") == [1]
    assert dividers(["a", "b", "none"], "none") == [2]
    assert dividers(["a", "none", "b"], "none") == []
    assert dividers(["none", "a"], "none") == []
    assert dividers(["none"], "none") == []


def test_a_fresh_date_page_has_empty_boxes() -> None:
    items = make("date").macro_params({}, None, False)["items"]
    assert [item["value"] for item in items] == ["", "", ""]
    given = make("date").macro_params({"answer-day": "7", "answer-year": "2001"}, None, False)
    assert [item["value"] for item in given["items"]] == ["7", "", "2001"]


def test_a_word_limit_counts_words_in_the_counter() -> None:
    params = make("textarea", max_words=50).macro_params({}, None, False)
    assert {key: value for key, value in params.items() if "Text" in key} == {
        "wordsAtLimitText": "You have 0 words remaining",
        "wordsOverLimitText": {
            "one": "You have %{count} word too many",
            "other": "You have %{count} words too many",
        },
        "wordsUnderLimitText": {
            "one": "You have %{count} word remaining",
            "other": "You have %{count} words remaining",
        },
        "textareaDescriptionText": "You can enter up to 50 words",
    }
    assert params["maxwords"] == 50


def test_a_limit_of_one_is_described_in_the_singular() -> None:
    one_word = make("textarea", max_words=1).macro_params({}, None, False)
    one_character = make("textarea", max_length=1).macro_params({}, None, False)
    assert one_word["textareaDescriptionText"] == "You can enter up to 1 word"
    assert one_character["textareaDescriptionText"] == "You can enter up to 1 character"
    long = make("textarea", max_length=2000).macro_params({}, None, False)
    assert long["textareaDescriptionText"] == "You can enter up to 2,000 characters"  # as counted


def test_a_chosen_option_checks_only_itself_not_options_inside_its_value() -> None:
    items = make("radios", options=["a", "ab"]).macro_params({"answer": "ab"}, None, False)["items"]
    assert [item["checked"] for item in items] == [False, True]


def test_fields_missing_from_a_post_body_are_read_as_blank() -> None:
    assert make("date").read({}) == {"answer-day": "", "answer-month": "", "answer-year": ""}
    assert make("address").read({}) == {
        "answer-line-1": "",
        "answer-line-2": "",
        "answer-town": "",
        "answer-postcode": "",
    }


def test_a_numeric_option_value_is_kept_as_text() -> None:
    question = make("radios", options=[{"value": 1, "label": "One"}, "b"])
    assert [item["value"] for item in question.macro_params({}, None, False)["items"]] == ["1", "b"]
    assert question.clean({"answer": "1"}) == "1"


def test_a_question_that_need_not_be_answered_says_optional_once() -> None:
    phone = make("phone", label="Phone number", required=False)
    assert phone.macro_params({}, None, False)["label"]["text"] == "Phone number (optional)"
    assert phone.macro_params({}, None, True)["label"]["text"] == "Phone number (optional)"
    pet = make("yes_no", label="Do you have a pet?", required=False)
    legend = pet.macro_params({}, None, False)["fieldset"]["legend"]
    assert legend["text"] == "Do you have a pet? (optional)"
    date = make("date", label="When did it start?", required=False)
    assert date.macro_params({}, None, True)["fieldset"]["legend"]["text"] == (
        "When did it start? (optional)"
    )
    upload = make("file", label="Upload a photo", required=False)
    assert upload.macro_params({}, None, False)["label"]["text"] == "Upload a photo (optional)"
    written = make("text", label="Nickname (Optional)", required=False)
    assert written.macro_params({}, None, False)["label"]["text"] == "Nickname (Optional)"
    assert make("text", label="Name").macro_params({}, None, False)["label"]["text"] == "Name"
    welsh = QUESTION_TYPES["phone"].model_validate(
        {"id": "phone", "type": "phone", "label": "Rhif ffôn", "required": False},
        context={"language": "cy"},
    )
    assert welsh.macro_params({}, None, False)["label"]["text"] == "Rhif ffôn (dewisol)"


def test_a_name_is_not_spellchecked_as_the_govuk_names_pattern_asks() -> None:
    for token in ("name", "given-name", "family-name", "section-a billing name"):
        params = make("text", autocomplete=token).macro_params({}, None, False)
        assert params["spellcheck"] is False, token
    assert "spellcheck" not in make("text", autocomplete="street-address").macro_params(
        {}, None, False
    )
    chosen = make("text", autocomplete="name", spellcheck=True)
    assert chosen.macro_params({}, None, False)["spellcheck"] is True


@pytest.mark.parametrize(
    ("pattern", "numeric"),
    [("^5[0-9]{7}$", True), (r"\d{6,8}", True), ("^[A-Za-z0-9 ]{2,8}$", False), (None, False)],
)
def test_a_text_only_digits_can_answer_brings_up_digit_keys(
    pattern: str | None, numeric: bool
) -> None:
    """GOV.UK: an account number is a text input with inputmode numeric, not type=number."""
    params = make("text", pattern=pattern).macro_params({}, None, is_heading=True)
    assert (params.get("inputmode") == "numeric") is numeric
    assert params.get("type", "text") == "text"


def test_an_address_of_a_place_turns_its_fields_tokens_off_and_a_width_does_nothing() -> None:
    place = make("address", autocomplete="OFF", width="10").macro_params({}, None, True)
    assert [i["autocomplete"] for i in place["inputs"]] == ["off"] * 4
    assert "classes" not in place  # each field keeps its own width
    with pytest.raises(ValidationError, match="write off when it asks for the address of a"):
        make("address", autocomplete="street-address")


def test_autocomplete_tokens_are_read_whatever_their_case() -> None:
    """A review: 'Off' on a date passed the check (which lowercases) and rendered nothing."""
    born = make("date", autocomplete="Off").macro_params({}, None, True)
    assert {item["autocomplete"] for item in born["items"]} == {"off"}
