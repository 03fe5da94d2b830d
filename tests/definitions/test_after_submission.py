"""The `team`, `notify` and `webhooks` keys: what loads, and what the checks refuse."""

from __future__ import annotations

import pytest

from service_builder.definitions.loader import load_text

BASE = """\
id: report-a-thing
title: Report a thing
pages:
  - id: contact
    questions:
      - id: name
        type: text
        label: Your name
      - id: email
        type: email
        label: Your email address
    title: Your details
"""


def problems(extra: str) -> list[str]:
    return [str(error) for error in load_text(BASE + extra, "svc.yaml").errors]


def test_team_notify_and_webhooks_load() -> None:
    result = load_text(
        BASE
        + "team: parking\n"
        + "notify:\n  email_question: email\n  confirmation_template: abc\n"
        + "  status_template: def\n  team_email: team@council.example\n  team_template: ghi\n"
        + "webhooks:\n  - url_env: CASE_URL\n    secret_env: CASE_SECRET\n",
        "svc.yaml",
    )
    assert result.errors == []
    service = result.service
    assert service is not None and service.notify is not None
    assert service.team == "parking"
    assert service.notify.status_template == "def"
    assert service.webhooks[0].url_env == "CASE_URL"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "notify:\n  email_question: mail\n  confirmation_template: abc\n",
            "notify.email_question: no question has the id 'mail'",
        ),
        (
            "notify:\n  email_question: name\n  confirmation_template: abc\n",
            "notify.email_question: 'name' is a text question, not an email question",
        ),
        (
            "notify:\n  email_question: emial\n  confirmation_template: abc\n",
            "notify.email_question: no question has the id 'emial' (did you mean 'email'?)",
        ),
        ("notify:\n  confirmation_template: abc\n", "resident emails need an 'email_question'"),
        ("notify:\n  team_email: team@council.example\n", "'team_email' and 'team_template' go"),
        ("notify:\n  team_email: nobody\n  team_template: x\n", "'nobody' is not an email"),
        ("webhooks:\n  - url_env: case-url\n    secret_env: S\n", "webhooks[0].url_env"),
        ("webhooks:\n  - url_env: CASE_URL\n", "webhooks[0].secret_env"),
        ("team: Parking Team\n", "team"),
    ],
)
def test_mistakes_are_reported(extra: str, expected: str) -> None:
    found = problems(extra)
    assert any(expected in problem for problem in found), found


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            "notify:\n  confirmation_template: abc\n",
            "svc.yaml:13: notify: resident emails need an 'email_question'",
        ),
        (
            "notify:\n  email_question: email\n",
            "svc.yaml:13: notify: an 'email_question' needs a 'confirmation_template' or "
            "'status_template'",
        ),
        (
            "notify:\n  team_email: team@council.example\n",
            "svc.yaml:13: notify: 'team_email' and 'team_template' go together",
        ),
        (
            "notify:\n  team_email: nobody\n  team_template: x\n",
            "svc.yaml:14: notify.team_email: 'nobody' is not an email address",
        ),
    ],
)
def test_notify_problems_are_reported_exactly_once(extra: str, expected: str) -> None:
    assert problems(extra) == [expected]


@pytest.mark.parametrize(
    ("audience", "missed"),
    [("staff", "residents online"), ("resident", "callers whose form staff fill in")],
)
def test_an_email_question_asked_of_one_audience_is_a_lint_warning(
    audience: str, missed: str
) -> None:
    from service_builder.lint import lint

    one_audience = BASE.replace(
        "        type: email\n", f"        type: email\n        audience: {audience}\n"
    )
    result = load_text(
        one_audience + "notify:\n  email_question: email\n  confirmation_template: abc\n",
        "svc.yaml",
    )
    assert result.errors == []  # allowed by the contract: a warning, not a problem
    assert result.service is not None
    warnings = [f"{w.where}: {w.message}" for w in lint(result.service)]
    assert (
        f"notify.email_question: 'email' is asked only with audience: {audience}, so {missed} "
        "are never asked it and get no email"
    ) in warnings
