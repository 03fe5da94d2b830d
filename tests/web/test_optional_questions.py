"""An optional question says "(optional)" wherever its label or legend is read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import app_serving
from tests.html_checks import check_page

DEFINITION = """
id: optional-questions
title: Optional questions
pages:
  - id: phone
    questions:
      - {id: phone, type: phone, label: 'What is your phone number?', required: false}
  - id: note
    body: We read every note.
    questions:
      - {id: note, type: textarea, label: 'Anything else?', required: false}
  - id: about
    title: About you
    questions:
      - {id: nickname, type: text, label: Nickname, required: false}
      - {id: born, type: date, label: Date of birth, required: false}
"""


@pytest.fixture
def app(definitions_dir: Path) -> Flask:
    return app_serving(definitions_dir, DEFINITION, "optional-questions")


def test_labels_legends_and_headings_of_optional_questions_say_optional(
    client: FlaskClient,
) -> None:
    heading = client.get("/optional-questions/phone").get_data(as_text=True)
    facts = check_page(heading)
    assert facts.title.startswith("What is your phone number? (optional)")
    assert re.search(
        r'<h1 class="govuk-label-wrapper">\s*<label[^>]*>\s*What is your phone '
        r"number\? \(optional\)\s*</label>",
        heading,
    )
    client.post("/optional-questions/phone", data={"phone": ""})  # optional: left blank
    body_page = client.get("/optional-questions/note").get_data(as_text=True)
    assert '<h1 class="govuk-heading-l">Anything else? (optional)</h1>' in body_page
    check_page(body_page)
    client.post("/optional-questions/note", data={"note": ""})
    several = client.get("/optional-questions/about").get_data(as_text=True)
    check_page(several)
    assert "Nickname (optional)" in several and "Date of birth (optional)" in several
