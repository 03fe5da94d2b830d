"""The loader reports every problem the contract lists, as file:line: key.path: message."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from service_builder.definitions.loader import load_definition, load_text

GOOD = """\
id: pay-for-a-thing
title: Pay for a thing
pages:
  - id: first
    questions:
      - id: colour
        type: radios
        label: Which colour?
        options: [red, blue]
    next:
      - when: {colour: red}
        goto: red-page
      - goto: last
  - id: red-page
    questions:
      - id: shade
        type: text
        label: Which shade of red?
  - id: last
    questions:
      - id: name
        type: text
        label: Your name
"""


def problems(text: str) -> list[str]:
    return [str(error) for error in load_text(textwrap.dedent(text), "svc.yaml").errors]


def problems_with(before: str, after: str, text: str = GOOD) -> list[str]:
    """The problems of `text` (GOOD) with its first `before` changed to `after`."""
    assert before in text
    return problems(text.replace(before, after, 1))


def test_a_good_definition_loads() -> None:
    result = load_text(GOOD, "svc.yaml")
    assert result.errors == []
    assert result.service is not None
    assert [page.id for page in result.service.pages] == ["first", "red-page", "last"]
    assert len(result.service.version) == 12


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("        label: Which colour?", "        lable: Which colour?"),
            # told its right name, it is not also a missing key
            ["svc.yaml:8: pages[0].questions[0].lable: unknown key (did you mean 'label'?)"],
        ),
        (
            ("id: pay-for-a-thing", "id: Pay For A Thing"),
            [
                "svc.yaml:1: id: must be a slug: lower-case letters, digits and single hyphens, "
                "like missed-bin"
            ],
        ),
        (
            ("        type: radios", "        type: radio"),
            [
                "svc.yaml:7: pages[0].questions[0].type: type 'radio' is not a question type; use one "
                "of 'text', 'textarea', 'number', 'email', 'phone', 'date', 'radios', 'checkboxes', "
                "'select', 'yes_no', 'postcode', 'address', 'file' (did you mean 'radios'?)"
            ],
        ),
        (
            ("      - id: name", "      - id: shade"),
            [
                "svc.yaml:21: pages[2].questions[0].id: duplicate question id 'shade': page 'red-page' already asks it"
            ],
        ),
        (
            ("  - id: last", "  - id: red-page"),
            [
                "svc.yaml:13: pages[0].next[1].goto: no page has the id 'last'",
                "svc.yaml:19: pages[2].id: duplicate page id 'red-page'",
            ],
        ),
        (
            ("        goto: red-page", "        goto: redpage"),
            [
                "svc.yaml:12: pages[0].next[0].goto: no page has the id 'redpage' "
                "(did you mean 'red-page'?)"
            ],
        ),
        (
            ("      - when: {colour: red}", "      - when: {color: red}"),
            [
                "svc.yaml:11: pages[0].next[0].when.color: no question has the id 'color' "
                "(did you mean 'colour'?)"
            ],
        ),
        (
            ("      - when: {colour: red}", "      - when: {colour: green}"),
            [
                "svc.yaml:11: pages[0].next[0].when.colour: 'green' is not an option of 'colour' "
                "(options: red, blue)"
            ],
        ),
        (
            ("      - when: {colour: red}", "      - when: {colour: {gte: 3}}"),
            [
                "svc.yaml:11: pages[0].next[0].when.colour.gte: 'gte' only works with number and date "
                "questions"
            ],
        ),
        (
            ("      - when: {colour: red}", "      - when: {colour: {like: red}}"),
            [
                "svc.yaml:11: pages[0].next[0].when.colour.like: unknown operator 'like' (use one of: "
                "eq, ne, in, not_in, answered)"  # those a radios question can use
            ],
        ),
        (
            ("      - when: {colour: red}", "      - when: {colour: {count: {gte: 2}}}"),
            [
                "svc.yaml:11: pages[0].next[0].when.colour.count: 'count' is for a repeat page: "
                "name the page, not a question"
            ],
        ),
    ],
)
def test_each_problem_names_file_line_and_key_path(
    change: tuple[str, str], expected: list[str]
) -> None:
    assert change[0] in GOOD
    assert problems(GOOD.replace(*change)) == expected


def test_every_problem_is_reported_at_once() -> None:
    text = GOOD.replace("        label: Which shade of red?", "        labl: Which shade?")
    text = text.replace("        label: Your name", "        label: Your name\n        colour: x")
    found = problems(text)
    assert len(found) == 2
    assert found == [
        "svc.yaml:18: pages[1].questions[0].labl: unknown key (did you mean 'label'?)",
        "svc.yaml:24: pages[2].questions[0].colour: unknown key",
    ]


def test_a_condition_may_not_read_the_same_or_a_later_page() -> None:
    text = GOOD.replace("  - id: red-page\n", "  - id: red-page\n    show_when: {shade: dark}\n")
    assert problems(text) == [
        "svc.yaml:15: pages[1].show_when: reads 'shade', which is asked on this page: a "
        "condition can only read answers from earlier pages"
    ]
    text = GOOD.replace("  - id: red-page\n", "  - id: red-page\n    show_when: {name: Al}\n")
    assert "a later page" in problems(text)[0]


def test_unreachable_pages_are_refused() -> None:
    text = GOOD.replace(
        "      - goto: last",
        "      - goto: last\n  - id: orphan\n    type: "
        "content\n    title: Orphan\n    body: Nobody gets here\n    next:\n"
        "      - goto: last",
    )
    text = text.replace("  - id: red-page\n", "  - id: red-page\n")
    found = problems(text)
    assert found == ["svc.yaml:14: pages[1]: page 'orphan' cannot be reached by any route"]


def test_loops_are_refused() -> None:
    text = GOOD.replace(
        "        label: Which shade of red?",
        "        label: Which shade of red?\n    next:\n      - when: {shade: "
        "again}\n        goto: first",
    )
    found = problems(text)
    assert len(found) == 1
    assert found[0].startswith(
        "svc.yaml:19: pages[1].next: routes loop: first -> red-page -> first"
    )


LOOP_AND_ORPHAN = GOOD.replace(
    "        label: Which shade of red?",
    "        label: Which shade of red?\n    next:\n      - when: {shade: again}\n"
    "        goto: first",
).replace(
    "      - goto: last\n",
    "      - goto: last\n  - id: orphan\n    type: content\n    title: Orphan\n"
    "    body: Nobody gets here\n    next:\n      - goto: last\n",
    1,
)


@pytest.mark.parametrize(
    "another_problem",
    [
        ("        label: Your name", "        label: Your name\n        colour: red"),  # mended
        ("        type: text\n        label: Your name", "        type: txet\n"),  # set aside
        ("  - id: red-page\n", "  - id: red-page\n    show_when: {name: Al}\n"),  # later page
    ],
)
def test_loops_and_unreachable_pages_are_found_beside_problems_that_leave_routes_as_written(
    another_problem: tuple[str, str],
) -> None:
    found = problems_with(*another_problem, LOOP_AND_ORPHAN)
    assert len(found) == 3, found
    assert any("routes loop: first -> red-page -> first" in f for f in found)
    assert any("page 'orphan' cannot be reached by any route" in f for f in found)


@pytest.mark.parametrize(
    "changed_route",
    [
        ("    next:\n      - goto: last\n", "    nxt:\n      - goto: last\n"),  # a page's key
        ("  - id: orphan\n    type: content", "  - id: orphan\n    type: contnet"),
        ("goto: red-page", "goto: nowhere"),
        ("- when: {colour: red}", "- when: {colour: purple}"),  # a rule's refused condition
        ("- when: {colour: red}", "- wen: {colour: red}"),  # a rule's misspelt key
        (  # a page's rules indented under its question
            "    next:\n      - when: {colour: red}\n        goto: red-page\n      - goto: last\n",
            "        next:\n          - when: {colour: red}\n            goto: red-page\n"
            "          - goto: last\n",
        ),
    ],
)
def test_a_problem_that_changes_the_routes_does_not_also_report_what_follows_from_it(
    changed_route: tuple[str, str],
) -> None:
    found = problems_with(*changed_route, LOOP_AND_ORPHAN)
    assert not any("routes loop" in f or "cannot be reached" in f for f in found), found


@pytest.mark.parametrize(
    ("page", "message"),
    [
        (
            "  - id: extra\n    type: exit\n    title: T\n    body: B\n    questions:\n      - id: q\n"
            "        type: text\n        label: Q\n",
            "an exit page cannot have questions",
        ),
        ("  - id: extra\n    questions: []\n", "a question page needs at least one question"),
        (
            "  - id: extra\n    type: repeat\n    title: T\n    max_items: 3\n    questions: []\n",
            "a repeat page needs at least one question",
        ),
        (
            "  - id: extra\n    type: content\n    title: T\n    body: B\n    questions:\n"
            "      - {id: q, type: text, label: Q}\n",
            "a content page cannot have questions",
        ),
        (
            "  - id: extra\n    questions:\n      - {id: q1, type: text, label: A}\n"
            "      - {id: q2, type: text, label: B}\n",
            "a page with more than one question needs a title",
        ),
    ],
)
def test_page_kind_mismatches_are_refused(page: str, message: str) -> None:
    assert any(message in problem for problem in problems(GOOD + page))


def test_yaml_syntax_errors_give_the_line() -> None:
    assert problems("id: x\ntitle: [unclosed\npages: []\n")[0].startswith("svc.yaml:3: ")


def test_a_list_item_indented_wrongly_is_not_named_as_a_key_of_the_mapping_above() -> None:
    text = GOOD.replace("      - goto: last\n", "     - goto: last\n", 1)
    [found] = problems(text)
    assert found.startswith("svc.yaml:13: pages[0]: not valid YAML")  # not pages[0].goto


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (  # a key's text with ': ' in it, not quoted
            "        label: Your name",
            "        label: Your name: in full",
            "svc.yaml:23: pages[2].questions[0].label: not valid YAML: a second ': ' on this "
            "line: put text that has ': ' in it in quotes (\"…\")",
        ),
        (  # a key indented one space too far in: the question it was under
            "        label: Your name",
            "        label: Your name\n         hint: Both parts",
            "svc.yaml:24: pages[2].questions[0].hint: not valid YAML: an unexpected ':': "
            "this line is not indented like the lines around it: a key lines up exactly under "
            "the other keys of its mapping, and a list item's '-' under the other items (spaces "
            "only)",
        ),
        (  # a {…} mapping left open (it runs on to the next key): the list item it is
            "        options: [red, blue]",
            "        options:\n          - {value: red, label: Red\n          - blue",
            "svc.yaml:12: pages[0].questions[0].options[0]: not valid YAML: a {…} mapping "
            "that is not closed, or a ':' or '?,' inside it: put text with ': ', or that ends "
            "in '?', in quotes",
        ),
    ],
)
def test_yaml_syntax_errors_give_the_key_path_they_are_in(
    before: str, after: str, expected: str
) -> None:
    assert problems_with(before, after) == [expected]


def bomb(levels: int) -> str:
    """A few hundred bytes of aliases of aliases: 10 ** levels strings written out."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            bomb(9),  # 10**9 strings, were it written out
            "cannot be read: more than 100,000 values once its aliases (*name) are written out",
        ),
        ("id: deep\npages: " + "[" * 500 + "]" * 500, "nested more than 50 deep"),
        ("id: deep\npages: " + "[" * 60 + "]" * 60, "nested more than 50 deep"),
        ("# " + "x" * 2_000_001, "the file is larger than 2,000,000 characters"),
    ],
)
def test_a_definition_too_large_or_deep_to_read_is_one_problem_at_once(
    text: str, expected: str
) -> None:
    [problem] = problems(text)  # refused at once, not worked through (10 ** 9 values)
    assert problem.startswith("svc.yaml:") and expected in problem


