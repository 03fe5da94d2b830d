"""Assisted digital: the same runner at /staff/{service}/…, for contact-centre staff.

It differs from the resident's journey only in its mode (service_builder.modes.ASSISTED), how
a journey starts (the contact channel), who may edit a draft, what it records and a few words.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    g,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import select, update
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response

from service_builder.definitions import Service
from service_builder.definitions.payment import in_pounds
from service_builder.definitions.schema import Page
from service_builder.journey import DraftState, Journey, read_page
from service_builder.models import Draft, Submission, db
from service_builder.modes import ASSISTED
from service_builder.payments.flow import phone_record
from service_builder.payments.phone import (
    PHONE_PAYMENT_FIELD,
    phone_amount,
    phone_reference_errors,
)
from service_builder.performance import events
from service_builder.questions import Raw
from service_builder.references import new_reference, phonetic, spoken
from service_builder.staff import audit
from service_builder.staff.auth import current_staff, require_role
from service_builder.staff.callers import by_reference, caller_of, carried_answers, sent_form
from service_builder.staff.pending import WARNING, take_posted_answers
from service_builder.steps import Step
from service_builder.submissions import save_change
from service_builder.web import typed, uploads
from service_builder.web.cases import can_read_sent, can_take_up, held_by_other
from service_builder.web.fields import still_shows
from service_builder.web.forms import (
    CHANNELS,
    CONTACTED,
    WRITTEN_CHANNELS,
    ChannelForm,
    card_taken,
    ended_name,
    error_summary,
    govuk_params,
)
from service_builder.web.language import current_language
from service_builder.web.repeat import RepeatViews
from service_builder.web.runner import ANSWERS_SEEN, SHOWN_ERRORS, JourneyRunner, View

DECLARATION_FIELD = "declaration_agreed"
DECLARATION_SHOWN = "declaration_shown"
"""Sent by the check-answers form that asks the agent to confirm the declaration: only that
form's post needs the box ticked. A client posting the contract's fields alone (none for
check answers) sends without it, as a resident's would."""
LEAVE_FIELD = "save_and_leave"
CALLER_FROM = "caller_from"
"""The sent form whose caller a new service is started for (its answers fill the new one)."""
RESUMING = "resuming"
"""On the channel page's address: the call was ended and the resident has made contact
again, so the channel is asked, then the call goes on where it stopped."""
DRAFT_FIELD = "draft_reference"
"""On every journey form, and in every journey link and redirect: the draft the page was
shown for (`templates/partials/form_keys`, `AssistedRunner.url`)."""
NOT_FOUND = "Draft %s could not be found"
NOT_FOUND_UNSAVED = "Draft %s could not be found, so nothing was saved"
TAKEN_OVER = "Another agent has this draft now, so you can no longer change it"
TAKEN_OVER_UNSAVED = (
    "Another agent has this draft now, so you can no longer change it. What you sent "
    "from this page was not saved."
)
SENT_UNSAVED = "This draft was sent by another agent, so what you sent from its page was not saved."
HANDED_BACK_UNSAVED = (
    "This draft was handed back for any agent, so what you sent from its page was not saved. "
    "Resume it to go on."
)
ENDED = "This %s was ended without sending. Resume it to go on."
ENDED_UNSAVED = (
    "This %s was ended without sending, so what you sent from its page was not saved. "
    "Resume it to go on."
)
SENT_ALREADY_PAID = (
    "This form had already been sent, from another tab. The card payment reference %s was "
    "not recorded: if that payment was taken too, refund it."
)
IN_HAND = "assisted_draft"
"""`g`: the draft this request works on, which the URLs it builds name."""
KEPT_LANGUAGES = "assisted_languages"
"""`g`: service id -> the language of the call's draft, read once a request."""


