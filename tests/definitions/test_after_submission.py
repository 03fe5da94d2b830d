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

TEMPLATE = "4f1c0000-0000-4000-8000-000000000001"
"""A GOV.UK Notify template id: validate refuses anything else."""
STATUS_TEMPLATE = "9a2e0000-0000-4000-8000-000000000001"


def problems(extra: str) -> list[str]:
    return [str(error) for error in load_text(BASE + extra, "svc.yaml").errors]


def test_team_notify_and_webhooks_load() -> None:
    result = load_text(
        BASE
        + "team: parking\n"
        + f"notify:\n  email_question: email\n  confirmation_template: {TEMPLATE}\n"
        + f"  status_template: {STATUS_TEMPLATE}\n  team_email: team@council.example\n"
        + f"  team_template: {TEMPLATE}\n"
        + "webhooks:\n  - url_env: CASE_URL\n    secret_env: CASE_SECRET\n",
        "svc.yaml",
    )
    assert result.errors == []
    service = result.service
    assert service is not None and service.notify is not None
    assert service.team == "parking"
    assert service.notify.status_template == STATUS_TEMPLATE
    assert service.webhooks[0].url_env == "CASE_URL"


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            f"notify:\n  email_question: mail\n  confirmation_template: {TEMPLATE}\n",
            "notify.email_question: no question has the id 'mail'",
        ),
        (
            f"notify:\n  email_question: name\n  confirmation_template: {TEMPLATE}\n",
            "notify.email_question: 'name' is a text question, not an email question",
        ),
        (
            f"notify:\n  confirmation_template: {TEMPLATE}\n",
            "resident emails need an 'email_question'",
        ),
        ("notify:\n  team_email: team@council.example\n", "'team_email' and 'team_template' go"),
        (
            f"notify:\n  team_email: nobody\n  team_template: {TEMPLATE}\n",
            "'nobody' is not an email",
        ),
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
            f"notify:\n  confirmation_template: {TEMPLATE}\n",
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
            f"notify:\n  team_email: nobody\n  team_template: {TEMPLATE}\n",
            "svc.yaml:14: notify.team_email: 'nobody' is not an email address",
        ),
    ],
)
def test_notify_problems_are_reported_exactly_once(extra: str, expected: str) -> None:
    assert problems(extra) == [expected]


def test_a_notify_template_id_that_is_not_a_uuid_is_refused_with_its_line_and_key() -> None:
    found = problems("notify:\n  email_question: email\n  confirmation_template: not-a-uuid\n")
    assert found == [
        "svc.yaml:15: notify.confirmation_template: must be a GOV.UK Notify template id, "
        "like 4f1c2d3e-0000-4000-8000-00000000abcd"
    ]
    for key in ("status_template", "team_template", "save_template"):
        assert any(
            f"notify.{key}: must be a GOV.UK Notify template id" in p
            for p in problems(f"notify:\n  email_question: email\n  {key}: 4f1c…\n")
        ), key
