"""An address question says every input's problem at once, as GOV.UK's address pattern does:
one error per input, in the order the inputs come, each on its own input."""

from __future__ import annotations

from typing import Any

import pytest

from service_builder.questions import AnswerError
from service_builder.questions.composite import AddressQuestion

LINE_1 = "Enter address line 1, typically the building and street"
GOOD = {
    "home-line-1": "1 High St",
    "home-line-2": "",
    "home-town": "Aldermoor",
    "home-postcode": "AL1 2CD",
}


def make(language: str = "en", **keys: Any) -> AddressQuestion:
    data = {"id": "home", "type": "address", "label": "What is your address?", **keys}
    return AddressQuestion.model_validate(data, context={"language": language})


def problems(question: AddressQuestion, raw: dict[str, str]) -> list[tuple[str, str, str]]:
    with pytest.raises(AnswerError) as caught:
        question.clean(raw)
    return [(e.check, e.field, e.message) for e in caught.value.each]


def test_one_error_is_its_own_only_problem() -> None:
    error = AnswerError("Enter town or city", "home-town")
    assert error.each == (error,)


def test_errors_together_are_one_exception_whose_first_is_what_single_error_code_sees() -> None:
    first, second, third = (AnswerError(f"message {n}", f"field-{n}") for n in range(3))
    together = AnswerError.together([first, second, third])
    assert (together.message, together.field) == ("message 0", "field-0")
    assert together.each[1:] == (second, third)
    assert together.each[0].others == (second, third)
    assert first.others == ()  # the parts are left as they were
    assert [e.message for e in AnswerError.together([second]).each] == ["message 1"]


def test_a_blank_required_address_names_each_input_it_needs() -> None:
    """GOV.UK's address error example marks line 1, town and postcode, each in its words;
    the first is still the `required` check (the designer's message for it, if any)."""
    blank = {name: "" for name in GOOD}
    assert problems(make(), blank) == [
        ("required", "home-line-1", LINE_1),
        ("town", "home-town", "Enter town or city"),
        ("postcode", "home-postcode", "Enter postcode"),
    ]
    own = make(error_messages={"required": "Enter your address", "town": "Enter your town"})
    assert problems(own, blank) == [
        ("required", "home-line-1", "Enter your address"),
        ("town", "home-town", "Enter your town"),
        ("postcode", "home-postcode", "Enter postcode"),
    ]
    assert make(required=False).clean(blank) is None


def test_every_problem_is_said_at_once_in_input_order() -> None:
    raw = {
        "home-line-1": "",
        "home-line-2": "f" * 201,
        "home-town": "",
        "home-postcode": "NOT A POSTCODE",
    }
    assert problems(make(), raw) == [
        ("line_1", "home-line-1", LINE_1),
        ("invalid", "home-line-2", "Address line 2 (optional) must be 200 characters or less"),
        ("town", "home-town", "Enter town or city"),
        ("invalid", "home-postcode", "Enter a full UK postcode, like AA3 1AB"),
    ]
    # an optional address that was begun must be finished, the same way
    assert problems(make(required=False), {**raw, "home-line-2": ""})[0][0] == "line_1"


def test_each_input_has_one_problem_at_most() -> None:
    """A postcode over 200 characters is too long, not also not a postcode."""
    raw = {**GOOD, "home-line-1": "l" * 201, "home-postcode": "p" * 201}
    assert problems(make(), raw) == [
        ("invalid", "home-line-1", "Address line 1 must be 200 characters or less"),
        ("invalid", "home-postcode", "Postcode must be 200 characters or less"),
    ]


def test_welsh_says_each_problem_in_welsh() -> None:
    assert problems(make("cy"), {name: "" for name in GOOD}) == [
        (
            "required",
            "home-line-1",
            "Rhowch linell 1 y cyfeiriad, sef yr adeilad a’r stryd fel arfer",
        ),
        ("town", "home-town", "Rhowch y dref neu’r ddinas"),
        ("postcode", "home-postcode", "Rhowch y cod post"),
    ]
    raw = {**GOOD, "home-town": "t" * 201, "home-postcode": "ZZ"}
    assert problems(make("cy"), raw) == [
        ("invalid", "home-town", "Rhaid i ‘Tref neu ddinas’ fod yn 200 nod neu lai"),
        ("invalid", "home-postcode", "Rhowch god post llawn yn y DU, fel AA3 1AB"),
    ]


def test_each_input_shows_its_own_error_message() -> None:
    question = make()
    with pytest.raises(AnswerError) as caught:
        question.clean({**GOOD, "home-line-1": "", "home-postcode": ""})
    params = question.macro_params({}, caught.value, is_heading=True)
    assert [item["errorMessage"] for item in params["inputs"]] == [
        {"text": LINE_1, "visuallyHiddenText": "Error"},
        None,
        None,
        {"text": "Enter postcode", "visuallyHiddenText": "Error"},
    ]
    assert params["errorMessage"] is None  # on the inputs, never on the fieldset as well
    assert [i["errorMessage"] for i in question.macro_params({}, None, True)["inputs"]] == [
        None
    ] * 4