class AssistedRepeats(RepeatViews):
    """Repeat pages as for residents; 'Save and leave' on an item's form keeps the item (or,
    while it is not whole, what was typed on it) and leaves, as on any other page."""

    runner: AssistedRunner

    def repeat_item(self, service_id: str, page_id: str, item: int) -> View:
        with self.runner.unless_leaving():
            response = super().repeat_item(service_id, page_id, item)
        return self.runner.leaving(response, service_id, page_id, item)


def ended_message(draft: Draft) -> str:
    """Why a page of a draft whose call (visit, chat) was ended is not shown, or not saved."""
    said = ENDED_UNSAVED if request.method == "POST" else ENDED
    return said % ended_name(draft.contact_channel)


def posted_draft() -> str:
    """The draft a form names (`DRAFT_FIELD`): none for a body refused unread (413)."""
    if request.method != "POST":
        return ""
    try:
        return request.form.get(DRAFT_FIELD, "")
    except RequestEntityTooLarge:
        return ""


class AssistedRunner(JourneyRunner):
    session_key = "staff_drafts"
    repeat_views = AssistedRepeats

    def __init__(self) -> None:
        super().__init__(ASSISTED)
        self.blueprint.before_request(require_role("agent"))

    def start(self, service_id: str) -> View:
        """Ask how the resident made contact, then start a new draft for them (with what they
        told us in a form sent earlier, `caller_from`). Reached by Back from the first
        question, or on resuming a call that was ended (`resuming`: the resident has made
        contact again), it corrects the channel of the draft in hand instead."""
        service = self.service(service_id)
        resuming = bool(request.args.get(RESUMING))
        if resuming:
            current: Draft | None = self.to_resume(service)
        else:
            current = self.active(self.draft(service)) if request.args.get("draft") else None
        form = ChannelForm(request.form if request.method == "POST" else None)
        posted = self.channel_shown(form, current, resuming) if request.method == "GET" else {}
        if request.method == "POST" and form.validate():
            chosen = form.contact_channel.data or ""
            if current is not None:
                if resuming:
                    self.take_up(service, current)
                return self.correct_channel(service, current, chosen, resuming)
            caller = request.form.get(CALLER_FROM) or request.args.get(CALLER_FROM, "")
            return self.begin(service, chosen, self.carried(service, caller))
        html = render_template(
            "staff/start.html",
            form=form,
            errors=error_summary(form),
            channel_params=govuk_params(form.contact_channel),
            back_url=url_for("staff.home"),
            correcting=current,
            last_channel=CHANNELS.get(current.contact_channel or "")
            if resuming and current
            else None,
            caller_from=request.form.get(CALLER_FROM) or posted.get(CALLER_FROM, ""),
            warnings=get_flashed_messages(category_filter=[WARNING]),
            **self.context(service, None),
        )
        return (html, 400) if form.errors else html

    def to_resume(self, service: Service) -> Draft:
        """The draft a Resume named (a call that was ended, or a draft handed back), not yet
        taken up: the channel page asks how the resident made contact this time, and only
        answering it takes the draft up (`take_up`). Gone, or another team's: the staff home;
        sent, or taken up by another agent meanwhile: the draft's page says where it is."""
        named = posted_draft() or request.args.get(DRAFT_FIELD, "")
        found = by_reference(Draft, named) if named else None
        user = current_staff()
        if (
            found is None
            or user is None
            or found.service_id != service.id
            or not can_take_up(user, found)  # another team's: as if it did not exist
        ):
            flash(NOT_FOUND % named, WARNING)
            abort(redirect(url_for("staff.home")))
        if found.submitted or held_by_other(user, found):
            if request.method == "POST":  # (an agent's trial: taken to the sent form, unsaid)
                flash(SENT_UNSAVED if found.submitted else TAKEN_OVER_UNSAVED, WARNING)
            abort(redirect(url_for("staff.draft", reference=found.reference)))
        setattr(g, IN_HAND, found)  # named in the page's addresses; not held until answered
        return found

    def take_up(self, service: Service, found: Draft) -> None:
        """This agent takes the draft up (Resume, Take over, or the channel answered on
        resuming): theirs, open again and in hand, audited. Their own open draft: in hand."""
        user = current_staff()
        assert user is not None
        if found.staff_user_id != user.id or found.ended_at is not None:
            other = held_by_other(user, found)
            found.staff_user_id, found.ended_at = user.id, None
            audit.record("taken-over" if other else "resumed", user, found)
        self.hold(service, found)

    def channel_shown(
        self, form: ChannelForm, current: Draft | None, resuming: bool
    ) -> dict[str, str]:
        """What the channel page shows chosen when it is opened; returns what was sent from
        it as the session ended (back after sign-in, unsaved). GOV.UK: never pre-select a
        radio for a new contact (a guess gets recorded as the answer): a new call, or a call
        resumed (the resident has made contact again: how, this time, is the question).
        Correcting the draft in hand shows what it says now."""
        if current is not None and current.contact_channel in CHANNELS and not resuming:
            form.contact_channel.data = current.contact_channel
        posted = dict(take_posted_answers(request.path, self.reference_in_hand()) or [])
        if posted.get("contact_channel") in CHANNELS:
            form.contact_channel.data = posted["contact_channel"]
        return posted

    def correct_channel(
        self, service: Service, current: Draft, chosen: str, resuming: bool
    ) -> Response:
        """The draft in hand's channel, corrected (audited), and on: to where a resumed call
        stopped, else to the first question."""
        was = current.contact_channel
        if chosen != was:
            current.contact_channel = chosen
            named = f"{CHANNELS.get(was or '', 'none')} to {CHANNELS[chosen]}"
            self.audit("changed", current, detail=f"Contact channel, from {named}")
        journey = self.journey(service, current)
        step = typed.resume_step(journey) if resuming else journey.route[0].id
        return redirect(self.url(service, step))

    def begin(
        self, service: Service, contact_channel: str, carried: dict[str, Any] | None = None
    ) -> Response:
        """A new draft for a caller who made contact this way; on to the first question."""
        fields: dict[str, Any] = {"contact_channel": contact_channel}
        if carried:
            fields["data"] = DraftState(dict(carried)).to_json()
        draft = self.create_draft(service, **fields)
        return redirect(self.url(service, self.journey(service, draft).route[0].id))

    def carried(self, service: Service, reference: str) -> dict[str, Any]:
        """'Start another service for this caller': what they told us in the form just sent,
        if this agent may see it."""
        found = sent_form(reference) if reference else None
        user = current_staff()
        if found is None or user is None:
            return {}
        if not can_read_sent(user, found):
            return {}
        source = current_app.extensions["service_builder"].catalog.get(found.service_id)
        return carried_answers(source, found.answers, service) if source else {}

    def page(self, service_id: str, page_id: str) -> View:
        """As for residents; 'Save and leave' on the same form keeps what was just typed."""
        if (left := self.leave_from_lookup(service_id, page_id)) is not None:
            return left
        with self.unless_leaving():
            response = super().page(service_id, page_id)
        return self.leaving(response, service_id, page_id)

    @staticmethod
    def leave_asked() -> bool:
        return request.method == "POST" and bool(request.form.get(LEAVE_FIELD))

    def unless_leaving(self) -> AbstractContextManager[None]:
        """The page's own view, whose errors are not shown when the agent leaves."""
        return events.unshown() if self.leave_asked() else nullcontext()

    def leave_from_lookup(self, service_id: str, page_id: str) -> Response | None:
        """'Save and leave' on one of the address lookup's own forms, before its view (which
        would look the addresses up again only to show them): the search or the address
        chosen is kept, as for a resident's save (`AddressLookupViews.keep_for_later`)."""
        if not self.leave_asked():
            return None
        service = self.service(service_id)
        page = service.page(page_id)
        draft = self.active(self.draft(service))
        if page is None or draft is None:
            return None
        journey = self.journey(service, draft)
        if not journey.on_route(page.id) or not self.lookups.keep_for_later(journey, page, draft):
            return None
        return self.leave(service, draft)

    def leaving(
        self, response: View, service_id: str, page_id: str, item: int | None = None
    ) -> View:
        """After a page's (or repeat item's) own view has saved what it could: with 'Save and
        leave' pressed, keep what did not pass its checks too, then leave the draft."""
        if not self.leave_asked():
            return response
        service = self.service(service_id)
        draft = self.active(self.draft(service))
        if draft is None:
            return response
        page = service.page(page_id) or abort(404)
        if isinstance(response, tuple) and uploads.refused(page, g.get(SHOWN_ERRORS, [])):
            return response  # a file refused: the page says so, as it does for residents
        if isinstance(response, tuple) and not (page.repeats and item is None):
            # some answers missing or wrong: keep the good ones (a repeat list holds none:
            # 'No' there moved on as Continue does, anything else has nothing to keep)
            journey = self.journey(service, draft)
            raws, values, _errors = read_page(journey, page, request.form)
            keeping = (  # an item is stored only whole: what was typed on it is kept
                typed.keeping(page, values, raws)
                if item is None
                else typed.keeping_item(page, item, raws)
            )
            save_change(draft, keeping, self.journey_for(service))
        return self.leave(service, draft)

    def initial_raws(self, journey: Journey, page: Page, item: int | None = None) -> dict[str, Raw]:
        """Answers posted here as the session timed out come back after sign-in, unsaved."""
        posted = take_posted_answers(request.path, self.reference_in_hand())
        if posted is None:
            return super().initial_raws(journey, page, item)
        raws, _values, _errors = read_page(journey, page, MultiDict(posted))
        return raws

    @staticmethod
    def reference_in_hand() -> str:
        held = g.get(IN_HAND)
        return str(held.reference) if held is not None else ""

    def typed_on_check_answers(self, shown: list[Any]) -> dict[str, str]:
        """The card payment reference typed as the session ended comes back after sign-in,
        unless the answers, or the amount, have changed since that page was opened."""
        posted = dict(take_posted_answers(request.path, self.reference_in_hand()) or [])
        if not still_shows(posted.get(ANSWERS_SEEN, ""), shown):
            return {}
        return {PHONE_PAYMENT_FIELD: posted.get(PHONE_PAYMENT_FIELD, "")}

    def leave(self, service: Service, draft: Draft) -> Response:
        self.forget(service, draft)
        audit.record("paused", current_staff(), draft)
        flash(f"Draft {draft.reference} saved")
        return redirect(url_for("staff.home"))

    def draft(self, service: Service) -> Draft | None:
        """The draft in hand, if this agent still owns it: after a takeover the first agent
        is sent to the draft's page, where they see who has it."""
        draft = self.follow_the_page(service)
        user = current_staff()
        owner = draft.staff_user_id if draft is not None else None
        if draft is not None and not draft.submitted and owner not in (None, user and user.id):
            self.forget(service, draft)
            flash(TAKEN_OVER_UNSAVED if request.method == "POST" else TAKEN_OVER, WARNING)
            abort(redirect(url_for("staff.draft", reference=draft.reference)))
        if draft is not None and not draft.submitted and draft.ended_at is not None:
            self.forget(service, draft)  # a tab still open on a call that was ended
            flash(ended_message(draft), WARNING)
            abort(redirect(url_for("staff.draft", reference=draft.reference)))
        if draft is not None:  # named in every address, a sent one too (its confirmation)
            g.setdefault(IN_HAND, draft)
            if not draft.submitted:
                self.keep_language(draft)
        return draft

    def follow_the_page(self, service: Service) -> Draft | None:
        """A form, and the address of a page, name the draft they were shown for. With two
        calls open in two tabs, the one in hand is the last one started: a page opened again
        in the other tab goes back to its own draft, which is in hand from then on. Only the
        agent's own drafts: another agent's, one handed back (a tab still open on it must not
        undo the hand back, nor skip asking how the resident made contact again: Resume
        does both), an ended call, or one that is gone, takes nothing, and the agent is sent
        to see why."""
        posted = posted_draft()
        named = posted or request.args.get(DRAFT_FIELD, "")
        held = super().draft(service)
        if not named or (held is not None and held.reference == named):
            return held
        found = by_reference(Draft, named)
        user = current_staff()
        if (
            found is None
            or found.service_id != service.id
            or user is None
            or not can_take_up(user, found)  # another team's: as if it did not exist
        ):
            flash((NOT_FOUND_UNSAVED if posted else NOT_FOUND) % named, WARNING)
            abort(redirect(url_for("staff.home")))
        if found.ended_at is not None:
            flash(ended_message(found), WARNING)
        elif posted and found.staff_user_id is None:  # handed back since
            flash(HANDED_BACK_UNSAVED, WARNING)
        elif posted and found.staff_user_id != user.id:  # taken over since
            flash(TAKEN_OVER_UNSAVED, WARNING)  # (a page only opened: its draft's page says)
        if found.ended_at is not None or found.staff_user_id != user.id:
            abort(redirect(url_for("staff.draft", reference=found.reference)))  # why not
        self.hold(service, found)
        return found

    def new_draft_fields(self) -> dict[str, Any]:
        user = current_staff()
        return {
            "channel": self.mode.channel,
            "staff_user_id": user.id if user else None,
            "reference": new_reference("DR"),
            "language": current_language(),  # chosen for this call (`kept_language`)
        }

    def kept_language(self, service: Service) -> str:
        """The language of the call this request is about: its draft's (named by the page,
        else the one in hand), or for a new call the service's first. Never the session's:
        two calls in two tabs, or a call another agent takes over, keep their own."""
        if request.endpoint == f"{self.name}.start" and not request.args.get("draft"):
            return service.languages[0]  # a new call: unless its address asks for another
        known: dict[str, str | None] = g.setdefault(KEPT_LANGUAGES, {})
        if service.id not in known:  # once a request: a view may load its service again
            named = posted_draft() or request.args.get(DRAFT_FIELD, "")
            token = session.get(self.session_key, {}).get(service.id)
            where = Draft.reference == named if named else Draft.token == token
            found = (
                db.session.scalar(select(Draft.language).where(where)) if named or token else None
            )
            known[service.id] = found
        found = known[service.id]
        return found if found in service.languages else service.languages[0]

    def keep_language(self, draft: Draft) -> None:
        """A language chosen on the call's page (`?lang=`) is the call's from now on."""
        language = current_language()
        if request.args.get("lang") == language and draft.language != language:
            db.session.execute(  # not a change to the answers: no version, no conflict, and
                update(Draft)  # not work on the call (its lists' order and lifetime stay)
                .where(Draft.id == draft.id)
                .values(language=language, updated_at=Draft.updated_at)
            )
            db.session.commit()

    def submission_fields(self, draft: Draft) -> dict[str, Any]:
        user = current_staff()
        return {"staff_user_id": user.id if user else None}

    def audit(
        self,
        action: str,
        draft: Draft,
        page: Page | None = None,
        detail: str | None = None,
        item: int | None = None,
    ) -> None:
        if self.mode.audits(action):
            if detail is None and page is not None:  # in the service's first language
                first = current_app.extensions["service_builder"].catalog.get(draft.service_id)
                detail = audit.page_detail((first and first.page(page.id)) or page, item)
            audit.record(action, current_staff(), draft, draft.submission, detail)

    def sent(self, draft: Draft, submission: Submission) -> None:
        draft.language = submission.language  # its confirmation's, whatever a tab chose since
        if not self.mode.audits("submitted"):
            return
        agreed = request.form.get(DECLARATION_FIELD) == "yes"  # the box, ticked by the agent
        detail = "The agent confirmed the resident agrees with the declaration" if agreed else None
        audit.add("submitted", current_staff(), draft, submission, detail)
        if submission.payment and submission.payment.get("method") == "phone":
            amount, reference = submission.payment["amount"], submission.payment["reference"]
            how = card_taken(draft.contact_channel, briefly=True)
            detail = f"{in_pounds(amount)} {how}, card payment reference {reference}"
            audit.add("payment-taken", current_staff(), draft, submission, detail)

    def without_draft(self, service: Service) -> Response | None:
        return redirect(url_for(f"{self.name}.start", service_id=service.id))

    def has_start_page(self, service: Service) -> bool:
        return True  # the contact-channel page

    def hold(self, service: Service, draft: Draft) -> None:
        super().hold(service, draft)
        setattr(g, IN_HAND, draft)

    def url_query(self, service: Service) -> dict[str, str]:
        """The draft in hand (`follow_the_page`), named in every journey address: a page
        opened again in one tab after another tab started or resumed a call stays with its
        own."""
        held = g.get(IN_HAND)
        if held is None or held.service_id != service.id or not held.reference:
            return {}
        return {DRAFT_FIELD: held.reference}

    def url(self, service: Service, step: Step | str, change: bool = False, **more: str) -> str:
        if step in ("start", Step("start")):  # Back to the channel page corrects the draft
            values: dict[str, Any] = {"service_id": service.id, "draft": "current"}
            values.update(self.url_query(service))
            return url_for(f"{self.name}.start", **values)
        return super().url(service, step, change, **more)

    def submit_errors(self, service: Service) -> list[dict[str, str]]:
        errors = []
        confirming = request.form.get(DECLARATION_SHOWN) == "1"
        if service.declaration and confirming and request.form.get(DECLARATION_FIELD) != "yes":
            errors.append(
                {
                    "text": "Confirm that the resident agrees with the declaration",
                    "href": f"#{DECLARATION_FIELD}",
                }
            )
        draft = self.active(self.draft(service))
        if draft is not None and phone_amount(self.journey(service, draft)):
            errors += phone_reference_errors(request.form.get(PHONE_PAYMENT_FIELD, ""))
        return errors

    def send(self, draft: Draft, journey: Journey, **fields: Any) -> View:
        """A paying service: the agent took the payment by phone, through the council's
        card payment system; its reference is stored with the form and audited."""
        amount = phone_amount(journey)
        if not amount:
            return super().send(draft, journey, **fields)
        reference = request.form.get(PHONE_PAYMENT_FIELD, "").strip()
        description = journey.service.payment.description if journey.service.payment else ""
        record = phone_record(amount, reference, description)
        return super().send(draft, journey, payment=record, **fields)

    def sent_already(self, draft: Draft) -> None:
        """From another tab: a card payment reference typed there was not recorded, and the
        agent may have taken that payment too."""
        typed = request.form.get(PHONE_PAYMENT_FIELD, "").strip()
        payment = draft.submission.payment if draft.submission else None
        if typed and (not payment or payment.get("reference") != typed):
            flash(SENT_ALREADY_PAID % typed, WARNING)

    def context(self, service: Service, draft: Draft | None) -> dict[str, Any]:
        context = super().context(service, draft)
        catalog = current_app.extensions["service_builder"].catalog
        context.update(
            assisted=True,
            draft=draft,
            declaration_field=DECLARATION_FIELD,
            declaration_shown=DECLARATION_SHOWN,
            notice_categories=[WARNING, "message"],  # the banner's: Flask's default last
            leave_field=LEAVE_FIELD,
            phone_payment_field=PHONE_PAYMENT_FIELD,
            contacted=CONTACTED.get(draft.contact_channel or "", "") if draft else "",
            written_channels=WRITTEN_CHANNELS,
            caller=caller_of(draft) if draft else "",
            spoken_reference=spoken,
            phonetic_reference=phonetic,
            more_services=sorted(catalog.services.values(), key=lambda s: s.title),
        )
        return context


runner = AssistedRunner()
