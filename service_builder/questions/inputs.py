"""Single text-box question types: text, textarea, number, email, phone and postcode."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, ClassVar, Literal

from markupsafe import Markup, escape
from pydantic import PositiveInt, model_validator

from service_builder.localised import LocalBody, LocalSymbol
from service_builder.messages import N_, count_messages
from service_builder.patterns import example_matching
from service_builder.questions.base import AnswerError, Question, Raw, refuse


class TextQuestion(Question):
    type: Literal["text"]
    min_length: PositiveInt | None = None
    max_length: PositiveInt | None = None
    pattern: str | None = None
    pattern_message: LocalBody | None = None
    spellcheck: bool | None = None
    uppercase: bool = False
    """Store the answer in capitals, like a vehicle registration or National Insurance number."""

    checks: ClassVar[tuple[str, ...]] = ("required", "min_length", "max_length", "pattern")

    @model_validator(mode="after")
    def _pattern_compiles(self) -> TextQuestion:
        problems = []
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                problems.append(f"pattern is not a valid regular expression: {exc}")
        if self.pattern_message and not self.pattern:
            problems.append("pattern_message needs a pattern")
        if self.min_length and self.max_length and self.min_length > self.max_length:
            problems.append("min_length is greater than max_length")
        return refuse(self, problems)

    def clean_value(self, value: str) -> Any:
        if self.uppercase:
            value = value.upper()
        if self.pattern and not re.fullmatch(self.pattern, value):
            # People type account numbers in groups, like 5123 4567: ignore the spaces.
            compact = re.sub(r"\s+", "", value)
            if re.fullmatch(self.pattern, compact):
                value = compact
            elif self.pattern_message or "pattern" in self.error_messages:
                raise self.pattern_error()  # the designer's own words say most
        if self.min_length and len(value) < self.min_length:
            raise self.error(
                "min_length",
                self.say_n(
                    "%(name)s must be %(num)s character or more",
                    "%(name)s must be %(num)s characters or more",
                    self.min_length,
                ),
            )
        if self.max_length and len(value) > self.max_length:
            raise self.error("max_length", self.too_long(self.max_length))
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise self.pattern_error()
        return value

    def pattern_error(self) -> AnswerError:
        return self.error(
            "pattern",
            self.pattern_message or self.say(N_("Enter %(name)s in the correct format")),
        )

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        text = "Sam Example"
        if self.pattern:
            text = example_matching(self.pattern, self.min_length) or text
        if self.min_length and len(text) < self.min_length:
            text = text + "x" * (self.min_length - len(text))
        if self.max_length:
            text = text[: self.max_length]
        values = dict.fromkeys([*map(str, interesting), text])
        return self.accepted([{self.id: value} for value in values]) or [{self.id: text}]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        inputs = super().invalid_inputs()
        lengths = []
        if self.min_length and self.min_length > 1:
            lengths.append(("min_length", "a" * (self.min_length - 1)))
        if self.max_length:
            lengths.append(("max_length", "a" * (self.max_length + 1)))
        for check, text in lengths:
            # The designer's pattern message wins over a length message (see clean_value).
            fails_pattern = self.pattern and not re.fullmatch(self.pattern, text)
            if not (fails_pattern and (self.pattern_message or "pattern" in self.error_messages)):
                inputs.append((check, {self.id: text}))
        if self.pattern:
            size = max(self.min_length or 1, 1)
            for candidate in ("!" * size, "a" * size, "1" * size):
                if not re.fullmatch(self.pattern, candidate):
                    inputs.append(("pattern", {self.id: candidate}))
                    break
        return inputs

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        if self.pattern and DIGITS_ONLY.fullmatch(self.pattern):
            params["inputmode"] = "numeric"  # GOV.UK: an account number is text, typed in digits
        if self.spellcheck is not None:
            params["spellcheck"] = self.spellcheck
        elif self.autocomplete and self.autocomplete.split()[-1] in NAME_TOKENS:
            params["spellcheck"] = False  # the GOV.UK names pattern: names are not misspelt
        return params


DIGITS_ONLY = re.compile(r"\^?(?:\\d|\[0-9\]|[0-9]|\{\d+(?:,\d*)?\}|[+*?])+\$?")
"""A pattern that only digits can match (`^5[0-9]{7}$`, `\\d{6,8}`): phones show digit keys."""

NAME_TOKENS = frozenset(
    {
        "name",
        "honorific-prefix",
        "given-name",
        "additional-name",
        "family-name",
        "honorific-suffix",
        "nickname",
    }
)
"""The autocomplete tokens of a person's name."""


