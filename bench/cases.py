"""Benchmark: the case inbox at 100,000 cases: first page, a deep page, search and filters.

Bulk-loads cases straight into the tables (DATABASE_URL, or a throwaway SQLite file), then
times the inbox's queries as `/staff/cases` runs them (best of 5, milliseconds).

    .venv/bin/python bench/cases.py --cases 100000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert, select  # noqa: E402

from service_builder import create_app  # noqa: E402
from service_builder.cases import Case, Filters, page_of_cases, search_text  # noqa: E402
from service_builder.models import Draft, Submission, db  # noqa: E402

SERVICES = ["apply-parking-permit", "book-bulky-waste", "report-fly-tipping", "council-tax"]
STATUSES = ["received", "in_progress", "closed"]


def load(count: int) -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    start = dt.datetime(2026, 1, 1)
    for chunk in range(0, count, 5000):
        numbers = range(chunk, min(chunk + 5000, count))
        db.session.execute(
            insert(Draft),
            [{"id": n + 1, "token": f"t{n}", "service_id": "x", "data": {}} for n in numbers],
        )
        rows = []
        for n in numbers:
            answers = {
                "name": f"Resident Number{n}",
                "email": f"resident{n}@example.com",
                "phone": f"07700{n:06d}",
                "address": {"line_1": f"{n} High Street", "postcode": f"AB{n % 90 + 10} {n % 9}CD"},
            }
            rows.append(
                {
                    "id": n + 1,
                    "reference": f"BEN-{n:09d}",
                    "service_id": SERVICES[n % 4],
                    "definition_version": "bench",
                    "submitted_at": start + dt.timedelta(minutes=n),
                    "channel": "online",
                    "answers": answers,
                    "draft_id": n + 1,
                }
            )
        db.session.execute(insert(Submission), rows)
        db.session.execute(
            insert(Case),
            [
                {
                    "submission_id": row["id"],
                    "reference": row["reference"],
                    "service_id": row["service_id"],
                    "submitted_at": row["submitted_at"],
                    "status": STATUSES[row["id"] % 3],
                    "search_text": search_text(row["reference"], row["answers"]),
                    "updated_at": row["submitted_at"],
                }
                for row in rows
            ],
        )
        db.session.commit()


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(folder) / 'cases.db'}"
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SERVICE_BUILDER_RELOAD": False, "SECRET_KEY": "b"}
        )
        with app.app_context():
            started = time.perf_counter()
            load(args.cases)
            print(
                f"database: {url.split('@')[-1]}; loaded {args.cases} cases in "
                f"{time.perf_counter() - started:.0f} s"
            )
            deep = db.session.scalars(
                select(Case)
                .order_by(Case.submitted_at.desc(), Case.submission_id.desc())
                .offset(args.cases - 100)
                .limit(1)
            ).one()
            cursor = f"{deep.submitted_at.isoformat()}_{deep.submission_id}"
            team = frozenset(SERVICES[:2])
            checks = {
                "first page, all cases": lambda: page_of_cases(Filters(), None),
                "last page (keyset cursor)": lambda: page_of_cases(Filters(), cursor),
                "the page before it (backwards)": lambda: page_of_cases(Filters(), None, cursor),
                "first page, a team's 2 services": lambda: page_of_cases(
                    Filters(services=team), None
                ),
                "status filter": lambda: page_of_cases(Filters(status="in_progress"), None),
                "search: a name (one match)": lambda: page_of_cases(
                    Filters(search="number77777"), None
                ),
                "search: a postcode, no space": lambda: page_of_cases(
                    Filters(search="ab555cd"), None
                ),
                "search: nothing matches": lambda: page_of_cases(Filters(search="zzzz"), None),
            }
            for name, check in checks.items():
                print(f"  {name:34} {best_of(5, check):7.1f} ms")
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(delete(table))
            db.session.commit()


if __name__ == "__main__":
    main()
