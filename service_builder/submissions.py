"""Drafts in the database and turning a finished draft into exactly one submission."""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from service_builder.cases import open_case, search_text
from service_builder.definitions import Service
from service_builder.definitions.schema import Page
from service_builder.deliveries import queue_submission_deliveries
from service_builder.journey import DraftState, Journey
from service_builder.metrics import submitted
from service_builder.models import Draft, Submission, db, utcnow
from service_builder.modes import ASSISTED
from service_builder.performance import events
from service_builder.references import new_reference


def new_draft(service: Service, **fields: Any) -> Draft:
    draft = Draft(
        token=secrets.token_urlsafe(32),
        service_id=service.id,
        **{"data": DraftState().to_json(), **fields},
    )
    # an agent's call may start with what the caller said in a form sent before: findable
    # from the start (a call ended at once is found by the caller's name when they ring back)
    draft.search_text = _searched(draft, DraftState.from_json(draft.data).answers, service)
    db.session.add(draft)
    db.session.commit()
    return draft


def find_draft(token: str | None, service: Service) -> Draft | None:
    if not token or not isinstance(token, str):
        return None
    return db.session.scalar(FIND_DRAFT, {"token": token, "service_id": service.id})


# Built once: building a statement costs more than running it (the answer POST's hot path).
FIND_DRAFT = select(Draft).where(
    Draft.token == bindparam("token"), Draft.service_id == bindparam("service_id")
)
_drafts = Draft.__table__
UPDATE_DRAFT = (
    update(_drafts)
    .where(_drafts.c.id == bindparam("draft_id"), _drafts.c.version == bindparam("read"))
    .values(
        data=bindparam("new_data", type_=_drafts.c.data.type),
        search_text=bindparam("search"),
        updated_at=bindparam("now"),
        version=_drafts.c.version + 1,
    )
)


def is_expired(draft: Draft, lifetime: dt.timedelta) -> bool:
    return not draft.submitted and draft.updated_at < utcnow() - lifetime


class DraftBusy(Exception):
    """The draft kept changing under this request: the person is shown their page again."""


SAVE_ATTEMPTS = 8


def save_page(
    draft: Draft,
    page: Page,
    values: dict[str, Any],
    journey_for: Callable[[Draft], Journey],
    along: Callable[[], None] | None = None,
) -> Journey:
    """Store one page's answers."""
    return save_change(draft, lambda journey: journey.record(page, values), journey_for, along)


def save_change(
    draft: Draft,
    change: Callable[[Journey], None],
    journey_for: Callable[[Draft], Journey],
    along: Callable[[], None] | None = None,
) -> Journey:
    """Apply one change (a page's answers, an item added or removed) and store the draft. If
    another request saved the draft in the meantime (two tabs, a double click), apply the
    change again on top of what it saved, so neither loses answers. The first try is
    optimistic (no lock: the common case costs one UPDATE); a retry locks the row where the
    database can (PostgreSQL), so it cannot lose again.

    `along` adds what belongs with the save (its performance event) to the same transaction,
    once this attempt's UPDATE has won: one commit per answer instead of two, and a lost
    attempt's rollback cannot keep or lose half of it (the winning attempt adds it once)."""
    for attempt in range(SAVE_ATTEMPTS):
        journey = journey_for(draft)
        change(journey)
        searched = _searched(draft, journey.findable_answers(), journey.service)
        if _update(draft, journey.state.to_json(), along, searched):
            return journey
        db.session.rollback()  # the draft reloads, fresh, on next use
        _back_off(attempt)
        _lock(draft)
    raise DraftBusy


def _searched(draft: Draft, answers: dict[str, Any], service: Service) -> str | None:
    """An agent's unsent draft's text for staff's Find (`cases.search_text`) of these answers
    (`Journey.findable_answers`). A resident's own draft is never searched, so its save
    computes nothing."""
    if draft.channel != ASSISTED.channel:
        return None
    return search_text(draft.reference or "", answers, service=service)


def _update(
    draft: Draft,
    data: dict[str, Any],
    along: Callable[[], None] | None = None,
    search: str | None = None,
) -> bool:
    """One UPDATE … WHERE version = the version read, then `along`, and a commit: what the
    ORM's flush would do for this one row, at a third of the cost (the answer POST's hot
    path). False when another request saved the draft first. The UPDATE holds the draft's
    row (PostgreSQL) or the database (SQLite) until the commit, so what `along` writes for
    this draft (its progress row) is written by one request at a time."""
    result = db.session.execute(
        UPDATE_DRAFT,
        {
            "draft_id": draft.id,
            "read": draft.version,
            "new_data": data,
            "search": search,
            "now": utcnow(),
        },
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    if along is not None:
        along()  # the draft is still loaded here: nothing is read again
    db.session.commit()  # expires the draft: anything read from it later is read afresh
    return True


def _lock(draft: Draft) -> None:
    """Hold the draft's row until this request commits (PostgreSQL; SQLite, which has one
    writer at a time, ignores FOR UPDATE). The draft itself reloads, fresh, on next use."""
    db.session.execute(select(Draft.id).where(Draft.id == draft.id).with_for_update())


def _back_off(attempt: int) -> None:
    """A short random wait, so requests that collided do not collide again in step."""
    time.sleep(random.uniform(0, 0.005 * (attempt + 1)))


def save_state(draft: Draft, state: DraftState) -> None:
    draft.data = state.to_json()
    draft.updated_at = utcnow()
    db.session.commit()


def submit(
    draft: Draft,
    journey: Journey,
    with_it: Callable[[Submission], object] = lambda submission: None,
    **fields: Any,
) -> Submission:
    """Store the draft's answers on the route as one submission; a second call returns it.
    `with_it` adds what is stored with a new submission, in its transaction (an agent's audit
    trail): of concurrent requests (a double click), only the one that stores it does."""
    if draft.submission is not None:
        return draft.submission
    answers = journey.submission_answers()
    for attempt in range(5):
        submission = Submission(
            reference=new_reference(journey.service.reference_prefix),
            service_id=journey.service.id,
            definition_version=journey.service.version,
            channel=draft.channel,
            contact_channel=draft.contact_channel,
            answers=answers,
            language=journey.service.language,
            draft_id=draft.id,
            **fields,
        )
        db.session.add(submission)
        draft.data = DraftState().to_json()
        draft.search_text = None  # found by its submission's case from now on
        try:  # everything that may flush the submission is inside: a double click lands here
            events.submitted(journey.service, draft)  # committed with the submission
            record_after_submission(submission, journey.service)
            with_it(submission)
            db.session.commit()
            submitted.labels(service=submission.service_id, channel=submission.channel).inc()
            return submission
        except (IntegrityError, StaleDataError) as error:
            # A concurrent request (a double click) submitted this draft first, or saved
            # it: one submission is stored either way, and this request shows it too.
            db.session.rollback()
            existing = db.session.scalar(select(Submission).where(Submission.draft_id == draft.id))
            if existing is not None:
                return existing
            if isinstance(error, StaleDataError):
                raise DraftBusy from error  # the answers changed: check them again
            _back_off(attempt)  # the reference was taken: draw another
    raise RuntimeError("could not find a free reference after 5 attempts")


def record_after_submission(submission: Submission, service: Service) -> None:
    """The case and the deliveries it owes, in the submission's own transaction: if the
    process dies after the commit nothing is lost, and nothing is sent during the request."""
    open_case(submission, service)
    queue_submission_deliveries(submission, service)
