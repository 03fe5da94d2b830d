"""Finding a caller's drafts and sent forms: who each is for, and a search across services in SQL.

A sent form is found by its case's search text, and an agent's unsent draft by its own: every
answer, as stored and as shown, lower-case and folded (`cases.search_text`), never the names
answers are stored under ('town'). The test is the cases inbox's (`search_terms.found_in`): one
LIKE per form of the term, on SQLite and PostgreSQL alike, without knowing the questions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from service_builder import search_terms
from service_builder.cases import Case
from service_builder.catalog import Catalog
from service_builder.definitions import Service
from service_builder.journey import DraftState
from service_builder.models import Draft, Submission, db
from service_builder.questions import Question

LIMIT = 50


@dataclass(frozen=True)
class Found:
    kind: str
    """`draft`, `handed-back` (for any agent), `ended` (a call ended without sending) or
    `sent`."""
    reference: str
    service_id: str
    who: str
    when: dt.datetime
    draft_reference: str | None
    contact_channel: str | None = None
    """A draft's: how the resident made contact (what was ended: a call, a visit)."""


def who(catalog: Catalog, service_id: str, answers: dict[str, Any]) -> str:
    """A short label of who the form is for: their name, else their email, phone, postcode or
    address (its first line and postcode). A question whose autocomplete is `off` asks of
    something else (where rubbish was left), so it never names the person."""
    service = catalog.get(service_id)
    if service is None:
        return ""
    by_kind: dict[str, str] = {}
    for question in service.questions:
        if question.autocomplete == "off":
            continue
        value = answers.get(question.id)
        if question.type == "address" and isinstance(value, dict):
            parts = [value.get("line_1"), value.get("postcode")]
            by_kind.setdefault("address", ", ".join(p for p in parts if isinstance(p, str) and p))
            continue
        if not isinstance(value, str) or not value:
            continue
        if question.type == "text" and "name" in question.id:
            by_kind.setdefault("name", value)
        elif question.type in ("email", "phone", "postcode"):
            by_kind.setdefault(question.type, value)
    for kind in ("name", "email", "phone", "postcode", "address"):
        if by_kind.get(kind):
            return by_kind[kind]
    return ""


def caller_of(draft: Draft, catalog: Catalog | None = None) -> str:
    """Who a draft is for (`who`), from its answers so far ("" until they say), or, once it
    is sent (its answers moved to the submission), from the form sent. `catalog`: the app's
    unless given."""
    catalog = catalog or current_app.extensions["service_builder"].catalog
    if draft.submitted and draft.submission is not None:
        return who(catalog, draft.service_id, draft.submission.answers)
    return who(catalog, draft.service_id, DraftState.from_json(draft.data).answers)


def by_reference(model: type[Any], reference: str) -> Any:
    """References are matched whatever their case, spaces and hyphens (they are read out on
    the phone and typed as heard)."""
    return db.session.scalar(
        select(model).where(func.upper(model.reference) == search_terms.reference(reference))
    )


def sent_form(reference: str) -> Submission | None:
    found: Submission | None = by_reference(Submission, reference)
    return found


def carried_answers(source: Service, answers: dict[str, Any], target: Service) -> dict[str, Any]:
    """The caller's answers to the questions that another service asks too, outside repeat
    pages: the same id and type (unless either's autocomplete is `off`), or the same type
    about the same thing of the caller (the same autocomplete token its author gave, like
    `name`, `email` or `tel`, whatever each service calls the question). So an agent
    starting that service for them need not ask again. They fill the new form's fields but
    count as unanswered until its page is saved, so the agent still reads each one back."""
    by_token: dict[tuple[str, str], str] = {}
    for page in source.pages:
        for question in [] if page.repeats else page.questions:
            if (token := _about_the_caller(question)) and question.id in answers:
                by_token.setdefault((token, question.type), question.id)  # the first of a kind
    carried: dict[str, Any] = {}
    for page in target.pages:
        if page.repeats:
            continue
        for question in page.questions:
            given = source.question(question.id)
            tokens = {question.autocomplete, given.autocomplete if given else None}
            if (  # "off": of something else (where rubbish was left), not of the caller
                given is not None
                and given.type == question.type
                and question.id in answers
                and "off" not in tokens
            ):
                carried[question.id] = answers[question.id]
            elif (token := _about_the_caller(question)) and (
                asked := by_token.get((token, question.type))
            ):
                carried[question.id] = answers[asked]
    return carried


