"""Assisted digital: the same runner at /staff/{service}/…, for contact-centre staff.

It differs from the resident's journey only in its URL prefix, the audience of questions,
how a journey starts (the contact channel), what it records and a few words.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service_builder.definitions import Service
from service_builder.models import Draft
from service_builder.modes import ASSISTED
from service_builder.references import new_reference, spoken
from service_builder.staff import audit
from service_builder.staff.auth import current_staff, require_role
from service_builder.web.forms import CHANNELS, ChannelForm, error_summary, govuk_params
from service_builder.web.runner import JourneyRunner, View

DECLARATION_FIELD = "declaration_agreed"


class AssistedRunner(JourneyRunner):
    session_key = "staff_drafts"

    def __init__(self) -> None:
        super().__init__(ASSISTED)
        self.blueprint.before_request(require_role("agent"))

    def start(self, service_id: str) -> View:
        """Ask how the resident made contact, then start a new draft for them."""
        service = self.service(service_id)
        form = ChannelForm(request.form if request.method == "POST" else None)
        if request.method == "POST" and form.validate():
            draft = self.create_draft(service, contact_channel=form.contact_channel.data)
            return redirect(self.url(service, self.journey(service, draft).route[0].id))
        html = render_template(
            "staff/start.html",
            form=form,
            errors=error_summary(form),
            channel_params=govuk_params(form.contact_channel),
            back_url=url_for("staff.home"),
            **self.context(service, None),
        )
        return (html, 400) if form.errors else html

    def new_draft_fields(self) -> dict[str, Any]:
        user = current_staff()
        return {
            "channel": self.mode.channel,
            "staff_user_id": user.id if user else None,
            "reference": new_reference("DR"),
        }

    def submission_fields(self, draft: Draft) -> dict[str, Any]:
        user = current_staff()
        return {"staff_user_id": user.id if user else None}

    def audit(self, action: str, draft: Draft) -> None:
        if self.mode.audits(action):
            audit.record(action, current_staff(), draft, draft.submission)

    def without_draft(self, service: Service) -> Response | None:
        return redirect(self.url(service, "start"))

    def has_start_page(self, service: Service) -> bool:
        return True  # the contact-channel page

    def submit_errors(self, service: Service) -> list[dict[str, str]]:
        if service.declaration and request.form.get(DECLARATION_FIELD) != "yes":
            return [
                {
                    "text": "Confirm that the resident agrees with the declaration",
                    "href": f"#{DECLARATION_FIELD}",
                }
            ]
        return []

    def context(self, service: Service, draft: Draft | None) -> dict[str, Any]:
        context = super().context(service, draft)
        context.update(
            assisted=True,
            draft=draft,
            declaration_field=DECLARATION_FIELD,
            channel_label=CHANNELS.get(draft.contact_channel or "", "") if draft else "",
            spoken_reference=spoken,
        )
        return context


runner = AssistedRunner()
