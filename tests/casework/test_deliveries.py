"""Deliveries are recorded with the submission and sent by the worker: signed, retried, once."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import logging

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from service_builder.cases import Case
from service_builder.deliveries import (
    GIVE_UP_AFTER,
    Delivery,
    queue_status_email,
    retry_delay,
)
from service_builder.exports import submissions_for, to_json
from service_builder.models import Submission, db, utcnow
from service_builder.senders import Senders
from service_builder.worker import Worker
from tests.casework.conftest import send_pothole
from tests.stand_ins import StandIn


def deliveries(app: Flask) -> list[Delivery]:
    with app.app_context():
        found = list(db.session.scalars(select(Delivery).order_by(Delivery.id)))
        db.session.expunge_all()
        return found


def run_worker(app: Flask, environ: dict[str, str], **options: object) -> int:
    with app.app_context():
        return Worker(Senders(environ=environ), **options).run_once()  # type: ignore[arg-type]


def make_due(app: Flask) -> None:
    with app.app_context():
        db.session.execute(update(Delivery).values(next_attempt_at=utcnow()))
        db.session.commit()


def test_a_submission_records_its_case_and_deliveries_and_sends_nothing(
    app: Flask, client: FlaskClient, webhook: StandIn, notify: StandIn
) -> None:
    reference = send_pothole(client)
    found = deliveries(app)
    assert sorted(d.purpose for d in found) == ["confirmation", "team", "webhook"]
    assert {d.status for d in found} == {"pending"}
    assert webhook.received == [] and notify.received == []  # nothing sent in the request
    with app.app_context():
        case = db.session.scalar(select(Case))
        assert case is not None and case.reference == reference and case.status == "received"


def test_the_worker_sends_the_signed_export_record_and_the_notify_emails(
    app: Flask, client: FlaskClient, webhook: StandIn, notify: StandIn, environ: dict[str, str]
) -> None:
    reference = send_pothole(client)
    assert run_worker(app, environ) == 3
    [hook] = webhook.received
    with app.app_context():
        exported = json.loads(to_json(submissions_for("report-a-pothole")))
    assert hook.json() == exported[0]
    assert hook.path == "/cases"
    assert hook.headers["Content-Type"] == "application/json"
    assert hook.headers["X-Service-Builder-Reference"] == reference
    expected = hmac.new(b"shared-secret", hook.body, hashlib.sha256).hexdigest()
    assert hook.headers["X-Service-Builder-Signature"] == f"sha256={expected}"

    emails = {request.json()["template_id"]: request.json() for request in notify.received}
    assert all(r.path == "/v2/notifications/email" for r in notify.received)
    confirmation = emails["11111111-1111-1111-1111-111111111111"]
    assert confirmation["email_address"] == "ada@example.com"
    assert confirmation["reference"] == reference
    personalisation = confirmation["personalisation"]
    assert personalisation["reference"] == reference
    assert personalisation["service_title"] == "Report a pothole"
    assert personalisation["status_url"] == f"http://localhost/status?reference={reference}"
    assert emails["33333333-3333-3333-3333-333333333333"]["email_address"] == (
        "highways@council.example"
    )
    assert {d.status for d in deliveries(app)} == {"delivered"}

    make_due(app)
    assert run_worker(app, environ) == 0  # delivered is never sent again
    assert len(webhook.received) == 1 and len(notify.received) == 2


def test_a_failing_webhook_is_retried_with_growing_waits_until_it_is_delivered(
    app: Flask, client: FlaskClient, webhook: StandIn, environ: dict[str, str]
) -> None:
    webhook.answers = [500, 404]
    send_pothole(client)
    before = utcnow()
    run_worker(app, environ)
    [hook] = [d for d in deliveries(app) if d.purpose == "webhook"]
    assert hook.status == "pending" and hook.attempts == 1
    assert hook.last_error == "the receiver answered 500"
    first_wait = hook.next_attempt_at - before
    assert dt.timedelta(seconds=25) < first_wait <= dt.timedelta(minutes=1)
    assert run_worker(app, environ) == 0  # not due yet

    make_due(app)
    before = utcnow()
    run_worker(app, environ)
    [hook] = [d for d in deliveries(app) if d.purpose == "webhook"]
    assert hook.attempts == 2 and hook.last_error == "the receiver answered 404"
    assert hook.next_attempt_at - before > first_wait

    make_due(app)
    run_worker(app, environ)
    [hook] = [d for d in deliveries(app) if d.purpose == "webhook"]
    assert hook.status == "delivered" and hook.attempts == 3 and hook.last_error is None
    assert len({r.body for r in webhook.received}) == 1  # the same bytes each time
    assert len(webhook.received) == 3


def test_the_worker_counts_and_logs_what_it_sent_and_what_failed(
    app: Flask,
    client: FlaskClient,
    webhook: StandIn,
    environ: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    webhook.answers = [500]
    send_pothole(client)
    with app.app_context(), caplog.at_level(logging.INFO):
        worker = Worker(Senders(environ=environ))
        attempted = worker.run_once()
    assert (attempted, worker.sent, worker.failed) == (attempted, attempted - 1, 1)
    assert attempted > 1
    assert "(webhook) failed: the receiver answered 500" in caplog.text
    assert caplog.text.count(") sent") == attempted - 1  # ids and purposes: no answers


def test_no_answer_in_time_is_a_failure(
    app: Flask, client: FlaskClient, webhook: StandIn, environ: dict[str, str]
) -> None:
    webhook.delay = 1.0
    send_pothole(client)
    with app.app_context():
        senders = Senders(environ=environ, timeout=0.3)
        Worker(senders).run_once()
    [hook] = [d for d in deliveries(app) if d.purpose == "webhook"]
    assert hook.status == "pending" and hook.last_error == "no answer within 0.3 seconds"


def test_retries_last_at_least_a_day_then_the_delivery_is_failed(
    app: Flask,
    client: FlaskClient,
    webhook: StandIn,
    environ: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    waits = [retry_delay(n) for n in range(1, 40)]
    assert waits[0] <= dt.timedelta(minutes=1)
    assert all(a <= b for a, b in itertools.pairwise(waits))
    webhook.answers = [503] * 10
    send_pothole(client)
    with app.app_context():
        db.session.execute(
            update(Delivery).values(created_at=utcnow() - GIVE_UP_AFTER + dt.timedelta(hours=1))
        )
        db.session.commit()
    for _ in range(5):
        make_due(app)
        run_worker(app, environ)
    [hook] = [d for d in deliveries(app) if d.purpose == "webhook"]
    assert hook.status == "pending"  # still within the day
    assert "given up" not in caplog.text
    with app.app_context():
        db.session.execute(update(Delivery).values(created_at=utcnow() - GIVE_UP_AFTER))
        db.session.commit()
    make_due(app)
    run_worker(app, environ)
    [hook] = [d for d in deliveries(app) if d.purpose == "webhook"]
    assert hook.status == "failed" and hook.last_error == "the receiver answered 503"
    # an operator's alert: an ERROR line (the retries before it were warnings), and a gauge
    (given_up,) = [r for r in caplog.records if "given up" in r.getMessage()]
    assert given_up.levelname == "ERROR" and "(webhook)" in given_up.getMessage()
    metrics = client.get("/metrics").get_data(as_text=True)
    assert 'service_builder_deliveries_failed{purpose="webhook"} 1.0' in metrics


def test_without_a_notify_key_emails_are_recorded_not_sent_with_a_warning(
    app: Flask,
    client: FlaskClient,
    notify: StandIn,
    environ: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    del environ["NOTIFY_API_KEY"]
    reference = send_pothole(client, email="private@example.com")
    with app.app_context(), caplog.at_level(logging.INFO):
        worker = Worker(Senders(environ=environ))
        attempted = worker.run_once()
    assert (worker.sent, worker.failed) == (1, 0) and attempted > 1  # the webhook alone
    assert "(confirmation) sent" not in caplog.text
    emails = [d for d in deliveries(app) if d.purpose != "webhook"]
    assert {d.status for d in emails} == {"not_sent"}
    assert notify.received == []
    assert f"NOTIFY_API_KEY is not set: email for {reference} recorded, not sent" in caplog.text
    assert "private@example.com" not in caplog.text
    metrics = client.get("/metrics").get_data(as_text=True)  # not lost without a trace
    assert 'service_builder_deliveries_not_sent{purpose="confirmation"} 1.0' in metrics
    with app.app_context(), caplog.at_level(logging.WARNING):  # said once at the start too
        emailing = worker.senders.warn_without_notify_key(app.extensions["service_builder"].catalog)
    assert "pothole" in " ".join(emailing) and "will be recorded, not sent" in caplog.text


def test_notify_that_does_not_answer_in_time_is_said_as_such(
    app: Flask, client: FlaskClient, notify: StandIn, environ: dict[str, str]
) -> None:
    """A re-trial: a timeout was stored as 'could not connect to Notify: ReadTimeout'."""
    notify.delay = 1.0
    send_pothole(client)
    with app.app_context():
        Worker(Senders(environ=environ, timeout=0.3)).run_once()
    emails = [d for d in deliveries(app) if d.purpose != "webhook"]
    assert {d.last_error for d in emails} == {"Notify did not answer within 0.3 seconds"}


def test_notify_out_of_reach_is_said_as_such_not_as_its_answer(
    app: Flask, client: FlaskClient, environ: dict[str, str]
) -> None:
    """An operator's trial: no answer at all was stored as "Notify answered 503"."""
    environ["NOTIFY_BASE_URL"] = "http://127.0.0.1:9"  # nothing listens there
    send_pothole(client)
    run_worker(app, environ)
    emails = [d for d in deliveries(app) if d.purpose != "webhook"]
    assert {d.last_error for d in emails} == {"could not connect to Notify: ConnectionError"}


