"""`service-builder worker` as real processes: several side by side, and one killed mid-batch."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from service_builder.deliveries import Delivery
from service_builder.models import db
from tests.casework.seeding import seed
from tests.conftest import empty_database, make_app
from tests.stand_ins import StandIn

POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
CLI = str(Path(sys.executable).with_name("service-builder"))


@pytest.fixture
def shared_url(tmp_path: Path) -> str:
    """A database the test and the worker processes share (an in-memory one cannot be)."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'shared.db'}"


@pytest.fixture
def shared_app(casework_dir: Path, shared_url: str) -> Iterator[Flask]:
    app = make_app(casework_dir, SQLALCHEMY_DATABASE_URI=shared_url)
    empty_database(app)
    yield app
    empty_database(app)


def start_worker(
    environ: dict[str, str], url: str, definitions: Path, *options: str
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        **environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "worker-test",
        "SERVICE_BUILDER_ENV": "test",
    }
    return subprocess.Popen(
        [CLI, "worker", "--definitions", str(definitions), *options],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def statuses(app: Flask) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
        return {status: count for status, count in rows}


def assert_each_seen_once(webhook: StandIn, notify: StandIn, references: list[str]) -> None:
    assert sorted(webhook.references()) == sorted(references)
    sent = collections.Counter(
        (request.json()["reference"], request.json()["template_id"]) for request in notify.received
    )
    assert len(sent) == 2 * len(references)
    assert set(sent.values()) == {1}


@pytest.mark.skipif(not POSTGRES, reason="needs DATABASE_URL (PostgreSQL); CI sets it")
def test_three_workers_on_postgresql_send_300_deliveries_each_exactly_once(
    shared_app: Flask,
    shared_url: str,
    casework_dir: Path,
    webhook: StandIn,
    notify: StandIn,
    environ: dict[str, str],
) -> None:
    references = seed(shared_app, 100)  # 100 webhooks and 200 emails
    started = time.monotonic()
    workers = [
        start_worker(environ, shared_url, casework_dir, "--once", "--batch", "10") for _ in range(3)
    ]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, worker.stderr.read() if worker.stderr else ""
    elapsed = time.monotonic() - started
    assert statuses(shared_app) == {"delivered": 300}
    assert_each_seen_once(webhook, notify, references)
    print(f"\n3 workers: 300 deliveries in {elapsed:.1f}s (including start-up)")


def test_a_worker_killed_mid_batch_loses_nothing(
    shared_app: Flask,
    shared_url: str,
    casework_dir: Path,
    webhook: StandIn,
    notify: StandIn,
    environ: dict[str, str],
) -> None:
    references = seed(shared_app, 10)
    webhook.held = True  # the worker's first webhook call hangs until the worker is dead
    doomed = start_worker(environ, shared_url, casework_dir, "--batch", "6", "--lease", "2")
    assert webhook.arrived.wait(timeout=60), "the worker never called the webhook"
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    webhook.release()
    with shared_app.app_context():
        claimed = db.session.scalar(
            select(func.count()).where(
                Delivery.status == "pending", Delivery.claimed_by.is_not(None)
            )
        )
    assert claimed, "the worker should have died holding claims"
    time.sleep(2.5)  # its lease runs out
    survivor = start_worker(environ, shared_url, casework_dir, "--once")
    assert survivor.wait(timeout=120) == 0
    assert statuses(shared_app) == {"delivered": 30}
    # at least once: everything arrived; what the dead worker had in flight may arrive twice
    assert set(webhook.references()) == set(references)
    assert {r.json()["reference"] for r in notify.received} == set(references)
