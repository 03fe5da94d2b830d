"""The `payment` key: what validate accepts and refuses, the fee rules, and the key note."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from service_builder.cli import main
from service_builder.definitions.loader import load_text
from service_builder.definitions.payment import PaymentSpec, always_charges, amount_due, in_pounds

BASE = """\
id: fees
title: Fees
team: testers
pages:
  - id: size
    questions:
      - id: size
        type: radios
        label: Which size?
        error_name: which size
        options:
          - {value: small, label: Small}
          - {value: large, label: Large}
  - id: count
    questions:
      - id: count
        type: number
        label: How many?
        error_name: how many
        integer: true
  - id: things
    type: repeat
    title: Your things
    max_items: 5
    questions:
      - id: thing
        type: text
        label: What is it?
        error_name: what it is
payment:
  description: A fee
  amount:
"""


def load(rules: str) -> list[str]:
    result = load_text(BASE + rules, "fees.yaml")
    return [f"{e.path}: {e.message}" for e in result.errors]


def test_fee_rules_use_the_same_conditions_as_routes() -> None:
    result = load_text(
        BASE
        + """\
    - when: {size: large}
      amount: 5000
    - when: {things: {count: {gte: 3}}}
      amount: 4000
    - when: {all: [{size: small}, {count: {gt: 2}}]}
      amount: 3000
    - amount: 1000
""",
        "fees.yaml",
    )
    service = result.service
    assert service is not None, [str(e) for e in result.errors]
    assert amount_due(service, {"size": "large", "count": 1}) == 5000
    assert amount_due(service, {"size": "small", "count": 1, "things": [{}, {}, {}]}) == 4000
    assert amount_due(service, {"size": "small", "count": 3}) == 3000
    assert amount_due(service, {"size": "small", "count": 1}) == 1000


def test_no_matching_rule_or_zero_means_nothing_to_pay() -> None:
    result = load_text(BASE + "    - when: {size: large}\n      amount: 0\n", "fees.yaml")
    assert result.service is not None
    assert amount_due(result.service, {"size": "large"}) == 0
    assert amount_due(result.service, {"size": "small"}) == 0


def test_a_fixed_amount() -> None:
    text = BASE.replace("  amount:\n", "  amount: 3500\n")
    result = load_text(text, "fees.yaml")
    assert result.service is not None
    assert amount_due(result.service, {}) == 3500


@pytest.mark.parametrize(
    ("rules", "problem"),
    [
        ("    - when: {nope: 1}\n      amount: 1\n", "no question has the id 'nope'"),
        ("    - when: {size: huge}\n      amount: 1\n", "'huge' is not an option of 'size'"),
        ("    - when: {size: {gt: 2}}\n      amount: 1\n", "only works with number and date"),
        ("    - when: {thing: x}\n      amount: 1\n", "asked once per item"),
        (
            "    - amount: 1\n    - when: {size: small}\n      amount: 2\n",
            "only the last rule may have no 'when'",
        ),
        ("    - when: {size: small}\n      amount: -1\n", "amount: must be 0 or more"),
        ("    - when: {size: small}\n      amount: 10000001\n", "amount: must be 10000000 or less"),
        ("    - when: {size: small}\n      amount: 1.5\n", "whole number"),
        ("    - when: {size: small}\n      amount: 1\n      extra: 2\n", "unknown key"),
        ("    []\n", "give at least one rule"),
    ],
)
def test_validate_refuses_bad_fee_rules(rules: str, problem: str) -> None:
    text = BASE + rules if rules.strip() != "[]" else BASE.replace("  amount:\n", "  amount: []\n")
    problems = load(rules) if rules.strip() != "[]" else _errors(text)
    assert any(problem.lower() in p.lower() for p in problems), problems


def _errors(text: str) -> list[str]:
    return [e.message for e in load_text(text, "fees.yaml").errors]


def test_the_description_fits_pay() -> None:
    text = BASE.replace("description: A fee", "description: " + "x" * 256)
    assert any("255" in p for p in _errors(text + "    - amount: 1\n"))


def test_payment_is_a_reserved_page_id() -> None:
    text = BASE.replace("id: count\n", "id: payment\n", 1)
    assert any("reserved" in p for p in _errors(text + "    - amount: 1\n"))


def test_validate_notes_a_missing_pay_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "fees.yaml"
    path.write_text(BASE + "    - amount: 1\n", encoding="utf-8")
    monkeypatch.delenv("PAY_API_KEY", raising=False)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0  # a note about where it runs, not a problem with the file
    assert "fees takes payments, but PAY_API_KEY is not set" in result.output
    monkeypatch.setenv("PAY_API_KEY", "api_test_x")
    assert "PAY_API_KEY" not in CliRunner().invoke(main, ["validate", str(path)]).output


def test_amounts_read_as_pay_shows_them() -> None:
    assert [in_pounds(p) for p in (3500, 3550, 5, 123456700)] == [
        "£35",
        "£35.50",
        "£0.05",
        "£1,234,567",
    ]
    assert in_pounds(5) == "£0.05"
    assert in_pounds(123456) == "£1,234.56"


@pytest.mark.parametrize(
    ("amount", "always"),
    [
        (3500, True),
        (0, False),
        ([{"when": {"size": "large"}, "amount": 5000}, {"amount": 2500}], True),
        (
            [{"when": {"size": "large"}, "amount": 5000}, {"when": {"size": "small"}, "amount": 1}],
            False,
        ),
        ([{"when": {"size": "large"}, "amount": 0}, {"amount": 2500}], False),
    ],
)
def test_a_service_always_charges_only_when_no_answers_can_leave_nothing_to_pay(
    amount: object, always: bool
) -> None:
    spec = PaymentSpec.model_validate({"description": "Fee", "amount": amount})
    assert always_charges(spec) is always
