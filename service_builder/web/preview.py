"""The admin preview: the journey of either audience at /admin/preview/…, storing and sending
nothing. It is marked on every page; 'Send' ends the preview instead of submitting."""

from __future__ import annotations

from typing import Any

from flask import render_template, request

from service_builder.definitions import Service
from service_builder.models import Draft
from service_builder.modes import PREVIEWS, Mode
from service_builder.staff.auth import require_role
from service_builder.web.runner import JourneyRunner, View


class PreviewRunner(JourneyRunner):
    def __init__(self, mode: Mode) -> None:
        super().__init__(mode)
        self.session_key = f"{mode.name}_drafts"
        self.blueprint.before_request(require_role("admin"))

    def check_answers(self, service_id: str) -> View:
        if request.method != "POST":
            return super().check_answers(service_id)
        service = self.service(service_id)
        draft = self.active(self.draft(service))
        return render_template(
            "admin/preview_end.html",
            back_url=self.url(service, "check-answers"),
            **self.context(service, draft),
        )

    def context(self, service: Service, draft: Draft | None) -> dict[str, Any]:
        context = super().context(service, draft)
        context.update(preview=self.mode.audience)
        return context


runners = {audience: PreviewRunner(mode) for audience, mode in PREVIEWS.items()}
