"""Deliveries: webhooks and Notify emails recorded with a submission, claimed and retried."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, func, literal, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

# The module, not its function: exports imports models, which imports this module, so
# `service-builder export` (exports first) found as_record not yet defined.
from service_builder import exports
from service_builder.definitions import Service
from service_builder.links import external_url
from service_builder.models import Submission, db, utcnow

PENDING, DELIVERED, FAILED, NOT_SENT = "pending", "delivered", "failed", "not_sent"
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=2)
GIVE_UP_AFTER = dt.timedelta(hours=24)
"""A delivery that still fails this long after it was recorded is marked failed (an admin
can retry it); until then it is retried with doubling waits: 30 s, 1 min, 2 min … 2 h."""
MIN_ATTEMPTS = 5
PURPOSES = {
    "webhook": "Webhook",
    "confirmation": "Confirmation email",
    "status": "Status email",
    "team": "New-case email to the team",
    "save": "Save and come back later email",
}
SAVED_DRAFT_REFERENCE = "saved-draft"
"""Notify's `reference` for a link to a saved draft, which has no submission reference yet."""


class Delivery(db.Model):  # type: ignore[name-defined]
    """One webhook POST or one Notify email owed for a submission (or, for a resident's
    'Save and come back later' email, for a draft)."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("drafts.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Webhook: url_env, secret_env and the exact body. Email: template_id, email_address,
    personalisation. Fixed when recorded, so every retry sends the same thing."""
    status: Mapped[str] = mapped_column(String(20), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_until: Mapped[dt.datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]

    submission: Mapped[Submission | None] = relationship()

    @property
    def kind(self) -> str:
        return "webhook" if self.purpose == "webhook" else "email"

    @property
    def description(self) -> str:
        if self.purpose == "webhook":
            return f"Webhook to {self.payload['url_env']}"
        return PURPOSES[self.purpose]


def queue_submission_deliveries(submission: Submission, service: Service) -> list[Delivery]:
    """Record what the new submission owes (in the caller's transaction; nothing is sent)."""
    db.session.flush()  # the record needs the submission's id and time
    owed: list[Delivery] = []
    if service.webhooks:
        body = json.dumps(exports.as_record(submission), ensure_ascii=False)
        for hook in service.webhooks:
            payload = {"url_env": hook.url_env, "secret_env": hook.secret_env, "body": body}
            owed.append(Delivery(submission_id=submission.id, purpose="webhook", payload=payload))
    notify = service.notify
    if notify is not None:
        resident = confirmation_address(submission, service)
        if resident:
            owed.append(_email(submission, service, "confirmation", resident))
        if notify.team_email and notify.team_template:
            team = service.in_language(service.languages[0])  # the council's, not the resident's
            owed.append(_email(submission, team, "team", notify.team_email))
    db.session.add_all(owed)
    return owed


def queue_status_email(submission: Submission, service: Service | None, status: str) -> bool:
    """Record a status email when the service has a status template and the resident an email."""
    if service is None or service.notify is None or not service.notify.status_template:
        return False
    resident = resident_email(submission, service)
    if not resident:
        return False
    in_their_language = service.in_language(submission.language)
    db.session.add(_email(submission, in_their_language, "status", resident, status=status))
    return True


def confirmation_address(submission: Submission, service: Service) -> str | None:
    """Where the submission's confirmation email goes: None when the service sends none."""
    if service.notify is None or not service.notify.confirmation_template:
        return None
    return resident_email(submission, service)


def resident_email(submission: Submission, service: Service) -> str | None:
    if service.notify is None or service.notify.email_question is None:
        return None
    value = submission.answers.get(service.notify.email_question)
    return value if isinstance(value, str) and value else None


def _email(
    submission: Submission, service: Service, purpose: str, address: str, **extra: str
) -> Delivery:
    assert service.notify is not None
    template = {
        "confirmation": service.notify.confirmation_template,
        "status": service.notify.status_template,
        "team": service.notify.team_template,
    }[purpose]
    personalisation = {
        "reference": submission.reference,
        "service_title": service.title,
        "status_url": status_url(submission.reference, service.language),
        "language": service.language,
        **extra,
    }
    payload = {
        "template_id": template,
        "email_address": address,
        "personalisation": personalisation,
    }
    return Delivery(submission_id=submission.id, purpose=purpose, payload=payload)


def status_url(reference: str, language: str = "en") -> str:
    """The status page, in the language the form was filled in (English needs no `lang`)."""
    query = {"lang": language} if language != "en" else {}
    return external_url("status.check", reference=reference, **query)


@dataclass(frozen=True)
class Claimed:
    """What a worker needs to make one attempt, read before the claim commits."""

    id: int
    purpose: str
    payload: dict[str, Any]
    reference: str
    attempts: int
    created_at: dt.datetime


def _due_and_free(due_by: dt.datetime, now: dt.datetime) -> tuple[Any, ...]:
    """Pending, due by then, and held by no live claim: what a worker takes (`claim`), and
    what the deliveries page warns of when it has waited too long (`overdue`)."""
    return (
        Delivery.status == PENDING,
        Delivery.next_attempt_at <= due_by,
        or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now),
    )


