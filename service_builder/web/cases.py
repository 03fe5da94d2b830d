"""Case pages: the team's inbox, one case, and changing its status, assignee and notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    get_flashed_messages,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from service_builder import deliveries
from service_builder.cases import (
    CLOSE_REASONS,
    STATUSES,
    Case,
    CaseNote,
    Filters,
    StaffTeam,
    change_case,
    count_cases,
    find_case,
    holders,
    notes,
    page_of_cases,
    teams_of,
)
from service_builder.definitions import Service
from service_builder.files.listing import held_files
from service_builder.messages import IN_ENGLISH
from service_builder.models import Draft, StaffUser, Submission, db, utcnow
from service_builder.staff import audit
from service_builder.staff.accounts import has_role
from service_builder.staff.auth import current_staff, require_role
from service_builder.staff.pending import WARNING, take_posted_answers
from service_builder.web import searches
from service_builder.web.case_forms import (
    NOTE_MAX,
    AssignForm,
    InboxForm,
    NoteForm,
    StatusForm,
    select_params,
)
from service_builder.web.fields import changed_since, mark
from service_builder.web.forms import error_summary
from service_builder.web.runner import submitted_rows
from service_builder.web.searches import SEARCH, SEARCH_ENDED

blueprint = Blueprint("cases", __name__, url_prefix="/staff/cases")
blueprint.before_request(require_role("agent"))
DONE = "case-done"
"""How the flash category of what a case action did starts: shown once, as a success banner,
on that case's page; the case's reference and whether the action was audited follow."""


CASE_SEEN = "case_seen"
"""The status and assignment forms' mark of the case as their page showed it: a form from a
page opened before someone else changed the case saves nothing (an optional field: a form
without it is taken as it is)."""


def _shown(found: Case) -> list[Any]:
    return [found.status, found.closed_reason, found.assignee_id]


def _changed_since(found: Case) -> bool:
    return changed_since(request.form.get(CASE_SEEN), _shown(found))


def _done(found: Case, heading: str, body: str = "", audited: bool = True) -> None:
    """Say on the case page, after the redirect, what the action did (our own words only)."""
    flash("\n".join(filter(None, (heading, body))), _category(found, audited))


def _category(found: Case, audited: bool) -> str:
    return f"{DONE}:{found.reference}:{'audited' if audited else 'unchanged'}"


def _done_banners(found: Case) -> tuple[list[dict[str, str]], bool]:
    """The banners due on this case's page, and whether they follow an audited action of
    the person viewing it (that page is then not another view: the action is recorded)."""
    audited = _category(found, True)
    flashed = cast(
        list[tuple[str, str]],
        get_flashed_messages(
            with_categories=True, category_filter=[audited, _category(found, False)]
        ),
    )
    banners = [
        dict(zip(("heading", "body"), message.split("\n", 1), strict=False))
        for _, message in flashed
    ]
    return banners, any(category == audited for category, _ in flashed)


def _inbox() -> str | None:
    """The inbox's filters a case was opened from (`?inbox=`), kept through its actions."""
    return request.args.get("inbox") or None


def _in_address(pairs: Iterable[tuple[str, Any]], *leaving_out: str) -> list[tuple[str, Any]]:
    """The inbox's filters as its address carries them: none empty, and never search words
    (`q`, as an old address had them: a search is named by its token, `web.searches`)."""
    return [(name, value) for name, value in pairs if value and name not in ("q", *leaving_out)]


def _inbox_url() -> str:
    """Back to the inbox as it was, filtered and searched: our own address, with the
    filters read and written again (never a location given by the request)."""
    filters = urlencode(_in_address(parse_qsl(_inbox() or "")))
    return url_for("cases.inbox") + (f"?{filters}" if filters else "")


def _case_url(found: Case) -> str:
    return url_for("cases.case", reference=found.reference, inbox=_inbox())


@blueprint.context_processor
def _forms() -> dict[str, Any]:
    return {"select_params": select_params}


def _catalog() -> Any:
    return current_app.extensions["service_builder"].catalog


def _me() -> StaffUser:
    user = current_staff()
    assert user is not None
    return user


