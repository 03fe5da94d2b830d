"""The retention job: deletes submissions past their service's retention_days, and stale drafts.

A service whose definition was removed has no retention_days any more: its submissions are
kept for `removed_days` (SERVICE_BUILDER_REMOVED_SERVICE_RETENTION_DAYS, default 2190, six
years) after they were sent, then deleted like any others. Putting the definition back
restores its own rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, or_, select

from service_builder.catalog import Catalog
from service_builder.models import AuditEvent, Draft, Submission, db, utcnow


@dataclass(frozen=True)
class Purged:
    submissions: int
    drafts: int


REMOVED_SERVICE_RETENTION_DAYS = 2190


def purge(
    catalog: Catalog,
    draft_lifetime: dt.timedelta,
    now: dt.datetime | None = None,
    removed_days: int = REMOVED_SERVICE_RETENTION_DAYS,
) -> Purged:
    now = now or utcnow()
    expired_ids: list[int] = list(
        db.session.scalars(
            select(Submission.id).where(
                Submission.service_id.not_in(list(catalog.services)),
                Submission.submitted_at < now - dt.timedelta(days=removed_days),
            )
        )
    )
    for service in catalog.services.values():
        if service.retention_days:
            cutoff = now - dt.timedelta(days=service.retention_days)
            expired_ids += db.session.scalars(
                select(Submission.id).where(
                    Submission.service_id == service.id, Submission.submitted_at < cutoff
                )
            )
    draft_ids = list(
        db.session.scalars(select(Submission.draft_id).where(Submission.id.in_(expired_ids)))
    )
    stale = list(
        db.session.scalars(
            select(Draft.id)
            .outerjoin(Submission, Submission.draft_id == Draft.id)
            .where(Submission.id.is_(None), Draft.updated_at < now - draft_lifetime)
        )
    )
    db.session.execute(
        delete(AuditEvent).where(
            or_(
                AuditEvent.submission_id.in_(expired_ids),
                AuditEvent.draft_id.in_(draft_ids + stale),
            )
        )
    )
    db.session.execute(delete(Submission).where(Submission.id.in_(expired_ids)))
    db.session.execute(delete(Draft).where(Draft.id.in_(draft_ids + stale)))
    db.session.commit()
    return Purged(len(expired_ids), len(stale))
