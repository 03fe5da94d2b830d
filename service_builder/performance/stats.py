"""A service's performance figures (the `stats` contract), from SQL aggregates over events.

A draft belongs to one channel, so the `all` figures are the sum of `online` and `assisted`
(except the median, computed over both). Days whose events were purged still count through
the daily rollup (see `rollup.py`); the median and `last_seen_here` need the events
themselves, so they cover only the days still held.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from service_builder.definitions import Service
from service_builder.models import db, utcnow
from service_builder.performance import events as ev
from service_builder.performance.models import DailyCount, Event

CHANNELS = ("online", "assisted")
Counts = dict[str, dict[Any, int]]
"""channel -> item -> count."""


@dataclass(frozen=True)
class Window:
    """One service's events between two dates (both included)."""

    service_id: str
    since: dt.date
    until: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.since, dt.time())

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time())

    def where(self, *kinds: str, table: Any = Event) -> ColumnElement[bool]:
        return and_(
            table.service_id == self.service_id,
            table.kind.in_(kinds),
            table.at >= self.start,
            table.at < self.end,
        )


def window(service_id: str, since: dt.date | None, until: dt.date | None) -> Window:
    """Default: from the service's first event (or today) to today."""
    today = utcnow().date()
    if since is None:
        first = db.session.scalar(
            select(func.min(Event.at)).where(Event.service_id == service_id)
        ) or db.session.scalar(
            select(func.min(DailyCount.day)).where(DailyCount.service_id == service_id)
        )
        since = first.date() if isinstance(first, dt.datetime) else first or today
    return Window(service_id, since, until or today)


def _by_channel(rows: Any) -> Counts:
    counts: Counts = defaultdict(lambda: defaultdict(int))
    for channel, item, count in rows:
        counts[channel][item] += count
    return counts


def _rolled_up(win: Window, *metrics: str) -> Counts:
    """Counts kept in the daily rollup for days whose events have been purged."""
    return _by_channel(
        db.session.execute(
            select(
                DailyCount.channel, DailyCount.metric + ":" + DailyCount.item, DailyCount.count
            ).where(
                DailyCount.service_id == win.service_id,
                DailyCount.metric.in_(metrics),
                DailyCount.day >= win.since,
                DailyCount.day <= win.until,
            )
        )
    )


def has_outcome(kinds: tuple[str, ...]) -> ColumnElement[bool]:
    """The event's draft also has an event of one of these kinds (at any time)."""
    other = aliased(Event)
    return exists().where(
        other.service_id == Event.service_id,
        other.draft_key == Event.draft_key,
        other.kind.in_(kinds),
    )


def kind_counts(win: Window) -> Counts:
    """started and submitted drafts, and drafts that reached an exit and were not submitted."""
    counts = _by_channel(
        db.session.execute(
            select(Event.channel, Event.kind, func.count())
            .where(win.where(ev.STARTED, ev.SUBMITTED))
            .group_by(Event.channel, Event.kind)
        )
    )
    exited = db.session.execute(
        select(Event.channel, func.count(func.distinct(Event.draft_key)))
        .where(win.where(ev.EXITED), ~has_outcome((ev.SUBMITTED,)))
        .group_by(Event.channel)
    )
    for channel, count in exited:
        counts[channel][ev.EXITED] += count
    for channel, items in _rolled_up(win, ev.STARTED, ev.SUBMITTED, ev.EXITED).items():
        for item, count in items.items():
            counts[channel][item.split(":")[0]] += count
    return counts


def reached(win: Window) -> Counts:
    """Per page, the drafts that opened it (a save or an error shows they did)."""
    counts = _by_channel(
        db.session.execute(
            select(Event.channel, Event.page_id, func.count(func.distinct(Event.draft_key)))
            .where(win.where(ev.VIEWED, ev.SAVED, ev.ERROR), Event.draft_key.is_not(None))
            .group_by(Event.channel, Event.page_id)
        )
    )
    for channel, items in _rolled_up(win, "reached").items():
        for item, count in items.items():
            counts[channel][item.split(":", 1)[1]] += count
    return counts


def last_seen(win: Window) -> Counts:
    """Per page, drafts neither submitted nor exited whose most recent page view was there."""
    latest = (
        select(func.max(Event.id).label("id"))
        .where(win.where(ev.VIEWED, ev.ERROR), Event.draft_key.is_not(None))
        .group_by(Event.draft_key)
        .subquery()
    )
    return _by_channel(
        db.session.execute(
            select(Event.channel, Event.page_id, func.count())
            .join(latest, latest.c.id == Event.id)
            .where(~has_outcome((ev.SUBMITTED, ev.EXITED)))
            .group_by(Event.channel, Event.page_id)
        )
    )


def validation_errors(win: Window) -> Counts:
    counts = _by_channel(
        db.session.execute(
            select(Event.channel, Event.question_id + ":" + Event.check_key, func.count())
            .where(win.where(ev.ERROR))
            .group_by(Event.channel, Event.question_id, Event.check_key)
        )
    )
    for channel, items in _rolled_up(win, "error").items():
        for item, count in items.items():
            counts[channel][item.split(":", 1)[1]] += count
    return counts