def visible_services(user: StaffUser) -> frozenset[str] | None:
    """The services whose cases the member of staff may see; None for all of them."""
    if has_role(user, "supervisor"):
        return None
    teams = set(teams_of(user))
    return frozenset(s.id for s in _catalog().services.values() if s.team and s.team in teams)


def can_see(user: StaffUser, submission: Submission) -> bool:
    services = visible_services(user)
    return services is None or submission.service_id in services


def callers_services(user: StaffUser) -> frozenset[str] | None:
    """The services whose callers' forms the member of staff may find: unsent drafts to take
    up, and sent forms to read (not to work on: that is a case), besides those they hold or
    sent. Their teams' (as for cases), or None for all: staff in no team are the contact
    centre, who answer calls for every service, and a caller rings back about a form they
    sent (online or by phone) as often as one they are part-way through. Supervisors: all."""
    if not teams_of(user):
        return None
    return visible_services(user)


def can_take_up(user: StaffUser, draft: Draft) -> bool:
    services = callers_services(user)
    return draft.staff_user_id == user.id or services is None or draft.service_id in services


def held_by_other(user: StaffUser, draft: Draft) -> bool:
    """Whether another agent is working on the draft, so taking it up is a takeover. An
    ended call is nobody's work in hand: whoever takes the call back resumes it (the agent
    who ended it stays its holder, so their teams' rules still let them find it)."""
    return draft.staff_user_id not in (None, user.id) and draft.ended_at is None


def can_read_sent(user: StaffUser, submission: Submission) -> bool:
    """Whether the member of staff may find and read this sent form (`callers_services`)."""
    services = callers_services(user)
    return (
        submission.staff_user_id == user.id or services is None or submission.service_id in services
    )


def _case(reference: str) -> Case:
    """The case, or a 404 alike for a wrong reference and another team's case."""
    case = find_case(reference)
    if case is None or not can_see(_me(), case.submission):
        abort(404)
    return case


@blueprint.get("")
def inbox() -> Any:
    filters = MultiDict(_in_address(request.args.items(multi=True)))
    words = searches.searched()
    if words is not None:
        filters["q"] = words
    return _inbox_page(filters, search_ended=searches.ended(words))


@blueprint.post("")
def search() -> Any:
    """The search and filter form: its words are kept with the staff session (`searches`),
    its filters go in the list's address (they say nothing of anyone), as a GET after this
    POST."""
    user = _me()
    form = _inbox_form(request.form, user, visible_services(user))
    if not form.validate():
        return _inbox_page(request.form)
    chosen: dict[str, Any] = dict(_in_address(form.data.items()))
    if words := (form.q.data or "").strip():
        chosen[SEARCH] = searches.token_for(words) or ""
    return redirect(url_for("cases.inbox", **chosen))


def _inbox_form(data: Any, user: StaffUser, services: frozenset[str] | None) -> InboxForm:
    form = InboxForm(data)
    shown = [s for s in _catalog().services.values() if services is None or s.id in services]
    form.service.choices = [SelectChoice("", "All services")] + [
        SelectChoice(s.id, s.title) for s in sorted(shown, key=lambda s: s.title)
    ]
    form.assignee.choices = [
        SelectChoice("", "Anyone"),
        SelectChoice("me", "Me"),
        SelectChoice("none", "Nobody"),
        *(SelectChoice(str(id_), email) for id_, email in holders(services) if id_ != user.id),
    ]
    return form


def _inbox_page(data: Any, search_ended: bool = False) -> Any:
    """The inbox, filtered and searched as `data` asks (the query string, with its search's
    words; or a search form that was refused, to show its errors). `search_ended`: the
    address names a search of a session that has ended (shown unsearched, saying so)."""
    user = _me()
    services = visible_services(user)
    form = _inbox_form(data, user, services)
    form.validate()
    filters = _filters(form, user, services)
    page = page_of_cases(filters, request.args.get("after"), request.args.get("before"))
    arguments = dict(_in_address(request.args.items(), "after", "before"))
    html = render_template(
        "staff/cases.html",
        form=form,
        cases=page.cases,
        count=count_cases(filters) if page.cases else 0,
        filtered=any(value for name, value in form.data.items() if name != "order"),
        oldest_first=filters.oldest_first,
        inbox_query=urlencode(_in_address(request.args.items(multi=True))),
        search_ended=SEARCH_ENDED if search_ended else "",
        next_url=url_for("cases.inbox", **arguments, after=page.following)
        if page.following
        else None,
        previous_url=url_for("cases.inbox", **arguments, before=page.previous)
        if page.previous
        else None,
        catalog=_catalog(),
        statuses=STATUSES,
        teams=teams_of(user),
        services=services,
        errors=error_summary(form),
    )
    return (html, 400) if form.errors else html


