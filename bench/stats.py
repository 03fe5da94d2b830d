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
from service_builder.performance.models import Event  # noqa: E402
from service_builder.performance.stats import stats, window  # noqa: E402
from service_builder.staff.accounts import save_user  # noqa: E402

SERVICE = "apply-parking-permit"
EVENTS = 1_000_000
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


def build(service: Any) -> float:
    began = time.perf_counter()
    db.session.execute(delete(Event).where(Event.service_id == SERVICE))
    batch: list[dict[str, Any]] = []
    for row in journeys(service):
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(Event), batch)
            batch = []
    if batch:
        db.session.execute(insert(Event), batch)
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
            db.session.execute(delete(Event).where(Event.service_id == SERVICE))
            db.session.commit()


if __name__ == "__main__":
    main()
