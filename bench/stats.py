"""Benchmark: the performance figures over 1,000,000 events for one service.

Builds the events (about 65,000 drafts of apply-parking-permit over 13 weeks: online and
assisted, completes, drop-outs at every page, exits, validation errors and feedback), then
times `stats` (the CLI's figures) and the performance page (a full request, signed in).
Target: under 1 second each, on SQLite and on PostgreSQL.

    .venv/bin/python bench/stats.py                       # SQLite, in a temporary file
    DATABASE_URL=postgresql+psycopg://… .venv/bin/python bench/stats.py
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert  # noqa: E402

from service_builder import create_app  # noqa: E402
from service_builder.models import db  # noqa: E402
from service_builder.performance import events as ev  # noqa: E402
from service_builder.performance.models import DailyCount, DraftProgress, Event  # noqa: E402
from service_builder.performance.stats import stats, window  # noqa: E402
from service_builder.staff.accounts import save_user  # noqa: E402

SERVICE = "apply-parking-permit"
EVENTS = int(os.environ.get("BENCH_EVENTS", 1_000_000))
DAYS = 91
BATCH = 20_000


def journeys(service: Any, seed: int = 11) -> Iterator[dict[str, Any]]:
    """Event rows, draft by draft, until there are EVENTS of them."""
    rng = random.Random(seed)
    pages = [p for p in service.pages if p.type != "exit"]
    exit_page = next(p for p in service.pages if p.type == "exit")
    start = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=DAYS)
    made, draft = 0, 0
    while made < EVENTS:
        draft += 1
        assisted = rng.random() < 0.2
        base = {
            "service_id": service.id,
            "definition_version": service.version,
            "channel": "assisted" if assisted else "online",
            "contact_channel": rng.choice(["phone", "face_to_face"]) if assisted else None,
            "draft_key": f"bench{draft:08d}",
            "page_id": None,
            "question_id": None,
            "check_key": None,
            "satisfaction": None,
            "seconds": None,
        }
        at = start + dt.timedelta(seconds=rng.randrange(DAYS * 86400 - 7200))
        first = at
        rows: list[dict[str, Any]] = []

        def add(
            kind: str, row: dict[str, Any] = base, into: list[Any] = rows, **fields: Any
        ) -> None:
            nonlocal at
            at += dt.timedelta(seconds=rng.randrange(5, 60))
            into.append({**row, "kind": kind, "at": at, **fields})

        leave_at = rng.randrange(len(pages) * 3)  # about a third leave part-way
        outcome = "submitted"
        for index, page in enumerate(pages):
            add(ev.VIEWED, page_id=page.id)
            if index == leave_at:
                outcome = "left"
                break
            if page.questions and rng.random() < 0.08:
                question = rng.choice(page.questions)
                add(
                    ev.ERROR,
                    page_id=page.id,
                    question_id=question.id,
                    check_key=rng.choice(["required", "invalid"]),
                )
            add(ev.SAVED, page_id=page.id)
            if index == 0:
                add(ev.STARTED, page_id=page.id)
                first = at
                if rng.random() < 0.05:
                    add(ev.VIEWED, page_id=exit_page.id)
                    add(ev.EXITED, page_id=exit_page.id)
                    outcome = "exited"
                    break
        if outcome == "submitted":
            add(ev.SUBMITTED, seconds=int((at - first).total_seconds()))
            if rng.random() < 0.15:
                add(ev.FEEDBACK, satisfaction=rng.choice(ev.SATISFACTION), draft_key=None)
        yield from rows[: EVENTS - made]
        made += len(rows)


class Summaries:
    """The daily counts and draft progress that recording these events would have kept,
    worked out as the events are generated (as `performance.events` does per request)."""

    def __init__(self) -> None:
        self.days: dict[tuple[Any, ...], int] = {}
        self.drafts: dict[str, dict[str, Any]] = {}

    def add(self, row: dict[str, Any]) -> None:
        kind, key, page = row["kind"], row["draft_key"], row["page_id"]
        state = self.drafts.get(key) if key else None
        if key and state is None:
            state = self.drafts[key] = {
                "draft_key": key,
                "service_id": row["service_id"],
                "channel": row["channel"],
                "contact_channel": row["contact_channel"],
                "started_at": None,
                "submitted_at": None,
                "exited_at": None,
                "seconds": None,
                "last_page": None,
                "last_seen_at": None,
                "pages": "|",
            }
        item = {
            ev.ERROR: f"{row['question_id']}:{row['check_key']}",
            ev.FEEDBACK: row["satisfaction"],
        }.get(kind, "")
        if kind in (ev.STARTED, ev.SUBMITTED, ev.EXITED, ev.ERROR, ev.FEEDBACK):
            self.count(row, kind, item)
        if state is None:
            return
        if page and f"|{page}|" not in state["pages"] and kind in (ev.VIEWED, ev.SAVED, ev.ERROR):
            state["pages"] += f"{page}|"
            self.count(row, "reached", page)
        if kind in (ev.VIEWED, ev.ERROR):
            state["last_page"], state["last_seen_at"] = page, row["at"]
        if kind == ev.STARTED:
            state["started_at"] = row["at"]
        if kind == ev.EXITED:
            state["exited_at"] = row["at"]
        if kind == ev.SUBMITTED:
            state["submitted_at"], state["seconds"] = row["at"], row["seconds"]

    def count(self, row: dict[str, Any], metric: str, item: str) -> None:
        key = (row["at"].date(), row["service_id"], row["channel"], metric, item)
        self.days[key] = self.days.get(key, 0) + 1

    def day_rows(self) -> list[dict[str, Any]]:
        names = ("day", "service_id", "channel", "metric", "item")
        return [{**dict(zip(names, key, strict=True)), "count": n} for key, n in self.days.items()]


def clear() -> None:
    for table in (Event, DailyCount):
        db.session.execute(delete(table).where(table.service_id == SERVICE))
    db.session.execute(delete(DraftProgress).where(DraftProgress.service_id == SERVICE))
    db.session.commit()


def build(service: Any) -> float:
    began = time.perf_counter()
    clear()
    summaries = Summaries()
    batch: list[dict[str, Any]] = []
    for row in journeys(service):
        summaries.add(row)
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(Event), batch)
            batch = []
    if batch:
        db.session.execute(insert(Event), batch)
    drafts = list(summaries.drafts.values())
    for start in range(0, len(drafts), BATCH):
        db.session.execute(insert(DraftProgress), drafts[start : start + BATCH])
    db.session.execute(insert(DailyCount), summaries.day_rows())
    db.session.commit()
    return time.perf_counter() - began


def timed(action: Callable[[], Any], runs: int = 5) -> tuple[float, float]:
    """(first run, median of the rest) in seconds."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return times[0], statistics.median(times[1:])


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(work) / 'bench.db'}"
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "SERVICE_BUILDER_RELOAD": False,
            }
        )
        with app.app_context():
            service = app.extensions["service_builder"].catalog.get(SERVICE)
            print(f"database: {db.engine.dialect.name}")
            print(f"built {EVENTS:,} events in {build(service):.1f} s")
            save_user("bench@example.com", "bench password 123", "admin")
            figures = stats(service, window(SERVICE, None, None))
            everything = figures["by_channel"]["all"]
            print(
                f"figures: started {everything['started']:,}, submitted "
                f"{everything['submitted']:,}, exited {everything['exited']:,}, "
                f"take-up {figures['digital_take_up']:.3f}"
            )
            first, warm = timed(lambda: stats(service, window(SERVICE, None, None)))
            print(f"stats: first {first:.3f} s, then median {warm:.3f} s")
        client = app.test_client()
        client.post(
            "/staff/sign-in", data={"email": "bench@example.com", "password": "bench password 123"}
        )
        page = f"/admin/services/{SERVICE}/performance"

        def fetch() -> None:
            assert client.get(page).status_code == 200

        first, warm = timed(fetch)
        print(f"performance page: first {first:.3f} s, then median {warm:.3f} s")
        with app.app_context():
            clear()


if __name__ == "__main__":
    main()
