"""The `payment` key: a fee taken through GOV.UK Pay before the form is sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from service_builder.conditions import Condition, ConditionCompiler, ConditionError, KeyPath
from service_builder.localised import LocalText
from service_builder.questions.inputs import money

if TYPE_CHECKING:
    from service_builder.definitions.schema import Service

MAX_PENCE = 10_000_000
"""GOV.UK Pay's largest amount: £100,000."""

MAX_DESCRIPTION = 255
Pence = Annotated[int, Field(ge=0, le=MAX_PENCE)]


class AmountRule(BaseModel):
    """`{when: CONDITION, amount: PENCE}`: the first rule whose condition holds sets the fee."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    when: dict[str, Any] | None = Field(
        default=None, description="A condition on the answers; the last rule may have none"
    )
    amount: Pence = Field(description="In pence; 0 means nothing to pay")


class PaymentSpec(BaseModel):
    """What the resident pays before sending, and what GOV.UK Pay shows them."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    description: LocalText = Field(
        description="What the payment is for, shown on GOV.UK Pay's pages and the bank statement"
    )
    amount: Pence | list[AmountRule] = Field(
        description="In pence: a fixed amount, or rules whose first match sets it "
        "(no match, or 0: nothing to pay, and the form is sent as usual)"
    )


@dataclass(frozen=True)
class Fee:
    """One compiled amount rule."""

    condition: Condition | None
    amount: int


def compile_fees(service: Service) -> tuple[list[Fee], list[tuple[KeyPath, str]]]:
    """The service's fee rules with their conditions compiled, and any problems with them
    (the same names, operators and values `next` and `show_when` accept)."""
    spec = service.payment
    if spec is None:
        return [], []
    if len(spec.description) > MAX_DESCRIPTION:
        return [], [(("payment", "description"), "GOV.UK Pay takes at most 255 characters")]
    if isinstance(spec.amount, int):
        return [Fee(None, spec.amount)], []
    repeats = {p.id: [q.id for q in p.questions] for p in service.pages if p.repeats}
    compiler = ConditionCompiler({q.id: q for q in service.questions}, repeats)
    fees: list[Fee] = []
    problems: list[tuple[KeyPath, str]] = []
    for r, rule in enumerate(spec.amount):
        path: KeyPath = ("payment", "amount", r)
        if rule.when is None and r < len(spec.amount) - 1:
            problems.append(
                (path, "only the last rule may have no 'when': the rules after it never run")
            )
        try:
            condition = None if rule.when is None else compiler.compile(rule.when, (*path, "when"))
        except ConditionError as error:
            problems.append((error.path, error.message))
            continue
        fees.append(Fee(condition, rule.amount))
    if not spec.amount:
        problems.append((("payment", "amount"), "give at least one rule, or a fixed amount"))
    return fees, problems


def amount_due(service: Service, answers: Mapping[str, Any]) -> int:
    """What these (on-route) answers cost in pence: the first rule that holds; 0 for none."""
    fees, _problems = compile_fees(service)
    for fee in fees:
        if fee.condition is None or fee.condition.holds(answers):
            return fee.amount
    return 0


def always_charges(spec: PaymentSpec) -> bool:
    """Whether every resident pays something, whatever they answer: a fixed fee, or rules that
    all charge and end in one without a condition (no rule holding means nothing to pay)."""
    if isinstance(spec.amount, int):
        return spec.amount > 0
    return spec.amount[-1].when is None and all(rule.amount > 0 for rule in spec.amount)


def in_pounds(pence: int) -> str:
    """An amount in pence as GOV.UK style writes money: £35, and £35.50 only when there
    are pence (`questions.inputs.money`)."""
    return money(Decimal(pence) / 100)
