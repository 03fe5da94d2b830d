"""The delivery worker and a database outage: it waits, logs one line a try, and carries on."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from service_builder.deliveries import Delivery
from service_builder.models import db
from service_builder.senders import Senders
from service_builder.worker import Worker
from tests.casework.seeding import seed
from tests.conftest import make_app
from tests.stand_ins import StandIn

CLI = str(Path(sys.executable).with_name("service-builder"))
NOWHERE = "postgresql://sb:sb@127.0.0.1:5399/nothing_listens_here"


def eventually(condition: Callable[[], bool], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def worker_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "service_builder.worker"]


def test_the_worker_waits_out_an_outage_and_then_sends_what_is_due(
    casework_dir: Path,
    tmp_path: Path,
    webhook: StandIn,
    environ: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    folder, hidden = tmp_path / "db", tmp_path / "hidden"
    folder.mkdir()
    app = make_app(casework_dir, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/a.db")
    [reference] = seed(app, 1)
    with app.app_context():
        db.engine.dispose()
    folder.rename(hidden)  # the database can no longer be opened
    caplog.set_level(logging.WARNING, logger="service_builder.worker")
    worker = Worker(Senders(environ=environ), poll_seconds=0.01, longest_wait=0.04)

    def run() -> None:
        with app.app_context():
            worker.run()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        eventually(lambda: len(worker_lines(caplog)) >= 4)
        hidden.rename(folder)
        eventually(lambda: webhook.references() == [reference])
        with app.app_context():
            eventually(lambda: set(db.session.scalars(select(Delivery.status))) == {"delivered"})
            db.session.remove()
    finally:
        worker.stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    outage = worker_lines(caplog)
    assert all("database unreachable (unable to open database file)" in line for line in outage)
    assert [line.rsplit(" in ", 1)[1] for line in outage[:4]] == ["0.02 s"] + ["0.04 s"] * 3
    assert not any("Resident" in line or "@" in line for line in caplog.text.splitlines())


def start(*options: str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": NOWHERE,
        "SECRET_KEY": "worker-test",
        "SERVICE_BUILDER_ENV": "production",
    }
    return subprocess.Popen(
        [CLI, "worker", *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_worker_keeps_running_while_the_database_is_down_and_stops_on_sigterm() -> None:
    worker = start()
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(worker.stderr or []), daemon=True)
    reader.start()
    try:
        eventually(
            lambda: any("delivery worker" in line and "unreachable" in line for line in lines)
        )
        assert worker.poll() is None  # still running, waiting for the database
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=10) == 0
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    reader.join(timeout=5)
    assert "Traceback" not in "".join(lines)
    assert any("stopped" in line for line in lines)


def test_worker_once_exits_non_zero_in_one_line_when_the_database_is_down() -> None:
    worker = start("--once")
    _, errors = worker.communicate(timeout=60)
    assert worker.returncode == 1
    assert "Traceback" not in errors
    assert errors.strip().splitlines()[-1].startswith("Error: database unreachable (")


def test_the_worker_refuses_a_schema_behind_the_code_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "SECRET_KEY": "worker-test",
        "SERVICE_BUILDER_ENV": "production",
    }
    worker = subprocess.run(
        [CLI, "worker", "--once"], env=env, capture_output=True, text=True, timeout=60
    )
    assert worker.returncode == 1
    assert "Traceback" not in worker.stderr
    assert worker.stderr.strip().splitlines()[-1].endswith("run: service-builder db upgrade")