def satisfaction(win: Window) -> Counts:
    counts = _by_channel(
        db.session.execute(
            select(Event.channel, Event.satisfaction, func.count())
            .where(win.where(ev.FEEDBACK))
            .group_by(Event.channel, Event.satisfaction)
        )
    )
    for channel, items in _rolled_up(win, ev.FEEDBACK).items():
        for item, count in items.items():
            counts[channel][item.split(":", 1)[1]] += count
    return counts


def seconds_at(win: Window, channel: str | None, fraction: float) -> float | None:
    """The `fraction` quantile (0.5: the median) of seconds to submit, interpolated between
    the two nearest submissions, found by ORDER BY and OFFSET in the database."""
    where = [win.where(ev.SUBMITTED), Event.seconds.is_not(None)]
    if channel:
        where.append(Event.channel == channel)
    total = db.session.scalar(select(func.count()).select_from(Event).where(*where)) or 0
    if not total:
        return None
    position = (total - 1) * fraction
    low = int(position)
    values: list[int] = list(
        db.session.scalars(
            select(Event.seconds).where(*where).order_by(Event.seconds).offset(low).limit(2)
        )
    )
    high = values[1] if len(values) > 1 else values[0]
    return values[0] + (high - values[0]) * (position - low)


def channel_figures(
    service: Service, channels: tuple[str, ...], figures: dict[str, Counts], median: float | None
) -> dict[str, Any]:
    def total(name: str, item: Any) -> int:
        return sum(figures[name].get(channel, {}).get(item, 0) for channel in channels)

    started, submitted = total("kinds", ev.STARTED), total("kinds", ev.SUBMITTED)
    errors: dict[str, int] = defaultdict(int)
    for channel in channels:
        for item, count in figures["errors"].get(channel, {}).items():
            errors[item] += count
    opinions = {option: total("satisfaction", option) for option in ev.SATISFACTION}
    return {
        "started": started,
        "submitted": submitted,
        "exited": total("kinds", ev.EXITED),
        "completion_rate": submitted / started if started else 0,
        "median_seconds_to_submit": round(median) if median is not None else 0,
        "pages": [
            {
                "page": page.id,
                "reached": total("reached", page.id),
                "last_seen_here": total("last_seen", page.id),
            }
            for page in service.pages
        ],
        "validation_errors": [
            {"question": item.split(":")[0], "check": item.split(":")[1], "count": count}
            for item, count in sorted(errors.items(), key=lambda pair: (-pair[1], pair[0]))
        ],
        "satisfaction": {"responses": sum(opinions.values()), **opinions},
    }


def stats(service: Service, win: Window) -> dict[str, Any]:
    """The figures, exactly in the shape of the `stats --format json` contract."""
    figures = {
        "kinds": kind_counts(win),
        "reached": reached(win),
        "last_seen": last_seen(win),
        "errors": validation_errors(win),
        "satisfaction": satisfaction(win),
    }
    by_channel = {"all": channel_figures(service, CHANNELS, figures, seconds_at(win, None, 0.5))}
    for channel in CHANNELS:
        median = seconds_at(win, channel, 0.5)
        by_channel[channel] = channel_figures(service, (channel,), figures, median)
    everything = by_channel["all"]["submitted"]
    return {
        "service": service.id,
        "since": win.since.isoformat(),
        "until": win.until.isoformat(),
        "by_channel": by_channel,
        "digital_take_up": by_channel["online"]["submitted"] / everything if everything else 0,
    }


CSV_FIELDS = [
    "service",
    "since",
    "until",
    "channel",
    "page",
    "reached",
    "last_seen_here",
    "started",
    "submitted",
    "exited",
    "completion_rate",
    "median_seconds_to_submit",
    "validation_errors",
    "satisfaction_responses",
    "very_satisfied",
    "satisfied",
    "neither",
    "dissatisfied",
    "very_dissatisfied",
    "digital_take_up",
]


def csv_rows(service: Service, figures: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per channel and page, with the channel's figures repeated on each."""
    page_of = {question.id: page.id for page in service.pages for question in page.questions}
    rows = []
    for channel, numbers in figures["by_channel"].items():
        errors_by_page: dict[str, int] = defaultdict(int)
        for error in numbers["validation_errors"]:
            errors_by_page[page_of.get(error["question"], "")] += error["count"]
        for page in numbers["pages"]:
            rows.append(
                {
                    "service": figures["service"],
                    "since": figures["since"],
                    "until": figures["until"],
                    "channel": channel,
                    "page": page["page"],
                    "reached": page["reached"],
                    "last_seen_here": page["last_seen_here"],
                    **{key: numbers[key] for key in CSV_FIELDS[7:12]},
                    "validation_errors": errors_by_page[page["page"]],
                    "satisfaction_responses": numbers["satisfaction"]["responses"],
                    **{option: numbers["satisfaction"][option] for option in ev.SATISFACTION},
                    "digital_take_up": figures["digital_take_up"],
                }
            )
    return rows
