"""Drafts in the database and turning a finished draft into exactly one submission."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from service_builder.cases import open_case
from service_builder.definitions import Service
from service_builder.definitions.schema import Page
from service_builder.deliveries import queue_submission_deliveries
from service_builder.journey import DraftState, Journey
from service_builder.models import Draft, Submission, db, utcnow
from service_builder.performance import events
from service_builder.references import new_reference


def new_draft(service: Service, **fields: Any) -> Draft:
    draft = Draft(
        token=secrets.token_urlsafe(32),
        service_id=service.id,
        data=DraftState().to_json(),
        **fields,
    )
    db.session.add(draft)
    db.session.commit()
    return draft


def find_draft(token: str | None, service: Service) -> Draft | None:
    if not token or not isinstance(token, str):
        return None
    return db.session.scalar(
        select(Draft).where(Draft.token == token, Draft.service_id == service.id)
    )


def is_expired(draft: Draft, lifetime: dt.timedelta) -> bool:
    return draft.submission is None and draft.updated_at < utcnow() - lifetime


def save_page(
    draft: Draft, page: Page, values: dict[str, Any], journey_for: Callable[[Draft], Journey]
) -> Journey:
    """Store one page's answers."""
    return save_change(draft, lambda journey: journey.record(page, values), journey_for)


def save_change(
    draft: Draft, change: Callable[[Journey], None], journey_for: Callable[[Draft], Journey]
) -> Journey:
    """Apply one change (a page's answers, an item added or removed) and store the draft. If
    another request saved the draft in the meantime (two tabs), apply the change again on
    top of what it saved, so neither loses answers."""
    for _attempt in range(5):
        journey = journey_for(draft)
        change(journey)
        draft.data = journey.state.to_json()
        draft.updated_at = utcnow()
        try:
            db.session.commit()
            return journey
        except StaleDataError:
            db.session.rollback()  # the draft is reloaded, fresh, on next use
    raise RuntimeError("the draft kept changing under this request")


def save_state(draft: Draft, state: DraftState) -> None:
    draft.data = state.to_json()
    draft.updated_at = utcnow()
    db.session.commit()


def submit(draft: Draft, journey: Journey, **fields: Any) -> Submission:
    """Store the draft's answers on the route as one submission; a second call returns it."""
    if draft.submission is not None:
        return draft.submission
    answers = journey.submission_answers()
    for _attempt in range(5):
        submission = Submission(
            reference=new_reference(journey.service.reference_prefix),
            service_id=journey.service.id,
            definition_version=journey.service.version,
            channel=draft.channel,
            contact_channel=draft.contact_channel,
            answers=answers,
            draft_id=draft.id,
            **fields,
        )
        db.session.add(submission)
        events.submitted(journey.service, draft)  # committed with the submission
        draft.data = DraftState().to_json()
        try:
            record_after_submission(submission, journey.service)
            db.session.commit()
            return submission
        except IntegrityError:
            db.session.rollback()
            existing = db.session.scalar(select(Submission).where(Submission.draft_id == draft.id))
            if existing is not None:
                return existing  # a concurrent request submitted this draft first
    raise RuntimeError("could not find a free reference after 5 attempts")


def record_after_submission(submission: Submission, service: Service) -> None:
    """The case and the deliveries it owes, in the submission's own transaction: if the
    process dies after the commit nothing is lost, and nothing is sent during the request."""
    open_case(submission)
    queue_submission_deliveries(submission, service)
