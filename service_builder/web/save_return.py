"""Save and come back later (residents): the page button, the email page, the link back.

The button sits on each question page's own form, so the answers just typed are kept too:
valid ones as answers, and what did not pass its checks as typed text, shown again on the
page (`web/typed.py`). The resume link alone restores nothing: the person must also give the
email address it was sent to. Assisted drafts keep their own 'Save and leave'.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from werkzeug.wrappers import Response
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length, Regexp

from service_builder.definitions import Service
from service_builder.definitions.schema import Page
from service_builder.journey import Answers, Journey, read_page
from service_builder.links import external_url
from service_builder.messages import N_, translator
from service_builder.models import Draft, as_id, db
from service_builder.performance import events
from service_builder.questions import AnswerError, Raw
from service_builder.questions.inputs import EMAIL
from service_builder.save_return import (
    ReturnLink,
    find_link,
    lifetime,
    queue_link_email,
    save_for_later,
    use,
)
from service_builder.submissions import save_change, save_page
from service_builder.web import banners, typed, uploads
from service_builder.web.forms import error_summary
from service_builder.web.language import current_language
from service_builder.web.limits import limiter
from service_builder.web.repeat import add_another_question
from service_builder.web.resident import runner
from service_builder.web.runner import View

blueprint = Blueprint("save_return", __name__)
SAVE_FIELD = "save_for_later"
"""The name of the 'Save and come back later' button on question pages."""
SAVED_KEY = "saved_for_later"
"""Session: service id -> the date its saved answers are kept until (no personal data)."""
FROM_PAGE = "save_from_page"
FROM_URL = "save_from_url"
"""Session: the page the person saved from: its id (for the event) and the URL posted to (for
the email page's Back link)."""
SAVED_FOR_LATER = "saved_for_later"
RESUMED = "resumed"
"""Performance event kinds: a draft saved to come back to, and one brought back."""
DEFAULT_RATE_LIMIT = "10 per minute;50 per hour"
BAD_FORMAT = N_("Enter an email address in the correct format, like name@example.com")
NOT_MATCHED = N_("Enter the email address you used when you saved your answers")


class EmailForm(Form):
    email = StringField(
        N_("Email address"),
        [
            DataRequired(N_("Enter your email address")),
            Length(max=254, message=BAD_FORMAT),
            Regexp(EMAIL, message=BAD_FORMAT),
        ],
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
    )


def rate_limit() -> str:
    """Per address: guessing the email for a link is slow; a person who mistypes is not."""
    return str(current_app.config.get("SAVE_AND_RETURN_RATE_LIMIT", DEFAULT_RATE_LIMIT))


# -- the button on question pages -------------------------------------------------------------
@runner.blueprint.before_request
def save_answers() -> View | None:
    """'Save and come back later' posted from a question page, a repeat item or a repeat
    list: keep what is valid on the page, then ask for an email address. Anything else goes
    on to the page's own view."""
    args = request.view_args or {}
    if request.method != "POST" or not request.form.get(SAVE_FIELD):
        return None
    if request.endpoint not in ("resident.page", "resident.item"):
        return None
    service = runner.service(args["service_id"])
    page = service.page(args["page_id"])
    if not service.save_and_return or page is None or page.type not in ("question", "repeat"):
        return None
    held = runner.draft(service)
    if held is not None and held.submitted:
        return None
    draft = runner.active(held)
    journey = runner.journey(service, draft)
    item = args.get("item")
    if not journey.on_route(page.id) or (item is not None and not page.repeats):
        return None
    if page.repeats and item is None:
        _keep_list(journey, page, draft or runner.create_draft(service))
        return _ask_for_email(service, page)
    if runner.lookups.question(journey, page) is not None:  # the lookup's own forms
        draft = draft or runner.create_draft(service)
        if runner.lookups.keep_for_later(journey, page, draft):
            return _ask_for_email(service, page)
    raws, values, errors = read_page(journey, page, uploads.posted_form(runner, journey, page))
    errors = uploads.take_files(runner, journey, page, raws, values, errors)
    if uploads.refused(page, errors):  # as Continue does: the page again, with the error
        events.page_errors(service, page, draft, errors)
        changing = request.args.get("change") == "1"
        return runner.render_page(journey, page, raws, errors, changing, draft), 400
    _keep(journey, page, draft or runner.create_draft(service), item, raws, values, errors)
    if uploads.file_questions(page):  # a file chosen with the save is kept like any answer
        uploads.files_saved(runner, journey, page, values)
    return _ask_for_email(service, page)


def _ask_for_email(service: Service, page: Page) -> Response:
    """On to the email page, whose Back returns to the very page saved from: the same
    state of an address lookup, the same repeat item, the same Change."""
    session[FROM_PAGE] = page.id
    session[FROM_URL] = request.full_path.rstrip("?")
    return redirect(url_for("save_return.email", service_id=service.id))


def _keep(
    journey: Journey,
    page: Page,
    draft: Draft,
    item: int | None,
    raws: dict[str, Raw],
    values: Answers,
    errors: list[AnswerError],
) -> None:
    """Keep what the page (or repeat item) holds: valid answers as answers, the rest as typed
    text to show again there (`web/typed.py`)."""
    service, rebuild = journey.service, runner.journey_for(journey.service)
    if page.repeats:
        number = int(item or 0)
        exists = 0 < number <= min(len(journey.items(page)) + 1, page.most_items)
        if exists and errors:  # not whole, so not an item yet: what was typed comes back on it
            save_change(draft, typed.keeping_item(page, number, raws), rebuild)
        elif exists:
            save_change(draft, lambda j: j.record_item(page, number, values), rebuild)
            events.page_saved(service, page, draft)
    elif errors:  # kept for later; the page still needs its other answers
        save_change(draft, typed.keeping(page, values, raws), rebuild)
    else:
        save_page(draft, page, values, rebuild)
        events.page_saved(service, page, draft)


def _keep_list(journey: Journey, page: Page, draft: Draft) -> None:
    """A repeat page's list holds no answers of its own: its 'add another?' need not be
    answered to save. 'No' (or a full list) finishes the page, as Continue would, so the
    link brings the person back to the page after it."""
    items = journey.items(page)
    question = add_another_question(page, first=not items)
    posted: Any = request.form  # werkzeug's MultiDict is the questions' FormData
    try:
        full = len(items) >= page.most_items  # no question then: Continue moves on
        answer = "no" if full else question.clean(question.read(posted))
    except AnswerError:  # not answered: nothing to keep
        return
    if answer != "no" or len(items) < page.fewest_items:
        return
    if journey.first_incomplete_item(page) is not None:
        return
    service = journey.service
    save_change(draft, lambda j: j.finish(page), runner.journey_for(service))
    events.page_saved(service, page, draft)


# -- /{service}/save-for-later: where to send the link ---------------------------------------
@blueprint.route("/<service_id>/save-for-later", methods=["GET", "POST"])
@limiter.limit(rate_limit, methods=["POST"])
def email(service_id: str) -> View:
    service = runner.service(service_id)
    if not service.save_and_return:  # an ordinary page of that name, in other services
        return runner.page(service_id, "save-for-later")
    draft = runner.active(runner.draft(service))
    if draft is None:
        return redirect(runner.url(service, "start"))
    journey = runner.journey(service, draft)
    form = EmailForm(request.form if request.method == "POST" else None)
    if request.method == "GET":
        form.email.data = _known_email(journey)
    elif form.validate():
        return _send_link(service, draft, form.email.data or "")
    html = _render_form("save_return/email.html", form, service, back_url=_back(journey))
    return (html, 400) if form.errors else html


def _send_link(service: Service, draft: Draft, address: str) -> Response:
    saved = save_for_later(draft, address, lifetime(current_app.config))
    until = saved.link.expires_at.date()
    link = external_url(
        "save_return.resume", service_id=service.id, token=saved.token, **_language_query(service)
    )
    expiry = translator(current_language()).date(until)
    queue_link_email(draft, service, address, link, expiry)
    page_id = session.pop(FROM_PAGE, None)
    session.pop(FROM_URL, None)
    db.session.commit()
    events.record(SAVED_FOR_LATER, service, draft, page_id=page_id)
    runner.forget(service)  # someone else at this computer cannot carry on with it
    session[SAVED_KEY] = {**session.get(SAVED_KEY, {}), service.id: until.isoformat()}
    return redirect(url_for("save_return.saved", service_id=service.id))


# -- /{service}/saved: the link is on its way --------------------------------------------------
@blueprint.route("/<service_id>/saved")
def saved(service_id: str) -> View:
    service = runner.service(service_id)
    if not service.save_and_return:
        return runner.page(service_id, "saved")
    until = session.get(SAVED_KEY, {}).get(service.id)
    if not isinstance(until, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", until):
        return redirect(runner.url(service, "start"))
    date = translator(current_language()).date(dt.date.fromisoformat(until))
    return render_template(
        "save_return/saved.html", kept_until=date, **runner.context(service, None)
    )


# -- /{service}/resume/{token}: the link back ----------------------------------------------
@blueprint.route("/<service_id>/resume/<token>", methods=["GET", "POST"])
@limiter.limit(rate_limit, methods=["POST"])
def resume(service_id: str, token: str) -> View:
    service = runner.service(service_id)
    if not service.save_and_return:  # a repeat page of that name: one of its items
        item = as_id(token)
        if item is not None:
            return runner.repeats.repeat_item(service_id, "resume", item)
        abort(404)
    link = find_link(token, service)
    if link is None or not link.usable():
        return _link_gone(service)
    form = EmailForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        if link.matches(form.email.data or ""):
            return _bring_back(service, link)
        form.email.errors = [NOT_MATCHED]
    html = _render_form("save_return/resume.html", form, service)
    return (html, 400) if form.errors else html


def _bring_back(service: Service, link: ReturnLink) -> View:
    draft = link.draft
    if not use(link):  # a second click, or another tab, got there first
        return _link_gone(service)
    runner.hold(service, draft)
    session.get(SAVED_KEY, {}).pop(service.id, None)
    # the first of its pages the resident sees says so, wherever the link leads (once)
    banners.show(banners.ANSWERS_KEPT, banners.place(runner.blueprint.name, service.id))
    events.record(RESUMED, service, draft)
    journey = runner.journey(service, draft)
    return redirect(runner.url(service, typed.resume_step(journey)))


def _link_gone(service: Service) -> tuple[str, int]:
    html = render_template(
        "save_return/link_gone.html",
        start_url=runner.url(service, "start"),
        **runner.context(service, None),
    )
    return html, 410


# -- helpers ------------------------------------------------------------------------------------
def _known_email(journey: Journey) -> str | None:
    notify = journey.service.notify
    if notify is None or notify.email_question is None:
        return None
    value = journey.state.answers.get(notify.email_question)
    return value if isinstance(value, str) else None


def _back(journey: Journey) -> str:
    """Back to the page the person saved from (else where they are up to)."""
    page_id = session.get(FROM_PAGE)
    if not (isinstance(page_id, str) and journey.on_route(page_id)):
        return runner.url(journey.service, typed.resume_step(journey))
    page_url = runner.url(journey.service, page_id)
    came_from = str(session.get(FROM_URL, ""))
    if came_from == page_url or came_from.startswith((f"{page_url}?", f"{page_url}/")):
        return came_from
    return page_url


def _language_query(service: Service) -> dict[str, str]:
    """The link opens in the language the person saved in."""
    language = current_language()
    return {"lang": language} if language != service.languages[0] else {}


def _render_form(template: str, form: EmailForm, service: Service, **context: Any) -> str:
    """The form in the page's language: its texts are catalogue msgids until now."""
    for field in form:
        field.label.text = gettext(field.label.text)
        field.errors = [gettext(error) for error in field.errors]
    return render_template(
        template,
        form=form,
        errors=error_summary(form),
        **context,
        **runner.context(service, None),
    )
