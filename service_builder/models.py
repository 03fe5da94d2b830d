"""Database tables: drafts in progress, submissions, staff accounts and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, exists
from sqlalchemy.orm import DeclarativeBase, Mapped, column_property, mapped_column, relationship


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


LARGEST_ID = 2**31 - 1
"""PostgreSQL's `integer`, every id's type: a larger number from a URL is no row, and must not
reach the database, which refuses it (SQLite does not, so tests check this bound)."""


def as_id(text: str) -> int | None:
    """`text` as a row id, or None: only ASCII digits (`int` refuses '²', which `isdigit`
    takes) and no more than LARGEST_ID."""
    if not (text.isascii() and text.isdigit() and len(text) <= len(str(LARGEST_ID))):
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class StaffUser(db.Model):  # type: ignore[name-defined]
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    disabled_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Submission(db.Model):  # type: ignore[name-defined]
    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    service_id: Mapped[str] = mapped_column(String(100), index=True)
    definition_version: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    channel: Mapped[str] = mapped_column(String(20))
    contact_channel: Mapped[str | None] = mapped_column(String(30))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    """The language the form was filled in: later emails about it use it too."""
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), unique=True)
    """One submission per draft, enforced by the database: a double submit stores one."""
    payment: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """What was paid before sending (service_builder.payments), as in the export record."""

    draft: Mapped[Draft] = relationship(back_populates="submission")
    staff_user: Mapped[StaffUser | None] = relationship()


class Draft(db.Model):  # type: ignore[name-defined]
    """Answers in progress, found by an opaque token kept in the session cookie."""

    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)
    """Assisted drafts only: what staff quote to find and resume the draft."""
    service_id: Mapped[str] = mapped_column(String(100), index=True)
    channel: Mapped[str] = mapped_column(String(20), default="online")
    contact_channel: Mapped[str | None] = mapped_column(String(30))
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submission: Mapped[Submission | None] = relationship(back_populates="draft")
    submitted: Mapped[bool] = column_property(
        exists().where(Submission.draft_id == id).correlate_except(Submission)
    )
    """Whether the draft was sent, read with the draft itself (a correlated EXISTS): the
    answer POST and the page GET ask only this, so the submission itself is loaded only
    once there is one (the joined load took about a tenth of the answer POST, sampled)."""
    staff_user: Mapped[StaffUser | None] = relationship()
    version: Mapped[int] = mapped_column(default=1)
    """Optimistic locking: a save fails, and is retried on fresh data, if another request
    (a second tab, a double click) saved the draft in between."""
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    """Assisted drafts only: the caller's language, chosen for their call (`?lang=`), so that
    each call keeps its own whichever tab or agent works on it (residents' is the session's)."""
    ended_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    """Assisted drafts only: when an agent ended the call without sending (the caller could
    not go on). An ended draft leaves the drafts lists; resuming it (the caller rang back)
    opens it again."""
    search_text: Mapped[str | None] = mapped_column(Text, default=None, deferred=True)
    """Assisted drafts only: what staff's Find looks in (`cases.search_text` of its answers,
    written with each save). Loaded only when asked for."""

    __mapper_args__ = {"version_id_col": version}


class AuditEvent(db.Model):  # type: ignore[name-defined]
    """Who did what to an assisted draft or submission, and when."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    action: Mapped[str] = mapped_column(String(30))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"), index=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    detail: Mapped[str | None] = mapped_column(Text)

    staff_user: Mapped[StaffUser | None] = relationship()


class DefinitionVersion(db.Model):  # type: ignore[name-defined]
    """Each version (content hash) of each service's definition, and when it was first served."""

    __tablename__ = "definition_versions"
    __table_args__ = (UniqueConstraint("service_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


from service_builder import cases, deliveries  # noqa: E402, F401  (their tables join the schema)
from service_builder import save_return as _save_return  # noqa: E402, F401  (its table)
from service_builder.payments import models as _payments  # noqa: E402, F401  (its table)

# The performance tables live with their own code; importing them here registers them.
from service_builder.performance import models as _performance  # noqa: E402, F401
from service_builder.staff import devices as _staff_devices  # noqa: E402, F401  (its table)
from service_builder.staff import sessions as _staff_sessions  # noqa: E402, F401  (its table)
