"""An optional file question's page states for the sweep: the file kept (with 'Remove file')
and the page again once it is removed (its success banner).

The page is given an example file first, whatever the route's own answer, and is then saved
with the route's answers again so the journey goes on as planned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from accessibility.plan import Action, PageState, form_fields
from service_builder.explorer import Step
from service_builder.questions.files import FileQuestion
from service_builder.web.file_removal import REMOVE_FIELD


def file_states(step: Step, url: str, state: Callable[..., PageState]) -> Iterator[Action]:
    """The kept-file and removed-file states of each optional file question on the page."""
    form = step.form()
    page = step.page.id
    for question in step.page.questions:
        if not isinstance(question, FileQuestion) or question.required:
            continue
        if question.id not in step.inputs:
            continue  # not shown on this route
        with_file = {**form, **question.example_inputs()[0]}
        yield Action("fetch", url, form_fields(with_file), expect_status=302)
        kept = state(url, page, "question", "file kept, with Remove file")
        yield Action("get", url, check=kept)
        removed = state(url, page, "question", "file removed: success banner")
        yield Action("submit", url, ((REMOVE_FIELD, question.id),), check=removed)
        yield Action("fetch", url, form_fields(form), expect_status=302)
