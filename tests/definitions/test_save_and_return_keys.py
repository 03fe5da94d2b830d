"""The `save_and_return` key and `notify.save_template`: what loads, is refused and is warned."""

from __future__ import annotations

from service_builder.definitions.loader import load_text
from service_builder.lint import lint

PAGES = """\
id: apply-for-a-thing
title: Apply for a thing
pages:
"""
PAGE = """\
  - id: page-{n}
    questions:
      - id: answer_{n}
        type: text
        label: What is answer {n}?
"""
EMAIL_PAGE = """\
  - id: contact
    questions:
      - id: email
        type: email
        label: What is your email address?
"""


def load(extra: str, pages: int = 4, email: bool = True) -> tuple[list[str], list[str]]:
    text = PAGES + "".join(PAGE.format(n=n) for n in range(pages)) + (EMAIL_PAGE if email else "")
    result = load_text(text + extra, "svc.yaml")
    errors = [str(error) for error in result.errors]
    warnings = (
        [] if result.service is None else [f"{w.where}: {w.message}" for w in lint(result.service)]
    )
    return errors, [w for w in warnings if "save" in w]


def test_save_and_return_with_its_template_loads_without_warnings() -> None:
    errors, warnings = load(
        "save_and_return: true\nnotify:\n  email_question: email\n  save_template: 00000000-0000-4000-8000-000000000031\n"
    )
    assert errors == [] and warnings == []


def test_save_and_return_needs_a_template() -> None:
    for extra in (
        "save_and_return: true\n",
        "save_and_return: true\nnotify:\n  team_email: a@b.example\n  team_template: x\n",
    ):
        errors, _ = load(extra)
        assert any("save_and_return" in e and "notify.save_template" in e for e in errors), errors


def test_save_and_return_must_be_true_or_false() -> None:
    errors, _ = load(
        "save_and_return: sometimes\nnotify:\n  save_template: 00000000-0000-4000-8000-000000000031\n"
    )
    assert any("save_and_return" in e for e in errors)


def test_an_email_question_with_only_the_save_template_is_enough() -> None:
    errors, _ = load(
        "save_and_return: true\nnotify:\n  email_question: email\n  save_template: 00000000-0000-4000-8000-000000000031\n"
    )
    assert errors == []


def test_lint_warns_about_a_short_form_no_prefill_and_an_unused_template() -> None:
    _, short = load(
        "save_and_return: true\nnotify:\n  save_template: 00000000-0000-4000-8000-000000000031\n",
        pages=1,
    )
    assert any("only 2 question pages" in w for w in short)
    assert any("no `notify.email_question`" in w for w in short)
    _, unused = load("notify:\n  save_template: 00000000-0000-4000-8000-000000000031\n")
    assert unused == [
        "notify.save_template: `save_template` is only sent with `save_and_return: true`"
    ]


def test_the_save_pages_names_are_reserved_only_where_save_and_return_is_on() -> None:
    renamed = PAGE.replace("page-{n}", "saved")
    text = PAGES + renamed.format(n=1) + PAGE.format(n=2)
    assert load_text(text, "svc.yaml").errors == []  # a v1 definition stays valid
    opted = (
        text
        + "save_and_return: true\nnotify:\n  save_template: 00000000-0000-4000-8000-000000000031\n"
    )
    errors = [str(e) for e in load_text(opted, "svc.yaml").errors]
    assert any("'saved' is reserved for save and return" in e for e in errors), errors
