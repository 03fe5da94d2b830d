"""The question base class: keys every type shares, and the contract each type fulfils."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, ClassVar, Literal, Protocol, TypeVar

from markupsafe import Markup
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from service_builder.localised import LocalBody, LocalText
from service_builder.messages import N_, Translator, translator

QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(min_length=1)]
Raw = dict[str, Any]
"""What the person typed, keyed by form field name, kept to show back exactly as typed."""

MAX_INPUT_CHARACTERS = 10_000
"""No single form field may be longer than this, whatever the definition says."""


INVISIBLE = re.compile("[\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
"""Characters that show nothing: zero-width spaces and the byte order mark (pasted along
with text, they make an email address that looks right fail at GOV.UK Notify), and the
controls that reorder text (which can make a name or a file's name on a staff page read
backwards). The joiners that some scripts and emoji need are kept."""


def as_seen(text: str) -> str:
    """Text as the person saw it typed: a browser sends each line break as CRLF, which people,
    and the GOV.UK character count, count as one character; what shows nothing is taken out."""
    return INVISIBLE.sub("", text.replace("\r\n", "\n"))


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
    question: str = ""
    check: str = ""
    """The question and its `error_messages` key that failed, for the performance figures."""
    others: tuple[AnswerError, ...] = ()
    """Further problems with the same answer, each on its own input (an address with no town
    and no postcode), so the person sees them all at once."""

    @property
    def each(self) -> tuple[AnswerError, ...]:
        """Every problem with the answer, this one first, in the order the inputs come."""
        return (self, *self.others)

    @classmethod
    def together(cls, errors: Sequence[AnswerError]) -> AnswerError:
        """One exception for several problems: code that wants only one sees the first."""
        first, *others = errors
        return replace(first, others=tuple(others))


NOT_A_NOUN = re.compile(
    r"^(do|does|did|is|are|was|were|can|could|will|would|should|shall|have|has|had|may|"
    r"might|tell|give|describe|explain|list|select|choose|upload|provide|say|please|if)\b",
    re.IGNORECASE,
)
WH_WORD = re.compile(
    r"^((about|roughly|approximately|around)\s+)?(what|which|when|where|who|whom|whose|why|how)\b",
    re.IGNORECASE,
)
"""A question word, also after a hedge ('About how many bags would it fill?')."""
ALREADY_OPTIONAL = re.compile(r"\((optional|dewisol)\)\s*$", re.IGNORECASE)
"""A label that already says it may be left blank, in English or Welsh."""
INVERTED = re.compile(
    r"\b(do|does|did|is|are|was|were|can|could|will|would|should|shall|have|has|had|may)\s+"
    r"(you|it|they|he|she|we|i|the|this|that|these|those|your|their|its|there)\b",
    re.IGNORECASE,
)


def noun_from_label(label: str) -> str | None:
    """'What is your full name?' -> 'your full name', a noun phrase for any message; None
    when the label is not one ('Which bin was missed?', 'What type of vehicle is it?')."""
    thing = _stripped(label)
    if not thing or NOT_A_NOUN.match(thing) or WH_WORD.match(thing) or thing.endswith("?"):
        return None
    return thing


DETERMINERS = frozenset(
    {"your", "the", "a", "an", "their", "his", "her", "its", "our", "my"}
    | {"this", "that", "these", "those", "each", "every", "any", "some"}
)
"""Words a noun phrase in a GOV.UK error message starts with: 'Enter your full name'."""


def has_determiner(noun: str) -> bool:
    return noun.split()[0].lower() in DETERMINERS


def object_from_label(label: str) -> str | None:
    """What can follow 'Enter' or 'Select': a noun phrase, or a question that reads as an
    indirect one ('which bin was missed'), but never an inverted one ('what type is it')."""
    thing = _stripped(label)
    if not thing or NOT_A_NOUN.match(thing):
        return None
    if WH_WORD.match(thing) and INVERTED.search(thing):
        return None
    return thing


def _stripped(label: str) -> str:
    thing = label.strip().rstrip("?").strip()
    thing = re.sub(r"^(what is|what's|what are|enter)\s+", "", thing, flags=re.IGNORECASE)
    if len(thing) > 1 and not thing[:2].isupper():
        thing = thing[0].lower() + thing[1:]
    return thing


def thing_from_label(label: str) -> str:
    """The noun phrase for a label, or the label itself when it is a question."""
    return object_from_label(label) or label


ANOTHER_ANSWER = "\0another answer"
"""A text answer unlike any a condition names (no one can type a NUL)."""


def _token_case(value: Any) -> Any:
    """Autocomplete tokens are ASCII case-insensitive ('Off' is 'off'): kept in lower case,
    so every check and the HTML read them alike."""
    return value.strip().lower() if isinstance(value, str) else value


class Question(BaseModel):
    """Keys shared by all question types; subclasses add their own keys and behaviour."""

    error_name_example: ClassVar[str] = "your full name"
    """An `error_name` that fits the type, for lint's advice."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    id: QuestionId
    type: str
    label: LocalText
    hint: LocalBody | None = None
    error_name: LocalText | None = None
    required: bool = True
    error_messages: dict[str, LocalText] = Field(default_factory=dict)
    show_when: dict[str, Any] | None = None
    audience: Literal["all", "resident", "staff"] = "all"
    autocomplete: Annotated[str | None, BeforeValidator(_token_case)] = None
    width: Width | None = None

    macro: ClassVar[str] = "govukInput"
    checks: ClassVar[tuple[str, ...]] = ("required",)
    """The keys `error_messages` may use for this type."""
    default_autocomplete: ClassVar[str | None] = None
    is_fieldset: ClassVar[bool] = False
    condition_operators: ClassVar[frozenset[str]] = frozenset(
        {"eq", "ne", "in", "not_in", "answered"}
    )
    """What conditions on this type's answer may use; anything else could never hold."""
    control: ClassVar[str] = "input"
    """The HTML control, for checking `autocomplete` tokens (definitions/autocomplete.py)."""

    _language: str = PrivateAttr(default="en")

    def condition_value(self, text: str) -> Any:
        """A value written in a condition, as this type stores answers (so that it can
        match one)."""
        return text

    def condition_kinds(self, written: list[Any]) -> Iterable[Any]:
        """One answer of each kind that conditions comparing this question with the `written`
        values can tell apart (`definitions/satisfiable.py`): each value, and another."""
        return [*dict.fromkeys(written), ANOTHER_ANSWER]

    @model_validator(mode="after")
    def _remember_language(self, info: ValidationInfo) -> Question:
        """Default messages are written in the language this copy was loaded in."""
        self._language = (info.context or {}).get("language") or "en"
        return self

    # -- reading and checking what was posted ---------------------------------------------
    def field_names(self) -> list[str]:
        return [self.id]

    def read(self, form: FormData) -> Raw:
        """The raw input for this question from a POST body, as typed."""
        value = form.get(self.id, "")
        return {self.id: value if isinstance(value, str) else ""}

    def clean(self, raw: Raw) -> Any:
        """The answer to store, None for no answer, or raises AnswerError."""
        value = as_seen(str(raw.get(self.id, ""))).strip()
        if len(value) > MAX_INPUT_CHARACTERS:
            raise self.error("max_length", self.too_long(self.longest_answer()))
        if not value:
            return self.missing()
        return self.clean_value(value)

    def clean_value(self, value: str) -> Any:
        return value

    def longest_answer(self) -> int:
        """The most characters an answer may have: what a too-long answer is told (the
        question's own `max_length`, for the types that have one)."""
        own = getattr(self, "max_length", None)
        return min(own, MAX_INPUT_CHARACTERS) if isinstance(own, int) else MAX_INPUT_CHARACTERS

    def missing(self) -> None:
        if self.required:
            raise self.error("required", self.required_message())
        return None

    def required_message(self) -> str:
        return self.say(N_("Enter %(name)s"))

    def error(
        self,
        check: str,
        default: str,
        field: str | None = None,
        parts: frozenset[str] = frozenset(),
    ) -> AnswerError:
        message = self.error_messages.get(check, default)
        return AnswerError(message, field or self.id, parts, self.id, check)

    # -- default messages, in the language this copy was loaded in -------------------------
    @property
    def messages(self) -> Translator:
        return translator(self._language)

    @property
    def error_noun(self) -> str | None:
        """What default messages call the answer: `error_name`, else a noun phrase taken from
        an English label; None when messages fall back to quoting the question."""
        if self.error_name:
            return self.error_name
        return noun_from_label(self.label) if self._language == "en" else None

    def names(self, subject: bool) -> dict[str, str]:
        """The `name` placeholder: after 'Enter' or 'Select' an indirect question reads well
        ('Select which bin was missed'); as a sentence's subject only a noun phrase does."""
        generic = self.messages.gettext(
            N_("the answer to ‘%(question)s’"), question=self.label.strip()
        )
        noun = self.error_noun
        english = object_from_label(self.label) if self._language == "en" else None
        if subject:  # GOV.UK's own: 'Date of birth must be a real date'
            return {"name": noun or generic}
        if noun and not self.error_name and not has_determiner(noun):
            noun = f"the {noun}"  # 'Enter the email address', a sentence: not 'Enter email …'
        return {"name": noun or english or generic}

    @property
    def uses_generic_wording(self) -> bool:
        """Whether some default message can only quote the question, like 'Enter the
        answer to "…"', for want of an `error_name` (for `lint`)."""
        if self.error_name or self.type == "address":
            return False
        english = self._language == "en"
        if english and noun_from_label(self.label):
            return False
        as_subject = [
            check
            for check in SUBJECT_CHECKS.get(self.type, ())
            if check not in self.error_messages
            and (check in ("invalid", "incomplete") or getattr(self, check, None))
        ]
        if english and object_from_label(self.label):
            return bool(as_subject)
        return bool(as_subject) or (self.required and "required" not in self.error_messages)

    def say(self, message: str, **values: Any) -> str:
        """A default message, with this question's name filled in."""
        text = self.messages.gettext(message, **self.names(_is_subject(message)), **values)
        return _sentence(text)

    def too_long(self, limit: int) -> str:
        return self.say_n(
            "%(name)s must be %(num)s character or less",
            "%(name)s must be %(num)s characters or less",
            limit,
            num=f"{limit:,}",
        )

    def say_n(self, singular: str, plural: str, number: int, **values: Any) -> str:
        """A default message about a count, in the language's plural form for `number`."""
        names = self.names(_is_subject(singular))
        return _sentence(self.messages.ngettext(singular, plural, number, **names, **values))

    @property
    def thing(self) -> str:
        return self.names(subject=False)["name"]

    # -- showing answers back ---------------------------------------------------------------
    def raw_from_answer(self, value: Any) -> Raw:
        """Raw input that shows a stored answer in the form again."""
        return {self.id: "" if value is None else str(value)}

    def display(self, value: Any) -> str | Markup:
        """The answer as check-your-answers shows it."""
        return str(value)

    def search_words(self, value: Any) -> list[str]:
        """What staff searches find the answer by (`cases.search_text`): what is stored (an
        email address, a date as 1960-04-03) and what check your answers shows (a date in
        words; an address's lines apart)."""
        return [*stored_strings(value), shown_text(self.display(value))]

    def item_line(self, value: Any) -> str | Markup:
        """The answer as one line of a repeat item's summary, where no key names the question."""
        return self.display(value)

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
            "errorMessage": self.error_message(error),
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

    def error_message(self, error: AnswerError | None) -> dict[str, str] | None:
        if error is None:
            return None
        return {"text": error.message, "visuallyHiddenText": self.messages.gettext(N_("Error"))}

    @property
    def shown_label(self) -> str:
        """The label as people read it: GOV.UK marks a question that need not be answered
        with "(optional)", unless the designer already did."""
        if self.required or ALREADY_OPTIONAL.search(self.label):
            return self.label
        return self.messages.gettext(N_("%(label)s (optional)"), label=self.label.strip())

    @property
    def summary_label(self) -> str:
        """The label on check your answers and the sent form, where being optional no
        longer matters: without the designer's own "(optional)"."""
        return ALREADY_OPTIONAL.sub("", self.label).rstrip() or self.label

    def heading(self, is_heading: bool) -> dict[str, Any]:
        if is_heading:
            return {
                "text": self.shown_label,
                "isPageHeading": True,
                "classes": ("govuk-fieldset__legend--l" if self.is_fieldset else "govuk-label--l"),
            }
        return {
            "text": self.shown_label,
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


SUBJECT_CHECKS = {
    # the checks whose default message starts with the answer's name ('… must be a number')
    "number": ("invalid", "integer", "min", "max"),
    "date": ("incomplete", "invalid", "not_before", "not_after"),
    "text": ("min_length", "max_length"),
    "textarea": ("max_length", "max_words"),
}


def _is_subject(message: str) -> bool:
    return message.startswith("%(name)s")


def _sentence(text: str) -> str:
    """Messages start with a capital, whatever the name put first."""
    return text[:1].upper() + text[1:]


Q = TypeVar("Q", bound="Question")


def refuse(question: Q, problems: list[str]) -> Q:
    """A question's own checks at load: every problem at once (one line: pydantic takes one
    error from a model's validator), or the question when there are none."""
    if problems:
        raise ValueError("; ".join(problems))
    return question


def width_class(width: str) -> str:
    if width in FIXED_WIDTHS:
        return f"govuk-input--width-{width}"
    return f"govuk-!-width-{width}"


TAG = re.compile(r"<[^>]+>")


def shown_text(shown: str | Markup) -> str:
    """What check your answers shows, as plain text: lines apart, not run together."""
    return Markup(TAG.sub(" ", shown)).unescape() if isinstance(shown, Markup) else str(shown)


def stored_strings(value: Any) -> list[str]:
    """Every string (or number) in a stored answer, however it is nested."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in stored_strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in stored_strings(item)]
    return [] if value is None or isinstance(value, bool) else [str(value)]
