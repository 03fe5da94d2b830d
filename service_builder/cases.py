"""Cases: a submission being worked by its service's team (status, assignee, notes, search)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ForeignKey, Index, Select, String, Text, delete, func, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service_builder import search_terms
from service_builder.definitions import Service
from service_builder.messages import N_
from service_builder.models import Draft, StaffUser, Submission, as_id, db, utcnow
from service_builder.questions.base import stored_strings

STATUSES = {"received": N_("Received"), "in_progress": N_("In progress"), "closed": N_("Closed")}
"""Staff pages show these as written; the resident's status page translates them."""
CLOSE_REASONS = {
    "done": "Done: the request was granted or the work finished",
    "refused": "Refused: the request did not meet the rules",
    "withdrawn": "Withdrawn by the resident",
    "duplicate": "A duplicate of another case",
    "no_response": "The resident did not reply",
}
"""Reasons are a fixed list, so the audit trail can hold them without holding free text."""
PAGE_SIZE = 50


class Case(db.Model):  # type: ignore[name-defined]
    """The working state of one submission, with the columns the inbox filters and sorts on."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_newest", "submitted_at", "submission_id"),
        Index("ix_cases_service_newest", "service_id", "submitted_at"),
        Index("ix_cases_status_newest", "status", "submitted_at"),
    )

    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    service_id: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(20), default="received")
    closed_reason: Mapped[str | None] = mapped_column(String(30))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), index=True)
    search_text: Mapped[str] = mapped_column(Text)
    """The reference and every answer, lower-case, with and without spaces: one column the
    database searches, so a search never loads cases into Python."""
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    submission: Mapped[Submission] = relationship()
    assignee: Mapped[StaffUser | None] = relationship()


class CaseNote(db.Model):  # type: ignore[name-defined]
    """An internal note on a case: staff only, never shown to the resident."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submissions.id"), index=True)
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    staff_user: Mapped[StaffUser | None] = relationship()


class StaffTeam(db.Model):  # type: ignore[name-defined]
    """A member of staff's membership of a team (a service's `team`)."""

    __tablename__ = "staff_teams"

    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), primary_key=True)
    team: Mapped[str] = mapped_column(String(50), primary_key=True)


def open_case(submission: Submission, service: Service | None = None) -> Case:
    """Start the case of a new submission (in the caller's transaction)."""
    db.session.flush()
    case = Case(
        submission_id=submission.id,
        reference=submission.reference,
        service_id=submission.service_id,
        submitted_at=submission.submitted_at,
        search_text=search_text(
            submission.reference, submission.answers, submission.payment, service
        ),
    )
    db.session.add(case)
    return case


def search_text(
    reference: str,
    answers: dict[str, Any],
    payment: dict[str, Any] | None = None,
    service: Service | None = None,
) -> str:
    """What staff searches look in (a case's, and an agent's unsent draft's): the reference,
    every answer and, when the form was paid for, the payment's references (what a resident
    quotes from their bank statement or GOV.UK Pay's email, and what finance staff reconcile
    by). Given the service, each answer as its question type says staff find it
    (`Question.search_words`: a choice by its labels, in each of the service's languages,
    never its stored value); without it (a migration), every stored string. Lower-case;
    each also without its spaces and `folded` (accents and apostrophes gone), as
    `search_terms.needles` looks."""
    paid = [(payment or {}).get(key) for key in PAYMENT_REFERENCES]
    found = _searched_answers(service, answers) if service else stored_strings(answers)
    words = [reference.lower()]
    for value in [*found, *stored_strings(paid)]:
        value = value.strip().lower()
        for form in dict.fromkeys((value, search_terms.folded(value))):
            words.append(form)
            squeezed = re.sub(r"\s+", "", form)
            if squeezed != form:
                words.append(squeezed)
    return "\n".join(dict.fromkeys(words))


