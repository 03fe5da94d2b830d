"""`autocomplete` tokens: the HTML standard's names, on a control that can carry them."""

from __future__ import annotations

import pytest

from service_builder.definitions.autocomplete import autocomplete_problem
from service_builder.definitions.loader import load_text
from service_builder.questions import QUESTION_TYPES

SERVICE = """\
id: tokens
title: Tokens
pages:
  - id: one
    title: About you
    questions:
      - id: home
        type: text
        label: Your address
        autocomplete: {token}
      - id: other
        type: phone
        label: Your phone number
        autocomplete: {phone_token}
"""


def problems(token: str, phone_token: str = "tel") -> list[str]:
    text = SERVICE.format(token=token, phone_token=phone_token)
    return [str(error) for error in load_text(text, "svc.yaml").errors]


def test_street_address_on_a_one_line_input_is_refused_with_file_line_and_path() -> None:
    assert problems("street-address") == [
        "svc.yaml:10: pages[0].questions[0].autocomplete: 'street-address' does not belong on "
        "a one-line text input: it fills in the whole multi-line address, so it needs a "
        "textarea; use address-line1, address-line2 or an address question"
    ]


def test_every_bad_token_is_reported_at_once() -> None:
    found = problems("adress-line1", phone_token="email")
    assert found == [
        "svc.yaml:10: pages[0].questions[0].autocomplete: 'adress-line1' is not an HTML "
        "autocomplete token: use one from the HTML standard's list, like name, email, tel, "
        "postal-code or address-line1",
        "svc.yaml:14: pages[0].questions[1].autocomplete: 'email' does not belong on a "
        "telephone input: use tel",
    ]


@pytest.mark.parametrize(
    "token",
    ["address-line1", "name", "postal-code", "shipping address-line2", "section-a billing name"],
)
def test_one_line_tokens_with_their_qualifiers_pass(token: str) -> None:
    assert problems(token) == []
    assert problems("off", phone_token="mobile tel") == []


@pytest.mark.parametrize(
    ("token", "control", "fits"),
    [
        ("street-address", "textarea", True),
        ("street-address", "input", False),
        ("street-address", "select", True),
        ("country-name", "select", True),
        ("name", "email", False),
        ("email", "email", True),
        ("username", "email", True),
        ("work email", "email", True),
        ("tel", "tel", True),
        ("tel-national", "tel", False),
        ("home tel", "tel", True),
        ("home name", "input", False),
        ("bday", "date", True),
        ("bday-day", "date", False),
        ("off", "date", True),
        ("name", "choice", False),
        ("off", "choice", True),  # any question may say off (the spec: all types)
        ("off", "address", True),
        ("on", "input", True),
        ("name webauthn", "input", True),
        ("webauthn", "input", False),
        ("section- name", "input", False),
        ("Name", "input", True),
        ("", "input", False),
        ("new-password", "input", True),
        ("cc-exp", "input", True),
    ],
)
def test_tokens_against_controls(token: str, control: str, fits: bool) -> None:
    assert (autocomplete_problem(token, control) is None) is fits


def test_each_question_type_names_the_control_it_draws() -> None:
    controls = {name: cls.control for name, cls in QUESTION_TYPES.items()}
    assert controls == {
        "text": "input",
        "textarea": "textarea",
        "number": "input",
        "email": "email",
        "phone": "tel",
        "date": "date",
        "radios": "choice",
        "checkboxes": "choice",
        "select": "select",
        "yes_no": "choice",
        "postcode": "input",
        "address": "address",
        "file": "file",
    }
