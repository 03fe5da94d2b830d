"""The feedback page, /{service}/feedback: the GOV.UK satisfaction question and a comment."""

from __future__ import annotations

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
from wtforms import Form, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, Length

from service_builder.definitions import Service
from service_builder.messages import N_, count_messages, translator
from service_builder.models import Draft, db
from service_builder.performance import events
from service_builder.performance.models import FeedbackComment
from service_builder.submissions import find_draft, is_expired
from service_builder.web import typed
from service_builder.web.forms import error_summary, govuk_params
from service_builder.web.language import current_language, use_service_language
from service_builder.web.limits import feedback_limit, limiter
from service_builder.web.resident import runner

MAX_COMMENT = 1200
OPTIONS = {
    "very_satisfied": N_("Very satisfied"),
    "satisfied": N_("Satisfied"),
    "neither": N_("Neither satisfied or dissatisfied"),
    "dissatisfied": N_("Dissatisfied"),
    "very_dissatisfied": N_("Very dissatisfied"),
}
blueprint = Blueprint("feedback", __name__)


class FeedbackForm(Form):
    satisfaction = RadioField(
        N_("Overall, how did you feel about the service you received today?"),
        choices=[SelectChoice(value, label) for value, label in OPTIONS.items()],
        validators=[AnyOf(list(OPTIONS), message=N_("Select how you feel about this service"))],
        validate_choice=False,
    )
    comments = TextAreaField(
        N_("How could we improve this service? (optional)"),
        [Length(max=MAX_COMMENT, message=N_("Your comments must be 1,200 characters or less"))],
    )


def _service(service_id: str) -> Service:
    """The service in this page's language (the feedback page speaks the service's languages)."""
    found = current_app.extensions["service_builder"].catalog.get(service_id) or abort(404)
    return use_service_language(found)


def _translate(form: FeedbackForm) -> None:
    """Put the form's English texts (catalogue msgids) into the page's language."""
    for field in form:
        field.label.text = gettext(field.label.text)
        field.errors = [gettext(error) for error in field.errors]
    form.satisfaction.choices = [
        SelectChoice(value, gettext(label)) for value, label in OPTIONS.items()
    ]


def _draft(service: Service) -> Draft | None:
    """The draft this browser last worked on for the service, if any: its channel is the
    feedback's channel (an agent may record what a resident says on the phone)."""
    for key in ("staff_drafts", "drafts"):
        draft = find_draft(session.get(key, {}).get(service.id), service)
        if draft is not None:
            return draft
    return None


@blueprint.route("/<service_id>/feedback", methods=["GET", "POST"])
@limiter.limit(feedback_limit, methods=["POST"])
def form(service_id: str) -> Response | str | tuple[str, int]:
    service = _service(service_id)
    form = FeedbackForm(request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        satisfaction = str(form.satisfaction.data)
        comments = (form.comments.data or "").strip()
        if comments:
            db.session.add(
                FeedbackComment(service_id=service.id, satisfaction=satisfaction, comments=comments)
            )
        events.record(events.FEEDBACK, service, _draft(service), satisfaction=satisfaction)
        return redirect(url_for("feedback.thanks", service_id=service.id))
    _translate(form)
    html = render_template(
        "feedback/form.html",
        service=service,
        errors=error_summary(form),
        satisfaction_params=govuk_params(form.satisfaction),
        comments_params=govuk_params(
            form.comments,
            maxlength=MAX_COMMENT,
            hint={
                "text": gettext(
                    "Do not include personal or financial information, like your "
                    "National Insurance number or credit card details."
                )
            },
            label={"classes": "govuk-label--m"},
            **count_messages(translator(current_language()), "characters", MAX_COMMENT),
        ),
    )
    return (html, 400) if form.errors else html


@blueprint.get("/<service_id>/feedback/thank-you")
def thanks(service_id: str) -> str:
    """Thanks, and the way back to the resident's form when they gave feedback part way."""
    service = _service(service_id)
    draft = runner.active(find_draft(session.get(runner.session_key, {}).get(service.id), service))
    form_url = None
    lifetime = runner.mode.lifetime(current_app.config)
    if draft is not None and draft.data.get("answers") and not is_expired(draft, lifetime):
        form_url = runner.url(service, typed.resume_step(runner.journey(service, draft)))
    return render_template("feedback/thanks.html", service=service, form_url=form_url)
