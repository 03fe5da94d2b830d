"""One journey runner for every mode: the resident's at /{service}/…, the agent's at /staff/…."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
)
from werkzeug.wrappers import Response

from service_builder.cases import status_keys
from service_builder.definitions import LoadResult, Service
from service_builder.definitions.payment import amount_due
from service_builder.definitions.schema import CHECK_ANSWERS, Page
from service_builder.deliveries import confirmation_address
from service_builder.journey import DraftState, Journey, SummaryRow, read_page, submitted_rows
from service_builder.models import Draft, Submission
from service_builder.modes import Mode
from service_builder.performance import events
from service_builder.questions import AnswerError, Raw
from service_builder.steps import Step, step_url
from service_builder.submissions import (
    find_draft,
    is_expired,
    new_draft,
    save_change,
    save_page,
    submit,
)
from service_builder.web import banners, file_removal, typed, uploads
from service_builder.web.address_lookup import AddressLookupViews
from service_builder.web.fields import (
    changed_since,
    check_answer_rows,
    mark,
    page_view,
    stored_raws,
)
from service_builder.web.language import use_service_language
from service_builder.web.limits import charge, submit_limit
from service_builder.web.repeat import RepeatViews, item_mark

View = Response | tuple[str, int] | str
SHOWN_ERRORS = "shown_errors"
"""Request globals: the errors of the page this request showed (an agent's 'Save and leave'
reads them: a file refused is said, not left behind)."""
ANSWERS_SEEN = "answers_seen"
"""On check your answers' form: what it showed (`fields.mark` of the answers to send and the
amount due). A form without it (one posted to the contract's field names alone) is taken."""


class SessionExpired(Exception):
    def __init__(self, service: Service) -> None:
        self.service = service


class DefinitionProblems(Exception):
    """In development: the service's definition has problems, shown to the designer."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result


__all__ = ["JourneyRunner", "SummaryRow", "View", "submitted_rows"]


class JourneyRunner:
    """Serves start, question, check-answers and confirmation pages for one audience."""

    session_key = "drafts"
    repeat_views: type[RepeatViews] = RepeatViews

    def __init__(self, mode: Mode) -> None:
        self.mode = mode
        self.name = mode.name
        self.audience = mode.audience
        self.prefix = mode.url_prefix
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
        add("/<service_id>/start-again", "start_again", self.start_again, methods=["POST"])
        add("/<service_id>/<page_id>", "page", self.page, methods=["GET", "POST"])
        self.repeats = self.repeat_views(self)
        self.lookups = AddressLookupViews(self)
        self.repeats.add_repeat_rules(add)

    # -- what a mode may change -----------------------------------------------------------
    def new_draft_fields(self) -> dict[str, Any]:
        return {"channel": self.mode.channel}

    def submission_fields(self, draft: Draft) -> dict[str, Any]:
        return {}

    def audit(
        self,
        action: str,
        draft: Draft,
        page: Page | None = None,
        detail: str | None = None,
        item: int | None = None,
    ) -> None:
        """Assisted mode records who did what (and on which page, or item of a repeat page,
        or `detail`); residents' own actions are not audited."""

    def sent(self, draft: Draft, submission: Submission) -> None:
        """What this mode stores with a new submission, in its transaction (`submit`)."""

    def sent_already(self, draft: Draft) -> None:
        """Check your answers sent again after the form was sent (the confirmation follows)."""

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

    def initial_raws(self, journey: Journey, page: Page, item: int | None = None) -> dict[str, Raw]:
        """What a page's (or a repeat item's) fields show when it is opened: the stored
        answers."""
        return stored_raws(journey, page, item)

    def typed_on_check_answers(self, shown: list[Any]) -> dict[str, str]:
        """What check your answers' own fields show when it is opened (`shown`: what the page
        shows, as `fields.mark` reads it): empty."""
        return {}

    # -- views ----------------------------------------------------------------------------
    def start(self, service_id: str) -> View:
        service = self.service(service_id)
        held = self.draft(service)
        if held is not None and held.submitted:
            return self.already_sent(service, held)
        journey = self.journey(service, self.active(held))
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
        held = self.draft(service)
        if held is not None and held.submitted and request.method == "GET":
            return self.already_sent(service, held)  # Back or a bookmark after sending
        draft = self.active(held)
        if draft is None and (elsewhere := self.without_draft(service)) is not None:
            return elsewhere
        journey = self.journey(service, draft)
        changing = request.args.get("change") == "1"
        if not journey.on_route(page.id):
            return redirect(self.url(service, journey.next_step))
        if page.repeats:
            return self.repeats.repeat_list(journey, page, draft, changing)
        if (address := self.lookups.question(journey, page)) is not None:
            return self.lookups.page(journey, page, address, draft, changing)
        if request.method == "GET":
            if draft is not None:
                self.audit("viewed", draft, page)
            events.page_viewed(service, page, draft)
            raws, errors = typed.shown(journey, page, self.initial_raws(journey, page))
            return self.render_page(journey, page, raws, errors, changing, draft)
        if page.type == "exit":
            return redirect(self.url(service, page.id))
        if (removing := file_removal.requested(journey, page)) is not None:
            return file_removal.remove(self, journey, page, removing, draft, changing)
        raws, values, errors = read_page(journey, page, uploads.posted_form(self, journey, page))
        errors = uploads.take_files(self, journey, page, raws, values, errors)
        if errors:
            events.page_errors(service, page, draft, errors)
            return self.render_page(journey, page, raws, errors, changing, draft), 400
        return self.save_answers(service, page, values, draft, changing, before=journey)

    def save_answers(
        self,
        service: Service,
        page: Page,
        values: dict[str, Any],
        draft: Draft | None,
        changing: bool,
        before: Journey | None = None,
    ) -> Response:
        """Store a page's valid answers and go on along the route (or back to the summary).
        `before`, the journey as it was, lets a page with files delete those it replaced."""
        draft = draft or self.create_draft(service)
        saved = draft  # (not None); its event is committed with its answers, in one transaction
        journey = save_page(
            draft,
            page,
            values,
            self.journey_for(service),
            along=lambda: events.page_saved(service, page, saved, commit=False),
        )
        if before is not None and uploads.file_questions(page):
            uploads.files_saved(self, before, page, values)
        if page.questions:  # a content page read and left changes nothing
            self.audit("changed", draft, page)
        step = journey.after(page, changing)
        return redirect(self.url(service, step, change=changing and step != CHECK_ANSWERS))

    def too_large(self, service_id: str, page_id: str) -> View:
        """A body over the page's upload limit, refused unread: the page again, saying so."""
        service = self.service(service_id)
        page = service.page(page_id) or abort(404)
        draft = self.active(self.draft(service))
        journey = self.journey(service, draft)
        if not journey.on_route(page.id):
            return redirect(self.url(service, journey.next_step))
        error = uploads.file_questions(page)[0].too_big()
        events.page_errors(service, page, draft, [error])
        raws = self.initial_raws(journey, page)
        uploads.show_kept(self, journey, page, raws)
        changing = request.args.get("change") == "1"
        return self.render_page(journey, page, raws, [error], changing, draft), 413

    def check_answers(self, service_id: str) -> View:
        service = self.service(service_id)
        draft = self.draft(service)
        if draft is not None and draft.submitted:
            if request.method == "POST":  # a second click, a refresh, another tab
                self.sent_already(draft)
                return redirect(self.url(service, "confirmation"))
            return self.already_sent(service, draft)  # Back after sending
        draft = self.active(draft)
        if draft is None and (elsewhere := self.without_draft(service)) is not None:
            return elsewhere
        journey = self.journey(service, draft)
        if draft is None or not journey.complete:
            if request.method == "POST" and request.form.get(ANSWERS_SEEN):
                # sent from this page as another tab left it, before a change there opened a
                # page that needs answering: nothing is sent, and that page says why
                where = banners.place(self.blueprint.name, service.id, journey.next_step)
                banners.show(banners.ROUTE_CHANGED, where)
            return redirect(self.url(service, journey.next_step))
        amount = amount_due(service, journey.answers) if service.payment else 0
        shown = [journey.submission_answers(), amount]
        errors = self.submit_errors(service) if request.method == "POST" else []
        # sent from this page as another tab left it before changing an answer: what would be
        # sent (and paid) is not what was checked, so the page is shown again, as it is now
        changed = request.method == "POST" and changed_since(request.form.get(ANSWERS_SEEN), shown)
        if request.method == "POST" and not errors and not changed:
            invalid = journey.first_invalid()
            if invalid is not None:
                return self.show_invalid(draft, journey, *invalid)
            charge(submit_limit, "submit")  # 429 before anything is sent, emailed or stored
            return self.send(draft, journey)
        html = render_template(
            "check_answers.html",
            rows=check_answer_rows(journey),
            errors=errors,
            amount_due=amount,
            answers_seen=mark(shown),
            answers_changed=changed,
            typed=self.typed_on_check_answers(shown) if request.method == "GET" else request.form,
            back_url=self.url(service, journey.previous(CHECK_ANSWERS) or ""),
            action=self.url(service, CHECK_ANSWERS),
            change_url=lambda step: self.url(service, step, change=True),
            **self.context(service, draft),
        )
        return (html, 400) if errors else (html, 409) if changed else html

    def show_invalid(self, draft: Draft, journey: Journey, step: Step, error: AnswerError) -> View:
        """An answer that fails its checks at sending (the definition changed under the
        draft): its page, at its own address, shows it again with why, as a page saved with
        errors does (`web/typed.py`)."""
        service = journey.service
        page = service.page(step.page_id) or abort(404)
        events.page_errors(service, page, draft, [error])
        raws = stored_raws(journey, page, step.item)
        save_change(
            draft, lambda again: typed.keep(again, page, raws, step.item), self.journey_for(service)
        )
        return redirect(self.url(service, step, change=True), 303)

    def send(self, draft: Draft, journey: Journey, **fields: Any) -> View:
        """Store the submission and show the confirmation (residents may pay first)."""
        submit(
            draft,
            journey,
            lambda submission: self.sent(draft, submission),
            **self.submission_fields(draft),
            **fields,
        )
        return redirect(self.url(journey.service, "confirmation"))

    def confirmation(self, service_id: str) -> View:
        service = self.service(service_id)
        draft = self.draft(service)
        if draft is None or draft.submission is None:
            return redirect(self.url(service, "start"))
        return render_template(
            "confirmation.html",
            submission=draft.submission,
            emailed_to=confirmation_address(draft.submission, service),
            can_check_status=bool(status_keys(service, draft.submission.answers)),
            answers=submitted_rows(service, draft.submission.answers),
            **self.context(service, draft),
        )

    def already_sent(self, service: Service, draft: Draft) -> str:
        """After sending, Back or opening the service again says so, instead of showing an
        empty first question, and offers to start again."""
        return render_template(
            "already_sent.html",
            submission=draft.submission,
            start_again_url=self.url(service, Step("start-again")),
            **self.context(service, draft),
        )

    def start_again(self, service_id: str) -> View:
        service = self.service(service_id)
        self.forget(service)
        return redirect(self.url(service, "start"))

    # -- helpers ----------------------------------------------------------------------------
    def render_page(
        self,
        journey: Journey,
        page: Page,
        raws: dict[str, Raw],
        errors: list[AnswerError],
        changing: bool,
        draft: Draft | None,
        item: int | None = None,
    ) -> str:
        service = journey.service
        template = "question.html" if page.type in ("question", "repeat") else "content.html"
        g.setdefault(SHOWN_ERRORS, errors)  # the first page this request shows (its errors)
        return render_template(
            template,
            page=page,
            view=page_view(journey, page, raws, errors, autofill=self.mode.autofill, item=item),
            back_url=self.back_url(journey, page, changing, item),
            action=self.url(service, Step(page.id, item), change=changing),
            item_was=item_mark(journey, page, item) if item is not None else None,
            **file_removal.template_values(journey, page, raws),
            **self.context(service, draft),
        )

    def back_url(
        self, journey: Journey, page: Page, changing: bool, item: int | None = None
    ) -> str | None:
        service = journey.service
        if item is not None and journey.items(page):
            return self.url(service, page.id, change=changing)  # an item: back to its list
        previous = journey.previous(page.id)
        if changing and journey.complete:
            return self.url(service, CHECK_ANSWERS)
        if changing and previous:
            # check-your-answers is closed (say an exit page opened up): it would only send
            # the person straight back here, so go back along the route instead
            return self.url(service, previous, change=True)
        if previous:
            return self.url(service, previous)
        return self.url(service, "start") if self.has_start_page(service) else None

    def service(self, service_id: str) -> Service:
        catalog = current_app.extensions["service_builder"].catalog
        service = catalog.get(service_id)
        if service is None:
            refused = catalog.refused_result(service_id)
            if refused and current_app.config["SERVICE_BUILDER_ENV"] == "development":
                raise DefinitionProblems(refused)
            abort(404)
        return use_service_language(service, self.kept_language(service))

    def kept_language(self, service: Service) -> str | None:
        """The language this request's journey keeps, when the request does not choose one
        (residents: none, so the session's)."""
        return None

    def journey(self, service: Service, draft: Draft | None) -> Journey:
        state = DraftState.from_json(draft.data if draft else None)
        return Journey(service, state, self.audience)

    def journey_for(self, service: Service) -> Callable[[Draft], Journey]:
        """How to rebuild the journey from a (reloaded) draft."""
        return lambda fresh: self.journey(service, fresh)

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
        return draft if draft is not None and not draft.submitted else None

    def create_draft(self, service: Service, **fields: Any) -> Draft:
        draft = new_draft(service, **{**self.new_draft_fields(), **fields})
        self.hold(service, draft)
        self.audit("started", draft)
        return draft

    def hold(self, service: Service, draft: Draft) -> None:
        """Make this draft the one this browser is working on for the service."""
        session[self.session_key] = {**session.get(self.session_key, {}), service.id: draft.token}
        session.permanent = True

    def holds(self, service: Service, draft: Draft) -> bool:
        """Whether this browser is working on this draft for the service."""
        return bool(session.get(self.session_key, {}).get(service.id) == draft.token)

    def forget(self, service: Service, draft: Draft | None = None) -> None:
        """This browser puts the service's draft down (`draft`, when known: an agent's other
        calls at the service keep their address searches)."""
        tokens = dict(session.get(self.session_key, {}))
        tokens.pop(service.id, None)
        session[self.session_key] = tokens
        self.lookups.forget(service.id, draft)

    def url(self, service: Service, step: Step | str, change: bool = False, **more: str) -> str:
        """The one URL builder (`steps.step_url`), under this mode's prefix; `more` adds to
        its query (a repeat item's `item_was`)."""
        query = {**self.url_query(service), **more}
        return request.script_root + step_url(service.id, step, self.prefix, change, query)

    def url_query(self, service: Service) -> dict[str, str]:
        """What every journey address of this mode carries in its query: nothing for
        residents (assisted mode names the draft in hand)."""
        return {}