def _filters(form: InboxForm, user: StaffUser, services: frozenset[str] | None) -> Filters:
    """The filters asked for; one refused (an error on the page) is left out."""
    chosen = form.assignee.data or ""
    assignee = {"me": user.id, "none": 0}.get(chosen)
    if assignee is None and chosen.isdigit() and not form.assignee.errors:
        assignee = int(chosen)  # a colleague who holds cases (the choices are checked)
    days = form.received.data if form.received.data in ("1", "7", "30") else None
    since = None
    if days:
        today = dt.datetime.combine(utcnow().date(), dt.time())
        since = today - dt.timedelta(days=int(days) - 1)
    return Filters(
        services=services,
        service=(form.service.data or None) if not form.service.errors else None,
        status=form.status.data if form.status.data in STATUSES else None,
        assignee=assignee,
        since=since,
        search=(form.q.data or None) if not form.q.errors else None,
        oldest_first=form.order.data == "oldest",
    )


@blueprint.get("/<reference>")
def case(reference: str) -> Any:
    found = _case(reference)
    banners, acted = _done_banners(found)
    if not acted:
        audit.record("viewed-case", _me(), submission=found.submission)
    # a note typed as the session ended comes back after sign-in, to check and add again
    posted = dict(take_posted_answers(url_for("cases.add_note", reference=found.reference)) or [])
    note = NoteForm(data={"note": posted["note"]}) if posted.get("note") else NoteForm()
    return _show(found, _status_now(found), AssignForm(), note, [], done=banners)


def _status_now(found: Case) -> StatusForm:
    """The status form showing the case as it is (a closed one with its reason)."""
    return StatusForm(data={"status": found.status, "reason": found.closed_reason})


def _show(
    found: Case,
    status: StatusForm,
    assign: AssignForm,
    note: NoteForm,
    errors: list[Any],
    changed: bool = False,
    done: Sequence[dict[str, str]] = (),
) -> Any:
    """The case page. `done`: what the person's last action did (a page shown again after a
    POST takes no banners: they wait for the page after the redirect)."""
    service = _catalog().get(found.service_id)
    assign.assignee.choices = [SelectChoice(v, label) for v, label in _assignees(found)]
    if assign.assignee.data is None:
        assign.assignee.data = str(found.assignee_id or "")
    html = render_template(
        "staff/case.html",
        case=found,
        found=found.submission,
        service_title=service.title if service else found.service_id,
        language=_language(found, service),
        rows=submitted_rows(service, found.submission.answers) if service else [],
        files=held_files(service, found.submission.answers),
        status_form=status,
        assign_form=assign,
        note_form=note,
        errors=errors,
        notes=notes(found),
        deliveries=deliveries.for_submission(found.submission),
        trail=audit.trail(None, found.submission),
        actions=audit.ACTIONS,
        statuses=STATUSES,
        reasons=CLOSE_REASONS,
        done=done,
        notices=get_flashed_messages(category_filter=["message"]),
        warnings=get_flashed_messages(category_filter=[WARNING]),  # 'not saved' after sign-in
        note_max=NOTE_MAX,
        case_seen=mark(_shown(found)),
        inbox=_inbox(),
        inbox_url=_inbox_url(),
        case_seen_field=CASE_SEEN,
        changed=changed,
    )
    return (html, 400) if errors else (html, 409) if changed else html


def _show_changed(found: Case) -> Any:
    """Someone else changed the case after this page was opened: nothing is saved, and the
    case is shown as it now is, to decide again."""
    return _show(found, _status_now(found), AssignForm(), NoteForm(), [], changed=True)


def _language(found: Case, service: Service | None) -> str | None:
    """The language the resident used, to reply in: said where there was a choice."""
    code = found.submission.language
    if code == "en" and (service is None or len(service.languages) < 2):
        return None
    return IN_ENGLISH.get(code, code)


