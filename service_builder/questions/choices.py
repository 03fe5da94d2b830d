"""Question types that choose from options: radios, select, checkboxes and yes/no."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    NonNegativeInt,
    model_validator,
)

from service_builder.localised import LocalBody, LocalText
from service_builder.messages import N_, catalogue_text
from service_builder.questions.base import FormData, Question, Raw, Text, refuse, shown_text


def _option_from_yaml(value: Any) -> Any:
    """A plain string option is its own label; numbers are stored as text."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"value": str(value), "label": str(value)}
    if isinstance(value, dict) and isinstance(value.get("value"), int | float):
        return {**value, "value": str(value["value"])}
    return value


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    value: Text
    label: LocalText
    hint: LocalBody | None = None


OptionList = list[
    Annotated[Option, BeforeValidator(_option_from_yaml, json_schema_input_type=Option | str)]
]


class ChoiceQuestion(Question):
    """Shared behaviour: answers must be one of the option values."""

    def search_words(self, value: Any) -> list[str]:
        """The labels staff see, never the values stored ('kerbside', 'passed': an agent's
        trial found forms by them)."""
        return [shown_text(self.display(value))]

    error_name_example: ClassVar[str] = "the type of vehicle"

    options: OptionList
    is_fieldset: ClassVar[bool] = True
    control: ClassVar[str] = "choice"

    def condition_kinds(self, written: list[Any]) -> Iterable[Any]:
        return list(self.values)

    @model_validator(mode="after")
    def _options_are_distinct(self) -> ChoiceQuestion:
        values = [option.value for option in self.options]
        if not values:
            raise ValueError("options must list at least one option")
        duplicates = sorted({value for value in values if values.count(value) > 1})
        if duplicates:
            raise ValueError(f"duplicate option values: {', '.join(duplicates)}")
        return self

    @property
    def values(self) -> list[str]:
        return [option.value for option in self.options]

    def required_message(self) -> str:
        return self.say(N_("Select %(name)s"))

    def clean_value(self, value: str) -> Any:
        if value not in self.values:
            raise self.error("required", self.required_message())
        return value

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        return [{self.id: value} for value in self.values]

    def label_for(self, value: str) -> str:
        return next((option.label for option in self.options if option.value == value), value)

    def display(self, value: Any) -> str:
        return self.label_for(value)

    def export(self, value: Any) -> str:
        return str(value)

    def items(self, chosen: list[str]) -> list[dict[str, Any]]:
        return [
            {
                "value": option.value,
                "text": option.label,
                "hint": {"text": option.hint} if option.hint else None,
                "checked": option.value in chosen,
            }
            for option in self.options
        ]

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        chosen = raw.get(self.id, "")
        params["items"] = self.items(chosen if isinstance(chosen, list) else [chosen])
        del params["value"]
        params.pop("classes", None)
        return params


class RadiosQuestion(ChoiceQuestion):
    type: Literal["radios"]
    inline: bool = False
    macro: ClassVar[str] = "govukRadios"

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        if self.inline:
            params["classes"] = "govuk-radios--inline"
        return params


class SelectQuestion(ChoiceQuestion):
    type: Literal["select"]
    macro: ClassVar[str] = "govukSelect"
    is_fieldset: ClassVar[bool] = False
    control: ClassVar[str] = "select"

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        chosen = raw.get(self.id, "")
        params["items"] = [
            {
                "value": "",
                "text": self.messages.gettext(N_("Choose an option")),
                "selected": not chosen,
            },
            *(
                {"value": option.value, "text": option.label, "selected": option.value == chosen}
                for option in self.options
            ),
        ]
        params["value"] = chosen
        if "autocomplete" in params:  # the macro has no autocomplete parameter of its own
            params["attributes"] = {"autocomplete": params.pop("autocomplete")}
        return params


class YesNoQuestion(ChoiceQuestion):
    type: Literal["yes_no"]
    options: OptionList = Field(
        default_factory=lambda: [
            {"value": "yes", "label": catalogue_text(N_("Yes"))},
            {"value": "no", "label": catalogue_text(N_("No"))},
        ],
        validate_default=True,
    )
    inline: bool = True
    macro: ClassVar[str] = "govukRadios"

    def item_line(self, value: Any) -> str:
        # A bare "Yes" in a list of items says nothing: pair it with its question.
        return f"{self.label} {self.display(value)}"

    @model_validator(mode="after")
    def _fixed_options(self) -> YesNoQuestion:
        if self.values != ["yes", "no"]:
            raise ValueError("a yes_no question has the options yes and no; use radios for others")
        return self

    def required_message(self) -> str:
        if self.error_noun:
            return self.say(N_("Select %(name)s"))
        return self.messages.gettext(
            N_("Select yes or no to answer ‘%(question)s’"), question=self.label.strip()
        )

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        if self.inline:
            params["classes"] = "govuk-radios--inline"
        return params


