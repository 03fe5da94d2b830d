"""Recording what happens in a journey, server-side, in the request that does it.

Each event says which service (and definition version), which channel, when, and an opaque
key per draft so that figures can count drafts. No answer values, names, email addresses or
IP addresses are ever recorded, no analytics service is called and no cookie is set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from service_builder.definitions import Service
from service_builder.definitions.schema import Page
from service_builder.models import Draft, db, utcnow
from service_builder.performance.models import Event
from service_builder.questions import AnswerError

VIEWED = "viewed"
SAVED = "saved"
ERROR = "error"
STARTED = "started"
EXITED = "exited"
SUBMITTED = "submitted"
FEEDBACK = "feedback"
KINDS = (VIEWED, SAVED, ERROR, STARTED, EXITED, SUBMITTED, FEEDBACK)

SATISFACTION = ("very_satisfied", "satisfied", "neither", "dissatisfied", "very_dissatisfied")


def draft_key(draft: Draft | None) -> str | None:
    """The same key for every event of one draft, from which the draft cannot be found."""
    if draft is None:
        return None
    return hashlib.sha256(f"draft-events:{draft.token}".encode()).hexdigest()[:32]


def new_event(kind: str, service: Service, draft: Draft | None, **fields: Any) -> Event:
    """An event; without a draft, `fields` may give channel, contact_channel and draft_key."""
    channel = fields.pop("channel", "online")
    contact_channel = fields.pop("contact_channel", None)
    key = fields.pop("draft_key", None)
    return Event(
        kind=kind,
        service_id=service.id,
        definition_version=service.version,
        channel=draft.channel if draft else channel,
        contact_channel=draft.contact_channel if draft else contact_channel,
        draft_key=draft_key(draft) if draft else key,
        at=fields.pop("at", None) or utcnow(),
        **fields,
    )


def record(kind: str, service: Service, draft: Draft | None = None, **fields: Any) -> Event:
    """Store one event now. `fields`: page_id, question_id, check_key, satisfaction, seconds
    (or channel and contact_channel when there is no draft)."""
    event = new_event(kind, service, draft, **fields)
    db.session.add(event)
    db.session.commit()
    return event


def page_viewed(service: Service, page: Page, draft: Draft | None) -> None:
    """A page was shown; an exit page also counts its draft as having reached an exit."""
    db.session.add(new_event(VIEWED, service, draft, page_id=page.id))
    if page.type == "exit" and draft is not None:
        db.session.add(new_event(EXITED, service, draft, page_id=page.id))
    db.session.commit()


def page_saved(service: Service, page: Page, draft: Draft) -> None:
    """A page's answers were saved; the draft's first save starts it."""
    db.session.add(new_event(SAVED, service, draft, page_id=page.id))
    if started_at(service, draft) is None:
        db.session.add(new_event(STARTED, service, draft, page_id=page.id))
    db.session.commit()


def page_errors(
    service: Service, page: Page, draft: Draft | None, errors: Iterable[AnswerError]
) -> None:
    """A page was shown again with errors: one event per question and failed check."""
    for error in errors:
        db.session.add(
            new_event(
                ERROR,
                service,
                draft,
                page_id=page.id,
                question_id=error.question or error.field,
                check_key=error.check or "invalid",
            )
        )
    db.session.commit()


def started_at(service: Service, draft: Draft) -> dt.datetime | None:
    return db.session.scalar(
        select(Event.at).where(
            Event.service_id == service.id,
            Event.draft_key == draft_key(draft),
            Event.kind == STARTED,
        )
    )


def submitted(service: Service, draft: Draft) -> Event:
    """The submission event, added to the session for the caller to commit with the
    submission itself."""
    now = utcnow()
    began = started_at(service, draft)
    seconds = round((now - began).total_seconds()) if began else None
    event = new_event(SUBMITTED, service, draft, at=now, seconds=seconds)
    db.session.add(event)
    return event
