"""The audit trail of assisted drafts and submissions: who did what, and when."""

from __future__ import annotations

from sqlalchemy import or_, select

from service_builder.models import AuditEvent, Draft, StaffUser, Submission, db

ACTIONS = {
    "started": "Started the draft",
    "viewed": "Viewed a page",
    "changed": "Changed answers",
    "paused": "Saved and left the draft",
    "resumed": "Resumed the draft",
    "handed-back": "Handed the draft back for any agent",
    "submitted": "Sent the form",
    "viewed-submission": "Viewed the sent form",
    "viewed-case": "Viewed the case",
    "status-changed": "Changed the status",
    "assigned": "Changed who the case is assigned to",
    "note-added": "Added an internal note",
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
