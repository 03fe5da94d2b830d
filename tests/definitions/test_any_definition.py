"""However a definition is damaged, the loader reports problems: it never crashes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from service_builder.definitions.loader import load_text
from tests.conftest import EXAMPLES

LINES = (EXAMPLES / "book-bulky-waste.yaml").read_text().splitlines()
JUNK = [
    "",
    "  - ",
    "x: [",
    "id: 7",
    "    type: radio",
    "  next: {}",
    "      goto: 5",
    "    show_when: {nope: 1}",
    "      when: {items: {gte: true}}",
    "pages: oops",
    ":",
    "\t",
]


@settings(max_examples=250, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(LINES) - 1),
            st.sampled_from(["delete", "duplicate", "replace"]),
            st.sampled_from(JUNK),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_damaged_definition_gets_findings_not_a_crash(edits: list[tuple[int, str, str]]) -> None:
    lines = list(LINES)
    for index, action, junk in edits:
        index %= len(lines)
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        else:
            lines[index] = junk
        if not lines:
            lines = [""]
    result = load_text("\n".join(lines), "damaged.yaml")
    assert (result.service is None) == bool(result.errors)
    for error in result.errors:
        assert str(error).startswith("damaged.yaml:") and error.line >= 1 and error.message
