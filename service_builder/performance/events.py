"""Recording what happens in a journey, server-side, in the request that does it.

Each event says which service (and definition version), which channel, when, and an opaque
key per draft so that figures can count drafts. No answer values, names, email addresses or
IP addresses are ever recorded, no analytics service is called and no cookie is set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from service_builder.definitions import Service
from service_builder.definitions.schema import Page
from service_builder.models import Draft, db, utcnow
from service_builder.performance.models import DailyCount, DraftProgress, Event
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
    if kind == FEEDBACK:
        count(event, FEEDBACK, event.satisfaction or "")
    db.session.commit()
    return event


def count(event: Event, metric: str, item: str = "", by: int = 1) -> None:
    """Add to the day's count for the event's service and channel (see DailyCount)."""
    add_to_day(event.at.date(), event.service_id, event.channel, metric, item, by)


def add_to_day(
    day: dt.date, service_id: str, channel: str, metric: str, item: str, by: int
) -> None:
    match = (
        DailyCount.day == day,
        DailyCount.service_id == service_id,
        DailyCount.channel == channel,
        DailyCount.metric == metric,
        DailyCount.item == item,
    )
    changed = db.session.execute(
        update(DailyCount).where(*match).values(count=DailyCount.count + by)
    )
    if getattr(changed, "rowcount", 0):
        return
    try:
        with db.session.begin_nested():  # another request may add the day's row first
            db.session.add(
                DailyCount(
                    day=day,
                    service_id=service_id,
                    channel=channel,
                    metric=metric,
                    item=item,
                    count=by,
                )
            )
    except IntegrityError:
        db.session.execute(update(DailyCount).where(*match).values(count=DailyCount.count + by))


def progress(service: Service, draft: Draft) -> DraftProgress:
    key = draft_key(draft) or ""
    found = db.session.get(DraftProgress, key)
    if found is None:
        found = DraftProgress(
            draft_key=key,
            service_id=service.id,
            channel=draft.channel,
            contact_channel=draft.contact_channel,
            pages="|",
        )
        db.session.add(found)
    return found


def _reached(event: Event, state: DraftProgress, page: Page) -> None:
    """The first time a draft opens a page, the page's `reached` count goes up."""
    if f"|{page.id}|" not in state.pages:
        state.pages += f"{page.id}|"
        count(event, "reached", page.id)


def _seen(event: Event, state: DraftProgress, page: Page) -> None:
    state.last_page, state.last_seen_at = page.id, event.at
    _reached(event, state, page)


def page_viewed(service: Service, page: Page, draft: Draft | None) -> None:
    """A draft's page was shown; an exit page also counts the draft as having reached an
    exit. A page shown before any draft exists is not recorded: no figure counts it (the
    funnel starts at a draft's first save), and a write for every anonymous GET would let
    any visitor or crawler fill the table and cost every first page a commit.

    The common cases skip the ORM: a page shown again within `VIEWED_AGAIN` of the draft's
    last view of it (a refresh, Back from an error) changes no figure and writes nothing; a
    page the draft has opened before is one INSERT and one UPDATE."""
    if draft is None:
        return
    key, now = draft_key(draft), utcnow()
    known = db.session.execute(SEEN, {"key": key}).first()
    if known is None or page.type == "exit" or f"|{page.id}|" not in known.pages:
        _first_view(service, page, draft, now)  # something to count
    elif known.last_page != page.id or now - (known.last_seen_at or now) >= VIEWED_AGAIN:
        db.session.execute(INSERT_EVENT, event_row(VIEWED, service, draft, key, page, now))
        db.session.execute(SEEN_AGAIN, {"key": key, "page_id": page.id, "at": now})
    else:
        return
    db.session.commit()


def _first_view(service: Service, page: Page, draft: Draft, at: dt.datetime) -> None:
    event = new_event(VIEWED, service, draft, page_id=page.id, at=at)
    db.session.add(event)
    state = progress(service, draft)
    _seen(event, state, page)
    if page.type == "exit" and state.exited_at is None and state.submitted_at is None:
        state.exited_at = event.at
        db.session.add(new_event(EXITED, service, draft, page_id=page.id, at=event.at))
        count(event, EXITED)


VIEWED_AGAIN = dt.timedelta(minutes=1)
"""A page shown again sooner than this to the same draft is not recorded again."""