def test_notify_errors_are_kept_by_name_and_retried(
    app: Flask, client: FlaskClient, notify: StandIn, environ: dict[str, str]
) -> None:
    environ["NOTIFY_API_KEY"] = "test_key-" + "0" * 36 + "-" + "1" * 36  # a key Notify refuses
    send_pothole(client)
    run_worker(app, environ)
    emails = [d for d in deliveries(app) if d.purpose != "webhook"]
    assert {d.last_error for d in emails} == {"Notify answered 403: AuthError"}
    assert {d.status for d in emails} == {"pending"}


def test_an_unset_webhook_variable_is_an_error_to_retry(
    app: Flask, client: FlaskClient, environ: dict[str, str]
) -> None:
    del environ["POTHOLE_CASE_URL"]
    send_pothole(client)
    run_worker(app, environ)
    [hook] = [d for d in deliveries(app) if d.purpose == "webhook"]
    assert hook.status == "pending"
    assert hook.last_error == "the environment variable POTHOLE_CASE_URL is not set"


def test_a_status_email_is_queued_only_with_a_template_and_an_address(
    app: Flask, client: FlaskClient
) -> None:
    send_pothole(client)
    with app.app_context():
        submission = db.session.scalar(select(Submission))
        catalog = app.extensions["service_builder"].catalog
        assert submission is not None
        assert queue_status_email(submission, catalog.get("report-a-pothole"), "in_progress")
        assert not queue_status_email(submission, catalog.get("report-a-broken-bench"), "closed")
        db.session.commit()
    [status] = [d for d in deliveries(app) if d.purpose == "status"]
    assert status.payload["template_id"] == "22222222-2222-2222-2222-222222222222"
    assert status.payload["personalisation"]["status"] == "in_progress"


