"""The JSON Schema agrees with the engine about the example definitions."""

from __future__ import annotations

import json

import jsonschema
import yaml

from service_builder.definitions.schema import json_schema
from tests.conftest import EXAMPLES


def test_schema_is_valid_json_schema_and_accepts_every_example() -> None:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(EXAMPLES.glob("*.yaml"))
    assert files
    for path in files:
        data = yaml.load(path.read_text(), Loader=yaml.BaseLoader)  # all scalars as text
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path.name


def test_schema_rejects_an_unknown_key() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    bad = {
        "id": "x",
        "title": "X",
        "pages": [
            {"id": "p", "questions": [{"id": "q", "type": "text", "label": "Q", "colour": "red"}]}
        ],
    }
    assert list(validator.iter_errors(bad))


def test_schema_refuses_empty_texts_and_template_ids_as_the_engine_does() -> None:
    validator = jsonschema.Draft202012Validator(json_schema())
    page = {"id": "p", "questions": [{"id": "q", "type": "text", "label": "Q"}]}
    good = {"id": "x", "title": "X", "pages": [page], "notify": {"email_question": "q"}}
    assert not list(validator.iter_errors(good))
    for bad in (
        {**good, "title": ""},
        {**good, "title": {"en": "X", "cy": ""}},
        {**good, "notify": {"email_question": "q", "confirmation_template": ""}},
        {**good, "notify": {"email_question": "q", "confirmation_template": {"cy": ""}}},
    ):
        assert list(validator.iter_errors(bad)), bad
    body = {**good, "pages": [{**page, "body": ""}]}  # a body may be empty
    assert not list(validator.iter_errors(body))
