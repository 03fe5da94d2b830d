"""A condition that no answers could make hold is refused: the page, question or rule it is
on would never be used."""

from __future__ import annotations

import pytest

from service_builder.conditions import ConditionCompiler
from service_builder.definitions.loader import load_text
from service_builder.definitions.satisfiable import MOST_TRIED, can_hold

ASKED = """\
id: conditions
title: Conditions
pages:
  - id: first
    title: About you
    questions:
      - {id: colour, type: radios, label: "Which colour?", options: [red, blue, green]}
      - {id: size, type: number, label: "How big?"}
      - {id: moved, type: date, label: "When did you move?"}
      - {id: bins, type: checkboxes, label: "Which bins?", options: [food, garden, glass]}
      - {id: name, type: text, label: Your name}
      - {id: agreed, type: yes_no, label: "Do you agree?"}
  - id: vehicles
    type: repeat
    title: Your vehicles
    item_name: vehicle
    min_items: 0
    max_items: 3
    questions:
      - {id: registration, type: text, label: Registration}
"""


def service_with(condition: str, key: str = "show_when") -> str:
    """ASKED with a last page shown on the condition, or (`next`) leaving by a rule on it."""
    last = "      - {id: last_answer, type: text, label: Anything else}\n"
    if key == "next":
        return (
            f"{ASKED}  - id: last\n    questions:\n{last}    next:\n"
            f"      - when: {condition}\n        goto: end\n      - goto: end\n"
            "  - id: end\n    questions:\n      - {id: end_answer, type: text, label: End}\n"
        )
    return f"{ASKED}  - id: last\n    show_when: {condition}\n    questions:\n{last}"


@pytest.mark.parametrize(
    ("condition", "described"),
    [
        ("{all: [{colour: red}, {colour: blue}]}", "colour is red and colour is blue"),
        ("{all: [{size: {gt: 10}}, {size: {lt: 5}}]}", "size is more than 10 and size is less"),
        ("{all: [{size: {eq: 3}}, {not: {size: {in: [1, 3]}}}]}", "size is 3 and not (size"),
        (
            "{all: [{moved: {gt: 2024-03-01}}, {moved: {lt: 2024-03-02}}]}",
            "moved is more than 2024-03-01 and moved is less than 2024-03-02",
        ),
        ("{all: [{bins: {contains: food}}, {not: {bins: {contains: food}}}]}", "bins includes"),
        ("{all: [{name: {answered: true}}, {name: {answered: false}}]}", "name is answered and"),
        ("{all: [{name: Sam}, {name: {ne: Sam}}]}", "name is Sam and name is not Sam"),
        ("{all: [{agreed: yes}, {agreed: no}]}", "agreed is yes and agreed is no"),
        (
            "{all: [{vehicles: {count: {eq: 0}}}, {vehicles: {answered: true}}]}",
            "the number of vehicles is 0 and vehicles is answered",
        ),
        ("{all: [{vehicles: {count: {gte: 3}}}, {vehicles: {count: {lt: 3}}}]}", "the number of"),
    ],
)
def test_a_condition_that_can_never_hold_is_refused_where_it_is(
    condition: str, described: str
) -> None:
    for key, path, meaning in [
        ("show_when", "pages[2].show_when", "the page would always be skipped"),
        ("next", "pages[2].next[0].when", "the rule would never be taken"),
    ]:
        errors = load_text(service_with(condition, key), "svc.yaml").errors
        assert len(errors) == 1, errors
        assert errors[0].path == path
        assert errors[0].message.startswith(f"can never hold ({described}")
        assert errors[0].message.endswith(f"): {meaning}")


