"""Whatever is posted, a question either cleans it or says what is wrong: never a crash."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from service_builder.questions import QUESTION_TYPES, AnswerError, Question

KEYS: dict[str, dict[str, Any]] = {
    "text": {"min_length": 2, "max_length": 20, "pattern": "^[A-Z0-9 ]+$"},
    "textarea": {"max_words": 5},
    "number": {"min": -5, "max": 1000, "integer": True, "prefix": "£"},
    "date": {"not_before": "2000-01-01", "not_after": "today"},
    "radios": {"options": ["a", "b"]},
    "checkboxes": {
        "options": ["a", "b", "none"],
        "exclusive": "none",
        "max_selected": 2,
        "min_selected": 1,
    },
    "select": {"options": ["a", "b", "c", "d"]},
}
QUESTIONS: list[Question] = [
    cls.model_validate({"id": "q", "type": name, "label": "What is it?", **KEYS.get(name, {})})
    for name, cls in QUESTION_TYPES.items()
]
text = st.text(max_size=60) | st.sampled_from(
    ["9" * 40, "1e999", "NaN", "٣", "１２", "-0", "31", "2", "2024", "£5", "a", "none"]
)


numbers = st.integers(min_value=-(10**40), max_value=10**40).map(str)
value = text | numbers | st.integers(min_value=1, max_value=2100).map(str)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(QUESTIONS), st.data())
def test_any_input_is_cleaned_or_refused_with_a_message(
    question: Question, data: st.DataObject
) -> None:
    raw = {
        name: data.draw(value | st.lists(value, max_size=4), label=name)
        for name in question.field_names()
    }

    class Form:
        def get(self, key: str, default: Any = None) -> Any:
            found = raw.get(key, default)
            return found[0] if isinstance(found, list) and found else found

        def getlist(self, key: str) -> list[Any]:
            found = raw.get(key, [])
            return found if isinstance(found, list) else [found]

    try:
        question.clean(question.read(Form()))
    except AnswerError as error:
        assert error.message and error.field in question.field_names()
