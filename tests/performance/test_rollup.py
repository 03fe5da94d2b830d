"""Purging old events keeps the daily counts: figures and trends survive retention."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from service_builder.models import db, utcnow
from service_builder.performance.dashboard import weekly
from service_builder.performance.models import DailyCount, DraftProgress, Event
from service_builder.performance.rollup import purge_events
from service_builder.performance.stats import stats, window
from tests.performance.journeys import pothole_app
from tests.performance.test_stats import SERVICE, drive_known_journeys


@pytest.fixture
def app() -> Iterator[Flask]:
    yield from pothole_app()


def additive(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures kept by the rollup (not last_seen_here or the median)."""
    kept = {}
    for channel, numbers in figures["by_channel"].items():
        kept[channel] = {
            "counts": [numbers[k] for k in ("started", "submitted", "exited", "completion_rate")],
            "reached": [page["reached"] for page in numbers["pages"]],
            "errors": numbers["validation_errors"],
            "satisfaction": numbers["satisfaction"],
        }
    return kept | {"take_up": figures["digital_take_up"]}


def test_figures_survive_the_purge_of_their_events(app: Flask) -> None:
    drive_known_journeys(app)
    with app.app_context():
        service = app.extensions["service_builder"].catalog.get(SERVICE)
        back = dt.timedelta(days=500)  # moved in Python: SQLite has no date arithmetic
        for event in db.session.scalars(select(Event)):
            event.at -= back
        for day in db.session.scalars(select(DailyCount)):
            day.day -= back
        for draft in db.session.scalars(select(DraftProgress)):
            for name in ("started_at", "submitted_at", "exited_at", "last_seen_at"):
                if getattr(draft, name) is not None:
                    setattr(draft, name, getattr(draft, name) - back)
        db.session.commit()
        today = utcnow().date()
        win = window(SERVICE, today - dt.timedelta(days=510), today)
        before, trend = stats(service, win), weekly(win, None)
        assert before["by_channel"]["all"]["started"] == 4

        assert purge_events(395, utcnow()) > 0
        assert db.session.scalar(select(func.count()).select_from(Event)) == 0
        assert db.session.scalar(select(func.count()).select_from(DraftProgress)) == 0
        assert (db.session.scalar(select(func.count()).select_from(DailyCount)) or 0) > 0
        after = stats(service, win)
        assert additive(after) == additive(before)
        assert weekly(win, None) == trend
        assert purge_events(395, utcnow()) == 0  # a second purge changes nothing
        assert additive(stats(service, win)) == additive(before)


def test_recent_events_are_kept(app: Flask) -> None:
    drive_known_journeys(app)
    with app.app_context():
        assert purge_events(395, utcnow()) == 0
        assert db.session.scalar(select(func.count()).select_from(DraftProgress)) == 5