def _about_the_caller(question: Question) -> str | None:
    """The autocomplete token its author gave to say what of the person a question asks
    (`name`, `email`, `tel` …); None for one that asks of something else (`off`), or that
    says nothing (an email question is not always the caller's own: a landlord's)."""
    token = question.autocomplete
    return token if token and token != "off" else None


def _on_day(column: Any, term: str) -> ColumnElement[bool] | None:
    if (parts := search_terms.date_parts(term)) is None:
        return None
    try:
        start = dt.datetime(*parts)
        end = start + dt.timedelta(days=1)
    except (ValueError, OverflowError):  # not a real date, or 31/12/9999 (no day after it)
        return None  # searched as text only
    return (column >= start) & (column < end)


def _state(draft: Draft) -> str:
    if draft.ended_at is not None:
        return "ended"
    return "handed-back" if draft.staff_user_id is None else "draft"


@dataclass(frozen=True)
class Results:
    found: list[Found]
    """Newest first, drafts and sent forms together."""
    cut_short: bool
    """There were more than `found` lists: only the most recent are there."""


@dataclass(frozen=True)
class Within:
    """What one member of staff may find: what they sent or hold, and the sent forms and
    drafts of these services (None: every service's)."""

    staff_user_id: int
    services: frozenset[str] | None
    """`web.cases.callers_services`: the same for sent forms and drafts."""


def search(catalog: Catalog, term: str, within: Within | None = None) -> Results:
    """Sent forms and unsent assisted drafts whose answers or date match the term.

    A draft reference finds its sent form and a sent form's reference finds its draft.
    `within` keeps to what one member of staff may see, in the query, before its LIMIT.
    """
    reference = search_terms.as_reference(term)
    sent_match = [search_terms.found_in(Case.search_text, term)]  # its own reference too
    if reference is not None:  # its draft's reference (references are stored upper-case)
        sent_match.append(Draft.reference == reference)
    if (day := _on_day(Submission.submitted_at, term)) is not None:
        sent_match.append(day)
    sent_query = (
        select(Submission, Draft.reference)
        .join(Draft, Submission.draft_id == Draft.id)
        .join(Case, Case.submission_id == Submission.id)
        .where(or_(*sent_match))
    )
    if within is not None and within.services is not None:
        sent_query = sent_query.where(
            Submission.service_id.in_(within.services)
            | (Submission.staff_user_id == within.staff_user_id)
        )
    sent = db.session.execute(
        sent_query.order_by(Submission.submitted_at.desc()).limit(LIMIT)
    ).all()
    draft_match = [search_terms.found_in(Draft.search_text, term)]  # its reference too
    if reference is not None:  # a draft saved before it had a search text (0015 wrote one)
        draft_match.append(Draft.reference == reference)
    if (day := _on_day(Draft.updated_at, term)) is not None:
        draft_match.append(day)
    query = (
        select(Draft)
        .outerjoin(Submission, Submission.draft_id == Draft.id)
        .where(Draft.channel == "assisted", Submission.id.is_(None), or_(*draft_match))
    )
    if within is not None and within.services is not None:
        query = query.where(
            Draft.service_id.in_(within.services) | (Draft.staff_user_id == within.staff_user_id)
        )
    drafts = list(db.session.scalars(query.order_by(Draft.updated_at.desc()).limit(LIMIT)))
    sent_found = [
        Found(
            "sent",
            submission.reference,
            submission.service_id,
            who(catalog, submission.service_id, submission.answers),
            submission.submitted_at,
            draft_reference,
        )
        for submission, draft_reference in sent
    ]
    drafts_found = [
        Found(
            _state(draft),
            draft.reference or "",
            draft.service_id,
            caller_of(draft, catalog),
            draft.updated_at,
            draft.reference,
            draft.contact_channel,
        )
        for draft in drafts
    ]
    # Each list is the newest LIMIT of its kind. Where one was cut, an older row of the other
    # may be older than rows the cut left out: the most recent results end at the oldest row
    # of a list that was cut (a review: 'the 57 most recent' were not).
    cut = [rows[-1].when for rows in (sent_found, drafts_found) if len(rows) >= LIMIT]
    found = sorted(sent_found + drafts_found, key=lambda each: each.when, reverse=True)
    if cut:
        found = [each for each in found if each.when >= max(cut)]
    return Results(found, bool(cut))
