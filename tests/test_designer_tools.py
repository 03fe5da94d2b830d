"""What a service designer tripped on: the reference, the route map, validate, graph and lint."""

from __future__ import annotations

import itertools
import os
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from service_builder.cli import main
from service_builder.definitions.loader import load_text
from service_builder.graph import BOX_W, LEFT, SIZE, svg
from service_builder.reference_docs import render_reference
from service_builder.svg_text import text_width, wrap
from tests.conftest import EXAMPLES

NS = "{http://www.w3.org/2000/svg}"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_reference_shows_no_pydantic_placeholder() -> None:
    text = render_reference()
    assert "PydanticUndefined" not in text
    assert "| `questions` | no |  |" in text


LONG = """\
id: long-labels
title: Long labels
pages:
  - id: first-page-with-a-rather-long-identifier
    questions:
      - id: colour
        type: radios
        label: Which of these colours would you most like the council to paint the bus shelter?
        options: [red, blue, "Wide WWWWWWWWWWWWWWWWWWWW"]
    next:
      - when: {colour: {in: [red, blue, "Wide WWWWWWWWWWWWWWWWWWWW"]}}
        goto: last
  - id: middle
    show_when: {colour: "Wide WWWWWWWWWWWWWWWWWWWW"}
    questions:
      - id: name
        type: text
        label: WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW?
  - id: last
    questions:
      - id: when
        type: date
        label: When?
"""


def test_the_route_map_keeps_every_word_inside_its_box_and_the_picture() -> None:
    result = load_text(LONG, "long.yaml")
    assert result.service is not None, result.errors
    drawing = svg(result.service)
    assert "…" not in drawing
    tree = ET.fromstring(drawing)
    width, height = float(tree.get("width", 0)), float(tree.get("height", 0))
    rects = tree.findall(f"{NS}rect")
    shown = ""
    for text in tree.findall(f"{NS}text"):
        bold = text.get("font-weight") == "bold"
        for span in text.findall(f"{NS}tspan"):
            x, line = float(span.get("x", 0)), span.text or ""
            shown += " " + line
            right = x + text_width(line, SIZE, bold)
            assert right <= width, line
            if x < LEFT + BOX_W:  # text in a page's box stays in the box
                assert right <= LEFT + BOX_W, line
    assert "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW?" in shown.replace(" ", "")
    assert "first-page-with-a-rather-long-identifier" in shown
    assert "Which of these colours would you most like the council to paint the bus" in shown
    for rect in rects:
        assert float(rect.get("y", 0)) + float(rect.get("height", 0)) <= height
    boxes = sorted((float(r.get("y", 0)), float(r.get("height", 0))) for r in rects)
    for (y, h), (next_y, _) in itertools.pairwise(boxes):
        assert y + h < next_y  # boxes grow with their text and never overlap


def test_text_is_measured_by_its_letters_and_wrapped_between_words() -> None:
    assert text_width("WWW", 14) > text_width("iii", 14) * 3
    assert text_width("abc", 14, bold=True) > text_width("abc", 14)
    assert wrap("one two six ten", text_width("one two", 14), 14) == ["one two", "six ten"]
    assert wrap("", 100, 14) == [""]
    assert all(text_width(line, 14) <= 50 for line in wrap("W" * 20, 50, 14))
    assert "".join(wrap("W" * 20, 50, 14)) == "W" * 20


def test_a_type_typo_does_not_hide_a_bad_goto_in_the_same_file() -> None:
    text = textwrap.dedent("""\
        id: typo
        title: Typo
        pages:
          - id: first
            questions:
              - id: colour
                type: radio
                label: Which colour?
                options: [red, blue]
            next:
              - when: {name: red}
                goto: nowhere
              - goto: last
          - id: last
            questions:
              - id: name
                type: text
                label: Your name
        """)
    assert [str(e) for e in load_text(text, "svc.yaml").errors] == [
        "svc.yaml:7: pages[0].questions[0].type: type 'radio' is not a question type; use one "
        "of 'text', 'textarea', 'number', 'email', 'phone', 'date', 'radios', 'checkboxes', "
        "'select', 'yes_no', 'postcode', 'address', 'file' (did you mean 'radios'?)",
        "svc.yaml:11: pages[0].next[0].when: reads 'name', which is asked on a later page: a "
        "condition can only read answers from earlier pages",
        "svc.yaml:12: pages[0].next[0].goto: no page has the id 'nowhere'",
    ]


GOOD = (EXAMPLES / "report-fly-tipping.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("before", "after", "line", "words"),
    [
        ("    title: Where exactly", "     title: Where exactly", None, "not indented like"),
        ("        type: postcode\n", "        type: postcode\n          label: x\n", None, "':'"),
        ("        type: postcode\n", "\ttype: postcode\n", None, "a tab: indent with spaces"),
    ],
)
def test_a_bad_indent_is_explained_with_its_line(
    before: str, after: str, line: int | None, words: str
) -> None:
    assert before in GOOD
    errors = load_text(GOOD.replace(before, after, 1), "svc.yaml").errors
    assert len(errors) == 1
    expected_line = GOOD.replace(before, after, 1)[: GOOD.index(before) + 1].count("\n") + 1
    assert errors[0].line in (expected_line, expected_line + 1)
    assert words in errors[0].message
    assert "<block" not in errors[0].message and "expected <" not in errors[0].message