@pytest.mark.parametrize(
    "condition",
    [
        "{all: [{colour: red}, {size: {gt: 10}}]}",
        "{all: [{size: {gt: 5}}, {size: {lt: 6}}]}",  # 5.5
        "{all: [{moved: {gt: 2024-03-01}}, {moved: {lt: 2024-03-03}}]}",  # the 2nd
        "{all: [{bins: {contains: food}}, {bins: {contains: glass}}]}",
        "{all: [{bins: {answered: true}}, {not: {bins: {contains: food}}}]}",  # another bin
        "{all: [{name: {ne: Sam}}, {name: {ne: Alex}}]}",
        "{any: [{all: [{colour: red}, {colour: blue}]}, {colour: green}]}",
        "{not: {colour: {in: [red, blue, green]}}}",  # no answer
        "{all: [{vehicles: {count: {gte: 1}}}, {vehicles: {count: {lte: 1}}}]}",
        "{vehicles: {answered: false}}",
        "{moved: {lte: 9999-12-31}}",  # the calendar's ends: nothing lies beyond
        "{moved: {gte: 0001-01-01}}",
    ],
)
def test_a_condition_some_answers_make_hold_is_kept(condition: str) -> None:
    assert load_text(service_with(condition), "svc.yaml").errors == []


def test_a_question_s_condition_that_can_never_hold_is_refused() -> None:
    text = ASKED.replace(
        '      - {id: agreed, type: yes_no, label: "Do you agree?"}\n',
        '      - {id: agreed, type: yes_no, label: "Do you agree?"}\n  - id: more\n    questions:\n'
        "      - {id: why, type: text, label: Why, show_when: {all: [{agreed: yes}, "
        "{agreed: {answered: false}}]}}\n",
    )
    assert [str(error) for error in load_text(text, "svc.yaml").errors] == [
        "svc.yaml:15: pages[1].questions[0].show_when: can never hold (agreed is yes and "
        "agreed is not answered): the question would always be hidden"
    ]


def test_a_condition_with_too_many_answers_to_try_is_taken_to_hold() -> None:
    service = load_text(ASKED, "svc.yaml").service
    assert service is not None
    questions = {q.id: q for page in service.pages for q in page.questions}
    compiler = ConditionCompiler(questions, {"vehicles": ["registration"]})
    never = compiler.compile({"all": [{"colour": "red"}, {"colour": "blue"}]}, ())
    assert not can_hold(never, questions)
    sizes = [{"size": {"ne": n}} for n in range(MOST_TRIED)]  # one question, many values
    assert can_hold(compiler.compile({"all": [*sizes, {"size": {"eq": 0}}]}, ()), questions)
    names = [{"name": {"ne": str(n)}} for n in range(MOST_TRIED)]
    huge = compiler.compile({"all": [*names, {"colour": "red"}, {"colour": "blue"}]}, ())
    assert can_hold(huge, questions)  # not tried: taken to hold


BOUNDED = """\
id: bounded
title: Bounded
pages:
  - id: first
    title: About you
    questions:
      - {id: points, type: number, label: "How many points?", min: 0, max: 12}
      - {id: born, type: date, label: "When were you born?", not_after: 2026-01-01}
      - {id: start, type: date, label: "When should it start?", not_before: today, not_after: today + 1 year}
  - id: items
    type: repeat
    title: Your items
    item_name: item
    min_items: 1
    max_items: 10
    questions:
      - {id: thing, type: text, label: Thing}
  - id: last
    show_when: CONDITION
    questions:
      - {id: last_answer, type: text, label: Anything else}
"""


@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ("{points: {gt: 12}}", False),  # max: 12
        ("{points: {lt: 0}}", False),  # min: 0
        ("{points: {gte: 12}}", True),
        ("{all: [{points: {gt: 11}}, {points: {lt: 12}}]}", True),
        ("{born: {gt: 2099-01-01}}", False),  # not_after: 2026-01-01
        ("{born: {gte: 2026-01-01}}", True),
        # limits from today are not limits here: what they let in changes by the day, and a
        # definition valid today must not be refused on a later one
        ("{start: {lt: 2026-01-01}}", True),
        ("{start: {gt: 2099-01-01}}", True),
        ("{items: {count: {gte: 11}}}", False),  # max_items: 10
        ("{items: {count: {eq: 10}}}", True),
        ("{items: {count: {gt: 5}}}", True),
    ],
)
def test_a_question_s_own_limits_are_limits_on_what_a_condition_can_meet(
    condition: str, holds: bool
) -> None:
    errors = load_text(BOUNDED.replace("CONDITION", condition), "svc.yaml").errors
    if holds:
        assert errors == []
    else:
        assert [(e.path, e.message.split(" (")[0]) for e in errors] == [
            ("pages[2].show_when", "can never hold")
        ]
