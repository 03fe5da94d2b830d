"""Routing and condition rules that a mutation run found untested: each one reported with
its line and key path, never a crash."""

from __future__ import annotations

import pytest

from service_builder.definitions.loader import load_text

SERVICE = """\
id: rules
title: Rules
pages:
  - id: first
    questions:
      - id: name
        type: text
        label: What is your name?
{first}
  - id: second
    questions:
      - id: colour
        type: text
        label: What colour?
{second}
  - id: stop
    type: exit
    title: Stop
    body: You cannot go on.
{stop}
"""


def problems(first: str = "", second: str = "", stop: str = "") -> list[str]:
    text = SERVICE.format(first=first, second=second, stop=stop)
    return [str(error) for error in load_text(text, "svc.yaml").errors]


def test_a_sound_service_has_no_problems() -> None:
    assert problems(first="    next:\n      - when: {name: Sam}\n        goto: stop") == []


def test_a_page_that_goes_to_itself_is_reported_not_a_crash() -> None:
    assert problems(first="    next:\n      - goto: first") == [
        "svc.yaml:10: pages[0].next[0].goto: a page cannot go to itself"
    ]
    assert problems(first="    next:\n      - when: {name: Sam}\n        goto: first") == [
        "svc.yaml:11: pages[0].next[0].goto: a page cannot go to itself"
    ]


@pytest.mark.parametrize("value", ["[Sam, Alex]", "null", "{in: Sam}"])
def test_lists_and_nulls_are_refused_as_values_of_text_questions(value: str) -> None:
    found = problems(second=f"    show_when: {{name: {value}}}")
    assert len(found) == 1
    assert found[0].startswith("svc.yaml:15: pages[1].show_when.name")


def test_rules_after_a_rule_without_when_are_refused() -> None:
    rules = "    next:\n      - goto: second\n      - when: {name: Sam}\n        goto: stop"
    assert problems(first=rules) == [
        "svc.yaml:10: pages[0].next[0]: only the last rule may have no 'when': the rules "
        "after it never run"
    ]


def test_next_on_an_exit_page_is_refused() -> None:
    assert problems(stop="    next:\n      - goto: first") == [
        "svc.yaml:20: pages[2].next: an exit page has no way on, so no next rules"
    ]


def test_a_loop_is_reported_with_its_pages() -> None:
    found = problems(second="    next:\n      - when: {colour: red}\n        goto: first")
    assert found == [
        "svc.yaml:15: pages[1].next: routes loop: first -> second -> first",
    ]


def test_a_loop_that_always_loops_is_reported_beside_the_page_it_cuts_off() -> None:
    """Both, not just the first: the loop is the cause, the unreachable page its effect."""
    found = problems(second="    next:\n      - goto: first")
    assert found == [
        "svc.yaml:15: pages[1].next: routes loop: first -> second -> first",
        "svc.yaml:17: pages[2]: page 'stop' cannot be reached by any route",
    ]


def test_reserved_ids_and_empty_or_wrong_pages_name_their_key_paths() -> None:
    text = """\
id: staff
title: T
pages:
  - id: confirmation
    questions:
      - id: a
        type: text
        label: A?
  - id: empty
    questions: []
  - id: stop
    type: exit
    title: Stop
    body: Stop.
    questions:
      - id: b
        type: text
        label: B?
"""
    assert [str(error) for error in load_text(text, "s.yaml").errors] == [
        "s.yaml:1: id: 'staff' is reserved for the site's own pages",
        "s.yaml:4: pages[0].id: 'confirmation' is reserved for the engine's own pages",
        "s.yaml:9: pages[1]: a question page needs at least one question",
        "s.yaml:15: pages[2].questions: an exit page cannot have questions",
    ]


def test_a_misspelt_name_is_told_the_name_it_is_close_to() -> None:
    typos = problems(
        first="    show_wen: {name: Sam}\n    next:\n      - when: {colur: red}\n        goto: stp"
    )
    assert typos == [
        "svc.yaml:9: pages[0].show_wen: unknown key (did you mean 'show_when'?)",
        "svc.yaml:11: pages[0].next[0].when.colur: no question has the id 'colur' "
        "(did you mean 'colour'?)",
        "svc.yaml:12: pages[0].next[0].goto: no page has the id 'stp' (did you mean 'stop'?)",
    ]
    where = problems(first="    titel: T")  # a page's 'title', not a text question's
    assert where == ["svc.yaml:9: pages[0].titel: unknown key (did you mean 'title'?)"]
    not_here = load_text(
        SERVICE.format(first="", second="", stop="").replace(
            "        label: What is your name?",
            "        label: What is your name?\n        titel: T",
        ),
        "svc.yaml",
    ).errors
    assert [str(e) for e in not_here] == ["svc.yaml:9: pages[0].questions[0].titel: unknown key"]
    far = problems(first="    next:\n      - goto: elsewhere")
    assert far == ["svc.yaml:10: pages[0].next[0].goto: no page has the id 'elsewhere'"]


def test_a_yes_or_no_flag_and_a_question_mark_in_braces_are_told_how_to_write_them() -> None:
    flag = SERVICE.format(first="", second="", stop="").replace(
        "        label: What is your name?",
        "        label: What is your name?\n        required: no",
    )
    assert [str(e) for e in load_text(flag, "svc.yaml").errors] == [
        "svc.yaml:9: pages[0].questions[0].required: must be true or false (write false, not no)"
    ]
    braces = "id: t\ntitle: T\npages:\n  - id: a\n    questions:\n"
    braces += "      - {id: n, type: text, label: {en: What?, cy: Beth?}}\n"
    (error,) = load_text(braces, "svc.yaml").errors
    assert "or that ends in '?', in quotes" in str(error)
