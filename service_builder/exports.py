"""Submissions as JSON or CSV, per the export contract."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
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
    """One column per question in definition order; questions since removed come last."""
    columns = [q.id for q in service.questions] if service else []
    for submission in submissions:
        columns += [key for key in submission.answers if key not in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reference", "submitted_at", "channel", *columns, "contact_channel", "staff"])
    for s in submissions:
        cells = [_cell(service, key, s.answers[key]) if key in s.answers else "" for key in columns]
        row = [
            s.reference,
            iso_utc(s.submitted_at),
            s.channel,
            *cells,
            s.contact_channel or "",
            s.staff_user.email if s.staff_user else "",
        ]
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise(cell: str) -> str:
    """OWASP's CSV injection advice: a cell a spreadsheet would read as a formula gets a
    leading single quote, so it shows as text. A plain negative number cannot be a formula
    and stays a number. The JSON export keeps every value as it is."""
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def _cell(service: Service | None, question_id: str, value: Any) -> str:
    question = service.question(question_id) if service else None
    if question is not None:
        return question.export(value)
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(str(part) for part in value.values() if part)
    return str(value)