def test_a_file_far_too_large_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_text("# " + "x" * 8_000_001, encoding="utf-8")
    [error] = load_definition(huge).errors
    assert error.message == "cannot be read: the file is larger than 2,000,000 characters"


def test_yes_and_no_stay_text_so_conditions_on_yes_no_questions_work() -> None:
    text = (
        GOOD.replace("        type: radios", "        type: yes_no")
        .replace("        options: [red, blue]\n", "")
        .replace("{colour: red}", "{colour: no}")
    )
    result = load_text(text, "svc.yaml")
    assert result.errors == []
    assert result.service is not None
    service = result.service
    assert service.routes.next_page_id(service.pages[0], {"colour": "no"}) == "red-page"


def test_duplicate_keys_are_refused() -> None:
    assert problems(GOOD.replace("title: Pay for a thing", "title: A\ntitle: B")) == [
        "svc.yaml:3: title: duplicate key 'title'"
    ]


def test_error_message_keys_must_be_checks_of_the_type() -> None:
    text = GOOD.replace(
        "        label: Your name",
        "        label: Your name\n        error_messages: {too_big: Nope}",
    )
    assert problems(text) == [
        "svc.yaml:24: pages[2].questions[0].error_messages.too_big: "
        "'too_big' is not a check of a text question (use: required, "
        "min_length, max_length, pattern)"
    ]


