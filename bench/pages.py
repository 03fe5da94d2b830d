"""Benchmark: check-answers with 100 answers, a 200-page against a 10-page definition, and the
memory an export of 100,000 submissions takes. In-process (Flask test client); CPU time.

    .venv/bin/python bench/pages.py [--no-export]
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from service_builder import create_app  # noqa: E402
from service_builder.models import Draft, Submission, db  # noqa: E402
from service_builder.submissions import find_draft  # noqa: E402
from service_builder.walks import walks  # noqa: E402


def definition(service_id: str, pages: int, per_page: int = 1) -> str:
    lines = [f"id: {service_id}", f"title: Bench {pages}", "pages:"]
    for p in range(pages):
        lines += [f"  - id: page-{p}", f"    title: Part {p}", "    questions:"]
        for q in range(per_page):
            lines += [
                f"      - id: q_{p}_{q}",
                "        type: text",
                f"        label: What is answer {p} {q}?",
            ]
    return "\n".join(lines) + "\n"


def app_with(folder: Path, database: str) -> Flask:
    return create_app(
        {
            "SERVICE_BUILDER_ENV": "test",
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": database,
            "SERVICE_BUILDER_DEFINITIONS": str(folder),
            "WTF_CSRF_ENABLED": False,
        }
    )


def cpu_ms(action: Callable[[], object], repeat: int = 200) -> float:
    """Median CPU milliseconds of one call (CPU, not wall: the machine is shared)."""
    action()
    samples = []
    for _ in range(repeat):
        started = time.process_time_ns()
        action()
        samples.append((time.process_time_ns() - started) / 1e6)
    return statistics.median(samples)


def filled_client(app: Flask, service_id: str, answered: int, per_page: int = 1) -> object:
    """A client whose draft has the first `answered` pages answered."""
    client = app.test_client()
    client.post(f"/{service_id}/page-0", data={f"q_0_{q}": "An answer" for q in range(per_page)})
    with app.app_context():
        token = client.get_cookie("session")
        service = app.extensions["service_builder"].catalog.get(service_id)
        draft = db.session.query(Draft).order_by(Draft.id.desc()).first()  # this client's
        assert draft is not None and draft.service_id == service_id
        answers = {f"q_{p}_{q}": "An answer" for p in range(answered) for q in range(per_page)}
        draft.data = {"answers": answers, "completed": [f"page-{p}" for p in range(answered)]}
        db.session.commit()
        assert token is not None and find_draft(draft.token, service) is not None
    return client


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        run(work, export="--no-export" not in sys.argv)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path, export: bool = True) -> None:
    folder = work / "definitions"
    folder.mkdir()
    (folder / "ten.yaml").write_text(definition("ten", 10))
    (folder / "two-hundred.yaml").write_text(definition("two-hundred", 200))
    (folder / "hundred.yaml").write_text(definition("hundred", 10, per_page=10))
    (folder / "wide.yaml").write_text(definition("wide", 10, per_page=20))
    app = app_with(folder, f"sqlite:///{work}/bench.db")

    print("\nIn-process, median CPU ms per request")
    client = filled_client(app, "hundred", 10, per_page=10)
    check = cpu_ms(lambda: client.get("/hundred/check-answers"))  # type: ignore[attr-defined]
    print(f"{'check answers with 100 answers':44} {check:7.2f} ms   (target < 10)")

    print(
        "\nA 200-page definition against a 10-page one: median CPU ms of a page's GET and of its"
        "\nanswer POST, on its first, middle and last page, with the first k pages answered."
        "\n'kept': the walk of these answers is in this process's cache (the usual case: the"
        "\nprevious request walked them); 'cold': the cache emptied before every request."
        "\n'10-page x 20': 20 questions a page, so that its last page has as many answers"
        "\nbefore it (180) as the 200-page one's (199): what is left is the cost of the answers."
    )
    print(f"{'':28} {'first':>13} {'middle':>13} {'last':>13}")
    print(f"{'':28} {'GET':>6} {'POST':>6} {'GET':>6} {'POST':>6} {'GET':>6} {'POST':>6}")
    for cold in (False, True):
        for service_id, pages, per_page in (
            ("ten", 10, 1),
            ("two-hundred", 200, 1),
            ("wide", 10, 20),
        ):
            cells = []
            for at in (0, pages // 2, pages - 1):
                c = filled_client(app, service_id, at, per_page) if at else app.test_client()
                url = f"/{service_id}/page-{at}"
                form = {f"q_{at}_{q}": "An answer" for q in range(per_page)}

                def get(c: object = c, url: str = url, cold: bool = cold) -> object:
                    if cold:
                        walks.walks.clear()
                    return c.get(url)  # type: ignore[attr-defined]

                def post(
                    c: object = c, url: str = url, form: dict = form, cold: bool = cold
                ) -> object:
                    if cold:
                        walks.walks.clear()
                    return c.post(url, data=form)  # type: ignore[attr-defined]

                cells += [cpu_ms(get), cpu_ms(post)]
            shape = f"{pages}-page" + (f" x {per_page}" if per_page > 1 else "")
            label = f"{shape}, {'cold' if cold else 'kept'}"
            print(f"{label:28} " + " ".join(f"{cell:6.2f}" for cell in cells))
            sys.stdout.flush()

    if not export:
        return
    print("\nexport, peak memory (MiB) of `service-builder export` by number of submissions")
    for count in (10_000, 100_000):
        database = f"sqlite:///{work}/export-{count}.db"
        export_app = app_with(folder, database)
        with export_app.app_context():
            drafts = [
                {"id": i, "token": f"t{i}", "service_id": "ten", "data": {}} for i in range(count)
            ]
            db.session.execute(insert(Draft), drafts)
            now = dt.datetime(2026, 1, 1)
            rows = [
                {
                    "reference": f"B-{i:08d}",
                    "service_id": "ten",
                    "definition_version": "v",
                    "submitted_at": now,
                    "channel": "online",
                    "answers": {f"q_{p}_0": f"Answer {i} {p}" for p in range(10)},
                    "draft_id": i,
                }
                for i in range(count)
            ]
            db.session.execute(insert(Submission), rows)
            db.session.commit()
            del drafts, rows
        for fmt in ("csv", "json"):
            started = time.perf_counter()
            process = subprocess.Popen(
                [
                    "/usr/bin/time",  # the export's own peak, not this process's, forked
                    "-f",
                    "%M",
                    "-o",
                    str(work / "peak"),
                    str(ROOT / ".venv/bin/service-builder"),
                    *("export", "--service", "ten", "--format", fmt),
                    *("--definitions", str(folder)),
                ],
                env={**os.environ, "DATABASE_URL": database, "SECRET_KEY": "bench"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            assert process.wait() == 0
            peak_kib = int((work / "peak").read_text().split()[-1])
            print(
                f"{count:>7} submissions {fmt:4}: peak RSS {peak_kib / 1024:6.1f} MiB, "
                f"{time.perf_counter() - started:5.1f} s"
            )


if __name__ == "__main__":
    main()
