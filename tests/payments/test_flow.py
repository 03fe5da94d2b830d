"""Starting a payment (payments.flow): two 'Continue to payment' posts for one draft at the
same moment make one GOV.UK Pay payment, on a SQLite file and on PostgreSQL, against the
local Pay stand-in; and the database itself refuses a second live payment for a draft."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from service_builder.models import Draft, db
from service_builder.payments import flow
from service_builder.payments.models import Payment
from service_builder.payments.stand_in import PayStandIn, pay_stand_in
from tests.conftest import DATABASE_URL, copy_fixture, empty_database, make_app
from tests.web.test_payments import BASE, answer

PAY_DELAY = 0.3
"""Pay takes this long to answer a create: long enough for the two requests to overlap."""


@pytest.fixture
def pay() -> Iterator[PayStandIn]:
    with pay_stand_in() as stand_in:
        create = stand_in.create

        def slow_create(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            time.sleep(PAY_DELAY)
            return create(body)

        stand_in.create = slow_create  # type: ignore[method-assign]
        yield stand_in


@pytest.fixture(params=["sqlite-file", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite-file":  # a file: each thread has its own connection
        return f"sqlite:///{tmp_path / 'race.db'}"
    if not DATABASE_URL.startswith("postgresql"):
        pytest.skip("DATABASE_URL is not a PostgreSQL database")
    return DATABASE_URL


@pytest.fixture
def race_app(tmp_path: Path, pay: PayStandIn, database: str) -> Iterator[Flask]:
    folder = tmp_path / "definitions"
    folder.mkdir()
    copy_fixture("paying.yaml", folder)
    app = make_app(
        folder, PAY_API_KEY=pay.api_key, PAY_BASE_URL=pay.url, SQLALCHEMY_DATABASE_URI=database
    )
    empty_database(app)
    yield app
    empty_database(app)


def both_at_once(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Two browsers holding one draft post 'Continue to payment' together. Each request
    reads the draft's payments, then waits (up to a second) for the other to have read them
    too, so both saw no payment before either starts one: the race, every time. (PostgreSQL
    holds the second request at the row lock, before it reads: the first then waits out the
    second and goes on alone.)"""
    first = app.test_client()
    answer(first)
    cookie = first.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    second = app.test_client()
    second.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie.value)
    barrier = threading.Barrier(2)
    latest = flow.latest_payment

    def latest_then_wait(draft: Draft) -> Payment | None:
        found = latest(draft)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=1)
        return found

    monkeypatch.setattr(flow, "latest_payment", latest_then_wait)
    results: list[Any] = [None, None]

    def post(index: int, client: Any) -> None:
        results[index] = client.post(f"{BASE}/check-answers")

    threads = [threading.Thread(target=post, args=pair) for pair in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_posts_at_once_start_one_pay_payment(
    race_app: Flask, pay: PayStandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = both_at_once(race_app, monkeypatch)
    assert one.status_code == two.status_code == 302
    assert one.location == two.location  # the second goes on with the first one's payment
    assert one.location.startswith(pay.url + "/secure/")
    creates = [r for r in pay.requests if r[0] == "POST" and r[1] == "/v1/payments"]
    assert len(creates) == 1
    assert len(pay.payments) == 1
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 1


def test_the_database_allows_one_live_payment_per_draft(race_app: Flask) -> None:
    client = race_app.test_client()
    answer(client)
    with race_app.app_context():
        draft = db.session.scalars(select(Draft)).one()

        def add(status: str, token: str) -> None:
            db.session.add(
                Payment(draft_id=draft.id, token=token, reference=token, amount=1, status=status)
            )
            db.session.commit()

        add("superseded", "a")
        add("failed", "b")
        add("started", "c")
        add("success", "d")  # finished ones never count
        with pytest.raises(IntegrityError):
            add("created", "e")
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 4


def test_pay_refusing_leaves_no_claim_so_the_next_click_starts_one(
    race_app: Flask, pay: PayStandIn
) -> None:
    client = race_app.test_client()
    answer(client)
    pay.fail_with = 503
    assert client.post(f"{BASE}/check-answers").status_code == 503
    with race_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Payment)) == 0
    pay.fail_with = None
    response = client.post(f"{BASE}/check-answers")
    assert response.status_code == 302 and response.location.startswith(pay.url + "/secure/")
    assert len(pay.payments) == 1
