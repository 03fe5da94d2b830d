"""The question base class: keys every type shares, and the contract each type fulfils."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, Protocol

from markupsafe import Markup
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, StringConstraints

QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Raw = dict[str, Any]
"""What the person typed, keyed by form field name, kept to show back exactly as typed."""

MAX_INPUT_CHARACTERS = 10_000
"""No single form field may be longer than this, whatever the definition says."""

FIXED_WIDTHS = {"2", "3", "4", "5", "10", "20", "30"}


def _width_as_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Width = Annotated[
    Literal[
        "2",
        "3",
        "4",
        "5",
        "10",
        "20",
        "30",
        "one-quarter",
        "one-third",
        "one-half",
        "two-thirds",
        "three-quarters",
        "full",
    ],
    BeforeValidator(
        _width_as_text,
        json_schema_input_type=Literal[
            2,
            3,
            4,
            5,
            10,
            20,
            30,
            "2",
            "3",
            "4",
            "5",
            "10",
            "20",
            "30",
            "one-quarter",
            "one-third",
            "one-half",
            "two-thirds",
            "three-quarters",
            "full",
        ],
    ),
]


class FormData(Protocol):
    """What a POST body offers (werkzeug's MultiDict satisfies it)."""

    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...


@dataclass(eq=False)  # not frozen: raising sets __traceback__ (contextlib's __exit__ does)
class AnswerError(Exception):
    """A validation failure, in words the resident reads, and which input to focus."""

    message: str
    field: str
    """The form field (and element id) the error summary links to."""
    parts: frozenset[str] = frozenset()
    """For multi-part questions, the parts to mark as in error (all when empty)."""


class Condition(Protocol):
    def holds(self, answers: dict[str, Any]) -> bool: ...


def thing_from_label(label: str) -> str:
    """'What is your full name?' -> 'your full name', for messages like 'Enter …'."""
    thing = label.strip().rstrip("?").strip()
    thing = re.sub(r"^(what is|what's|what are|enter)\s+", "", thing, flags=re.IGNORECASE)
    if len(thing) > 1 and not thing[:2].isupper():
        thing = thing[0].lower() + thing[1:]
    return thing


class Question(BaseModel):
    """Keys shared by all question types; subclasses add their own keys and behaviour."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: QuestionId
    type: str
    label: Text
    hint: str | None = None
    required: bool = True
    error_messages: dict[str, Text] = Field(default_factory=dict)
    show_when: dict[str, Any] | None = None
    audience: Literal["all", "resident", "staff"] = "all"
    autocomplete: str | None = None
    width: Width | None = None

    macro: ClassVar[str] = "govukInput"
    checks: ClassVar[tuple[str, ...]] = ("required",)
    """The keys `error_messages` may use for this type."""
    default_autocomplete: ClassVar[str | None] = None
    is_fieldset: ClassVar[bool] = False
    control: ClassVar[str] = "input"
    """The HTML control, for checking `autocomplete` tokens (definitions/autocomplete.py)."""

    _show_when: Condition | None = PrivateAttr(default=None)

    # -- reading and checking what was posted ---------------------------------------------
    def field_names(self) -> list[str]:
        return [self.id]

    def read(self, form: FormData) -> Raw:
        """The raw input for this question from a POST body, as typed."""
        value = form.get(self.id, "")
        return {self.id: value if isinstance(value, str) else ""}

    def clean(self, raw: Raw) -> Any:
        """The answer to store, None for no answer, or raises AnswerError."""
        value = str(raw.get(self.id, "")).strip()
        if len(value) > MAX_INPUT_CHARACTERS:
            raise self.error(
                "max_length",
                f"{self.short_label} must be {MAX_INPUT_CHARACTERS:,} characters or less",
            )
        if not value:
            return self.missing()
        return self.clean_value(value)

    def clean_value(self, value: str) -> Any:
        return value

    def missing(self) -> None:
        if self.required:
            raise self.error("required", self.required_message())
        return None

    def required_message(self) -> str:
        return f"Enter {self.thing}"

    def error(
        self,
        check: str,
        default: str,
        field: str | None = None,
        parts: frozenset[str] = frozenset(),
    ) -> AnswerError:
        return AnswerError(self.error_messages.get(check, default), field or self.id, parts)

    @property
    def thing(self) -> str:
        return thing_from_label(self.label)

    @property
    def short_label(self) -> str:
        thing = thing_from_label(self.label)
        return thing[0].upper() + thing[1:]

    # -- showing answers back ---------------------------------------------------------------
    def raw_from_answer(self, value: Any) -> Raw:
        """Raw input that shows a stored answer in the form again."""
        return {self.id: "" if value is None else str(value)}

    def display(self, value: Any) -> str | Markup:
        """The answer as check-your-answers shows it."""
        return str(value)

    def export(self, value: Any) -> str:
        """The answer as one CSV cell."""
        return str(value)

    # -- the GOV.UK macro ----------------------------------------------------------------
    def macro_params(self, raw: Raw, error: AnswerError | None, is_heading: bool) -> dict[str, Any]:
        params: dict[str, Any] = {
            "id": self.id,
            "name": self.id,
            "value": raw.get(self.id, ""),
            "hint": {"text": self.hint} if self.hint else None,
            "errorMessage": {"text": error.message} if error else None,
        }
        if self.is_fieldset:
            params["fieldset"] = {"legend": self.heading(is_heading)}
        else:
            params["label"] = self.heading(is_heading)
        autocomplete = self.autocomplete or self.default_autocomplete
        if autocomplete:
            params["autocomplete"] = autocomplete
        if self.width:
            params["classes"] = width_class(self.width)
        return params

    def heading(self, is_heading: bool) -> dict[str, Any]:
        if is_heading:
            return {
                "text": self.label,
                "isPageHeading": True,
                "classes": ("govuk-fieldset__legend--l" if self.is_fieldset else "govuk-label--l"),
            }
        return {
            "text": self.label,
            "classes": "govuk-fieldset__legend--m" if self.is_fieldset else "govuk-label--m",
        }

    # -- example answers: for the route explorer, the accessibility sweep and tests -----
    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        """Valid inputs; more than one where the answer can change the route."""
        return [{self.id: "Example answer"}]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        """Each kind of invalid input this question can get, as (check, raw input)."""
        return [("required", self.blank())] if self.required else []

    def accepted(self, inputs: list[Raw]) -> list[Raw]:
        """The inputs this question accepts: examples must never be refused."""
        kept = []
        for raw in inputs:
            try:
                self.clean(raw)
            except AnswerError:
                continue
            kept.append(raw)
        return kept

    def blank(self) -> Raw:
        return {name: "" for name in self.field_names()}

    def visible(self, answers: dict[str, Any], audience: str) -> bool:
        if self.audience not in ("all", audience):
            return False
        return self._show_when is None or self._show_when.holds(answers)


def width_class(width: str) -> str:
    if width in FIXED_WIDTHS:
        return f"govuk-input--width-{width}"
    return f"govuk-!-width-{width}"