def test_reserved_ids_are_refused() -> None:
    assert "reserved" in problems(GOOD.replace("id: pay-for-a-thing", "id: staff"))[0]
    assert (
        "reserved"
        in problems(
            GOOD.replace("  - id: last", "  - id: check-answers").replace(
                "goto: last", "goto: check-answers"
            )
        )[0]
    )


def test_unknown_keys_and_routing_problems_are_reported_together() -> None:
    text = GOOD.replace("        goto: red-page", "        goto: redpage").replace(
        "        label: Your name", "        label: Your name\n        hnit: typo"
    )
    assert problems(text) == [
        "svc.yaml:12: pages[0].next[0].goto: no page has the id 'redpage' "
        "(did you mean 'red-page'?)",
        "svc.yaml:24: pages[2].questions[0].hnit: unknown key",
    ]


def test_broken_questions_do_not_hide_routing_problems_elsewhere() -> None:
    text = (
        GOOD.replace("        label: Which shade of red?\n", "")
        .replace("      - when: {colour: red}", "      - when: {colour: green}")
        .replace("      - goto: last", "      - goto: lastt")
    )
    assert problems(text) == [
        "svc.yaml:11: pages[0].next[0].when.colour: 'green' is not an option of 'colour' "
        "(options: red, blue)",
        "svc.yaml:13: pages[0].next[1].goto: no page has the id 'lastt' (did you mean 'last'?)",
        "svc.yaml:16: pages[1].questions[0].label: missing required key 'label'",
    ]