def _searched_answers(service: Service, answers: dict[str, Any]) -> list[str]:
    """Each answer's search words, in every language the service is in (a form sent in Welsh
    is found by the English labels staff see too: an agent's trial), and every stored
    string of an answer the service no longer asks (an earlier version's)."""
    found: list[str] = []
    asked: set[str] = set()
    for language in service.languages:
        for page in service.in_language(language).pages:
            asked.update((page.id, *(question.id for question in page.questions)))
            items = answers.get(page.id) if page.repeats else [answers]
            for item in items if isinstance(items, list) else []:
                for question in page.questions:
                    value = item.get(question.id) if isinstance(item, dict) else None
                    if value is not None:
                        found += question.search_words(value)
    unasked = {key: value for key, value in answers.items() if key not in asked}
    return [*found, *stored_strings(unasked)]


PAYMENT_REFERENCES = ("reference", "pay_payment_id")
"""The keys of a submission's payment record (`payments.flow`) that find its case."""


def teams_of(user: StaffUser) -> list[str]:
    return list(
        db.session.scalars(
            select(StaffTeam.team)
            .where(StaffTeam.staff_user_id == user.id)
            .order_by(StaffTeam.team)
        )
    )


def holders(services: frozenset[str] | None) -> list[tuple[int, str]]:
    """Who holds a case of these services (None: every service), by email: whom the inbox's
    "Assigned to" filter offers, so a supervisor can see what a colleague has in hand."""
    held = select(Case.assignee_id).where(Case.assignee_id.is_not(None))
    if services is not None:
        held = held.where(Case.service_id.in_(sorted(services)))
    query = select(StaffUser.id, StaffUser.email).where(StaffUser.id.in_(held))
    return [(row.id, row.email) for row in db.session.execute(query.order_by(StaffUser.email))]


def set_teams(user: StaffUser, teams: Iterable[str]) -> None:
    db.session.execute(delete(StaffTeam).where(StaffTeam.staff_user_id == user.id))
    db.session.add_all(StaffTeam(staff_user_id=user.id, team=team) for team in sorted(set(teams)))
    db.session.commit()


@dataclass(frozen=True)
class Filters:
    """What the inbox shows: None means no filter."""

    services: frozenset[str] | None = None
    """The services the member of staff may see (None: all)."""
    service: str | None = None
    status: str | None = None
    assignee: int | None = None
    """A staff user's id, or 0 for cases nobody is assigned."""
    since: dt.datetime | None = None
    search: str | None = None
    oldest_first: bool = False


def inbox_query(filters: Filters) -> Select[Any]:
    query = select(Case)
    if filters.services is not None:
        query = query.where(Case.service_id.in_(sorted(filters.services)))
    if filters.service:
        query = query.where(Case.service_id == filters.service)
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.assignee is not None:
        query = query.where(
            Case.assignee_id.is_(None)
            if filters.assignee == 0
            else Case.assignee_id == filters.assignee
        )
    if filters.since is not None:
        query = query.where(Case.submitted_at >= filters.since)
    if filters.search and filters.search.strip():
        found = search_terms.found_in(Case.search_text, filters.search)
        if (reference := search_terms.as_reference(filters.search)) is not None:
            # the reference of the draft an agent sent it from (quoted by a caller who rang
            # before, as the staff home's Find takes it too), by the drafts' unique index
            sent_from = (
                select(Submission.id)
                .join(Draft, Submission.draft_id == Draft.id)
                .where(Draft.reference == reference)
            )
            found = or_(found, Case.submission_id.in_(sent_from))
        query = query.where(found)
    return query


def count_cases(filters: Filters) -> int:
    """How many cases the filters find, on every page."""
    return int(
        db.session.scalar(select(func.count()).select_from(inbox_query(filters).subquery())) or 0
    )


@dataclass(frozen=True)
class CasePage:
    """One page of the inbox, and the cursors of the pages either side (None: there is none)."""

    cases: list[Case]
    previous: str | None
    """The cursor that shows the page before this one (`before=`)."""
    following: str | None
    """The cursor that shows the page after this one (`after=`)."""


