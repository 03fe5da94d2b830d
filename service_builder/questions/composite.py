"""Question types made of several inputs: date (day, month, year) and UK address."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from markupsafe import Markup, escape
from pydantic import Field, field_validator, model_validator

from service_builder.messages import N_
from service_builder.questions.base import (
    MAX_INPUT_CHARACTERS,
    AnswerError,
    FormData,
    Question,
    Raw,
    as_seen,
)
from service_builder.questions.inputs import normalise_postcode

DATE_PARTS = ("day", "month", "year")
DATE_PART_LABELS = {"day": N_("Day"), "month": N_("Month"), "year": N_("Year")}
MISSING_PARTS = {
    ("day",): N_("a day"),
    ("month",): N_("a month"),
    ("year",): N_("a year"),
    ("day", "month"): N_("a day and a month"),
    ("day", "year"): N_("a day and a year"),
    ("month", "year"): N_("a month and a year"),
}
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
} | {
    # Welsh month names, so a date typed in Welsh is understood in either language
    name: number
    for number, name in enumerate(
        [
            "ionawr",
            "chwefror",
            "mawrth",
            "ebrill",
            "mai",
            "mehefin",
            "gorffennaf",
            "awst",
            "medi",
            "hydref",
            "tachwedd",
            "rhagfyr",
        ],
        start=1,
    )
}


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RELATIVE_DATE = re.compile(r"today\s*(?:([+-])\s*(\d{1,3})\s*(day|week|month|year)s?)?")
"""`today`, or a span before or after it (an extension): `today - 18 years`, `today + 6 months`."""


def resolve_date(value: str, today: dt.date | None = None) -> dt.date:
    """An ISO date, `today`, or `today` give or take so many days, weeks, months or years (a
    month or year later than the day it lands on is that month's last day: 29 February goes
    to 28 February)."""
    relative = _relative(value)
    if relative is None:
        return dt.date.fromisoformat(value)
    today = today or dt.date.today()
    count, unit = relative
    if unit in ("day", "week"):
        return today + dt.timedelta(days=count * (7 if unit == "week" else 1))
    months = today.year * 12 + today.month - 1 + count * (12 if unit == "year" else 1)
    year, month = divmod(months, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(today.day, last_day))


def _relative(value: str) -> tuple[int, str] | None:
    """`today - 3 months` as (-3, "month"); `today` as (0, "day"); None for any other."""
    relative = RELATIVE_DATE.fullmatch(value.strip())
    if relative is None:
        return None
    sign, amount, unit = relative.groups()
    if sign is None:
        return 0, "day"
    return int(amount) * (-1 if sign == "-" else 1), unit


def _add_days(day: dt.date, days: int) -> dt.date:
    """The day so many days on, or the calendar's first or last (nothing lies beyond)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return day


def _days_from_today(bound: str) -> int | None:
    """0 for `today`, -1 for `today - 1 day`, 1 for `today + 1 day`; None for any other."""
    relative = _relative(bound)
    return relative[0] if relative is not None and relative[1] == "day" else None


def _as_of_today(bound: str, day: dt.date) -> str:
    """A bound as written, and the date it is today if it is relative to today."""
    return f"{bound}, {day.isoformat()} today" if _relative(bound) is not None else bound