def test_findings_that_only_echo_a_broken_page_are_not_repeated() -> None:
    text = GOOD.replace(
        "      - id: shade\n        type: text", "      - id: shade\n        type: txt"
    )
    found = problems(text)
    assert len(found) == 1 and "type 'txt' is not a question type" in found[0]
    assert not any("red-page" in problem for problem in found)  # its goto is not "unknown"


def test_a_wrong_top_level_value_does_not_hide_the_rest() -> None:
    text = GOOD.replace("title: Pay for a thing", "title: [not, text]").replace(
        "goto: red-page", "goto: nowhere"
    )
    assert problems(text) == [
        "svc.yaml:2: title: must be text",
        "svc.yaml:12: pages[0].next[0].goto: no page has the id 'nowhere'",
    ]


def test_exit_and_content_pages_need_a_title_and_a_body_in_plain_words() -> None:
    found = problems(
        GOOD + "  - id: bye\n    type: exit\n    title: Goodbye\n"
        "  - id: note\n    type: content\n    body: Read this\n"
    )
    assert [f.split(": ", 2)[2] for f in found if "needs a title" in f] == [
        "an exit page needs a title and a body",
        "a content page needs a title and a body",
    ]


def test_a_page_only_after_an_exit_page_cannot_be_reached() -> None:
    """An exit page ends the journey: the page written after it is not its way on."""
    text = GOOD.replace(
        "      - goto: last\n",
        "      - goto: last\n  - id: stop\n    type: exit\n    title: Stop\n    body: The end\n"
        "  - id: orphan\n    type: content\n    title: Orphan\n    body: Nobody gets here\n"
        "    next:\n      - goto: last\n",
        1,
    ).replace(
        "      - when: {colour: red}\n        goto: red-page",
        "      - when: {colour: red}\n        goto: stop",
    )
    assert [p.split(": ", 2)[2] for p in problems(text)] == [
        "page 'orphan' cannot be reached by any route",
        "page 'red-page' cannot be reached by any route",  # its goto now goes to the exit
    ]


