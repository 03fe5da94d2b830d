"""The audit trail of assisted drafts and submissions: who did what, where, and when."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from service_builder.definitions.schema import Page
from service_builder.models import AuditEvent, Draft, StaffUser, Submission, db

LONDON = ZoneInfo("Europe/London")

ACTIONS = {
    "started": "Started the draft",
    "viewed": "Viewed a page",
    "changed": "Changed answers",
    "removed-item": "Removed an item from a list",
    "taken-over": "Took the draft over from another agent",
    "paused": "Saved and left the draft",
    "resumed": "Resumed the draft",
    "handed-back": "Handed the draft back for any agent",
    "ended": "Ended without sending",  # a call, a visit or a chat
    "submitted": "Sent the form",
    "payment-taken": "Took the payment by phone",
    "viewed-submission": "Viewed the sent form",
    "viewed-case": "Viewed the case",
    "status-changed": "Changed the status",
    "assigned": "Changed who the case is assigned to",
    "note-added": "Added an internal note",
    "printed": "Opened the copy to post to the resident",
    "downloaded-file": "Downloaded an uploaded file",
    "exported": "Downloaded a service's sent forms",
}


ASSIGNED_TO = re.compile(r"^to staff account (\d+)$")
"""An assignment's detail: the account's number, so the trail holds no name or email."""


def assigned_detail(user_id: int | None) -> str:
    return f"to staff account {user_id}" if user_id else "to nobody"


def record(
    action: str,
    user: StaffUser | None,
    draft: Draft | None = None,
    submission: Submission | None = None,
    detail: str | None = None,
) -> None:
    """Record a staff action. Never holds the resident's answers, only what was done."""
    add(action, user, draft, submission, detail)
    db.session.commit()


def add(
    action: str,
    user: StaffUser | None,
    draft: Draft | None = None,
    submission: Submission | None = None,
    detail: str | None = None,
) -> None:
    """`record`, in the session's transaction: stored with what it records, or not at all."""
    assert action in ACTIONS, action
    if submission is not None and submission.id is None:
        db.session.flush()
    db.session.add(
        AuditEvent(
            action=action,
            staff_user_id=user.id if user else None,
            draft_id=draft.id if draft else None,
            submission_id=submission.id if submission else None,
            detail=detail,
        )
    )


def page_detail(page: Page, item: int | None = None) -> str:
    """Names the page (a repeat page's item) and its questions by their ids and headings:
    never the answers."""
    questions = ", ".join(question.id for question in page.questions)
    heading, where = page.heading, page.id
    if item is not None:
        heading, where = f"{heading}: {page.item_noun} {item}", f"{where}/{item}"
    return f"{heading} ({where}{': ' + questions if questions else ''})"


def london(moment: dt.datetime | None, exact: bool = False) -> str:
    """A stored UTC time in UK time, as GOV.UK writes a date and time: '1 December 2026,
    5:30pm' (the pages say the times are UK time). `exact`, for audit trails: to the second
    and with GMT or BST, '1 December 2026, 5:30:59pm GMT', so that two events in a minute,
    and the hour the clocks go back, are told apart (a review)."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=dt.UTC).astimezone(LONDON)
    if exact:
        return f"{local.day} {local:%B %Y}, {clock(local, seconds=True)} {local.tzname()}"
    return f"{local.day} {local:%B %Y}, {clock(local)}"


def clock(moment: dt.datetime, seconds: bool = False) -> str:
    """A time as GOV.UK writes it: 9am, 5:30pm, midday, midnight (with `seconds`: 5:30:59pm,
    12:00:00pm)."""
    hour = f"{moment.hour % 12 or 12}"
    noon_or_midnight = moment.minute == 0 and moment.hour in (0, 12)
    if seconds:
        hour += f":{moment.minute:02d}:{moment.second:02d}"
    elif noon_or_midnight:
        return "midnight" if moment.hour == 0 else "midday"
    elif moment.minute:
        hour += f":{moment.minute:02d}"
    return f"{hour}{'am' if moment.hour < 12 else 'pm'}"


def shown_details(events: list[AuditEvent]) -> dict[int, str]:
    """Each event's detail as staff read it: an assignee's email address for their account's
    number (one query for the whole trail; an account since removed keeps its number)."""
    numbers = {event.id: m for event in events if (m := ASSIGNED_TO.match(event.detail or ""))}
    ids = {int(m.group(1)) for m in numbers.values()}
    query = select(StaffUser.id, StaffUser.email).where(StaffUser.id.in_(ids))
    emails = {row.id: row.email for row in db.session.execute(query)} if ids else {}
    shown = {event.id: event.detail or "" for event in events}
    for event_id, m in numbers.items():
        if (email := emails.get(int(m.group(1)))) is not None:
            shown[event_id] = f"to {email}"
    return shown


def trail(draft: Draft | None, submission: Submission | None) -> list[AuditEvent]:
    conditions = []
    if draft is not None:
        conditions.append(AuditEvent.draft_id == draft.id)
    if submission is not None:
        conditions.append(AuditEvent.submission_id == submission.id)
    if not conditions:
        return []
    return list(
        db.session.scalars(
            select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def ended_by(draft: Draft) -> StaffUser | None:
    """Who ended the call in hand (its agent, or a supervisor), when it was ended."""
    if draft.ended_at is None:
        return None
    return db.session.scalar(
        select(StaffUser)
        .join(AuditEvent, AuditEvent.staff_user_id == StaffUser.id)
        .where(AuditEvent.draft_id == draft.id, AuditEvent.action == "ended")
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )


def working_since(draft: Draft) -> dt.datetime | None:
    """When the agent now working on the draft started, resumed or took it over."""
    if draft.staff_user_id is None:
        return None
    return db.session.scalar(
        select(AuditEvent.at)
        .where(
            AuditEvent.draft_id == draft.id,
            AuditEvent.staff_user_id == draft.staff_user_id,
            AuditEvent.action.in_(("started", "resumed", "taken-over")),
        )
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(1)
    )
