"""Scale out: two gunicorn masters on two ports against one PostgreSQL, a mixed resident and
assisted locust load for a bounded time on loopback, then a check that no answer was lost
and no submission duplicated.

    .venv/bin/python bench/scale_out.py --database postgresql+psycopg://… \\
        [--seconds 60] [--users 16] [--ports 5143,5144]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.http_bench import BIN, Server, prepare_database  # noqa: E402

SERVICE = "council-tax-single-person-discount"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].replace("\n", " "),
        epilog="The servers run with SERVICE_BUILDER_ENV=test: plain HTTP with secure cookies "
        "off (production needs its TLS proxy), otherwise as in production. Choose free ports "
        "with --ports.",
    )
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--ports", default="5143,5144")
    args = parser.parse_args()
    if not args.database.startswith("postgresql"):
        raise SystemExit("give a PostgreSQL URL: --database postgresql+psycopg://user:pw@host/db")
    ports = [int(port) for port in args.ports.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    env = {
        # `test` serves plain HTTP with secure cookies off (production needs its TLS proxy);
        # everything else is as in production: CSRF, sessions, the same SECRET_KEY.
        "SERVICE_BUILDER_ENV": "test",
        "SECRET_KEY": "scale-out-secret",
        "DATABASE_URL": args.database,
        "SUBMIT_RATE_LIMIT": "100000 per minute",  # every locust user sends from 127.0.0.1
    }
    run_env = {**os.environ, **env}
    prepare_database(run_env, "agent@bench.example", "bench-password-123")
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    servers = [
        Server("service_builder:create_app()", port, env, work / f"app-{port}.log")
        for port in ports
    ]
    results = work / "results.jsonl"
    try:
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                str(args.users),
                "-r",
                str(args.users),
                "-t",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{ports[0]}",
                "--csv",
                str(work / "locust"),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            env={
                **os.environ,
                "BENCH_HOSTS": ",".join(f"http://127.0.0.1:{p}" for p in ports),
                "BENCH_RESULTS": str(results),
            },
            check=False,
            capture_output=True,
            text=True,
        )
    finally:
        for server in servers:
            server.stop()
    report(work, results, args, started)
    shutil.rmtree(work, ignore_errors=True)


def report(work: Path, results: Path, args: argparse.Namespace, started: dt.datetime) -> None:
    with (work / "locust_stats.csv").open() as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    print(
        f"\nScale out: 2 gunicorn masters x 2 sync workers, one PostgreSQL, {args.users} locust "
        f"users (3 residents : 1 agent), {args.seconds} s"
    )
    print(
        f"requests {total['Request Count']}, {float(total['Requests/s']):.1f} req/s, "
        f"p50 {total['50%']} ms, p99 {total['99%']} ms, failures {total['Failure Count']}"
    )
    sent = (
        [json.loads(line) for line in results.read_text().splitlines()] if results.exists() else []
    )
    engine = create_engine(args.database)
    with engine.connect() as connection:
        stored = connection.execute(
            text(
                "SELECT reference, channel, answers FROM submissions "
                "WHERE service_id = :service AND submitted_at >= :started"
            ),
            {"service": SERVICE, "started": started},
        ).all()
    engine.dispose()
    by_name: dict[str, list[tuple[str, str, dict[str, object]]]] = {}
    for reference, channel, answers in stored:
        by_name.setdefault(str(answers.get("full_name")), []).append((reference, channel, answers))
    duplicated = sum(1 for found in by_name.values() if len(found) > 1)
    lost = 0
    for journey in sent:
        found = by_name.get(journey["full_name"], [])
        if (
            len(found) != 1
            or found[0][0] != journey["reference"]
            or found[0][2].get("account_number") != journey["account_number"]
            or found[0][1] != journey["channel"]
        ):
            lost += 1
    channels = {c: sum(1 for j in sent if j["channel"] == c) for c in ("online", "assisted")}
    print(
        f"journeys confirmed {len(sent)} (online {channels['online']}, assisted "
        f"{channels['assisted']}); submissions stored {len(stored)}; answers lost {lost}; "
        f"submissions duplicated {duplicated}"
    )
    if lost or duplicated:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
