"""Submissions as JSON or CSV, per the export contract."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from service_builder.definitions import Service
from service_builder.models import Submission, db


def submissions_for(service_id: str, since: dt.date | None = None) -> list[Submission]:
    query = select(Submission).where(Submission.service_id == service_id)
    if since is not None:
        query = query.where(Submission.submitted_at >= dt.datetime.combine(since, dt.time()))
    return list(db.session.scalars(query.order_by(Submission.submitted_at, Submission.id)))


def as_record(submission: Submission) -> dict[str, Any]:
    record: dict[str, Any] = {
        "reference": submission.reference,
        "service": submission.service_id,
        "submitted_at": iso_utc(submission.submitted_at),
        "channel": submission.channel,
        "answers": submission.answers,
    }
    if submission.channel == "assisted":
        record["contact_channel"] = submission.contact_channel
        record["staff"] = submission.staff_user.email if submission.staff_user else None
    record["definition_version"] = submission.definition_version
    return record


def iso_utc(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


def to_json(submissions: Iterable[Submission]) -> str:
    return json.dumps([as_record(s) for s in submissions], indent=2, ensure_ascii=False)


def to_csv(service: Service | None, submissions: list[Submission]) -> str:
    """One column per question in definition order (a repeat page: `{page}.{n}.{question}`
    for n from 1 to max_items, in the page's place); questions since removed come last."""
    columns = csv_columns(service) if service else []
    for submission in submissions:
        columns += [
            key for key in submission.answers if key not in columns and not _repeat(service, key)
        ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reference", "submitted_at", "channel", *columns, "contact_channel", "staff"])
    for s in submissions:
        cells = [_column_cell(service, column, s.answers) for column in columns]
        writer.writerow(
            [
                s.reference,
                iso_utc(s.submitted_at),
                s.channel,
                *cells,
                s.contact_channel or "",
                s.staff_user.email if s.staff_user else "",
            ]
        )
    return out.getvalue()


def csv_columns(service: Service) -> list[str]:
    columns: list[str] = []
    for page in service.pages:
        if page.repeats:
            columns += [
                f"{page.id}.{n}.{q.id}"
                for n in range(1, page.most_items + 1)
                for q in page.questions
            ]
        else:
            columns += [q.id for q in page.questions]
    return columns


def _repeat(service: Service | None, key: str) -> bool:
    page = service.page(key) if service else None
    return page is not None and page.repeats


def _column_cell(service: Service | None, column: str, answers: dict[str, Any]) -> str:
    page_id, _, rest = column.partition(".")
    if rest and _repeat(service, page_id):
        number, _, question_id = rest.partition(".")
        items = answers.get(page_id) or []
        item = items[int(number) - 1] if int(number) <= len(items) else {}
        return _cell(service, question_id, item[question_id]) if question_id in item else ""
    return _cell(service, column, answers[column]) if column in answers else ""


def _cell(service: Service | None, question_id: str, value: Any) -> str:
    question = service.question(question_id) if service else None
    if question is not None:
        return question.export(value)
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(str(part) for part in value.values() if part)
    return str(value)
