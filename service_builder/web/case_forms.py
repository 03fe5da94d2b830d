"""The forms of the case pages: inbox filters, status, assignment and notes."""

from __future__ import annotations

from typing import Any

from wtforms import Form, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, StopValidation

from service_builder.cases import CLOSE_REASONS, STATUSES
from service_builder.questions.base import as_seen


def _choices(labels: dict[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in labels.items()]


RECEIVED = {"": "Any time", "1": "Today", "7": "In the last 7 days", "30": "In the last 30 days"}
ORDERS = {"": "Newest first", "oldest": "Oldest first"}


class OneOfTheChoices:
    """A filter's value must be one of its choices (an empty one means no filter)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: Form, field: SelectField) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices or []}:
            raise StopValidation(self.message)


class InboxForm(Form):
    """The inbox's search and filters: posted, or read from the list's address (its search's
    words from `web.searches`); an unknown one is an error (the list is shown without it)."""

    q = StringField(
        "Search by reference, name, email, phone, postcode or payment reference",
        [Length(max=100, message="Enter 100 characters or fewer")],
    )
    service = SelectField(
        "Service", [OneOfTheChoices("Select a service from the list")], validate_choice=False
    )
    status = SelectField(
        "Status",
        [OneOfTheChoices("Select a status from the list")],
        choices=_choices({"": "Any status", **STATUSES}),
        validate_choice=False,
    )
    assignee = SelectField(
        "Assigned to",
        [OneOfTheChoices("Select who the case is assigned to")],
        validate_choice=False,
    )
    received = SelectField(
        "Date received",
        [OneOfTheChoices("Select when the case was received from the list")],
        choices=_choices(RECEIVED),
        validate_choice=False,
    )
    order = SelectField(
        "Order",
        [OneOfTheChoices("Select an order from the list")],
        choices=_choices(ORDERS),
        validate_choice=False,
    )


class StatusForm(Form):
    status = RadioField(
        "Change the status",
        choices=[SelectChoice(value, label) for value, label in STATUSES.items()],
        validators=[AnyOf(list(STATUSES), message="Select a status")],
        validate_choice=False,
    )
    reason = RadioField(
        "Why is the case closed?",
        choices=[SelectChoice(value, label) for value, label in CLOSE_REASONS.items()],
        validators=[Optional(), AnyOf(list(CLOSE_REASONS), message="Select a reason")],
        validate_choice=False,
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.status.data == "closed" and not self.reason.data:
            self.reason.errors = ["Select why the case is closed"]
            return False
        return valid


class AssignForm(Form):
    assignee = SelectField("Assign to", validate_choice=False)


NOTE_MAX = 2000
"""A note is a line or two of what was done; longer text belongs in the case's own system."""


class NoteForm(Form):
    note = TextAreaField(
        "Add an internal note",
        [
            DataRequired("Enter a note"),
            Length(max=NOTE_MAX, message=f"A note must be {NOTE_MAX:,} characters or fewer"),
        ],
        description="Only staff can see notes. The resident never sees them.",
        filters=[lambda text: as_seen(text) if isinstance(text, str) else text],
    )


def select_params(field: SelectField, **extra: Any) -> dict[str, Any]:
    """Parameters for govukSelect from a WTForms select."""
    params: dict[str, Any] = {
        "id": field.id,
        "name": field.name,
        "label": {"text": field.label.text, "classes": "govuk-label--s"},
        "items": [
            {
                "value": choice.value,
                "text": choice.label,
                "selected": str(field.data or "") == str(choice.value),
            }
            for choice in field.choices or []
        ],
        "errorMessage": {"text": field.errors[0]} if field.errors else None,
    }
    params.update(extra)
    return params
