"""Submissions as JSON or CSV, per the export contract."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

from sqlalchemy import select

from service_builder.definitions import Service
from service_builder.models import StaffUser, Submission, db


def submissions_for(service_id: str, since: dt.date | None = None) -> list[Submission]:
    return list(db.session.scalars(_where(select(Submission), service_id, since)))


def has_submissions(service_id: str) -> bool:
    query = select(Submission.id).where(Submission.service_id == service_id).limit(1)
    return db.session.scalar(query) is not None


def export_rows(
    service_id: str, since: dt.date | None = None, with_case: bool = False
) -> Iterator[Any]:
    """The service's submissions as plain rows, fetched a thousand at a time: an export of
    any size runs in constant memory. `with_case` adds each one's case (`CASE_KEYS`)."""
    query = select(
        Submission.reference,
        Submission.service_id,
        Submission.submitted_at,
        Submission.channel,
        Submission.contact_channel,
        Submission.answers,
        Submission.definition_version,
        Submission.payment,
        Submission.language,
        StaffUser.email.label("staff_email"),
    ).outerjoin(StaffUser, StaffUser.id == Submission.staff_user_id)
    if with_case:
        from service_builder.cases import Case  # cases → models → deliveries → exports

        fields = (
            Case.status.label("case_status"),
            Case.closed_reason.label("case_outcome"),
            Case.updated_at.label("case_updated_at"),
        )
        query = query.add_columns(*fields).outerjoin(Case, Case.submission_id == Submission.id)
    yield from db.session.execute(
        _where(query, service_id, since).execution_options(yield_per=1000)
    )


def export_chunks(
    service: Service | None,
    service_id: str,
    fmt: str,
    since: dt.date | None = None,
    with_case: bool = False,
) -> Iterator[str]:
    """A service's submissions as CSV or JSON text, a chunk at a time, in constant memory at
    any size: what the `export` command prints and the admin area downloads."""
    rows = export_rows(service_id, since, with_case)
    if fmt == "json":
        return stream_json(rows, with_case)
    return stream_csv(service, export_columns(service, service_id, since), rows, with_case)


def export_columns(service: Service | None, service_id: str, since: dt.date | None) -> list[str]:
    """The CSV's question columns for the `export` command (`question_columns`)."""
    query = _where(select(Submission.answers), service_id, since)
    return question_columns(service, db.session.scalars(query.execution_options(yield_per=1000)))


def question_columns(service: Service | None, answers: Iterable[dict[str, Any]]) -> list[str]:
    """One column per question in definition order (a repeat page: `{page}.{n}.{question}`
    for n from 1 to max_items, in the page's place), then questions only older submissions
    (`answers`) have, since removed from the definition."""
    columns = csv_columns(service) if service else []
    known = set(columns)
    for given in answers:
        for key in given:
            if key not in known and not _repeat(service, key):
                known.add(key)
                columns.append(key)
    return columns


def _where(query: Any, service_id: str, since: dt.date | None) -> Any:
    query = query.where(Submission.service_id == service_id)
    if since is not None:
        query = query.where(Submission.submitted_at >= dt.datetime.combine(since, dt.time()))
    return query.order_by(Submission.submitted_at, Submission.id)


def as_record(submission: Any, with_case: bool = False) -> dict[str, Any]:
    """The export record of a Submission or of a row from export_rows (`with_case`: one
    that has the case's fields)."""
    record: dict[str, Any] = {
        "reference": submission.reference,
        "service": submission.service_id,
        "submitted_at": iso_utc(submission.submitted_at),
        "channel": submission.channel,
        "answers": submission.answers,
    }
    if submission.channel == "assisted":
        record["contact_channel"] = submission.contact_channel
        record["staff"] = _staff_email(submission)
    record["definition_version"] = submission.definition_version
    record["language"] = submission.language  # extension: the language to reply in
    if submission.payment is not None:  # extension: what was paid before sending
        record["payment"] = submission.payment
    if with_case:  # extension (`export --with-case`): where the council's work on it stands
        values = case_values(submission)  # null for a form sent before cases were kept
        record["case"] = dict(zip(CASE_KEYS, values, strict=True)) if values[0] else None
    return record


CASE_KEYS = ("status", "outcome", "updated_at")
CASE_COLUMNS = [f"case_{key}" for key in CASE_KEYS]
"""Extension, with `--with-case`: the case's status (`received`, `in_progress`, `closed`), why
it was closed (`cases.CLOSE_REASONS`' keys, like `done` or `refused`) and when it last
changed. Last in the CSV, after any other extension."""


def case_values(row: Any) -> list[str | None]:
    changed = row.case_updated_at
    return [row.case_status, row.case_outcome, iso_utc(changed) if changed else None]


def _staff_email(submission: Any) -> str | None:
    if isinstance(submission, Submission):
        return submission.staff_user.email if submission.staff_user else None
    return cast(str | None, submission.staff_email)


def iso_utc(moment: dt.datetime) -> str:
    return moment.replace(tzinfo=dt.UTC).isoformat().replace("+00:00", "Z")


def to_json(submissions: Iterable[Any]) -> str:
    return "".join(stream_json(submissions))


def stream_json(submissions: Iterable[Any], with_case: bool = False) -> Iterator[str]:
    """The same text as json.dumps([records], indent=2), a record at a time."""
    first = True
    for submission in submissions:
        text = json.dumps(as_record(submission, with_case), indent=2, ensure_ascii=False)
        yield ("[\n" if first else ",\n") + "\n".join("  " + line for line in text.split("\n"))
        first = False
    yield "[]" if first else "\n]"


def to_csv(service: Service | None, submissions: list[Submission]) -> str:
    columns = question_columns(service, (submission.answers for submission in submissions))
    return "".join(stream_csv(service, columns, submissions))


def stream_csv(
    service: Service | None,
    columns: list[str],
    submissions: Iterable[Any],
    with_case: bool = False,
) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    paying = service is not None and service.payment is not None
    several = service is not None and len(service.languages) > 1
    extra = [
        *(["language"] if several else []),
        *(PAYMENT_COLUMNS if paying else []),
        *(CASE_COLUMNS if with_case else []),
    ]
    writer.writerow(
        ["reference", "submitted_at", "channel", *columns, "contact_channel", "staff", *extra]
    )
    for s in submissions:
        cells = [_column_cell(service, column, s.answers) for column in columns]
        row = [
            s.reference,
            iso_utc(s.submitted_at),
            s.channel,
            *cells,
            s.contact_channel or "",
            _staff_email(s) or "",
            *([s.language] if several else []),
            *(payment_cells(s.payment) if paying else []),
            *((value or "" for value in case_values(s)) if with_case else []),
        ]
        writer.writerow([neutralise(cell) for cell in row])
        if out.tell() > 65536:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


PAYMENT_COLUMNS = ["payment_method", "payment_amount", "payment_reference"]
"""Extension, for services with a `payment`: last, so the contract's columns keep their places."""


def payment_cells(payment: dict[str, Any] | None) -> list[str]:
    """method (card or phone), the amount in pounds (35.00) and the payment's reference."""
    if not payment:
        return ["", "", ""]
    pence = int(payment.get("amount") or 0)
    return [
        str(payment.get("method", "")),
        f"{pence // 100}.{pence % 100:02d}",
        str(payment.get("reference", "")),
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def neutralise(cell: str) -> str:
    """OWASP's CSV injection advice: a cell a spreadsheet would read as a formula gets a
    leading single quote, so it shows as text. A plain negative number cannot be a formula
    and stays a number. The JSON export keeps every value as it is."""
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


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
