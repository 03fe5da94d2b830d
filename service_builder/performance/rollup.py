"""Retention of performance data: old events go, their daily counts stay.

The daily counts (`DailyCount`) are added to as events are recorded, so deleting events
loses no figure or trend. Draft progress rows go with their draft's last activity.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func

from service_builder.models import db
from service_builder.performance.models import DraftProgress, Event, FeedbackComment


def purge_events(keep_days: int, now: dt.datetime) -> int:
    """Delete events, draft progress and feedback comments older than `keep_days` whole
    days. Returns how many events were deleted."""
    midnight = dt.datetime.combine(now.date(), dt.time())
    before = midnight - dt.timedelta(days=keep_days)
    deleted = db.session.execute(delete(Event).where(Event.at < before))
    db.session.execute(
        delete(DraftProgress).where(
            func.coalesce(
                DraftProgress.last_seen_at, DraftProgress.submitted_at, DraftProgress.started_at
            )
            < before
        )
    )
    db.session.execute(delete(FeedbackComment).where(FeedbackComment.at < before))
    db.session.commit()
    return int(getattr(deleted, "rowcount", 0) or 0)
