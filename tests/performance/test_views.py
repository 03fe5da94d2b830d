"""Page views: what each one writes, read back from the events and the draft's progress."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select, update

from service_builder.models import db
from service_builder.performance.events import VIEWED, VIEWED_AGAIN
from service_builder.performance.models import DraftProgress, Event
from service_builder.performance.stats import stats, window
from tests.performance.journeys import SERVICE, online, pothole_app

WHERE, DETAILS = f"/{SERVICE}/where", f"/{SERVICE}/details"


@pytest.fixture
def app() -> Iterator[Flask]:
    yield from pothole_app()


def views(app: Flask) -> list[str | None]:
    with app.app_context():
        return list(db.session.scalars(select(Event.page_id).where(Event.kind == VIEWED)))


def progress(app: Flask) -> DraftProgress:
    with app.app_context():
        [row] = db.session.scalars(select(DraftProgress))
        db.session.expunge(row)
        return row


def pages(app: Flask) -> dict[str, dict[str, int]]:
    with app.app_context():
        service = app.extensions["service_builder"].catalog.get(SERVICE)
        figures = stats(service, window(SERVICE, None, None))["by_channel"]["online"]
        return {row["page"]: row for row in figures["pages"]}


def test_a_page_shown_again_within_a_minute_is_recorded_once(app: Flask) -> None:
    client = online(app)
    client.get(WHERE)  # no draft yet: not recorded
    assert client.post(WHERE, data={"in_area": "yes"}).status_code == 302
    assert views(app) == []
    client.get(WHERE)
    seen = progress(app).last_seen_at
    assert seen is not None
    client.get(WHERE)  # a refresh: changes no figure
    assert views(app) == [WHERE.rsplit("/", 1)[1]]
    assert progress(app).last_seen_at == seen

    with app.app_context():
        earlier = seen - VIEWED_AGAIN - dt.timedelta(seconds=1)
        db.session.execute(update(DraftProgress).values(last_seen_at=earlier))
        db.session.commit()
    client.get(WHERE)  # a minute on: seen again
    assert views(app) == ["where", "where"]
    later = progress(app).last_seen_at
    assert later is not None and later > seen
    assert pages(app)["where"]["reached"] == 1


def test_each_page_is_reached_once_and_the_last_one_viewed_is_where_people_are(
    app: Flask,
) -> None:
    client = online(app)
    assert client.post(WHERE, data={"in_area": "yes"}).status_code == 302
    client.get(DETAILS)  # opened for the first time: counted reached
    client.get(WHERE)  # Back: opened before, so only the view and where the draft is
    assert views(app) == ["details", "where"]
    assert progress(app).last_page == "where"
    assert progress(app).pages == "|where|details|"
    figures = pages(app)
    assert (figures["where"]["reached"], figures["where"]["last_seen_here"]) == (1, 1)
    assert (figures["details"]["reached"], figures["details"]["last_seen_here"]) == (1, 0)
    client.get(DETAILS)  # and forward again: another page, so recorded at once
    assert views(app) == ["details", "where", "details"]
    assert pages(app)["details"]["last_seen_here"] == 1
