"""Benchmark: delivery throughput of `service-builder worker` processes, one and several.

Seeds submissions of a service with a webhook and two Notify emails, starts a local stand-in
receiver (webhooks and Notify), runs N workers with --once, and prints deliveries per second
measured between the first and the last delivery's `delivered_at` (so process start-up is
not counted). Uses DATABASE_URL, or a throwaway SQLite file.

    .venv/bin/python bench/deliveries.py --submissions 200 --workers 1 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import Flask  # noqa: E402
from sqlalchemy import delete, func, select  # noqa: E402

from service_builder import create_app  # noqa: E402
from service_builder.dev_receiver import make_handler  # noqa: E402
from service_builder.loopback import serving  # noqa: E402
from service_builder.models import db  # noqa: E402
from tests.casework.seeding import seed  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "definitions"
KEY = "bench-" + "00000000-0000-4000-8000-000000000000-" + "11111111-1111-4111-8111-111111111111"


def seed_afresh(app: Flask, count: int) -> None:
    with app.app_context():
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(delete(table))
        db.session.commit()
    seed(app, count)


def run(url: str, definitions: Path, count: int, workers: int, receiver: str) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SERVICE_BUILDER_DEFINITIONS": str(definitions),
            "SERVICE_BUILDER_RELOAD": False,
            "SECRET_KEY": "bench",
        }
    )
    seed_afresh(app, count)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "POTHOLE_CASE_URL": receiver + "/cases",
        "POTHOLE_CASE_SECRET": "bench-secret",
        "NOTIFY_API_KEY": KEY,
        "NOTIFY_BASE_URL": receiver,
    }
    command = [str(Path(sys.executable).with_name("service-builder")), "worker", "--once"]
    command += ["--definitions", str(definitions)]
    processes = [
        subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL) for _ in range(workers)
    ]
    for process in processes:
        process.wait()
    from service_builder.deliveries import Delivery

    with app.app_context():
        first, last, delivered = db.session.execute(
            select(
                func.min(Delivery.delivered_at),
                func.max(Delivery.delivered_at),
                func.count(Delivery.delivered_at),
            )
        ).one()
        total = db.session.scalar(select(func.count()).select_from(Delivery))
    seconds = (last - first).total_seconds()
    print(
        f"{workers} worker{'s' if workers > 1 else ''}: {delivered}/{total} delivered in "
        f"{seconds:.1f} s = {delivered / seconds:.0f} deliveries/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--submissions", type=int, default=200, help="3 deliveries each")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3])
    args = parser.parse_args()
    with serving(make_handler("bench-secret")) as server:
        measure(args, server.url)


def measure(args: argparse.Namespace, receiver: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        definitions = Path(folder)
        (definitions / "casework.yaml").write_text(
            (FIXTURES / "casework.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{definitions / 'bench.db'}"
        print(f"database: {url.split('@')[-1]}")
        for workers in args.workers:
            run(url, definitions, args.submissions, workers, receiver)


if __name__ == "__main__":
    main()
