"""The resident's status check: a case's status from its reference and the email or postcode."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length

from service_builder.cases import STATUSES, Case, find_case, normal_key, status_keys
from service_builder.messages import N_, translator
from service_builder.web.forms import error_summary
from service_builder.web.language import current_language
from service_builder.web.limits import limiter, not_found, status_limit

blueprint = Blueprint("status", __name__)
NOT_FOUND = N_(
    "We cannot find a case with that reference and email address or postcode. "
    "Check them and try again."
)
"""One message whether the reference or the check is wrong, so guessing learns nothing."""


class StatusForm(Form):
    reference = StringField(
        N_("Reference number"),
        [DataRequired(N_("Enter your reference number")), Length(max=30, message=NOT_FOUND)],
        description=N_("You can find it in your confirmation email, like RPP-7K3Q-9XPD"),
    )
    email_or_postcode = StringField(
        N_("Email address or postcode"),
        [
            DataRequired(N_("Enter the email address or postcode you gave")),
            Length(max=254, message=NOT_FOUND),
        ],
        description=N_("The email address or postcode you gave when you sent the form"),
    )


@blueprint.route("/status", methods=["GET", "POST"])
@limiter.limit(status_limit, methods=["POST"], deduct_when=not_found)
def check() -> Any:
    form = StatusForm(request.form if request.method == "POST" else request.args)
    if request.method == "GET":
        form.email_or_postcode.data = None
        return _render(form)
    if not form.validate():
        return _render(form), 400
    case = find_case(form.reference.data or "")
    if case is None or not _matches(case, form.email_or_postcode.data or ""):
        form.reference.errors = [NOT_FOUND]
        return _render(form), 400
    service = current_app.extensions["service_builder"].catalog.get(case.service_id)
    language = current_language()
    if service is not None:
        service = service.in_language(language)
    return render_template(
        "status_result.html",
        case=case,
        found=service,
        status=gettext(STATUSES[case.status]),
        sent_on=translator(language).date(case.submitted_at.date()),
        updated_on=translator(language).date(case.updated_at.date()),
    )


def _render(form: StatusForm) -> str:
    """The form in the page's language: its texts are catalogue msgids until now."""
    for field in form:
        field.label.text = gettext(field.label.text)
        field.description = gettext(field.description)
        field.errors = [gettext(error) for error in field.errors]
    return render_template("status.html", form=form, errors=error_summary(form))


def _matches(case: Case, given: str) -> bool:
    """The email address or postcode is one the resident gave in this case's answers."""
    service = current_app.extensions["service_builder"].catalog.get(case.service_id)
    return service is not None and normal_key(given) in status_keys(
        service, case.submission.answers
    )
