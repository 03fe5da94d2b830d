"""`notify`'s template ids: one for every language, or one per language of the service."""

from __future__ import annotations

from service_builder.definitions.loader import load_text
from service_builder.lint import lint

SERVICE = """\
id: apply-for-a-thing
title: {{en: Apply for a thing, cy: Gwneud cais am beth}}
languages: [en, cy]
pages:
  - id: contact
    questions:
      - id: email
        type: email
        label: {{en: "What is your email address?", cy: "Beth yw eich cyfeiriad e-bost?"}}
notify:
  email_question: email
  confirmation_template: {template}
"""
EN = "00000000-0000-4000-8000-000000000001"
CY = "00000000-0000-4000-8000-000000000002"


def errors_for(template: str) -> list[str]:
    return [str(error) for error in load_text(SERVICE.format(template=template), "t.yaml").errors]


def test_a_template_for_each_language_is_used_in_that_language() -> None:
    result = load_text(SERVICE.format(template=f"{{en: {EN}, cy: {CY}}}"), "t.yaml")
    assert result.errors == [] and result.service is not None
    english, welsh = (result.service.in_language(code).notify for code in ("en", "cy"))
    assert english is not None and english.confirmation_template == EN
    assert welsh is not None and welsh.confirmation_template == CY


def test_one_template_serves_every_language() -> None:
    result = load_text(SERVICE.format(template=EN), "t.yaml")
    assert result.errors == [] and result.service is not None
    welsh = result.service.in_language("cy").notify
    assert welsh is not None and welsh.confirmation_template == EN


def test_a_language_without_its_template_or_one_not_offered_is_refused() -> None:
    (missing,) = errors_for(f"{{en: {EN}}}")
    assert "notify.confirmation_template" in missing and "no 'cy' text" in missing
    (unknown,) = errors_for(f"{{en: {EN}, cy: {CY}, fr: {CY}}}")
    assert "'fr' is not one of the service's languages" in unknown


def test_lint_checks_the_template_id_of_every_language() -> None:
    result = load_text(SERVICE.format(template=f"{{en: {EN}, cy: not-a-template}}"), "t.yaml")
    assert result.service is not None
    warnings = [
        w.message for w in lint(result.service) if str(w.where) == "notify.confirmation_template"
    ]
    assert (
        len(warnings) == 1 and "'not-a-template' is not a GOV.UK Notify template id" in warnings[0]
    )


def test_the_example_services_each_send_their_own_emails() -> None:
    """A trial: two examples shared a template id, so one service's status email went out
    for the other's cases, and a designer copying either would do the same."""
    from service_builder.catalog import Catalog
    from tests.conftest import EXAMPLES

    used: dict[str, str] = {}
    for service in Catalog.load(EXAMPLES).services.values():
        for language in service.languages:
            notify = service.in_language(language).notify
            for kind in (
                "confirmation_template",
                "status_template",
                "team_template",
                "save_template",
            ):
                template = getattr(notify, kind) if notify else None
                if template:
                    assert used.setdefault(template, service.id) == service.id, template