class DateQuestion(Question):
    error_name_example: ClassVar[str] = "your date of birth"
    type: Literal["date"]
    not_before: str | None = None
    not_after: str | None = None

    condition_operators: ClassVar[frozenset[str]] = frozenset(
        {"eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", "answered"}
    )
    macro: ClassVar[str] = "govukDateInput"

    def condition_kinds(self, written: list[Any]) -> Iterable[Any]:
        """Each date and the days either side of it (a date between two others, if any,
        is one of those), of those within the question's fixed limits. A limit relative to
        today is left out: what it lets in changes by the day, and a definition valid today
        must not be refused on a later one."""
        low, high = (
            resolve_date(bound) if bound and _relative(bound) is None else None
            for bound in (self.not_before, self.not_after)
        )
        days = {dt.date.fromisoformat(value) for value in written} | {
            bound for bound in (low, high) if bound is not None
        }
        near = {_add_days(day, d) for day in days for d in (-1, 0, 1)}
        kinds = [
            day
            for day in sorted(near)
            if (low is None or day >= low) and (high is None or day <= high)
        ]
        return [day.isoformat() for day in kinds] or ["2000-01-01"]

    is_fieldset: ClassVar[bool] = True
    control: ClassVar[str] = "date"
    checks: ClassVar[tuple[str, ...]] = (
        "required",
        "incomplete",
        "invalid",
        "not_before",
        "not_after",
    )

    @field_validator("not_before", "not_after")
    @classmethod
    def _is_date(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                resolve_date(value)
            except ValueError:
                if ISO_DATE.fullmatch(value.strip()):
                    raise ValueError(f"{value} is not a date in the calendar") from None
                raise ValueError(
                    "must be an ISO date (YYYY-MM-DD), 'today', or 'today' give or take a "
                    "span, like 'today - 18 years' or 'today + 6 months'"
                ) from None
        return value

    @model_validator(mode="after")
    def _bounds_in_order(self) -> DateQuestion:
        """Two fixed limits, or two relative to today, that let in no date. A fixed limit and
        one relative to today are not compared: the answer would change by the day, and a
        definition valid today must not be refused on a later one."""
        first, last = self.not_before, self.not_after
        if first and last and (_relative(first) is None) == (_relative(last) is None):
            low, high = resolve_date(first), resolve_date(last)
            if low > high:
                raise ValueError(
                    f"not_before ({_as_of_today(first, low)}) is later than "
                    f"not_after ({_as_of_today(last, high)}): no date could be given"
                )
        return self

    def field_names(self) -> list[str]:
        return [f"{self.id}-{part}" for part in DATE_PARTS]

    def read(self, form: FormData) -> Raw:
        return {name: _text(form.get(name, "")) for name in self.field_names()}

    def clean(self, raw: Raw) -> Any:
        parts = {
            part: as_seen(str(raw.get(f"{self.id}-{part}", ""))).strip()[:20] for part in DATE_PARTS
        }
        missing = [part for part in DATE_PARTS if not parts[part]]
        if len(missing) == 3:
            if self.required:
                raise self.error("required", self.required_message(), field=f"{self.id}-day")
            return None
        if missing:
            raise self.error(
                "incomplete",
                self.say(
                    N_("%(name)s must include %(parts)s"),
                    parts=self.messages.gettext(MISSING_PARTS[tuple(missing)]),
                ),
                field=f"{self.id}-{missing[0]}",
                parts=frozenset(missing),
            )
        date = self._parse(parts)
        if self.not_before and date < resolve_date(self.not_before):
            raise self.error("not_before", self._too_early(), field=f"{self.id}-day")
        if self.not_after and date > resolve_date(self.not_after):
            raise self.error("not_after", self._too_late(), field=f"{self.id}-day")
        return date.isoformat()

    def _too_early(self) -> str:
        return self._outside(
            self.not_before,
            {
                0: N_("%(name)s must be today or in the future"),
                1: N_("%(name)s must be in the future"),
            },
            N_("%(name)s must be the same as or after %(date)s"),
        )

    def _too_late(self) -> str:
        return self._outside(
            self.not_after,
            {
                0: N_("%(name)s must be today or in the past"),
                -1: N_("%(name)s must be in the past"),
            },
            N_("%(name)s must be the same as or before %(date)s"),
        )

    def _outside(self, bound: str | None, from_today: dict[int, str], dated: str) -> str:
        """GOV.UK's words: 'today or in the past/future' for a bound of today, 'in the
        past/future' for the day before or after it, else the date."""
        days = _days_from_today(bound or "today")
        if days in from_today:
            return self.say(from_today[days])
        return self.say(dated, date=self.messages.date(resolve_date(bound or "today")))

    def _parse(self, parts: dict[str, str]) -> dt.date:
        month = MONTHS.get(parts["month"].lower()) or _number(parts["month"])
        day, year = _number(parts["day"]), _number(parts["year"])
        if year is not None and len(parts["year"]) < 4 and day and month:
            raise self.error(
                "invalid",
                self.say(
                    N_("%(name)s must include a year with 4 numbers, like %(year)s"),
                    year=self.example_date().year,  # a date of birth's: not next year
                ),
                field=f"{self.id}-year",
                parts=frozenset({"year"}),
            )
        # GOV.UK: link to and highlight the part that is wrong; the day for an impossible date
        wrong = [
            part
            for part, bad in (
                ("day", day is None or not 1 <= day <= 31),
                ("month", month is None or not 1 <= month <= 12),
                ("year", year is None or not 1000 <= year <= 9999),
            )
            if bad
        ]
        try:
            if wrong or day is None or month is None or year is None:
                raise ValueError
            return dt.date(year, month, day)
        except (ValueError, OverflowError):
            raise self.error(
                "invalid",
                self.say(N_("%(name)s must be a real date")),
                field=f"{self.id}-{wrong[0] if wrong else 'day'}",
                parts=frozenset(wrong),
            ) from None

    def example_date(self, today: dt.date | None = None) -> dt.date:
        """A date the question would accept, for its examples (GOV.UK's 27 3 2007)."""
        low, high = self.bounds(today)
        today = today or dt.date.today()
        example = dt.date(2007, 3, 27)
        if low and high:
            example = example if low <= example <= high else low + (high - low) / 2
        elif low and low > example:
            example = max(low, today) + dt.timedelta(days=30)  # a date ahead, like a start date
        elif high and high < example:
            example = high - dt.timedelta(days=365)
        return example

    def example_hint(self, today: dt.date | None = None) -> str:
        """GOV.UK's 'For example, 27 3 2007', with a date the question would accept."""
        example = self.example_date(today)
        return self.messages.gettext(
            N_("For example, %(day)s %(month)s %(year)s"),
            day=example.day,
            month=example.month,
            year=example.year,
        )

    def bounds(self, today: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
        return (
            resolve_date(self.not_before, today) if self.not_before else None,
            resolve_date(self.not_after, today) if self.not_after else None,
        )

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        low, high = self.bounds()
        if low and high:
            default = low + (high - low) / 2
        elif high:
            default = high - dt.timedelta(days=12_000)
        elif low:
            default = low + dt.timedelta(days=30)
        else:
            default = dt.date(2024, 3, 27)
        candidates = [default]
        for value in interesting:
            day = dt.date.fromisoformat(value)
            candidates += [day - dt.timedelta(days=1), day, day + dt.timedelta(days=1)]
        valid = [d for d in candidates if (not low or d >= low) and (not high or d <= high)]
        return [self.raw_from_answer(d.isoformat()) for d in sorted(set(valid))]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        inputs = [
            *super().invalid_inputs(),
            (
                "incomplete",
                {f"{self.id}-day": "", f"{self.id}-month": "3", f"{self.id}-year": "2020"},
            ),
            (
                "invalid",
                {f"{self.id}-day": "31", f"{self.id}-month": "2", f"{self.id}-year": "2020"},
            ),
        ]
        low, high = self.bounds()
        if low:
            inputs.append(
                ("not_before", self.raw_from_answer((low - dt.timedelta(days=1)).isoformat()))
            )
        if high:
            inputs.append(
                ("not_after", self.raw_from_answer((high + dt.timedelta(days=1)).isoformat()))
            )
        return inputs

    def raw_from_answer(self, value: Any) -> Raw:
        date = dt.date.fromisoformat(value)
        return {
            f"{self.id}-day": str(date.day),
            f"{self.id}-month": str(date.month),
            f"{self.id}-year": str(date.year),
        }

    def display(self, value: Any) -> str:
        return self.messages.date(dt.date.fromisoformat(value))

    def macro_params(self, raw: Raw, error: AnswerError | None, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        del params["name"], params["value"]
        params["namePrefix"] = self.id
        params["hint"] = {"text": self.hint or self.example_hint()}
        params.pop("autocomplete", None)
        in_error = (error.parts or set(DATE_PARTS)) if error else set()
        autocomplete = self.autocomplete if self.autocomplete in ("bday", "off") else None
        params["items"] = [
            {
                "name": part,
                "value": raw.get(f"{self.id}-{part}", ""),
                "classes": " ".join(
                    filter(
                        None,
                        [
                            "govuk-input--width-4" if part == "year" else "govuk-input--width-2",
                            "govuk-input--error" if part in in_error else "",
                        ],
                    )
                ),
                "autocomplete": f"bday-{part}" if autocomplete == "bday" else autocomplete,
                "label": self.messages.gettext(DATE_PART_LABELS[part]),
            }
            for part in DATE_PARTS
        ]
        return params


def _text(value: Any) -> str:
    return value[: MAX_INPUT_CHARACTERS + 1] if isinstance(value, str) else ""


def _number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() else None


ADDRESS_PARTS = {
    # key: (field suffix, label, autocomplete, width class)
    "line_1": ("line-1", N_("Address line 1"), "address-line1", None),
    "line_2": ("line-2", N_("Address line 2 (optional)"), "address-line2", None),
    "town": ("town", N_("Town or city"), "address-level2", "govuk-!-width-two-thirds"),
    "postcode": ("postcode", N_("Postcode"), "postal-code", "govuk-input--width-10"),
}
LINE_1 = N_("Enter address line 1, typically the building and street")
NEEDED_PARTS = {
    # the parts an address must have, and GOV.UK's message when one is left blank
    "line_1": LINE_1,
    "town": N_("Enter town or city"),
    "postcode": N_("Enter postcode"),
}


LOOKUP_FIELDS = {
    # the address lookup's own form fields (an extension: `{id}-` and these suffixes)
    "postcode": "lookup-postcode",
    "building": "lookup-building",
    "uprn": "uprn",
}
STEP_FIELD = "step"
"""`{id}-step`: which lookup step a POST answers, `find` or `choose`; absent for the four
address fields, so a client that posts only those still answers the question."""
MAX_BUILDING = 100


@dataclass(frozen=True)
class AddressSearch:
    """What the person asked the lookup for: a postcode, and perhaps a building."""

    postcode: str
    building: str = ""


class AddressQuestion(Question):
    type: Literal["address"]
    lookup: bool = Field(
        default=False,
        description="Find the address from a postcode (OS Places API); the answer gains `uprn`",
    )
    macro: ClassVar[str] = "address"
    is_fieldset: ClassVar[bool] = True
    control: ClassVar[str] = "address"
    checks: ClassVar[tuple[str, ...]] = (
        "required",
        "line_1",
        "town",
        "postcode",
        "invalid",
        "lookup_postcode",
        "lookup_invalid",
        "lookup_choice",
    )
    condition_operators: ClassVar[frozenset[str]] = frozenset({"answered"})

    @model_validator(mode="after")
    def _own_tokens(self) -> AddressQuestion:
        """Its fields have their own widths (a `width` does nothing: `lint` says so) and
        tokens: `off` turns them off, for the address of a place, not the person's own."""
        if self.autocomplete not in (None, "off"):
            raise ValueError(
                "an address question sets its own autocomplete tokens: write off when it "
                "asks for the address of a place, not the person's own"
            )
        return self

    def part_autocomplete(self, token: str) -> str:
        """The token of one of its fields (`postal-code`), or `off`."""
        return "off" if self.autocomplete == "off" else token

    def field_names(self) -> list[str]:
        manual = [self.field(key) for key in ADDRESS_PARTS]
        return manual + [self.lookup_field(key) for key in LOOKUP_FIELDS] if self.lookup else manual

    def field(self, key: str) -> str:
        return f"{self.id}-{ADDRESS_PARTS[key][0]}"

    def lookup_field(self, key: str) -> str:
        return f"{self.id}-{LOOKUP_FIELDS[key]}"

    @property
    def step_field(self) -> str:
        return f"{self.id}-{STEP_FIELD}"

    def read(self, form: FormData) -> Raw:
        raw = {name: _text(form.get(name, "")) for name in self.field_names()}
        step = form.get(self.step_field) if self.lookup else None
        if step in ("find", "choose"):
            raw[self.step_field] = step
        return raw

    def step(self, raw: Raw) -> str:
        """The lookup step a POST answers: `find`, `choose`, or `manual` (the four fields)."""
        return str(raw.get(self.step_field) or "manual")

    def raw_for(self, search: AddressSearch) -> Raw:
        """The postcode form's input for a search, as if it had just been posted."""
        return {
            self.step_field: "find",
            self.lookup_field("postcode"): search.postcode,
            self.lookup_field("building"): search.building,
        }

    def search(self, raw: Raw) -> AddressSearch:
        """The postcode (and building) to look up, or an error in GOV.UK's words."""
        postcode_field = self.lookup_field("postcode")
        typed = as_seen(str(raw.get(postcode_field, ""))).strip()
        building = as_seen(str(raw.get(self.lookup_field("building"), ""))).strip()
        if not typed:
            raise self.error(
                "lookup_postcode", self.messages.gettext(N_("Enter a postcode")), postcode_field
            )
        postcode = normalise_postcode(typed[:20])
        if postcode is None:
            raise self.error(
                "lookup_invalid",
                self.messages.gettext(N_("Enter a full UK postcode, like AA3 1AB")),
                postcode_field,
            )
        if len(building) > MAX_BUILDING:
            raise self.error(
                "lookup_invalid",
                self.messages.gettext(
                    N_("Building name or number must be %(num)s characters or less"),
                    num=MAX_BUILDING,
                ),
                self.lookup_field("building"),
            )
        return AddressSearch(postcode, building)

    def choice_error(self) -> AnswerError:
        return self.error(
            "lookup_choice",
            self.messages.gettext(N_("Select the address")),
            self.lookup_field("uprn"),
        )

    def clean(self, raw: Raw) -> Any:
        step = self.step(raw) if self.lookup else "manual"
        if step == "find":
            self.search(raw)
        if step != "manual":
            # a search, or a choice not yet matched to a found address, is not an answer:
            # the web layer turns a chosen UPRN into the address before cleaning it
            raise self.choice_error()
        answer = self._clean_manual(raw)
        uprn = raw.get("uprn")  # only ever from a stored answer: `read` never gives this key
        if answer is not None and self.lookup and isinstance(uprn, str) and uprn.isdigit():
            answer["uprn"] = uprn
        return answer

    def _clean_manual(self, raw: Raw) -> Any:
        parts = {key: as_seen(str(raw.get(self.field(key), ""))).strip() for key in ADDRESS_PARTS}
        if not any(parts.values()) and not self.required:
            return None
        # every input's problem at once, as GOV.UK shows them (an all-blank address too)
        problems = [found for key in ADDRESS_PARTS if (found := self._problem(key, parts))]
        if problems:
            raise AnswerError.together(problems)
        return {**parts, "postcode": normalise_postcode(parts["postcode"])}

    def _problem(self, key: str, parts: dict[str, str]) -> AnswerError | None:
        """What is wrong with one part of the address, if anything: one problem per input."""
        text, field, only = parts[key], self.field(key), frozenset({key})
        if len(text) > 200:
            part = self.messages.gettext(ADDRESS_PARTS[key][1])
            message = self.messages.gettext(
                N_("%(part)s must be 200 characters or less"), part=part
            )
            return self.error("invalid", message, field, only)
        if not text and key in NEEDED_PARTS:
            # nothing typed at all fails `required`, on line 1; its other inputs say their own
            check = "required" if key == "line_1" and not any(parts.values()) else key
            return self.error(check, self.messages.gettext(NEEDED_PARTS[key]), field, only)
        if key == "postcode" and normalise_postcode(text) is None:
            message = self.messages.gettext(N_("Enter a full UK postcode, like AA3 1AB"))
            return self.error("invalid", message, field, only)
        return None

    def raw_from_answer(self, value: Any) -> Raw:
        raw = {self.field(key): value.get(key, "") for key in ADDRESS_PARTS}
        if value.get("uprn"):
            raw["uprn"] = value["uprn"]
        return raw

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        return [
            self.raw_from_answer(
                {
                    "line_1": "1 Market Street",
                    "line_2": "",
                    "town": "Aldermoor",
                    "postcode": "AL1 2CD",
                }
            )
        ]

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        good = self.example_inputs()[0]
        return [
            *super().invalid_inputs(),
            ("town", {**good, self.field("town"): ""}),
            ("invalid", {**good, self.field("postcode"): "NOT A POSTCODE"}),
            *(self._lookup_invalid_inputs() if self.lookup else []),
        ]

    def _lookup_invalid_inputs(self) -> list[tuple[str, Raw]]:
        find = {self.step_field: "find", self.lookup_field("building"): ""}
        return [
            ("lookup_postcode", {**find, self.lookup_field("postcode"): ""}),
            ("lookup_invalid", {**find, self.lookup_field("postcode"): "NOT A POSTCODE"}),
        ]

    def display(self, value: Any) -> Markup:
        return Markup("<br>").join(escape(value[key]) for key in ADDRESS_PARTS if value.get(key))

    def export(self, value: Any) -> str:
        """One CSV cell; a looked-up address ends with its UPRN, for the back office."""
        text = ", ".join(value[key] for key in ADDRESS_PARTS if value.get(key))
        return f"{text} (UPRN {value['uprn']})" if value.get("uprn") else text

    def macro_params(self, raw: Raw, error: AnswerError | None, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        # each input shows its own problem; one that names no part belongs to line 1
        shown = {key: e for e in (error.each if error else ()) for key in e.parts or {"line_1"}}
        params["inputs"] = [
            {
                "id": self.field(key),
                "name": self.field(key),
                "value": raw.get(self.field(key), ""),
                "label": {"text": self.messages.gettext(label)},
                "autocomplete": self.part_autocomplete(autocomplete),
                "classes": width,
                "errorMessage": self.error_message(shown.get(key)),
            }
            for key, (_, label, autocomplete, width) in ADDRESS_PARTS.items()
        ]
        params["errorMessage"] = None
        params.pop("classes", None)  # a `width`: its fields have their own
        return params