def event_row(
    kind: str, service: Service, draft: Draft, key: str | None, page: Page, at: dt.datetime
) -> dict[str, Any]:
    """One event's columns, for a plain INSERT (`INSERT_EVENT`)."""
    return {
        "kind": kind,
        "at": at,
        "service_id": service.id,
        "definition_version": service.version,
        "channel": draft.channel,
        "contact_channel": draft.contact_channel,
        "draft_key": key,
        "page_id": page.id,
    }


# Built once (the answer POST's and the page GET's hot paths): what a draft's progress says
# of the pages it has opened, one event row, a view of a page opened before, and the save of
# a page the draft has reached (its event, added only if the progress row says so).
_progress = DraftProgress.__table__
SEEN = select(DraftProgress.pages, DraftProgress.last_page, DraftProgress.last_seen_at).where(
    DraftProgress.draft_key == bindparam("key")
)
SEEN_AGAIN = (
    update(_progress)
    .where(_progress.c.draft_key == bindparam("key"))
    .values(last_page=bindparam("page_id"), last_seen_at=bindparam("at"))
)
_events = Event.__table__
INSERT_EVENT = insert(_events)
_ROW = ("kind", "at", "service_id", "definition_version", "channel", "contact_channel")
SAVED_AGAIN = (
    insert(_events)
    .from_select(
        [*_ROW, "draft_key", "page_id"],
        select(
            *(bindparam(name, type_=_events.c[name].type) for name in _ROW),
            _progress.c.draft_key,
            bindparam("page_id", type_=_events.c.page_id.type),
        ).where(
            _progress.c.draft_key == bindparam("key"),
            _progress.c.started_at.is_not(None),
            _progress.c.pages.contains(bindparam("page")),  # page ids are slugs: no wildcards
        ),
    )
    .execution_options(preserve_rowcount=True)
)  # an INSERT's rowcount is kept only if asked


def page_saved(service: Service, page: Page, draft: Draft, commit: bool = True) -> None:
    """A page's answers were saved; the draft's first save starts it. Without `commit`, the
    caller commits it with the save itself (`submissions.save_change(along=…)`)."""
    key = draft_key(draft)
    row = event_row(SAVED, service, draft, key, page, utcnow())
    # The common case, since the page's GET counted it reached: nothing to count, so one
    # INSERT that only adds the event if the draft has started and reached the page.
    added = db.session.execute(SAVED_AGAIN, {**row, "key": key, "page": f"|{page.id}|"})
    if added.rowcount != 1:  # type: ignore[attr-defined]
        _first_save(service, page, draft)
    if commit:
        db.session.commit()


def _first_save(service: Service, page: Page, draft: Draft) -> None:
    event = new_event(SAVED, service, draft, page_id=page.id)
    db.session.add(event)
    state = progress(service, draft)
    _reached(event, state, page)
    if state.started_at is None:
        state.started_at = event.at
        db.session.add(new_event(STARTED, service, draft, page_id=page.id, at=event.at))
        count(event, STARTED)


_UNSHOWN: ContextVar[bool] = ContextVar("unshown", default=False)


@contextmanager
def unshown() -> Iterator[None]:
    """A page whose errors nobody will see (an agent's 'Save and leave' keeps what did not
    pass its checks, and leaves): `page_errors` counts nothing inside."""
    token = _UNSHOWN.set(True)
    try:
        yield
    finally:
        _UNSHOWN.reset(token)


def page_errors(
    service: Service, page: Page, draft: Draft | None, errors: Iterable[AnswerError]
) -> None:
    """A page was shown again with errors: one event per question and failed check (an
    address with no town and no postcode fails two)."""
    if _UNSHOWN.get():
        return
    failed = {
        (problem.question or problem.field, problem.check or "invalid"): None
        for error in errors
        for problem in error.each
    }
    for question_id, check_key in failed:
        event = new_event(
            ERROR, service, draft, page_id=page.id, question_id=question_id, check_key=check_key
        )
        db.session.add(event)
        count(event, ERROR, f"{event.question_id}:{event.check_key}")
        if draft is not None:
            _seen(event, progress(service, draft), page)
    db.session.commit()


def submitted(service: Service, draft: Draft) -> Event:
    """The submission event, added to the session for the caller to commit with the
    submission itself."""
    state = progress(service, draft)
    event = new_event(SUBMITTED, service, draft)
    began = state.started_at
    event.seconds = round((event.at - began).total_seconds()) if began else None
    db.session.add(event)
    state.submitted_at, state.seconds = event.at, event.seconds
    count(event, SUBMITTED)
    if state.exited_at is not None:  # it had stopped at an exit, then went back and sent
        add_to_day(state.exited_at.date(), service.id, state.channel, EXITED, "", -1)
    return event
