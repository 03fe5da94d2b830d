"""Staff page states for the sweep: sign-in, home, drafts, sent forms and assisted journeys."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import update

from accessibility.plan import Action, Mode, PageState, form_fields, service_plan
from service_builder.definitions import Service
from service_builder.deliveries import Delivery
from service_builder.explorer import explore
from service_builder.journey import DraftState
from service_builder.models import Draft, StaffUser, Submission, db, utcnow
from service_builder.modes import ASSISTED
from service_builder.questions.files import file_ids
from service_builder.staff.accounts import save_user
from service_builder.submissions import record_after_submission

EMAIL = "a11y.admin@sweep.invalid"
PASSWORD = "sweep-password-not-secret"
DRAFT = "DR-7777-AAAA"
TAKEN_DRAFT = "DR-7777-BBBB"
"""A draft another agent is working on: its page offers an explicit takeover."""
OTHER_EMAIL = "a11y.agent.with.a.long.council.address@contact-centre.sweep.invalid"
"""Long, as a council's addresses can be: pages that show it must wrap it at 320 px."""
SUBMISSION = "SWP-7777-AAAA"
FILES_SUBMISSION = "SWP-7777-FILE"
"""A sent form with an uploaded file, when a service asks for one: its case lists the file."""


def prepare_staff() -> None:
    """The sweep's admin, with a draft and a sent form to look at (in an app context)."""
    from flask import current_app

    save_user(EMAIL, PASSWORD, "admin")
    user = db.session.query(StaffUser).filter_by(email=EMAIL).one()
    catalog = current_app.extensions["service_builder"].catalog
    service = min(catalog.services.values(), key=lambda s: s.id)
    route = next(r for r in explore(service, "staff") if not r.exit_page)
    if db.session.query(Draft).filter_by(reference=DRAFT).first() is None:
        draft = Draft(
            token="a11y-draft",
            reference=DRAFT,
            service_id=service.id,
            channel="assisted",
            contact_channel="phone",
            staff_user_id=user.id,
            data=DraftState().to_json(),
        )
        sent = Draft(
            token="a11y-sent",
            service_id=service.id,
            channel="assisted",
            contact_channel="phone",
            staff_user_id=user.id,
            data={},
        )
        save_user(OTHER_EMAIL, PASSWORD, "agent")
        other = db.session.query(StaffUser).filter_by(email=OTHER_EMAIL).one()
        taken = Draft(
            token="a11y-taken",
            reference=TAKEN_DRAFT,
            service_id=service.id,
            channel="assisted",
            contact_channel="phone",
            staff_user_id=other.id,
            data=DraftState().to_json(),
        )
        db.session.add_all([draft, sent, taken])
        db.session.flush()
        submission = Submission(
            reference=SUBMISSION,
            service_id=service.id,
            definition_version=service.version,
            channel="assisted",
            contact_channel="phone",
            staff_user_id=user.id,
            answers=route.answers,
            draft_id=sent.id,
        )
        db.session.add(submission)
        record_after_submission(submission, service)  # its case and deliveries
        db.session.flush()
        db.session.execute(  # due an hour ago and untried: the deliveries page's warning
            update(Delivery)
            .where(Delivery.submission_id == submission.id)
            .values(next_attempt_at=utcnow() - dt.timedelta(hours=1))
        )
        db.session.commit()
        _prepare_files_case(catalog, user)
    prepare_performance(service)


def _with_files(services: Sequence[Service]) -> Service | None:
    return next((s for s in services if any(q.type == "file" for q in s.questions)), None)


def _prepare_files_case(catalog: Any, user: StaffUser) -> None:
    service = _with_files(sorted(catalog.services.values(), key=lambda s: s.id))
    if service is None:
        return
    routes = [r for r in explore(service, "resident") if not r.exit_page]
    route = next((r for r in routes if file_ids(r.answers)), routes[0])
    sent = Draft(token="a11y-sent-files", service_id=service.id, channel="online", data={})
    db.session.add(sent)
    db.session.flush()
    submission = Submission(
        reference=FILES_SUBMISSION,
        service_id=service.id,
        definition_version=service.version,
        channel="online",
        answers=route.answers,  # the file's bytes are not needed to list it
        draft_id=sent.id,
    )
    db.session.add(submission)
    record_after_submission(submission, service)
    db.session.commit()


def prepare_performance(service: Service) -> None:
    """A few events so the performance pages show bars, hotspots and a trend."""
    from service_builder.performance import events

    page, question = service.pages[0], service.pages[0].questions[0]
    rows = [
        events.new_event(kind, service, None, page_id=page.id, draft_key=f"sweep-{n}")
        for n in range(4)
        for kind in (events.VIEWED, events.SAVED, events.STARTED)
    ]
    rows.append(
        events.new_event(
            events.ERROR,
            service,
            None,
            page_id=page.id,
            question_id=question.id,
            check_key="required",
        )
    )
    rows += [events.new_event(events.SUBMITTED, service, None, draft_key="sweep-0", seconds=90)]
    db.session.add_all(rows)
    db.session.commit()