class TextareaQuestion(Question):
    error_name_example: ClassVar[str] = "details of the problem"
    type: Literal["textarea"]
    max_length: PositiveInt | None = None
    max_words: PositiveInt | None = None
    rows: PositiveInt | None = None

    checks: ClassVar[tuple[str, ...]] = ("required", "max_length", "max_words")
    control: ClassVar[str] = "textarea"

    @model_validator(mode="after")
    def _one_limit(self) -> TextareaQuestion:
        if self.max_length and self.max_words:
            raise ValueError("use max_length or max_words, not both")
        return self

    @property
    def macro(self) -> str:  # type: ignore[override]
        return "govukCharacterCount" if self.max_length or self.max_words else "govukTextarea"

    def clean_value(self, value: str) -> Any:
        if self.max_length and len(value) > self.max_length:
            raise self.error("max_length", self.too_long(self.max_length))
        if self.max_words and len(value.split()) > self.max_words:
            raise self.error(
                "max_words",
                self.say_n(
                    "%(name)s must be %(num)s word or fewer",
                    "%(name)s must be %(num)s words or fewer",
                    self.max_words,
                ),
            )
        return value

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        text = "An example answer\non two lines"
        if self.max_words:
            text = " ".join(text.split()[: self.max_words])
        return [{self.id: text[: self.max_length or None]}]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        inputs = super().invalid_inputs()
        if self.max_length:
            inputs.append(("max_length", {self.id: "a" * (self.max_length + 1)}))
        if self.max_words:
            inputs.append(("max_words", {self.id: " ".join(["word"] * (self.max_words + 1))}))
        return inputs

    def display(self, value: Any) -> Markup:
        return Markup("<br>").join(escape(line) for line in str(value).splitlines())

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        if self.rows:
            params["rows"] = self.rows
        if self.max_length:
            params["maxlength"] = self.max_length
        if self.max_words:
            params["maxwords"] = self.max_words
        if self.max_length or self.max_words:
            size = self.max_words or self.max_length or 0
            unit: Literal["characters", "words"] = "words" if self.max_words else "characters"
            params.update(count_messages(self.messages, unit, size))
        return params


NUMBER_CEILING = 999_999_999_999_999
"""A number question without `max` (or `min`) accepts up to this (down to minus this): 15
digits, exact in JSON, in a float and in a spreadsheet."""
MAX_NUMBER_CHARACTERS = 40
PLAIN_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)")
THOUSANDS = re.compile(r"[+-]?[1-9]\d{0,2}([, ]\d{3})+(\.\d*)?")
"""A number written with commas (or spaces) between its thousands: 1,500 or 1 234 567.50."""


