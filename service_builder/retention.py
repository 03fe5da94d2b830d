"""The retention job: deletes submissions past their service's retention_days, and stale drafts.

Uploaded files go with the answers that hold them (service_builder.files.retention).

A service whose definition was removed has no retention_days any more: its submissions are
kept for `removed_days` (SERVICE_BUILDER_REMOVED_SERVICE_RETENTION_DAYS, default 2190, six
years) after they were sent, then deleted like any others. Putting the definition back
restores its own rule. So the job refuses to run unless every definition could be read: a
missing or empty folder or a broken file would otherwise make live services look removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, or_, select

from service_builder.cases import Case, CaseNote
from service_builder.catalog import Catalog
from service_builder.deliveries import Delivery
from service_builder.files.retention import delete_files, files_held, orphans, store_for
from service_builder.models import AuditEvent, Draft, Submission, db, utcnow
from service_builder.modes import MODES
from service_builder.payments.models import Payment
from service_builder.save_return import ReturnLink, kept_draft_ids


@dataclass(frozen=True)
class Purged:
    submissions: int
    drafts: int
    files: int = 0


REMOVED_SERVICE_RETENTION_DAYS = 2190


class PurgeRefused(Exception):
    """The definitions could not all be read, so which services were removed is unknown."""


def unreadable(catalog: Catalog) -> str | None:
    """Why the catalog cannot tell a removed service from a live one, or None if it can."""
    if not catalog.folder.is_dir():
        return f"the definitions folder {catalog.folder} does not exist"
    if catalog.refused:
        files = ", ".join(sorted(str(result.file) for result in catalog.refused))
        return f"these definitions have problems (run `service-builder validate`): {files}"
    if not catalog.services:  # an empty or wrong folder: every live service would look removed
        return f"the definitions folder {catalog.folder} holds no definitions"
    return None


def purge(
    catalog: Catalog,
    config: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
    removed_days: int = REMOVED_SERVICE_RETENTION_DAYS,
) -> Purged:
    """Drafts are kept as long as their own mode says (see service_builder.modes); sent forms
    as long as their service's `retention_days`, or `removed_days` once its definition is gone.
    Raises PurgeRefused, deleting nothing, unless every definition in the folder was loaded."""
    reason = unreadable(catalog)
    if reason:
        raise PurgeRefused(f"nothing deleted: {reason}")
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
            .where(
                Submission.id.is_(None),
                Draft.id.not_in(kept_draft_ids(now)),  # saved to come back to: 28 days
                or_(
                    *(
                        and_(
                            Draft.channel == mode.channel,
                            Draft.updated_at < now - mode.lifetime(config),
                        )
                        for mode in MODES
                    ),
                    and_(
                        Draft.channel.not_in([mode.channel for mode in MODES]),
                        Draft.updated_at < now - max(mode.lifetime(config) for mode in MODES),
                    ),
                ),
            )
        )
    )
    doomed_files = files_held(expired_ids, draft_ids + stale)
    db.session.execute(
        delete(AuditEvent).where(
            or_(
                AuditEvent.submission_id.in_(expired_ids),
                AuditEvent.draft_id.in_(draft_ids + stale),
            )
        )
    )
    for owned in (Case, CaseNote, Delivery):
        db.session.execute(delete(owned).where(owned.submission_id.in_(expired_ids)))
    for by_draft in (Delivery, ReturnLink):  # a saved draft's link and the email sent with it
        db.session.execute(delete(by_draft).where(by_draft.draft_id.in_(draft_ids + stale)))
    db.session.execute(delete(Submission).where(Submission.id.in_(expired_ids)))
    db.session.execute(delete(Payment).where(Payment.draft_id.in_(draft_ids + stale)))
    db.session.execute(delete(Draft).where(Draft.id.in_(draft_ids + stale)))
    db.session.commit()
    # files after the rows: a purge that fails part way never leaves answers without files
    files = delete_files(doomed_files, config)
    longest = max(mode.lifetime(config) for mode in MODES)
    files += delete_files(orphans(store_for(config), now - longest), config)
    return Purged(len(expired_ids), len(stale), files)