def _preview_to_the_end(service: Service) -> list[Action]:
    """Preview a whole route and press Send: the 'nothing was sent' page."""
    routes = explore(service, "resident")
    index, route = next((i, r) for i, r in enumerate(routes) if not r.exit_page)
    last = route.steps[-1]
    base = f"/admin/preview/resident/{service.id}"
    return [
        Action(
            "fetch",
            f"/admin/services/{service.id}/preview",
            (("audience", "resident"), ("route", str(index)), ("step", str(len(route.steps) - 1))),
            expect_status=302,
        ),
        Action("fetch", f"{base}/{last.page.id}", form_fields(last.form()), expect_status=302),
        Action(
            "submit",
            f"{base}/check-answers",
            (),
            PageState(f"{base}/check-answers", service.id, None, "admin", "preview: nothing sent"),
        ),
    ]


def _today() -> str:
    today = dt.datetime.now(dt.UTC).date()  # the sweep's sent form is stamped in UTC
    return f"{today.day}/{today.month}/{today.year}"


def _sign_in() -> Action:
    return Action(
        "sign-in", "/staff/sign-in", (("email", EMAIL), ("password", PASSWORD)), expect_status=302
    )


def _staff(url: str, note: str, status: int | None = None) -> Action:
    return Action("get", url, check=PageState(url, None, None, "staff", note), expect_status=status)


def _find(words: str, note: str) -> Action:
    """The search box's POST, and the results it goes on to (at an address that names the
    search, never its words)."""
    state = PageState("/staff/find", None, None, "staff", note)
    return Action("submit", "/staff/find", (("reference", words),), state)


def _admin(url: str, note: str) -> Action:
    return Action("get", url, check=PageState(url, None, None, "admin", note))


def _performance_states(services: Sequence[Service]) -> list[Action]:
    """The performance pages: overview, each service with and without a channel filter,
    an empty date range, a wrong date (the error summary) and the definition's lines."""
    actions = [_admin("/admin/performance", "performance: all services")]
    for service in services:
        page = f"/admin/services/{service.id}/performance"
        actions += [
            _admin(page, f"performance: {service.id}"),
            _admin(f"{page}?channel=assisted", f"performance: {service.id}, assisted"),
            _admin(f"/admin/services/{service.id}/definition", f"definition: {service.id}"),
        ]
    page = f"/admin/services/{services[0].id}/performance" if services else ""
    if page:
        actions += [
            _admin(f"{page}?since=2000-01-01&until=2000-01-31", "performance: nothing in range"),
            Action(
                "get",
                f"{page}?since=31/02/2026",
                check=PageState(page, None, None, "admin", "performance: a wrong date"),
                expect_status=400,
            ),
        ]
    return actions


def _assisted_mode() -> Mode:
    def begin(service: Service) -> list[Action]:
        return [
            _sign_in(),
            Action(
                "fetch", f"/staff/{service.id}/", (("contact_channel", "phone"),), expect_status=302
            ),
        ]

    states = {
        kind: "staff"
        for kind in (
            "question",
            "question-error",
            "content",
            "exit",
            "check-answers",
            "confirmation",
        )
    }
    return Mode(
        audience=ASSISTED.audience,
        prefix=ASSISTED.url_prefix,
        begin=begin,
        states=states,
        send_fields=(("declaration_agreed", "yes"),),
    )