DISABLED = " (account disabled)"
"""How "Assign to" marks a leaver who still holds the case."""


def _assignees(found: Case) -> list[tuple[str, str]]:
    """Who the case can go to: the service's team, and supervisors and admins, whose accounts
    are not disabled (a leaver who holds the case still shows, marked, until it moves on)."""
    service = _catalog().get(found.service_id)
    team = service.team if service else None
    query = select(StaffUser).where(
        (
            StaffUser.role.in_(["supervisor", "admin"])
            | StaffUser.id.in_(select(StaffTeam.staff_user_id).where(StaffTeam.team == team))
        )
        & (StaffUser.disabled_at.is_(None) | (StaffUser.id == found.assignee_id))
    )
    people = db.session.scalars(query.order_by(StaffUser.email)).all()
    return [("", "Nobody")] + [
        (str(person.id), person.email + (DISABLED if person.disabled_at else ""))
        for person in people
    ]


@blueprint.post("/<reference>/status")
def change_status(reference: str) -> Any:
    found = _case(reference)
    if _changed_since(found):
        return _show_changed(found)
    form = StatusForm(request.form)
    if not form.validate():
        errors = [
            {"text": field.errors[0], "href": f"#{field.id}"}
            for field in (form.status, form.reason)
            if field.errors
        ]
        return _show(found, form, AssignForm(), NoteForm(), errors)
    new = form.status.data or ""
    # with JavaScript the reasons hide again when another status is chosen, still checked:
    # such a reason is not saved, and the banner says so
    ignored = "The reason for closing was not saved: a reason is kept only when closing."
    # (the reason the case was closed with is ticked already: not a choice made now)
    ticked = form.reason.data and form.reason.data != found.closed_reason
    ignored = ignored if new != "closed" and ticked else ""
    if new != found.status or (new == "closed" and form.reason.data != found.closed_reason):
        reason = CLOSE_REASONS.get(form.reason.data or "", "").split(":")[0]
        now = STATUSES[new] + (f" ({reason})" if new == "closed" and reason else "")
        detail = f"{STATUSES[found.status]} to {now}"  # fixed words, never free text
        closed_reason = form.reason.data if new == "closed" else None
        if not change_case(found, status=new, closed_reason=closed_reason):
            return _show_changed(found)  # changed by someone else a moment ago
        deliveries.queue_status_email(found.submission, _catalog().get(found.service_id), new)
        audit.record("status-changed", _me(), submission=found.submission, detail=detail)
        _done(found, f"Status changed to {now}", ignored)
    else:
        _done(found, f"The status was already {STATUSES[new]}: nothing changed", ignored, False)
    return redirect(_case_url(found))


@blueprint.post("/<reference>/assign")
def assign(reference: str) -> Any:
    found = _case(reference)
    if _changed_since(found):
        return _show_changed(found)
    form = AssignForm(request.form)
    choices = dict(_assignees(found))
    if form.assignee.data not in choices:
        abort(400)
    chosen = int(form.assignee.data) if form.assignee.data else None
    who = choices[form.assignee.data or ""].removesuffix(DISABLED)
    if chosen != found.assignee_id:
        if not change_case(found, assignee_id=chosen):
            return _show_changed(found)  # changed by someone else a moment ago
        detail = audit.assigned_detail(chosen)  # the number: the trail holds no email
        audit.record("assigned", _me(), submission=found.submission, detail=detail)
        _done(found, f"Case assigned to {who}" if chosen else "Case assigned to nobody")
    else:
        same = f"The case was already assigned to {who if chosen else 'nobody'}: nothing changed"
        _done(found, same, audited=False)
    return redirect(_case_url(found))


@blueprint.post("/<reference>/notes")
def add_note(reference: str) -> Response | Any:
    found = _case(reference)
    form = NoteForm(request.form)
    if not form.validate():
        errors = [{"text": form.note.errors[0], "href": f"#{form.note.id}"}]
        return _show(found, _status_now(found), AssignForm(), form, errors)
    user = _me()
    db.session.add(
        CaseNote(submission_id=found.submission_id, staff_user_id=user.id, text=form.note.data)
    )
    audit.record("note-added", user, submission=found.submission)  # the note's text stays out
    _done(found, "Note added")
    return redirect(_case_url(found))
