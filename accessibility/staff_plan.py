"""Staff page states for the sweep: sign-in, home, drafts, sent forms and assisted journeys."""

from __future__ import annotations

from collections.abc import Sequence

from accessibility.plan import Action, Mode, PageState, service_plan
from service_builder.definitions import Service
from service_builder.explorer import explore
from service_builder.journey import DraftState
from service_builder.models import Draft, StaffUser, Submission, db
from service_builder.staff.accounts import save_user

EMAIL = "a11y.admin@sweep.invalid"
PASSWORD = "sweep-password-not-secret"
DRAFT = "DR-7777-AAAA"
SUBMISSION = "SWP-7777-AAAA"


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
        db.session.add_all([draft, sent])
        db.session.flush()
        db.session.add(
            Submission(
                reference=SUBMISSION,
                service_id=service.id,
                definition_version=service.version,
                channel="assisted",
                contact_channel="phone",
                staff_user_id=user.id,
                answers=route.answers,
                draft_id=sent.id,
            )
        )
        db.session.commit()
    prepare_performance(service)


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


def _sign_in() -> Action:
    return Action(
        "sign-in", "/staff/sign-in", (("email", EMAIL), ("password", PASSWORD)), expect_status=302
    )


def _staff(url: str, note: str, status: int | None = None) -> Action:
    return Action("get", url, check=PageState(url, None, None, "staff", note), expect_status=status)


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
        audience="staff",
        prefix="/staff",
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
            _staff("/staff/find?reference=NOPE", "find: unknown reference", 400),
            _staff(f"/staff/drafts/{DRAFT}", "a draft, with its audit trail"),
            _staff(f"/staff/submissions/{SUBMISSION}", "a sent form, with its audit trail"),
            _admin("/admin/", "admin: services"),
            *(_admin(f"/admin/services/{s.id}", f"admin: {s.id}") for s in services),
            *_performance_states(services),
        ]
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
        ]
        actions += service_plan(service, _assisted_mode())
    return actions
