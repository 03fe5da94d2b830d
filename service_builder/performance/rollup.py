"""Daily counts: aggregated from events, kept when old events are purged so trends survive.

Only counts that add up across days are kept: drafts started, forms sent, drafts stopped at
an exit, drafts that reached each page, errors per question and check, and feedback answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sqlalchemy import and_, delete, func, literal, select
from sqlalchemy.sql import Select

from service_builder.models import db
from service_builder.performance import events as ev
from service_builder.performance.models import DailyCount, Event
from service_builder.performance.stats import has_outcome

Key = tuple[dt.date, str, str, str, str]
"""(day, service, channel, metric, item)."""


def _day(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _queries(before: dt.datetime) -> Iterator[tuple[str, Select[Any]]]:
    day = func.date(Event.at)
    old = Event.at < before

    def grouped(metric: str, item: Any, count: Any, *where: Any) -> tuple[str, Select[Any]]:
        query = (
            select(day, Event.service_id, Event.channel, item, count)
            .where(old, *where)
            .group_by(day, Event.service_id, Event.channel, item)
        )
        return metric, query

    drafts = func.count(func.distinct(Event.draft_key))
    yield grouped(ev.STARTED, literal(""), func.count(), Event.kind == ev.STARTED)
    yield grouped(ev.SUBMITTED, literal(""), func.count(), Event.kind == ev.SUBMITTED)
    yield grouped(
        ev.EXITED, literal(""), drafts, Event.kind == ev.EXITED, ~has_outcome((ev.SUBMITTED,))
    )
    yield grouped(
        "reached",
        Event.page_id,
        drafts,
        Event.kind.in_((ev.VIEWED, ev.SAVED, ev.ERROR)),
        Event.draft_key.is_not(None),
    )
    yield grouped(
        "error", Event.question_id + ":" + Event.check_key, func.count(), Event.kind == ev.ERROR
    )
    yield grouped(ev.FEEDBACK, Event.satisfaction, func.count(), Event.kind == ev.FEEDBACK)


def roll_up(before: dt.datetime) -> int:
    """Add the counts of every event before `before` (a midnight) to the daily counts, then
    delete those events. Returns how many events were deleted."""
    counts: dict[Key, int] = defaultdict(int)
    for metric, query in _queries(before):
        for when, service_id, channel, item, count in db.session.execute(query):
            counts[(_day(when), service_id, channel, metric, item or "")] += int(count)
    for (day, service_id, channel, metric, item), count in counts.items():
        existing = db.session.scalar(
            select(DailyCount).where(
                and_(
                    DailyCount.day == day,
                    DailyCount.service_id == service_id,
                    DailyCount.channel == channel,
                    DailyCount.metric == metric,
                    DailyCount.item == item,
                )
            )
        )
        if existing is None:
            db.session.add(
                DailyCount(
                    day=day,
                    service_id=service_id,
                    channel=channel,
                    metric=metric,
                    item=item,
                    count=count,
                )
            )
        else:
            existing.count += count
    deleted = getattr(db.session.execute(delete(Event).where(Event.at < before)), "rowcount", 0)
    db.session.commit()
    return int(deleted or 0)


def purge_events(keep_days: int, now: dt.datetime) -> int:
    """Roll up and delete events older than `keep_days` whole days."""
    midnight = dt.datetime.combine(now.date(), dt.time())
    return roll_up(midnight - dt.timedelta(days=keep_days))
