"""Fixed forms (staff pages) as WTForms, and the one path from a WTForms field to a GOV.UK macro."""

from __future__ import annotations

from typing import Any

from wtforms import Field, Form, PasswordField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from service_builder.messages import N_, catalogue
from service_builder.staff.passwords import MAX_LENGTH
from service_builder.web.language import current_language

CHANNELS = {
    "phone": "Phone",
    "face_to_face": "Face to face",
    "webchat": "Webchat",
    "letter_or_email": "Letter or email",
}
CONTACTED = {
    "phone": "by phone",
    "face_to_face": "face to face",
    "webchat": "by webchat",
    "letter_or_email": "by letter or email",
}
"""How each channel reads after 'The resident contacted us' (the assisted banner)."""
ENDED = {"phone": "call", "face_to_face": "visit", "webchat": "chat"}
"""What the agent ends with a draft they cannot send ('End the visit'); a letter or email
has nothing to end but the draft (`ended_name`)."""


def ended_name(channel: str | None) -> str:
    """What an agent ended, in a sentence: 'call', 'visit' or 'chat'; 'draft' for a letter
    or email (an agent's trial: a visit was called a call)."""
    return ENDED.get(channel or "", "draft")


CARD_TAKEN = {"face_to_face": ("face to face", "with the council’s card machine")}
"""How an agent took a card payment (`card_taken`), where it is not by phone."""
BY_PHONE = ("by phone", "through the council’s card payment system")


def card_taken(channel: str | None, briefly: bool = False) -> str:
    """How an agent took the resident's card payment, as the case ('by phone, through the
    council's card payment system') and, `briefly`, the audit trail ('by phone') say it (an
    agent's trial: a payment taken face to face was recorded 'By phone')."""
    how, means = CARD_TAKEN.get(channel or "", BY_PHONE)
    return how if briefly else f"{how}, {means}"


WRITTEN_CHANNELS = frozenset({"webchat", "letter_or_email"})
"""Channels where the agent writes to the resident: nothing is read aloud or heard."""


class SignInForm(Form):
    email = StringField(
        "Email address",
        [
            DataRequired("Enter your email address"),
            Length(max=254, message="Enter your email address"),
        ],
    )
    password = PasswordField(
        "Password",
        [
            DataRequired("Enter your password"),
            Length(max=MAX_LENGTH, message=f"Passwords are {MAX_LENGTH} characters or fewer"),
        ],
    )


class ChannelForm(Form):
    contact_channel = RadioField(
        "How did the resident contact us?",
        choices=[SelectChoice(value, label) for value, label in CHANNELS.items()],
        validators=[AnyOf(list(CHANNELS), message="Select how the resident contacted us")],
        validate_choice=False,
    )


class StartForm(Form):
    """The staff home's one-step start: which service, and how the caller made contact."""

    service = RadioField(
        "Service",
        validators=[DataRequired("Select a service")],
        validate_choice=False,
    )
    contact_channel = RadioField(
        "How did the resident contact us?",
        choices=[SelectChoice(value, label) for value, label in CHANNELS.items()],
        validators=[AnyOf(list(CHANNELS), message="Select how the resident contacted us")],
        validate_choice=False,
    )


class FindForm(Form):
    reference = StringField(
        "Reference, name, postcode, phone number, email address or date",
        [
            DataRequired("Enter a reference, name, postcode, phone number, email address or date"),
            Length(max=100, message="Enter 100 characters or fewer"),
        ],
    )


def govuk_params(field: Field, **extra: Any) -> dict[str, Any]:
    """Parameters for the GOV.UK macro of a WTForms field (input or radios)."""
    params: dict[str, Any] = {
        "id": field.id,
        "name": field.name,
        "errorMessage": error_message(field.errors[0]) if field.errors else None,
    }
    if isinstance(field, RadioField):
        params["idPrefix"] = field.id
        params["fieldset"] = {
            "legend": {"text": field.label.text, "classes": "govuk-fieldset__legend--m"}
        }
        params["items"] = [
            {"value": choice.value, "text": choice.label, "checked": field.data == choice.value}
            for choice in field.choices or []
        ]
    else:
        params["label"] = {"text": field.label.text, "classes": "govuk-label--s"}
        params["value"] = "" if isinstance(field, PasswordField) else (field.data or "")
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(params.get(key), dict):
            params[key] = {**params[key], **value}
        else:
            params[key] = value
    return params


def error_message(text: str) -> dict[str, str]:
    """An inline error whose hidden prefix ("Error:") is in the page's language, as on
    question pages; the macro's own default is always English."""
    return {"text": text, "visuallyHiddenText": catalogue(current_language()).gettext(N_("Error"))}


def error_summary(form: Form) -> list[dict[str, str]]:
    """Error summary items linking to each field (the first radio for a radio group)."""
    return [
        {"text": errors[0], "href": f"#{form[name].id}"}
        for name, errors in form.errors.items()
        if errors
    ]
