"""Uploads on question pages: the size limit while reading, scanning, storing, and keeping.

- A page with `file` questions may receive up to its questions' limits (plus room for the
  other fields); any other page keeps the app's small MAX_CONTENT_LENGTH. The limit is set
  before anything reads the body, so werkzeug refuses a longer body from its Content-Length
  without reading it, and cuts off a body with no length as soon as it passes the limit.
  The resident then sees the page again with "The selected file must be smaller than …".
- Each file is read in chunks by the question (service_builder.questions.files), scanned by
  clamd when CLAMD_SOCKET is set, and only then stored under its new file id.
- A file accepted on a page that had other errors is kept (in the session) until the page is
  saved, so the resident need not choose it again; so is the stored file when the page is
  posted again without a new one. A file replaced by another is deleted (and an optional
  question's file can be removed: `service_builder.web.file_removal`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, render_template, request, session
from werkzeug.datastructures import CombinedMultiDict, MultiDict
from werkzeug.exceptions import RequestEntityTooLarge

from service_builder.config import ROOT
from service_builder.definitions.schema import Page
from service_builder.files.scanning import Infected, NotScanned, scan
from service_builder.files.storage import FileStore, file_store
from service_builder.journey import Answers, Journey
from service_builder.questions import AnswerError, Raw
from service_builder.questions.files import MEGABYTE, FileQuestion, is_file_answer, is_upload
from service_builder.web.limits import charge, upload_limit
from service_builder.web.security import local_full_path

if TYPE_CHECKING:
    from service_builder.web.runner import JourneyRunner

PENDING = "pending_files"
FORM_ROOM = MEGABYTE
"""Room for the page's other fields and the multipart framing, on top of the files."""


def store() -> FileStore:
    return file_store(current_app.config["SERVICE_BUILDER_FILES"], ROOT)


def file_questions(page: Page) -> list[FileQuestion]:
    return [q for q in page.questions if isinstance(q, FileQuestion)]


def posted_form(runner: JourneyRunner, journey: Journey, page: Page) -> Any:
    """The POST body with each file question's upload, or else the file it already has."""
    files: MultiDict[str, Any] = MultiDict()
    for question in file_questions(page):
        upload = request.files.get(question.id)
        if upload is not None and upload.filename:
            files[question.id] = upload
        elif kept := kept_file(runner, journey, question):
            files[question.id] = kept
    return CombinedMultiDict([files, request.form])


def take_files(
    runner: JourneyRunner,
    journey: Journey,
    page: Page,
    raws: dict[str, Raw],
    values: Answers,
    errors: list[AnswerError],
) -> list[AnswerError]:
    """Scan and store every upload the questions accepted; returns the page's errors."""
    for question in file_questions(page):
        raw = raws.get(question.id, {})
        upload = raw.get(question.id)
        if not is_upload(upload) or question.id not in values:
            continue
        answer = values[question.id]
        try:
            scan(upload.stream, current_app.config["CLAMD_SOCKET"])
        except (Infected, NotScanned) as refusal:
            del values[question.id]  # nothing of a refused file is kept
            raws[question.id] = {question.id: ""}
            errors.append(
                question.infected() if isinstance(refusal, Infected) else question.not_scanned()
            )
            continue
        store().save(answer["file_id"], upload.stream)
        raws[question.id] = {question.id: answer}  # shown again if the page has errors
        pending_files(runner, journey)[question.id] = answer
        session.modified = True
    show_kept(runner, journey, page, raws, refused=values)
    return errors


def refused(page: Page, errors: list[AnswerError]) -> bool:
    """Whether a file was chosen on the page and refused (its type, size, emptiness, a virus):
    a save shows the error rather than leave the file behind unsaid (a file is not text that
    can be kept to show again)."""
    ids = {question.id for question in file_questions(page)}
    return any(error.question in ids and error.check != "required" for error in errors)


def show_kept(
    runner: JourneyRunner,
    journey: Journey,
    page: Page,
    raws: dict[str, Raw],
    refused: Answers | None = None,
) -> None:
    """A file question whose new file was refused (or that was never read, the body being
    too large) shows the file it still holds, which a post without a new file keeps."""
    for question in file_questions(page):
        if refused is not None and question.id in refused:
            continue
        if kept := kept_file(runner, journey, question):
            raws[question.id] = {question.id: kept}


def files_saved(runner: JourneyRunner, before: Journey, page: Page, values: Answers) -> None:
    """After the page is saved: files it replaced are deleted, and nothing is pending."""
    pending = pending_files(runner, before)
    for question in file_questions(page):
        old = before.state.answers.get(question.id)
        new = values.get(question.id)
        if is_file_answer(old) and (not is_file_answer(new) or new["file_id"] != old["file_id"]):
            store().delete(old["file_id"])
        pending.pop(question.id, None)
    session.modified = True


def kept_file(runner: JourneyRunner, journey: Journey, question: FileQuestion) -> Any:
    held = pending_files(runner, journey).get(question.id)
    if is_file_answer(held):
        return held
    stored = journey.state.answers.get(question.id)
    return stored if is_file_answer(stored) else None


def pending_files(runner: JourneyRunner, journey: Journey) -> dict[str, Any]:
    """Files accepted on a page that had other errors, by question id, for this service."""
    everything = session.setdefault(PENDING, {})
    key = f"{runner.name}:{journey.service.id}"
    return everything.setdefault(key, {})


# -- the size limit, set before anything reads the body -------------------------------------
def _runner_page(app: Flask) -> tuple[JourneyRunner, str, str] | None:
    """The runner and page a request is for, when it is a question page POST."""
    if request.method != "POST" or not request.endpoint or not request.view_args:
        return None
    view = app.view_functions.get(request.endpoint)
    runner = getattr(view, "__self__", None)
    if runner is None or getattr(view, "__name__", "") != "page":
        return None
    return runner, request.view_args["service_id"], request.view_args["page_id"]


def _page_limit(app: Flask) -> int | None:
    found = _runner_page(app)
    if found is None:
        return None
    _runner, service_id, page_id = found
    service = app.extensions["service_builder"].catalog.get(service_id)
    page = service.page(page_id) if service else None
    questions = file_questions(page) if page else []
    if not questions:
        return None
    return sum(q.max_bytes for q in questions) + FORM_ROOM


def register(app: Flask) -> None:
    @app.url_value_preprocessor
    def _limit(endpoint: str | None, values: dict[str, Any] | None) -> None:
        # runs before every before_request hook (CSRF's reads the body first)
        limit = _page_limit(app)
        if limit is not None:
            charge(upload_limit, "upload")  # refused before a large body is read
            request.max_content_length = limit

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(error: RequestEntityTooLarge) -> Any:
        found = _runner_page(app)
        if found is None or _page_limit(app) is None:
            from service_builder.web.errors import TITLES  # errors imports the runner

            title, body = TITLES[413]
            back = local_full_path()  # the page posted from, shown again by a GET
            html = render_template(
                "errors/error.html", title=title, body=body, code=413, back_url=back
            )
            return html, 413
        runner, service_id, page_id = found
        return runner.too_large(service_id, page_id)
