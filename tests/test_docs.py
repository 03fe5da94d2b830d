"""The designer's docs cannot drift: generated reference, valid examples, a working tutorial."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from click.testing import CliRunner

from service_builder.cli import main
from service_builder.conditions import ConditionCompiler
from service_builder.definitions.loader import load_text
from service_builder.lint import lint
from service_builder.questions import QUESTION_TYPES
from service_builder.reference_docs import (
    ALL_OPERATORS,
    KEYS,
    OPERATORS,
    TYPES,
    example_service,
    models,
)
from tests.conftest import ROOT

DOCS = ROOT / "docs"


def test_the_committed_reference_and_schema_are_up_to_date() -> None:
    result = CliRunner().invoke(main, ["docs", "--check"])
    assert result.exit_code == 0, result.output


def test_every_key_of_the_schema_is_described_and_nothing_else() -> None:
    documented = {f"{name}.{key}" for name, _, keys in models() for key in keys}
    assert documented == set(KEYS)


def test_every_question_type_has_a_valid_example_that_lint_finds_nothing_in() -> None:
    """Designers copy these: an example that `lint` warns about teaches the warning."""
    assert set(TYPES) == set(QUESTION_TYPES)
    for type_name, (_, _, example) in TYPES.items():
        result = load_text(example_service(example), f"{type_name}.yaml")
        assert result.errors == [], [str(e) for e in result.errors]
        assert result.service is not None
        assert [w.message for w in lint(result.service)] == [], type_name


def test_every_condition_operator_has_a_valid_example() -> None:
    assert set(OPERATORS) == ALL_OPERATORS
    questions = {}
    for _, _, example in TYPES.values():
        definition = load_text(example_service(example), "x.yaml").service
        assert definition is not None
        questions.update({q.id: q for q in definition.questions})
    for operator, (example, _) in OPERATORS.items():
        repeats = {"vehicles": ["registration"]}  # `count` names a repeat page
        ConditionCompiler(questions, repeats).compile(yaml.safe_load(example), (operator,))


def test_the_tutorial_builds_a_valid_clean_service(tmp_path: Path) -> None:
    guide = (DOCS / "designers-guide.md").read_text()
    final = guide.split("<!-- the tutorial's result")[1]
    text = re.search(r"```yaml\n(.*?)```", final, re.S)
    assert text is not None
    result = load_text(text.group(1), "request-dropped-kerb.yaml")
    assert result.errors == [] and result.service is not None
    assert [w.message for w in lint(result.service)] == []
    (tmp_path / "request-dropped-kerb.yaml").write_text(text.group(1))
    for command in (
        ["validate", str(tmp_path)],
        ["graph", "request-dropped-kerb", "--definitions", str(tmp_path)],
    ):
        outcome = CliRunner().invoke(main, command)
        assert outcome.exit_code == 0, outcome.output
    for link in re.findall(r"\]\(([a-z-]+\.md)\)", guide):
        assert (DOCS / link).exists()
