"""'Remove file': an optional file question's page lets the resident go back to no file.

The button is a named submit button on the page's own form (so it needs no JavaScript and
carries the CSRF token), placed after Continue so that Enter in a text field still means
Continue. Removing deletes the stored bytes (any `FileStore`), clears the answer (keeping the
page's other valid answers, as 'Save and come back later' does), records the change like a
saved page (performance event; audit in assisted mode) and shows the page again with a
success banner (post/redirect/get, so a refresh does not post again). A required file
question has no such button: its file can only be replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import redirect, request, session
from werkzeug.wrappers import Response

from service_builder.definitions.schema import Page
from service_builder.journey import Journey, read_page
from service_builder.models import Draft
from service_builder.performance import events
from service_builder.questions import Raw
from service_builder.questions.files import FileQuestion, is_file_answer
from service_builder.submissions import save_change
from service_builder.web import banners
from service_builder.web.uploads import file_questions, kept_file, pending_files, store

if TYPE_CHECKING:
    from service_builder.web.runner import JourneyRunner

REMOVE_FIELD = "remove_file"
"""The name of the 'Remove file' button; its value is the file question's id."""


@dataclass(frozen=True)
class Removable:
    """A file the page holds that may be removed: its question and the file's name."""

    question_id: str
    filename: str


def removable(journey: Journey, page: Page, raws: dict[str, Raw]) -> list[Removable]:
    """The page's optional, shown file questions that hold a file: each gets a button."""
    questions = file_questions(page)
    if not questions:
        return []  # most pages: nothing more to work out
    shown = {question.id for question in journey.questions(page)}
    found = []
    for question in questions:
        held = raws.get(question.id, {}).get(question.id)
        if not question.required and question.id in shown and is_file_answer(held):
            found.append(Removable(question.id, str(held["filename"])))
    return found


def requested(journey: Journey, page: Page) -> FileQuestion | None:
    """The optional file question whose 'Remove file' button was pressed, if one was (a
    forged value naming a required or hidden question is an ordinary Continue)."""
    wanted = request.form.get(REMOVE_FIELD)
    if not wanted:
        return None
    shown = {question.id for question in journey.questions(page)}
    return next(
        (q for q in file_questions(page) if q.id == wanted and q.id in shown and not q.required),
        None,
    )


def remove(
    runner: JourneyRunner,
    journey: Journey,
    page: Page,
    question: FileQuestion,
    draft: Draft | None,
    changing: bool,
) -> Response:
    """Forget the question's file (pending or saved) and show the page again, saying so."""
    service = journey.service
    held = kept_file(runner, journey, question)
    saved = journey.state.answers.get(question.id)
    _raws, values, _errors = read_page(journey, page, request.form)
    files = {q.id for q in file_questions(page)}
    others = {k: v for k, v in values.items() if k not in files}  # other files stay as they are
    if draft is None and others:
        draft = runner.create_draft(service)
    if draft is not None:
        changed = draft

        def clear(fresh: Journey) -> None:
            fresh.state.answers.pop(question.id, None)
            fresh.keep(page, others)

        save_change(
            draft,
            clear,
            runner.journey_for(service),
            along=lambda: events.page_saved(service, page, changed, commit=False),
        )
        runner.audit("changed", draft, page)
    pending_files(runner, journey).pop(question.id, None)
    session.modified = True
    for gone in (held, saved):  # deleted only once the answer no longer names them
        if is_file_answer(gone):
            store().delete(gone["file_id"])
    banners.show(banners.FILE_REMOVED, banners.place(runner.blueprint.name, service.id, page.id))
    return redirect(runner.url(service, page.id, change=changing))


def template_values(journey: Journey, page: Page, raws: dict[str, Raw]) -> dict[str, Any]:
    """What question.html needs for the Remove buttons (the banner is flashed)."""
    return {
        "removable_files": removable(journey, page, raws),
        "remove_field": REMOVE_FIELD,
    }