def page_of_cases(filters: Filters, after: str | None, before: str | None = None) -> CasePage:
    """One page, newest first (or oldest first), after a cursor or before one (keyset paging:
    as fast on the thousandth page as on the first, because the index finds where to start,
    in either direction). `before` reads backwards from the cursor, so Previous is the page
    the member of staff came from, not the first."""
    position = _cursor(after) or _cursor(before)
    backwards = position is not None and _cursor(after) is None
    # Reading backwards is reading in the other order, then turning the page round.
    ascending = filters.oldest_first != backwards
    when_, id_ = Case.submitted_at, Case.submission_id
    query = inbox_query(filters)
    if position is not None:
        when, last_id = position
        # The first condition alone is a range the index serves; the second trims the tie.
        if ascending:
            query = query.where(when_ >= when, or_(when_ > when, id_ > last_id))
        else:
            query = query.where(when_ <= when, or_(when_ < when, id_ < last_id))
    order = (when_, id_) if ascending else (when_.desc(), id_.desc())
    rows: list[Case] = list(db.session.scalars(query.order_by(*order).limit(PAGE_SIZE + 1)))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if backwards and not more:  # back at the start: the first page, whole
        return page_of_cases(filters, None)
    if not rows and after and position is not None:  # past the end (the last cases went):
        return page_of_cases(filters, None, after)  # the page before it, not an empty one
    if backwards:
        rows.reverse()
    return CasePage(
        cases=rows,
        previous=_cursor_of(rows[0]) if rows and position is not None else None,
        following=_cursor_of(rows[-1]) if rows and (more or backwards) else None,
    )


def _cursor_of(case: Case) -> str:
    return f"{case.submitted_at.isoformat()}_{case.submission_id}"


def _cursor(after: str | None) -> tuple[dt.datetime, int] | None:
    if not after:
        return None
    when, _, last_id = after.rpartition("_")
    number = as_id(last_id)  # a cursor that is not ours starts from the first page
    try:
        return (dt.datetime.fromisoformat(when), number) if number is not None else None
    except ValueError:
        return None


def change_case(found: Case, **values: Any) -> bool:
    """Save `values` on the case only if it is still as it was read (status, close reason,
    assignee): False, and nothing saved, when another request changed it in between. One
    UPDATE that checks and writes, so two caseworkers saving at the same instant cannot both
    win, on either database. The case reloads on next use."""
    state = (Case.status, Case.closed_reason, Case.assignee_id)
    as_read = (found.status, found.closed_reason, found.assignee_id)
    result = db.session.execute(
        update(Case)
        .where(Case.submission_id == found.submission_id)
        .where(
            *(
                column.is_(None) if value is None else column == value
                for column, value in zip(state, as_read, strict=True)
            )
        )
        .values(**values, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.expire(found)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def find_case(reference: str) -> Case | None:
    """The case of a reference as the resident typed it: any case, spaces or hyphens."""
    stored = search_terms.reference(reference)
    return db.session.scalar(select(Case).where(Case.reference == stored))


def notes(case: Case) -> list[CaseNote]:
    return list(
        db.session.scalars(
            select(CaseNote)
            .where(CaseNote.submission_id == case.submission_id)
            .order_by(CaseNote.at.desc(), CaseNote.id.desc())
        )
    )


def status_keys(service: Service, answers: dict[str, Any]) -> set[str]:
    """What finds a case on the status page with its reference: each email address and
    postcode in its answers (normalised); none, and the resident cannot check it there."""
    keys = set()
    for question in service.questions:
        value = answers.get(question.id)
        if question.type == "address" and isinstance(value, dict):
            value = value.get("postcode")
        elif question.type not in ("email", "postcode"):
            continue
        if isinstance(value, str) and value:
            keys.add(normal_key(value))
    return keys


def normal_key(text: str) -> str:
    """An email address or postcode as the status page compares them: no spaces, any case."""
    return re.sub(r"\s+", "", text).lower()