def test_a_good_definition_has_an_empty_list_of_problems() -> None:
    from service_builder.definitions.checks import check_service

    service = load_text(GOOD, "svc.yaml").service
    assert service is not None
    assert check_service(service)[0] == []


REPEAT_Q = "    questions:\n      - {id: q1, type: text, label: A}\n"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "  - id: extra\n    type: content\n    title: T\n",
            "svc.yaml:24: pages[3]: a content page needs a title and a body",
        ),
        (
            "  - id: extra\n    questions:\n      - {id: q1, type: text, label: A}\n"
            "      - {id: q2, type: text, label: B}\n",
            "svc.yaml:24: pages[3]: a page with more than one question needs a title",
        ),
        (
            "  - id: extra\n    min_items: 2\n" + REPEAT_Q,
            "svc.yaml:25: pages[3].min_items: 'min_items' is only for pages of type: repeat",
        ),
        (
            "  - id: extra\n    type: repeat\n    title: T\n" + REPEAT_Q,
            "svc.yaml:24: pages[3]: a repeat page needs max_items (at most 50)",
        ),
        (
            "  - id: extra\n    type: repeat\n    title: T\n    min_items: 4\n    max_items: 3\n"
            + REPEAT_Q,
            "svc.yaml:27: pages[3].min_items: min_items is more than max_items",
        ),
        (
            "  - id: extra\n    type: repeat\n    title: T\n    max_items: 60\n" + REPEAT_Q,
            "svc.yaml:27: pages[3].max_items: must be 50 or less",
        ),
        (
            "  - id: extra\n    type: repeat\n    max_items: 3\n" + REPEAT_Q,
            "svc.yaml:24: pages[3]: a repeat page needs a title: the list page's heading",
        ),
        (
            "  - id: q1\n    type: repeat\n    title: T\n    max_items: 3\n" + REPEAT_Q,
            "svc.yaml:24: pages[3].id: 'q1' is also a question id",
        ),
        (
            "  - id: extra\n    type: repeat\n    title: T\n    max_items: 3\n"
            + REPEAT_Q
            + "      - {id: q1, type: text, label: B}\n",
            "svc.yaml:30: pages[3].questions[1].id: duplicate question id 'q1': "
            "this page already asks it",
        ),
        (
            "  - id: extra\n    type: exit\n    title: T\n    body: B\n    next:\n      - goto: last\n",
            "svc.yaml:28: pages[3].next: an exit page has no way on, so no next rules",
        ),
        (
            "  - id: extra\n" + REPEAT_Q + "    next:\n      - goto: last\n"
            "      - when: {q1: x}\n        goto: last\n",
            "svc.yaml:28: pages[3].next[0]: only the last rule may have no 'when': "
            "the rules after it never run",
        ),
    ],
)
def test_page_problems_name_the_exact_key_and_line(page: str, expected: str) -> None:
    assert problems(GOOD + page) == [expected]