class CheckboxesQuestion(ChoiceQuestion):
    type: Literal["checkboxes"]
    min_selected: NonNegativeInt | None = None
    max_selected: NonNegativeInt | None = None
    exclusive: str | None = None
    macro: ClassVar[str] = "govukCheckboxes"
    checks: ClassVar[tuple[str, ...]] = ("required", "min_selected", "max_selected", "exclusive")
    condition_operators: ClassVar[frozenset[str]] = frozenset({"contains", "answered"})

    def condition_kinds(self, written: list[Any]) -> Iterable[Any]:
        """Each choice of the options the conditions name, with or without any one other
        (as many as are asked for: there may be very many)."""
        named = [v for v in self.values if v in written]
        named += [v for v in self.values if v not in written][:1]
        return (
            list(chosen)
            for size in range(1, len(named) + 1)
            for chosen in itertools.combinations(named, size)
        )

    @model_validator(mode="after")
    def _limits(self) -> CheckboxesQuestion:
        problems = []
        if self.exclusive is not None and self.exclusive not in self.values:
            problems.append(f"exclusive '{self.exclusive}' is not one of the option values")
        if (
            self.min_selected is not None
            and self.max_selected is not None
            and self.min_selected > self.max_selected
        ):
            problems.append("min_selected is greater than max_selected")
        others = len([value for value in self.values if value != self.exclusive])
        if self.min_selected is not None and self.min_selected > others:
            problems.append(f"min_selected is more than the {others} options that can be chosen")
        return refuse(self, problems)

    def read(self, form: FormData) -> Raw:
        return {self.id: [value for value in form.getlist(self.id) if isinstance(value, str)]}

    def clean(self, raw: Raw) -> Any:
        chosen = [value.strip() for value in raw.get(self.id, []) if value.strip()]
        if not chosen:
            return self.missing()
        if any(value not in self.values for value in chosen):
            raise self.error("required", self.required_message())
        if self.exclusive is not None and self.exclusive in chosen and len(chosen) > 1:
            label = self.label_for(self.exclusive)
            raise self.error(
                "exclusive",
                self.messages.gettext(
                    N_("Select ‘%(option)s’ or select the options that apply, not both"),
                    option=label,
                ),
            )
        if self.min_selected and len(chosen) < self.min_selected and chosen != [self.exclusive]:
            raise self.error(
                "min_selected",
                self.messages.ngettext(
                    "Select at least %(num)s option",
                    "Select at least %(num)s options",
                    self.min_selected,
                ),
            )
        if self.max_selected is not None and len(chosen) > self.max_selected:
            raise self.error(
                "max_selected",
                self.messages.ngettext(
                    "Select no more than %(num)s option",
                    "Select no more than %(num)s options",
                    self.max_selected,
                ),
            )
        return [value for value in self.values if value in chosen]

    def raw_from_answer(self, value: Any) -> Raw:
        return {self.id: list(value or [])}

    def example_inputs(self, interesting: Sequence[Any] = ()) -> list[Raw]:
        """Each option on its own (padded to min_selected), so every `contains` is tried."""
        others = [value for value in self.values if value != self.exclusive]
        examples: list[Raw] = []
        for value in self.values:
            chosen = [value]
            if value != self.exclusive:
                chosen += [v for v in others if v != value][: max((self.min_selected or 1) - 1, 0)]
            example = [v for v in self.values if v in chosen]
            if example not in [raw[self.id] for raw in examples]:
                examples.append({self.id: example})
        return self.accepted(examples)

    def invalid_inputs(self) -> list[tuple[str, Raw]]:
        inputs = super().invalid_inputs()
        others = [value for value in self.values if value != self.exclusive]
        if self.min_selected and self.min_selected > 1:
            inputs.append(("min_selected", {self.id: others[:1]}))
        if self.max_selected is not None and len(others) > self.max_selected:
            inputs.append(("max_selected", {self.id: others[: self.max_selected + 1]}))
        if self.exclusive and others:
            inputs.append(("exclusive", {self.id: [others[0], self.exclusive]}))
        return inputs

    def display(self, value: Any) -> str:
        return ", ".join(self.label_for(item) for item in value)

    def export(self, value: Any) -> str:
        return "; ".join(value)

    def items(self, chosen: list[str]) -> list[dict[str, Any]]:
        items = super().items(chosen)
        if self.exclusive:
            index = self.values.index(self.exclusive)
            items[index]["behaviour"] = "exclusive"
            if index == len(items) - 1 and index > 0:
                items.insert(index, {"divider": self.messages.gettext(N_("or"))})
        return items

    def macro_params(self, raw: Raw, error: Any, is_heading: bool) -> dict[str, Any]:
        params = super().macro_params(raw, error, is_heading)
        if self.hint is None and self.max_selected is None:
            params["hint"] = {"text": self.messages.gettext(N_("Select all that apply."))}
        return params
