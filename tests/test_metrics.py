"""/metrics: figures read from the database at scrape time."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from service_builder.deliveries import DELIVERED, Delivery
from service_builder.models import db
from tests.conftest import make_app


def _queue(app: Flask, *purposes_and_status: tuple[str, str]) -> None:
    with app.app_context():
        for purpose, status in purposes_and_status:
            db.session.add(Delivery(purpose=purpose, payload={}, status=status))
        db.session.commit()


def test_delivery_queue_depth_counts_waiting_deliveries_by_purpose(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _queue(app, ("webhook", "pending"), ("webhook", "pending"), ("team", "pending"))
    _queue(app, ("confirmation", DELIVERED))
    text_ = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'service_builder_delivery_queue_depth{purpose="webhook"} 2.0' in text_
    assert 'service_builder_delivery_queue_depth{purpose="team"} 1.0' in text_
    assert 'service_builder_delivery_queue_depth{purpose="confirmation"} 0.0' in text_
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # as under gunicorn
    shared = app.test_client().get("/metrics").get_data(as_text=True)
    assert 'service_builder_delivery_queue_depth{purpose="webhook"} 2.0' in shared


def test_metrics_leave_out_the_queue_when_the_database_fails(tmp_path: Path) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'gone.db'}")
    with app.app_context():
        db.session.execute(text("DROP TABLE deliveries"))
        db.session.commit()
    response = app.test_client().get("/metrics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "service_builder_requests_total" in body
    assert "service_builder_delivery_queue_depth" not in body
