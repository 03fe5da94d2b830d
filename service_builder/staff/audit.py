"""The audit trail of assisted drafts and submissions: who did what, where, and when."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from service_builder.definitions.schema import Page
from service_builder.models import AuditEvent, Draft, StaffUser, Submission, db

LONDON = ZoneInfo("Europe/London")

ACTIONS = {
    "started": "Started the draft",
    "viewed": "Viewed a page",
    "changed": "Changed answers",
    "taken-over": "Took the draft over from another agent",
    "paused": "Saved and left the draft",
    "resumed": "Resumed the draft",
    "handed-back": "Handed the draft back for any agent",
    "submitted": "Sent the form",
    "payment-taken": "Took the payment by phone",
    "viewed-submission": "Viewed the sent form",
    "viewed-case": "Viewed the case",
    "status-changed": "Changed the status",
    "assigned": "Changed who the case is assigned to",
    "note-added": "Added an internal note",
    "printed": "Opened the copy to post to the resident",
    "downloaded-file": "Downloaded an uploaded file",
}


def record(
    action: str,
    user: StaffUser | None,
    draft: Draft | None = None,
    submission: Submission | None = None,
    detail: str | None = None,
) -> None:
    """Record a staff action. Never holds the resident's answers, only what was done."""
    assert action in ACTIONS, action
    db.session.add(
        AuditEvent(
            action=action,
            staff_user_id=user.id if user else None,
            draft_id=draft.id if draft else None,
            submission_id=submission.id if submission else None,
            detail=detail,
        )
    )
    db.session.commit()


def page_detail(page: Page) -> str:
    """Names the page and its questions by their ids and headings: never the answers."""
    questions = ", ".join(question.id for question in page.questions)
    return f"{page.heading} ({page.id}{': ' + questions if questions else ''})"


def london(moment: dt.datetime | None) -> str:
    """A stored UTC time as UK local time (GMT or BST), as staff read it."""
    if moment is None:
        return ""
    local = moment.replace(tzinfo=dt.UTC).astimezone(LONDON)
    return local.strftime("%-d %b %Y %H:%M:%S ") + (local.tzname() or "")


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