def test_a_worker_stopped_mid_claim_gives_back_what_it_has_not_tried(
    app: Flask, client: FlaskClient, webhook: StandIn, notify: StandIn, environ: dict[str, str]
) -> None:
    send_pothole(client)  # three deliveries, claimed as one batch
    with app.app_context():
        stopping = Worker(Senders(environ=environ))
        tried = stopping.attempt

        def attempt_then_stop(delivery: object) -> None:
            tried(delivery)  # type: ignore[arg-type]
            stopping.stop.set()  # SIGTERM during the first send

        stopping.attempt = attempt_then_stop  # type: ignore[method-assign]
        assert stopping.run_once() == 1
    left = [d for d in deliveries(app) if d.status == "pending"]
    assert len(left) == 2
    assert all(d.claimed_by is None and d.claimed_until is None for d in left)
    assert run_worker(app, environ) == 2  # another worker takes them now, not in 5 minutes


def test_a_webhook_without_its_variables_goes_to_the_development_receiver_if_one_is_set(
    app: Flask, client: FlaskClient, webhook: StandIn, environ: dict[str, str]
) -> None:
    """`make run` sets DEVELOPMENT_WEBHOOK_*, so a webhook a designer has just added, whose
    variables nobody has set, can be tried on the development receiver."""
    del environ["POTHOLE_CASE_URL"], environ["POTHOLE_CASE_SECRET"]
    environ["DEVELOPMENT_WEBHOOK_URL"] = webhook.url + "/dev"
    environ["DEVELOPMENT_WEBHOOK_SECRET"] = "dev-secret"
    send_pothole(client)
    run_worker(app, environ)
    [hook] = [d for d in deliveries(app) if d.purpose == "webhook"]
    assert hook.status == "delivered"
    [received] = webhook.received
    assert received.path == "/dev"
    expected = hmac.new(b"dev-secret", received.body, hashlib.sha256).hexdigest()
    assert received.headers["X-Service-Builder-Signature"] == f"sha256={expected}"
    environ["SERVICE_BUILDER_ENV"] = "production"  # never on a live server
    send_pothole(app.test_client())
    run_worker(app, environ)
    assert [d.last_error for d in deliveries(app) if d.purpose == "webhook"][1] == (
        "the environment variable POTHOLE_CASE_URL is not set"
    )
    assert len(webhook.received) == 1
    environ["SERVICE_BUILDER_ENV"] = "development"
    environ["POTHOLE_CASE_URL"] = webhook.url + "/own"  # one of its own set: no fallback
    send_pothole(app.test_client())
    run_worker(app, environ)
    assert [d.last_error for d in deliveries(app) if d.purpose == "webhook"][2] == (
        "the environment variable POTHOLE_CASE_SECRET is not set"
    )