def claim(worker: str, limit: int, lease: dt.timedelta) -> list[Claimed]:
    """Take up to `limit` due deliveries for this worker until the lease ends, and commit.

    On PostgreSQL the inner SELECT … FOR UPDATE SKIP LOCKED lets workers claim side by side
    without waiting on or taking each other's rows; SQLite runs one writer at a time, so the
    single UPDATE is atomic there. A worker that dies leaves its claims to expire.
    """
    now = utcnow()
    due = (
        select(Delivery.id)
        .where(
            *_due_and_free(now, now),
        )
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(
        db.session.scalars(
            update(Delivery)
            .where(Delivery.id.in_(due.scalar_subquery()))
            .values(claimed_until=now + lease, claimed_by=worker)
            .returning(Delivery.id),
            execution_options={"synchronize_session": False},
        )
    )
    rows = db.session.execute(
        select(
            Delivery.id,
            Delivery.purpose,
            Delivery.payload,
            func.coalesce(Submission.reference, literal(SAVED_DRAFT_REFERENCE)),
            Delivery.attempts,
            Delivery.created_at,
        )
        .outerjoin(Submission, Submission.id == Delivery.submission_id)
        .where(Delivery.id.in_(ids))
        .order_by(Delivery.next_attempt_at, Delivery.id)
    ).all()
    db.session.commit()  # no transaction stays open while requests are in flight
    return [Claimed(*row) for row in rows]


def release(worker: str, claimed: list[Claimed]) -> None:
    """Give back claims a stopping worker will not attempt, so another worker takes them now
    rather than when the lease ends (only those this worker still holds)."""
    if not claimed:
        return
    db.session.execute(
        update(Delivery)
        .where(Delivery.id.in_([c.id for c in claimed]), Delivery.claimed_by == worker)
        .values(claimed_until=None, claimed_by=None),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()


def record_result(claimed: Claimed, error: str | None, status: str | None = None) -> str | None:
    """After an attempt: delivered, or failed with the error and the next attempt's time.
    The status it ends in, if it ended (None: it will be tried again)."""
    now = utcnow()
    attempts = claimed.attempts + 1
    values: dict[str, Any] = {
        "attempts": attempts,
        "claimed_until": None,
        "claimed_by": None,
        "last_error": error,
    }
    if error is None:
        values["status"] = status or DELIVERED
        values["delivered_at"] = now if values["status"] == DELIVERED else None
        if claimed.purpose == "save":  # the link works without the email: keep no copy
            values["payload"] = _without_link(claimed.payload)
    elif attempts >= MIN_ATTEMPTS and now - claimed.created_at >= GIVE_UP_AFTER:
        values["status"] = FAILED
    else:
        values["next_attempt_at"] = now + retry_delay(attempts)
    db.session.execute(
        update(Delivery).where(Delivery.id == claimed.id).values(**values),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return values.get("status")


def _without_link(payload: dict[str, Any]) -> dict[str, Any]:
    personalisation = {**payload.get("personalisation", {}), "link": "(sent)"}
    return {**payload, "personalisation": personalisation}


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failure: doubling from 30 s, never more than 2 h."""
    return min(FIRST_RETRY * 2 ** min(attempts - 1, 20), LONGEST_WAIT)


def retry_now(delivery: Delivery) -> None:
    """An admin's retry: due at once, whatever its state."""
    delivery.status = PENDING
    delivery.next_attempt_at = utcnow()
    delivery.claimed_until = None
    delivery.claimed_by = None
    db.session.commit()


OVERDUE_AFTER = dt.timedelta(minutes=5)
"""A worker checks for due deliveries every second: one left untried this long after it
fell due (with no live claim on it) means that no worker is running, or none reaches the
database."""


@dataclass
class Overdue:
    count: int
    since: dt.datetime | None
    """When the longest-waiting of them fell due."""


def overdue(after: dt.timedelta = OVERDUE_AFTER) -> Overdue:
    """Pending deliveries that no worker has taken since they fell due, `after` ago or more
    (read from the deliveries themselves, so it needs no heartbeat and holds across servers)."""
    now = utcnow()
    count, since = db.session.execute(
        select(func.count(), func.min(Delivery.next_attempt_at)).where(
            *_due_and_free(now - after, now)
        )
    ).one()
    return Overdue(int(count), since)


def waiting() -> list[Delivery]:
    """Pending and failed deliveries, failed and most-tried first (the admin page's list)."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.status.in_([PENDING, FAILED]))
            .order_by(Delivery.status, Delivery.attempts.desc(), Delivery.id)
            .limit(500)
        )
    )


def for_submission(submission: Submission) -> list[Delivery]:
    return list(
        db.session.scalars(
            select(Delivery).where(Delivery.submission_id == submission.id).order_by(Delivery.id)
        )
    )
