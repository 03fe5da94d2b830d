"""One journey runner for every mode: the resident's at /{service}/…, the agent's at /staff/…."""

from __future__ import annotations

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
from werkzeug.wrappers import Response

from service_builder.definitions import LoadResult, Service
from service_builder.definitions.schema import CHECK_ANSWERS, Page
from service_builder.journey import DraftState, Journey, read_page
from service_builder.models import Draft
from service_builder.modes import Mode
from service_builder.questions import AnswerError, Question, Raw
from service_builder.submissions import find_draft, is_expired, new_draft, save_page, submit
from service_builder.web.fields import page_view, stored_raws

View = Response | tuple[str, int] | str


class SessionExpired(Exception):
    def __init__(self, service: Service) -> None:
        self.service = service


class DefinitionProblems(Exception):
    """In development: the service's definition has problems, shown to the designer."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result


def submitted_rows(service: Service, answers: dict[str, Any]) -> list[tuple[Question, Any]]:
    """(question, stored answer) for a submission, in definition order."""
    return [(q, answers[q.id]) for q in service.questions if q.id in answers]


class JourneyRunner:
    """Serves start, question, check-answers and confirmation pages for one audience."""

    session_key = "drafts"

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.name = mode.name
        self.audience = mode.audience
        self.blueprint = Blueprint(mode.name, __name__, url_prefix=mode.url_prefix)
        add = self.blueprint.add_url_rule
        add("/<service_id>/", "start", self.start, methods=["GET", "POST"])
        add(
            "/<service_id>/check-answers",
            "check_answers",
            self.check_answers,
            methods=["GET", "POST"],
        )
        add("/<service_id>/confirmation", "confirmation", self.confirmation)
        add("/<service_id>/<page_id>", "page", self.page, methods=["GET", "POST"])

    # -- what a mode may change -----------------------------------------------------------
    def new_draft_fields(self) -> dict[str, Any]:
        return {"channel": self.mode.channel}

    def submission_fields(self, draft: Draft) -> dict[str, Any]:
        return {}

    def audit(self, action: str, draft: Draft, page: Page | None = None) -> None:
        """Assisted mode records who did what (and on which page); residents' own actions
        are not audited."""

    def without_draft(self, service: Service) -> Response | None:
        """What to do when there is no draft yet: residents simply start; assisted mode
        first asks how the resident made contact."""
        return None

    def has_start_page(self, service: Service) -> bool:
        """Whether the first question's back link has somewhere to go."""
        return service.start is not None

    def submit_errors(self, service: Service) -> list[dict[str, str]]:
        """Checks on the check-your-answers form itself, before anything is sent."""
        return []

    def context(self, service: Service, draft: Draft | None) -> dict[str, Any]:
        return {"runner": self.name, "service": service}

    def initial_raws(self, journey: Journey, page: Page) -> dict[str, Raw]:
        """What a page's fields show when it is opened: the stored answers."""
        return stored_raws(journey, page)

    # -- views ----------------------------------------------------------------------------
    def start(self, service_id: str) -> View:
        service = self.service(service_id)
        journey = self.journey(service, self.active(self.draft(service)))
        if service.start is None:
            return redirect(self.url(service, journey.route[0].id))
        return render_template(
            "start.html",
            first_url=self.url(service, journey.route[0].id),
            **self.context(service, None),
        )

    def page(self, service_id: str, page_id: str) -> View:
        service = self.service(service_id)
        page = service.page(page_id) or abort(404)
        draft = self.active(self.draft(service))
        if draft is None and (elsewhere := self.without_draft(service)) is not None:
            return elsewhere
        journey = self.journey(service, draft)
        changing = request.args.get("change") == "1"
        if not journey.on_route(page.id):
            return redirect(self.url(service, journey.next_step))
        if request.method == "GET":
            if draft is not None:
                self.audit("viewed", draft, page)
            return self.render_page(
                journey, page, self.initial_raws(journey, page), [], changing, draft
            )
        if page.type == "exit":
            return redirect(self.url(service, page.id))
        raws, values, errors = read_page(journey, page, request.form)
        if errors:
            return self.render_page(journey, page, raws, errors, changing, draft), 400
        draft = draft or self.create_draft(service)
        journey = save_page(draft, page, values, lambda fresh: self.journey(service, fresh))
        self.audit("changed", draft, page)
        step = journey.after(page, changing)
        return redirect(self.url(service, step, change=changing and step != CHECK_ANSWERS))

    def check_answers(self, service_id: str) -> View:
        service = self.service(service_id)
        draft = self.draft(service)
        if request.method == "POST" and draft is not None and draft.submission is not None:
            return redirect(self.url(service, "confirmation"))  # a second click or a refresh
        draft = self.active(draft)
        if draft is None and (elsewhere := self.without_draft(service)) is not None:
            return elsewhere
        journey = self.journey(service, draft)
        if draft is None or not journey.complete:
            return redirect(self.url(service, journey.next_step))
        errors = self.submit_errors(service) if request.method == "POST" else []
        if request.method == "POST" and not errors:
            invalid = journey.first_invalid()
            if invalid is not None:
                page, error = invalid
                return self.render_page(
                    journey, page, stored_raws(journey, page), [error], True, draft
                ), 400
            submit(draft, journey, **self.submission_fields(draft))
            self.audit("submitted", draft)
            return redirect(self.url(service, "confirmation"))
        html = render_template(
            "check_answers.html",
            rows=list(journey.summary()),
            errors=errors,
            back_url=self.url(service, journey.previous(CHECK_ANSWERS) or ""),
            change_url=lambda page_id: self.url(service, page_id, change=True),
            **self.context(service, draft),
        )
        return (html, 400) if errors else html

    def confirmation(self, service_id: str) -> View:
        service = self.service(service_id)
        draft = self.draft(service)
        if draft is None or draft.submission is None:
            return redirect(self.url(service, "start"))
        return render_template(
            "confirmation.html",
            submission=draft.submission,
            answers=submitted_rows(service, draft.submission.answers),
            **self.context(service, draft),
        )

    # -- helpers ----------------------------------------------------------------------------
    def render_page(
        self,
        journey: Journey,
        page: Page,
        raws: dict[str, Raw],
        errors: list[AnswerError],
        changing: bool,
        draft: Draft | None,
    ) -> str:
        service = journey.service
        previous = journey.previous(page.id)
        back_url: str | None
        if changing:
            back_url = self.url(service, CHECK_ANSWERS)
        elif previous:
            back_url = self.url(service, previous)
        else:
            back_url = self.url(service, "start") if self.has_start_page(service) else None
        template = "question.html" if page.type == "question" else "content.html"
        return render_template(
            template,
            page=page,
            view=page_view(journey, page, raws, errors, autofill=self.mode.autofill),
            back_url=back_url,
            action=self.url(service, page.id, change=changing),
            **self.context(service, draft),
        )

    def service(self, service_id: str) -> Service:
        catalog = current_app.extensions["service_builder"].catalog
        service = catalog.get(service_id)
        if service is None:
            refused = catalog.refused_result(service_id)
            if refused and current_app.config["SERVICE_BUILDER_ENV"] == "development":
                raise DefinitionProblems(refused)
            abort(404)
        return service

    def journey(self, service: Service, draft: Draft | None) -> Journey:
        state = DraftState.from_json(draft.data if draft else None)
        return Journey(service, state, self.audience)

    def draft(self, service: Service) -> Draft | None:
        """The draft this browser holds for the service (possibly already submitted)."""
        token = session.get(self.session_key, {}).get(service.id)
        draft = find_draft(token, service)
        if draft is not None and is_expired(draft, self.mode.lifetime(current_app.config)):
            self.forget(service)
            raise SessionExpired(service)
        return draft

    @staticmethod
    def active(draft: Draft | None) -> Draft | None:
        return draft if draft is not None and draft.submission is None else None

    def create_draft(self, service: Service, **fields: Any) -> Draft:
        draft = new_draft(service, **{**self.new_draft_fields(), **fields})
        self.hold(service, draft)
        self.audit("started", draft)
        return draft

    def hold(self, service: Service, draft: Draft) -> None:
        """Make this draft the one this browser is working on for the service."""
        session[self.session_key] = {**session.get(self.session_key, {}), service.id: draft.token}
        session.permanent = True

    def forget(self, service: Service) -> None:
        tokens = dict(session.get(self.session_key, {}))
        tokens.pop(service.id, None)
        session[self.session_key] = tokens

    def url(self, service: Service, step: str, change: bool = False) -> str:
        args: dict[str, Any] = {"change": "1"} if change else {}
        if step in ("start", "confirmation"):
            return url_for(f"{self.name}.{step}", service_id=service.id)
        if step == CHECK_ANSWERS:
            return url_for(f"{self.name}.check_answers", service_id=service.id)
        return url_for(f"{self.name}.page", service_id=service.id, page_id=step, **args)