def staff_plan(services: Sequence[Service], site_pages: bool = True) -> list[Action]:
    actions: list[Action] = []
    if site_pages:
        actions += [
            Action("reset"),
            _staff("/staff/sign-in", "sign in"),
            Action(
                "submit",
                "/staff/sign-in",
                (("email", EMAIL), ("password", "wrong")),
                PageState("/staff/sign-in", None, None, "staff", "sign in: wrong password"),
                expect_status=400,
            ),
            _staff("/staff/sign-in?timed_out=1", "sign in after the idle timeout"),
            _sign_in(),
            _staff("/staff/", "staff home"),
            _staff("/staff/sign-out", "sign out: the button for a typed address"),
            _find("NOPE", "find: nothing found"),
            _staff(f"/staff/drafts/{DRAFT}", "a draft, with its audit trail"),
            _staff(f"/staff/submissions/{SUBMISSION}", "a sent form, with its audit trail"),
            *_case_pages(services),
            _admin("/admin/deliveries", "admin: deliveries, with a warning that none is tried"),
            Action(
                "submit",
                "/staff/start",
                (),
                PageState("/staff/start", None, None, "staff", "start: nothing chosen"),
                expect_status=400,
            ),
            _staff(f"/staff/submissions/{SUBMISSION}/print", "the copy to post to the resident"),
            _staff(f"/staff/drafts/{TAKEN_DRAFT}", "a draft another agent has: take over"),
            _find(_today(), "find: search results"),
            Action(
                "submit",
                f"/staff/drafts/{DRAFT}/pause",
                (),
                PageState("/staff/", None, None, "staff", "staff home with a notice"),
            ),
            _admin("/admin/", "admin: services"),
            _admin("/admin/deliveries", "admin: deliveries, with a warning that none is tried"),
            *(
                Action(
                    "submit",
                    f"/admin/services/{services[0].id}/preview",
                    (("audience", audience), ("route", "0"), ("step", "0")),
                    PageState(
                        f"/admin/services/{services[0].id}/preview",
                        services[0].id,
                        None,
                        "admin",
                        f"preview as {audience}: marked, stores nothing",
                    ),
                )
                for audience in ("resident", "staff")
                if services
            ),
            *(_preview_to_the_end(services[0]) if services else []),
            *(_admin(f"/admin/services/{s.id}", f"admin: {s.id}") for s in services),
            *(
                _admin(f"/admin/services/{s.id}/submissions", f"admin: {s.id}'s sent forms")
                for s in services
            ),
            *_performance_states(services),
        ]
        actions += _status_pages(services)
    for service in services:
        start = f"/staff/{service.id}/"
        actions += [
            Action("reset"),
            _sign_in(),
            Action(
                "get",
                start,
                check=PageState(start, service.id, None, "staff", "choose the contact channel"),
            ),
            Action(
                "submit",
                start,
                (),
                PageState(start, service.id, None, "staff", "contact channel not chosen"),
                400,
            ),
            Action("fetch", start, (("contact_channel", "phone"),), expect_status=302),
            Action(
                "get",
                f"{start}?draft=current",
                check=PageState(start, service.id, None, "staff", "correct the contact channel"),
            ),
        ]
        actions += service_plan(service, _assisted_mode())
    return actions


def _case_pages(services: Sequence[Service]) -> list[Action]:
    case = f"/staff/cases/{SUBMISSION}"
    with_files = []
    if _with_files(sorted(services, key=lambda s: s.id)) is not None:
        with_files = [_staff(f"/staff/cases/{FILES_SUBMISSION}", "a case with uploaded files")]
    return [
        *with_files,
        _staff("/staff/cases", "cases: the inbox"),
        Action(
            "submit",
            "/staff/cases",
            (("q", "nothing-matches-this"),),
            PageState("/staff/cases", None, None, "staff", "cases: nothing matches"),
        ),
        _staff(case, "a case: answers, status, notes, deliveries, audit"),
        Action(
            "submit",
            f"{case}/status",
            (("status", "closed"),),
            PageState(case, None, None, "staff", "a case: closed without a reason"),
            expect_status=400,
        ),
        Action(
            "submit",
            f"{case}/notes",
            (("note", ""),),
            PageState(case, None, None, "staff", "a case: an empty note"),
            expect_status=400,
        ),
        Action(
            "submit",
            f"{case}/assign",
            (("assignee", ""), ("case_seen", "0")),
            PageState(case, None, None, "staff", "a case: changed by someone else since"),
            expect_status=409,
        ),
    ]


def _status_pages(services: Sequence[Service]) -> list[Action]:
    """The resident's status check: the form, its errors and a found case (the sweep's own)."""

    def status(fields: tuple[tuple[str, str], ...], note: str, code: int) -> Action:
        return Action(
            "submit", "/status", fields, PageState("/status", None, None, "site", note), code
        )

    actions = [
        Action("reset"),
        Action("get", "/status", check=PageState("/status", None, None, "site", "status check")),
        status((("reference", ""), ("email_or_postcode", "")), "status check: blank", 400),
        status(
            (("reference", "NOPE-0000-0000"), ("email_or_postcode", "x@example.com")),
            "status check: not found",
            400,
        ),
    ]
    if services:
        service = min(services, key=lambda s: s.id)
        answers = next(r for r in explore(service, "staff") if not r.exit_page).answers
        given = next(
            (
                answers[q.id]
                for q in service.questions
                if q.type in ("email", "postcode") and isinstance(answers.get(q.id), str)
            ),
            None,
        )
        if given:
            fields = (("reference", SUBMISSION), ("email_or_postcode", given))
            actions.append(status(fields, "status check: a case found", 200))
    return actions