class NumberQuestion(Question):
    error_name_example: ClassVar[str] = "the number of vehicles"
    type: Literal["number"]
    min: float | None = None
    max: float | None = None
    integer: bool = False
    prefix: LocalSymbol | None = None
    suffix: LocalSymbol | None = None
    suffix_one: LocalSymbol | None = None
    """An extension: the suffix after the number 1 ('1 bag', where `suffix` says 'bags')."""

    checks: ClassVar[tuple[str, ...]] = ("required", "invalid", "integer", "min", "max")
    condition_operators: ClassVar[frozenset[str]] = frozenset(
        {"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "answered"}
    )

    def condition_kinds(self, written: list[Any]) -> Iterable[Any]:
        """Each number, one between each two, and one beyond each end, of those from `min` to
        `max` (the bounds count as written numbers, so the kinds split there too)."""
        bounds = [bound for bound in (self.min, self.max) if bound is not None]
        values = sorted({*written, *bounds})
        if not values:
            return [0]
        middles = [(a + b) / 2 for a, b in itertools.pairwise(values)]
        kinds = [values[0] - 1, *values, *middles, values[-1] + 1]
        return [
            n
            for n in kinds
            if (self.min is None or n >= self.min) and (self.max is None or n <= self.max)
        ]

    @model_validator(mode="after")
    def _range(self) -> NumberQuestion:
        if self.suffix_one and not self.suffix:
            raise ValueError("suffix_one is the suffix after the number 1: give `suffix` too")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min is greater than max")
        if (
            self.integer
            and self.min is not None
            and self.max is not None
            and math.ceil(self.min) > math.floor(self.max)
        ):
            raise ValueError(f"no whole number is between min ({self.min}) and max ({self.max})")
        return self

    def clean_value(self, value: str) -> Any:
        text = " ".join(value.split())
        if self.prefix:
            text = text.removeprefix(self.prefix.strip()).lstrip()
        for suffix in (self.suffix, self.suffix_one):  # as typed after the number: '2 bags'
            if suffix:
                text = text.removesuffix(" ".join(suffix.split())).rstrip()
        # Commas or spaces only between thousands (1,500 or 1 500): '3,5' is a decimal comma
        # and '3 5' a slip, not 35 (a trial, a review).
        grouped = not re.search(r"[, ]", text) or THOUSANDS.fullmatch(text)
        text = text.replace(",", "").replace(" ", "")
        # Digits first, and only so many: '1e1000000' is 9 bytes that Decimal would turn into
        # a million-digit number.
        if not grouped or len(text) > MAX_NUMBER_CHARACTERS or not PLAIN_DECIMAL.fullmatch(text):
            raise self.error("invalid", self.say(N_("%(name)s must be a number")))
        number = Decimal(text)
        is_whole = number == number.to_integral_value()
        if self.integer and not is_whole:
            raise self.error("integer", self.say(N_("%(name)s must be a whole number")))
        if self.is_money and len(text.partition(".")[2].rstrip("0")) > 2:
            raise self.error("invalid", self.in_pounds_and_pence())
        low = self.min if self.min is not None else -NUMBER_CEILING
        high = self.max if self.max is not None else NUMBER_CEILING
        too_low, too_high = number < Decimal(str(low)), number > Decimal(str(high))
        if (too_low or too_high) and self.min is not None and self.max is not None:
            between = N_("%(name)s must be between %(low)s and %(high)s")  # GOV.UK: both limits
            message = self.say(between, low=self.limit(low), high=self.limit(high))
            raise self.error("min" if too_low else "max", message)
        if too_low:
            raise self.error(
                "min", self.say(N_("%(name)s must be %(num)s or more"), num=self.limit(low))
            )
        if too_high:
            raise self.error(
                "max", self.say(N_("%(name)s must be %(num)s or less"), num=self.limit(high))
            )
        return int(number) if is_whole and "." not in text else float(number)

    @property
    def is_money(self) -> bool:
        """An amount in pounds (`prefix: £`): at most 2 decimal places, the pence."""
        return (self.prefix or "").strip() == "£"

    def in_pounds_and_pence(self) -> str:
        if self.error_noun:
            return self.say(N_("Enter %(name)s in pounds and pence, like 12.50"))
        return self.messages.gettext(N_("Enter an amount in pounds and pence, like 12.50"))

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        low = self.min if self.min is not None else 0
        candidates = [low, self.max if self.max is not None else low + 10]
        for value in interesting:
            candidates += [value - 1, value, value + 1]
        valid = [
            v
            for v in candidates
            if (self.min is None or v >= self.min) and (self.max is None or v <= self.max)
        ]
        if self.integer:
            valid = [int(v) for v in valid if float(v).is_integer()]
        return [{self.id: _plain(v)} for v in sorted(set(valid))]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        inputs = [*super().invalid_inputs(), ("invalid", {self.id: "twelve"})]
        if self.integer:
            inputs.append(("integer", {self.id: "1.5"}))
        elif self.is_money:
            inputs.append(("invalid", {self.id: "1.005"}))
        if self.min is not None:
            inputs.append(("min", {self.id: _plain(self.min - 1)}))
        if self.max is not None:
            inputs.append(("max", {self.id: _plain(self.max + 1)}))
        return inputs

    def display(self, value: Any) -> str:
        """As GOV.UK writes numbers: with commas (1,500), and money with its pence when it
        has any (£1,500.50; whole pounds as £1,500)."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            shown = f"{self.prefix or ''}{value}"
        elif self.is_money:
            shown = money(value)
        else:
            shown = f"{self.prefix or ''}{_grouped(value)}"
        suffix = self.suffix_one if value == 1 and self.suffix_one else self.suffix
        return f"{shown}{' ' + suffix if suffix else ''}"

    def limit(self, number: float) -> str:
        """A limit in an error message, written as answers are shown (money with its £ and
        pence; a unit is left out: 'between 1 and 500', not '1 bags')."""
        return money(number) if self.is_money else _grouped(number)

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        params["inputmode"] = "numeric" if self.integer else "decimal"
        params["spellcheck"] = False
        params.setdefault("classes", "govuk-input--width-10")
        if self.prefix:
            params["prefix"] = {"text": self.prefix}
        if self.suffix:
            params["suffix"] = {"text": self.suffix}
        return params


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def _grouped(number: float) -> str:
    """1500 as 1,500 and 1500.5 as 1,500.5 (as typed, less any needless .0; never 1E-7)."""
    return f"{int(number):,}" if float(number).is_integer() else f"{Decimal(str(number)):,f}"


def money(amount: float | Decimal) -> str:
    """An amount in pounds as GOV.UK writes money: £1,500 for whole pounds, £1,500.50 with
    pence, -£5 below nothing. The one way the product writes money (`payment.in_pounds`)."""
    sign, pounds = ("-" if amount < 0 else ""), abs(Decimal(str(amount)))
    shown = f"{int(pounds):,}" if pounds == pounds.to_integral_value() else f"{pounds:,.2f}"
    return f"{sign}£{shown}"


EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


class EmailQuestion(Question):
    error_name_example: ClassVar[str] = "your email address"
    type: Literal["email"]
    checks: ClassVar[tuple[str, ...]] = ("required", "invalid")
    default_autocomplete: ClassVar[str | None] = "email"
    control: ClassVar[str] = "email"

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        return [{self.id: "sam@example.com"}]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        return [*super().invalid_inputs(), ("invalid", {self.id: "sam.example.com"})]

    def clean_value(self, value: str) -> Any:
        if len(value) > 254 or not EMAIL.match(value):
            raise self.error(
                "invalid",
                self.messages.gettext(
                    N_("Enter an email address in the correct format, like name@example.com")
                ),
            )
        return value

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        params.update(type="email", spellcheck=False)
        return params


UK_PHONE = re.compile(r"^(?:\+44|0044|0)\d{9,10}$")
INTERNATIONAL_PHONE = re.compile(r"^(?:\+|00)[1-9]\d{6,14}$")


class PhoneQuestion(Question):
    error_name_example: ClassVar[str] = "your phone number"
    type: Literal["phone"]
    checks: ClassVar[tuple[str, ...]] = ("required", "invalid")
    default_autocomplete: ClassVar[str | None] = "tel"
    control: ClassVar[str] = "tel"

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        return [{self.id: "01632 960 001"}]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        return [*super().invalid_inputs(), ("invalid", {self.id: "12345"})]

    def clean_value(self, value: str) -> Any:
        digits = re.sub(r"[\s\-().]", "", value)
        if not (UK_PHONE.match(digits) or INTERNATIONAL_PHONE.match(digits)):
            raise self.error(
                "invalid",
                self.messages.gettext(
                    N_(
                        "Enter a telephone number, like 01632 960 001, 07700 900 982 "
                        "or +44 808 157 0192"
                    )
                ),
            )
        return value

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        params.update(type="tel")
        params.setdefault("classes", "govuk-input--width-20")
        return params


POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR(?=0AA))([0-9][A-Z]{2})$")
"""A UK postcode without its space; 'GIR 0AA' (Girobank) is real but fits no other rule."""


def normalise_postcode(value: str) -> str | None:
    """'sw1a1aa' -> 'SW1A 1AA'; None when it is not a UK postcode."""
    match = POSTCODE.match(re.sub(r"\s+", "", value.upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None


class PostcodeQuestion(Question):
    error_name_example: ClassVar[str] = "your postcode"
    type: Literal["postcode"]
    checks: ClassVar[tuple[str, ...]] = ("required", "invalid")
    # No default token: `postal-code` fills in the person's own postcode, which is wrong for
    # "nearest postcode" questions; the designer says `autocomplete: postal-code` when it fits.

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        return [{self.id: "AL1 2CD"}]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        return [*super().invalid_inputs(), ("invalid", {self.id: "NOT A POSTCODE"})]

    def condition_value(self, text: str) -> Any:
        """`sw1a1aa` in a condition means the stored `SW1A 1AA`."""
        return normalise_postcode(text) or text

    def clean_value(self, value: str) -> Any:
        postcode = normalise_postcode(value)
        if postcode is None:
            raise self.error(
                "invalid", self.messages.gettext(N_("Enter a full UK postcode, like AA3 1AB"))
            )
        return postcode

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        params.setdefault("classes", "govuk-input--width-10")
        params["spellcheck"] = False
        return params