def test_validate_flags_titles_and_prefixes_used_twice(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    copy = GOOD.replace("id: report-fly-tipping", "id: report-fly-tipping-again")
    (tmp_path / "b.yaml").write_text(copy, encoding="utf-8")
    code, out, err = run("validate", str(tmp_path))
    assert code == 1
    title_line = copy[: copy.index("\ntitle:") + 1].count("\n") + 1
    prefix_line = copy[: copy.index("\nreference_prefix:") + 1].count("\n") + 1
    assert out.splitlines() == [
        f"{tmp_path / 'b.yaml'}:{title_line}: title: {tmp_path / 'a.yaml'} already uses the "
        "title 'Report fly-tipping'",
        f"{tmp_path / 'b.yaml'}:{prefix_line}: reference_prefix: {tmp_path / 'a.yaml'} already "
        "uses the reference prefix 'FLY'",
    ]
    assert "2 definitions checked, 2 problems found" in err
    (tmp_path / "c.yaml").write_text(GOOD.replace("id: report-fly-tipping", "id: x"), "utf-8")
    code, out, _ = run("validate", str(tmp_path / "a.yaml"), str(tmp_path / "c.yaml"))
    assert "c.yaml:1: id:" not in out and "already uses the title" in out


def test_validate_flags_an_id_used_twice(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        GOOD.replace("title: Report fly-tipping", "title: Tell us about fly-tipping").replace(
            "reference_prefix: FLY", "reference_prefix: FT"
        ),
        encoding="utf-8",
    )
    code, out, _ = run("validate", str(tmp_path))
    assert code == 1
    assert out.strip().endswith("already uses the id 'report-fly-tipping'")


def test_a_file_in_the_folder_checked_alone_is_compared_with_the_rest_of_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "report-fly-tipping.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(GOOD.replace("reference_prefix: FLY", ""), "utf-8")
    code, out, _ = run("validate", str(tmp_path / "new.yaml"), "--definitions", str(tmp_path))
    assert code == 1
    line = GOOD[: GOOD.index("\nid:") + 1].count("\n") + 1
    assert (
        f"{tmp_path / 'new.yaml'}:{line}: id: {tmp_path / 'report-fly-tipping.yaml'} already "
        in out
    )
    assert f"{tmp_path / 'report-fly-tipping.yaml'}:" not in out  # only the file named is checked
    code, _, _ = run("validate", str(tmp_path / "report-fly-tipping.yaml"))  # not in the folder
    assert code == 0


def test_a_copy_made_to_start_a_new_service_never_displaces_the_original(
    tmp_path: Path,
) -> None:
    """The copy sorts first ('-v2' before '.yaml'), yet the file named after the id keeps
    it, in the app and in `validate` alike, and both name the copy's own line."""
    from service_builder.catalog import Catalog

    (tmp_path / "report-fly-tipping.yaml").write_text(GOOD, encoding="utf-8")
    copy = "# my new service, copied\n" + GOOD.replace("Report fly-tipping", "Draft copy")
    (tmp_path / "report-fly-tipping-v2.yaml").write_text(copy, encoding="utf-8")
    catalog = Catalog.load(tmp_path)
    served = catalog.get("report-fly-tipping")
    assert served is not None and served.title == "Report fly-tipping"
    (refused,) = catalog.refused
    line = copy[: copy.index("\nid:") + 1].count("\n") + 1
    assert str(refused.errors[0]).startswith(
        f"{tmp_path / 'report-fly-tipping-v2.yaml'}:{line}: id: "
    )
    code, out, _ = run("validate", str(tmp_path))
    assert code == 1 and out.startswith(f"{tmp_path / 'report-fly-tipping-v2.yaml'}:{line}: id:")
    # both named after their ids, the newer is the copy; it may share a title or a prefix
    # (validate refuses it), but it never takes the original down
    (tmp_path / "report-fly-tipping-v2.yaml").unlink()
    other = GOOD.replace("id: report-fly-tipping", "id: a-tip-off")  # sorts first
    (tmp_path / "a-tip-off.yaml").write_text(other, encoding="utf-8")
    os.utime(tmp_path / "report-fly-tipping.yaml", (1, 1))  # long before the copy
    assert sorted(Catalog.load(tmp_path).services) == ["a-tip-off", "report-fly-tipping"]
    code, out, _ = run("validate", str(tmp_path))
    title = GOOD[: GOOD.index("\ntitle:") + 1].count("\n") + 1
    assert code == 1 and f"{tmp_path / 'a-tip-off.yaml'}:{title}: title: " in out
    assert "report-fly-tipping.yaml:" not in out  # the older file is never the one blamed


def test_lint_and_validate_count_in_words(tmp_path: Path) -> None:
    one = tmp_path / "one.yaml"
    one.write_text(GOOD, encoding="utf-8")
    _, _, err = run("lint", str(one))
    assert "1 definition checked, 0 warnings" in err
    _, _, err = run("validate", str(one))
    assert "1 definition checked, 0 problems found" in err
    (tmp_path / "broken.yaml").write_text("id: [", encoding="utf-8")
    code, out, err = run("lint", str(tmp_path))  # a designer's trial: '1 checked' for 0
    assert code == 1 and "broken.yaml: not checked: run `service-builder validate" in out
    assert "1 definition checked, 0 warnings; 1 definition not checked (invalid)" in err


def test_graph_says_which_folder_it_searched(tmp_path: Path) -> None:
    code, _, err = run("graph", "no-such-service", "--definitions", str(tmp_path))
    assert code == 1
    assert f"no valid service with the id 'no-such-service' in {tmp_path}/" in err
    assert "services there: none" in err
    assert "--definitions DIR or SERVICE_BUILDER_DEFINITIONS" in err
