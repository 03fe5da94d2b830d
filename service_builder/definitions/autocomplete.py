"""Checks `autocomplete` tokens against the HTML standard's autofill names and each control."""

from __future__ import annotations

from collections.abc import Iterator

from service_builder.definitions.schema import Service
from service_builder.definitions.yaml_source import KeyPath

# The autofill field names of the HTML standard (4.10.18.7.1), each with its control group.
TEXT_FIELDS = (
    "name honorific-prefix given-name additional-name family-name honorific-suffix "
    "nickname organization-title organization address-line1 address-line2 "
    "address-line3 address-level4 address-level3 address-level2 address-level1 "
    "country country-name postal-code cc-name cc-given-name cc-additional-name "
    "cc-family-name cc-number cc-csc cc-type transaction-currency language sex "
    "tel-country-code tel-national tel-area-code tel-local tel-local-prefix "
    "tel-local-suffix tel-extension"
)
FIELD_GROUPS: dict[str, str] = {
    **dict.fromkeys(TEXT_FIELDS.split(), "text"),
    "street-address": "multiline",
    "username": "username",
    "new-password": "password",
    "current-password": "password",
    "one-time-code": "password",
    "cc-exp": "month",
    "cc-exp-month": "numeric",
    "cc-exp-year": "numeric",
    "transaction-amount": "numeric",
    "bday": "date",
    "bday-day": "numeric",
    "bday-month": "numeric",
    "bday-year": "numeric",
    "url": "url",
    "photo": "url",
    "impp": "url",
    "tel": "tel",
    "email": "email",
}
CONTACT_FIELDS = {"tel", "tel-country-code", "tel-national", "tel-area-code", "tel-local"}
CONTACT_FIELDS |= {"tel-local-prefix", "tel-local-suffix", "tel-extension", "email", "impp"}
CONTACT_KINDS = {"home", "work", "mobile", "fax", "pager"}
ADDRESS_KINDS = {"shipping", "billing"}

ONE_LINE_GROUPS = set(FIELD_GROUPS.values()) - {"multiline"}
CONTROL_GROUPS: dict[str, set[str]] = {
    # Which control groups each kind of control may carry (the standard's table).
    "input": ONE_LINE_GROUPS,
    "textarea": ONE_LINE_GROUPS | {"multiline"},
    "select": ONE_LINE_GROUPS | {"multiline"},
    "email": {"email", "username"},
    "tel": {"tel"},
    "date": {"date"},
    "choice": set(),
    "address": set(),
    "file": set(),
}
CONTROL_NAMES = {
    "input": "a one-line text input",
    "textarea": "a multi-line textarea",
    "select": "a select",
    "email": "an email input",
    "tel": "a telephone input",
    "date": "a date input (day, month and year boxes)",
    "choice": "radios or checkboxes",
    "address": "an address question",
    "file": "a file upload",
}


def field_name(value: str) -> str | None:
    """The autofill field name a token list ends in, or None when it is not a valid list."""
    tokens = value.lower().split()
    if tokens[-1:] == ["webauthn"]:
        tokens = tokens[:-1]
    if not tokens:
        return None
    field, qualifiers = tokens[-1], tokens[:-1]
    if qualifiers and qualifiers[0].startswith("section-") and len(qualifiers[0]) > 8:
        qualifiers = qualifiers[1:]
    if qualifiers and qualifiers[0] in ADDRESS_KINDS:
        qualifiers = qualifiers[1:]
    if qualifiers and qualifiers[0] in CONTACT_KINDS and field in CONTACT_FIELDS:
        qualifiers = qualifiers[1:]
    if qualifiers or field not in FIELD_GROUPS:
        return None
    return field


def autocomplete_problem(value: str, control: str) -> str | None:
    """Why `value` is not a valid autocomplete attribute on this kind of control, if it is not."""
    words = value.lower().split()
    if words in (["on"], ["off"]):  # any question may say it (`off`: not the person's own)
        return None
    if not CONTROL_GROUPS.get(control, ONE_LINE_GROUPS):
        return (
            f"there is no autocomplete token for {CONTROL_NAMES.get(control, control)}: "
            'leave it out (or write "off")'
        )
    field = field_name(value)
    if field is None:
        return (
            f"'{value}' is not an HTML autocomplete token: use one from the HTML standard's "
            "list, like name, email, tel, postal-code or address-line1"
        )
    if FIELD_GROUPS[field] not in CONTROL_GROUPS.get(control, ONE_LINE_GROUPS):
        where = CONTROL_NAMES.get(control, control)
        return f"'{field}' does not belong on {where}{_instead(field, control)}"
    return None


def _instead(field: str, control: str) -> str:
    if field == "street-address":
        return (
            ": it fills in the whole multi-line address, so it needs a textarea; "
            "use address-line1, address-line2 or an address question"
        )
    if control == "date":
        return ": a date question takes only bday (a date of birth) or off"
    if control in ("email", "tel"):
        return f": use {control}"
    return ""


def autocomplete_problems(service: Service) -> Iterator[tuple[KeyPath, str]]:
    """Each question whose `autocomplete` is not a valid token for its control."""
    for p, page in enumerate(service.pages):
        for q, question in enumerate(page.questions):
            if question.autocomplete is not None:
                message = autocomplete_problem(question.autocomplete, question.control)
                if message:
                    yield ("pages", p, "questions", q, "autocomplete"), message