def test_a_repeat_page_may_need_exactly_as_many_items_as_it_allows() -> None:
    page = "  - id: extra\n    type: repeat\n    title: T\n    min_items: 3\n    max_items: 3\n"
    assert problems(GOOD + page + REPEAT_Q) == []


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("£35", "payment.amount: must be a whole number of pence (3500 is £35.00), or a list"),
        ("{when: {}}", "payment.amount: must be a whole number of pence (3500 is £35.00), or"),
        ("-100", "payment.amount: must be 0 or more"),  # a number: what is wrong with it
        ("20000000", "payment.amount: must be 10000000 or less"),
        ("[{amount: -5}]", "payment.amount[0].amount: must be 0 or more"),  # a list: the same
    ],
)
def test_a_key_of_several_forms_says_what_is_wrong_with_the_form_given(
    amount: str, expected: str
) -> None:
    paying = GOOD.replace("pages:\n", f"payment:\n  description: Fee\n  amount: {amount}\npages:\n")
    (found,) = problems(paying)
    assert found.startswith(f"svc.yaml:5: {expected}")


def test_languages_written_as_text_is_one_problem_not_one_per_text() -> None:
    welsh = GOOD.replace(
        "title: Pay for a thing", "title: {en: Pay, cy: Talu}\nlanguages: en, cy"
    ).replace("label: Which colour?", "label: {en: 'Which colour?', cy: 'Pa liw?'}")
    found = problems(welsh)
    assert found[0] == "svc.yaml:3: languages: must be a list (write [en, cy])"
    assert not [f for f in found if "is not one of the service's languages" in f]
    assert all("no 'cy' text" in f for f in found[1:])  # the texts not yet in Welsh


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (
            "        label: Your name\n",
            "        label: Your name\n        next: []\n",
            "svc.yaml:24: pages[2].questions[0].next: unknown key: 'next' belongs on the page, "
            "not on a question (indent it less)",
        ),
        (
            "  - id: last\n",
            "  - id: last\n    hint: Tell us\n",
            "svc.yaml:20: pages[2].hint: unknown key: 'hint' belongs on a question, under the "
            "page's questions",
        ),
        (
            "        label: Your name\n",
            "        label: Your name\n        max_words: 5\n",
            "svc.yaml:24: pages[2].questions[0].max_words: unknown key: 'max_words' is only for "
            "textarea questions",
        ),
        (
            "      - goto: last\n",
            "      - goto: check-answer\n",
            "svc.yaml:13: pages[0].next[1].goto: no page has the id 'check-answer' (did you mean "
            "'check-answers'?)",
        ),
    ],
)
def test_a_real_key_in_the_wrong_place_is_told_where_it_belongs(
    before: str, after: str, expected: str
) -> None:
    assert problems_with(before, after) == [expected]


def test_two_problems_in_one_start_are_both_reported_not_a_crash() -> None:
    """Found by the property test: mending the first removed the `start` the second was in."""
    broken = GOOD.replace("pages:\n", 'start: {body: "", next: {}}\npages:\n', 1)
    assert problems(broken) == [
        "svc.yaml:3: start.body: must not be empty",
        "svc.yaml:3: start.next: unknown key",
    ]


@pytest.mark.parametrize(
    ("before", "after", "hint"),
    [
        ("        type: radios", "        type: dropdown", "(did you mean 'select'?)"),
        ("        type: radios", "        type: radio", "(did you mean 'radios'?)"),
        (
            "        type: text\n        label: Your name",
            "        type: file\n        label: Your photo\n        accept: [jpg, .png]",
            "(write 'png', without the dot)",
        ),
    ],
)
def test_a_value_not_among_the_choices_says_what_was_probably_meant(
    before: str, after: str, hint: str
) -> None:
    [found] = problems_with(before, after)
    assert found.endswith(hint), found


