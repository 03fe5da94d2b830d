"""Tables for the performance figures: events, daily counts, draft progress and comments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service_builder.models import db, utcnow


class Event(db.Model):  # type: ignore[name-defined]
    """One thing that happened in a journey. Never an answer's value, a name, an email
    address or an IP address: only which service, page, question and check, and when."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_service_kind_at", "service_id", "kind", "at"),
        Index("ix_events_draft_kind", "draft_key", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    service_id: Mapped[str] = mapped_column(String(100))
    definition_version: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    contact_channel: Mapped[str | None] = mapped_column(String(30))
    draft_key: Mapped[str | None] = mapped_column(String(32))
    """An opaque key per draft (a hash of its token): counts drafts, identifies nobody."""
    page_id: Mapped[str | None] = mapped_column(String(100))
    question_id: Mapped[str | None] = mapped_column(String(100))
    check_key: Mapped[str | None] = mapped_column(String(40))
    satisfaction: Mapped[str | None] = mapped_column(String(20))
    seconds: Mapped[int | None]
    """For a submission: seconds from the first answer saved to the submission."""


class DraftProgress(db.Model):  # type: ignore[name-defined]
    """Where one draft has got to, kept up to date as its events are recorded, so that the
    figures that need one row per draft (where people leave, time to send) stay fast."""

    __tablename__ = "draft_progress"
    __table_args__ = (
        # Covering indexes: the figures read these columns from the index alone.
        Index(
            "ix_draft_progress_seen",
            "service_id",
            "last_seen_at",
            "submitted_at",
            "exited_at",
            "channel",
            "last_page",
        ),
        Index(
            "ix_draft_progress_submitted",
            "service_id",
            "submitted_at",
            "channel",
            "contact_channel",
            "seconds",
        ),
        Index("ix_draft_progress_seconds", "service_id", "seconds", "submitted_at", "channel"),
    )

    draft_key: Mapped[str] = mapped_column(String(32), primary_key=True)
    service_id: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(20))
    contact_channel: Mapped[str | None] = mapped_column(String(30))
    started_at: Mapped[dt.datetime | None]
    submitted_at: Mapped[dt.datetime | None]
    exited_at: Mapped[dt.datetime | None]
    seconds: Mapped[int | None]
    """From the first answer saved to sending."""
    last_page: Mapped[str | None] = mapped_column(String(100))
    last_seen_at: Mapped[dt.datetime | None]
    pages: Mapped[str] = mapped_column(Text, default="|")
    """The pages the draft has opened, as |page|page|: each is counted once in `reached`."""


class FeedbackComment(db.Model):  # type: ignore[name-defined]
    """The optional comment on the feedback page: read by staff, never shown to the public."""

    __tablename__ = "feedback_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    service_id: Mapped[str] = mapped_column(String(100), index=True)
    satisfaction: Mapped[str] = mapped_column(String(20))
    comments: Mapped[str] = mapped_column(Text)


class DailyCount(db.Model):  # type: ignore[name-defined]
    """Counts per day, service, channel and item, added to as events are recorded: the
    figures are sums of these, and they stay when old events are purged."""

    __tablename__ = "daily_counts"
    __table_args__ = (
        UniqueConstraint("day", "service_id", "channel", "metric", "item"),
        Index("ix_daily_counts_service_day", "service_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    service_id: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(String(20))
    """started, submitted, exited, reached (item: page), error (item: question:check),
    feedback (item: the satisfaction option)."""
    item: Mapped[str] = mapped_column(String(200), default="")
    count: Mapped[int]