def test_problems_after_a_part_set_aside_name_their_own_page_and_question() -> None:
    """Found by a designer's trial: the checks after a broken page or question ran on what
    was left, and named the page or question that moved up into its place."""
    pages = textwrap.dedent(
        """\
        id: shifted
        title: Shifted
        pages:
          - id: a
            type: repeat
            title: A
            max_items: 3
            questions: [{id: qa, type: text, label: A}]
          - id: b
            type: repeat
            title: B
            max_items: 51
            questions: [{id: qb, type: text, label: B}]
          - id: c
            title: C
            show_when: {a: {count: {gte: x}}}
            questions:
              - {id: qc, type: number, label: C, min: 5, max: 1}
              - {id: qd, type: text, label: D}
              - {id: qe, type: text, label: E, error_messages: {requried: x}}
        """
    )
    assert problems(pages) == [
        "svc.yaml:12: pages[1].max_items: must be 50 or less",
        "svc.yaml:16: pages[2].show_when.a.count.gte: compare a count with a whole number",
        "svc.yaml:18: pages[2].questions[0]: min is greater than max",
        "svc.yaml:20: pages[2].questions[2].error_messages.requried: 'requried' is not a check "
        "of a text question (use: required, min_length, max_length, pattern)",
    ]


def test_a_broken_service_level_list_does_not_hide_the_other_checks() -> None:
    found = problems_with(
        "pages:\n",
        "notify:\n  email_question: name\n  confirmation_template: "
        "11111111-1111-4111-8111-111111111111\nwebhooks:\n  - url: http://example.com\npages:\n",
    )
    assert "svc.yaml:4: notify.email_question: 'name' is a text question, not an email " in (
        "\n".join(found)
    )
    assert "svc.yaml:7: webhooks[0].url: unknown key" in found


def test_every_problem_of_one_question_is_said_at_once() -> None:
    checkboxes = (
        "        type: checkboxes\n        label: Which colours?\n        options: [red, blue]\n"
        "        exclusive: green\n        min_selected: 2\n        max_selected: 1\n"
    )
    found = problems_with("        type: text\n        label: Your name\n", checkboxes)
    assert found == [
        "svc.yaml:21: pages[2].questions[0]: exclusive 'green' is not one of the option values; "
        "min_selected is greater than max_selected"
    ]


def test_a_question_without_a_type_is_told_so_in_the_words_of_any_missing_key() -> None:
    assert problems_with("        type: text\n        label: Your name", "        label: Name") == [
        "svc.yaml:21: pages[2].questions[0].type: missing required key 'type'"
    ]


def test_a_whole_number_question_must_leave_a_whole_number_between_min_and_max() -> None:
    number = "        type: number\n        label: How many?\n        integer: true\n"
    assert problems_with(
        "        type: text\n        label: Your name\n",
        number + "        min: 1.5\n        max: 1.7\n",
    ) == ["svc.yaml:21: pages[2].questions[0]: no whole number is between min (1.5) and max (1.7)"]


def test_a_service_level_key_taken_out_with_its_problem_is_not_reported_missing() -> None:
    """A review: a malformed `notify.team_email` took `notify` out of the checks, and save
    and return then said its `save_template` was missing. It is there."""
    assert problems_with(
        "pages:\n",
        "save_and_return: true\nnotify:\n  email_question: name\n"
        "  save_template: 00000000-0000-4000-8000-000000000006\n"
        "  team_email: [a@b.example]\n"
        "  team_template: 00000000-0000-4000-8000-000000000007\npages:\n",
    ) == ["svc.yaml:7: notify.team_email: must be text"]
