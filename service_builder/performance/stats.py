"""A service's performance figures (the `stats` contract), from SQL aggregates.

Recording an event adds to the day's counts (`DailyCount`) and to its draft's progress
(`DraftProgress`), in the same transaction; the figures are SUMs and COUNTs over those, so
they take the same time for a million events as for ten. A draft belongs to one channel,
so the `all` figures are the sum of `online` and `assisted` (the median is over both).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from service_builder.definitions import Service
from service_builder.models import db, utcnow
from service_builder.performance import events as ev
from service_builder.performance.models import DailyCount, DraftProgress

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
        """The moment after the last day (31 December 9999 has no day after it)."""
        if self.until >= dt.date.max:
            return dt.datetime.max
        return dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time())


def window(service_id: str, since: dt.date | None, until: dt.date | None) -> Window:
    """Default: from the service's first counted day (or today) to today."""
    today = utcnow().date()
    until = until or today
    if since is None:
        since = db.session.scalar(
            select(func.min(DailyCount.day)).where(DailyCount.service_id == service_id)
        )
        # an end before the first counted day is a window of that one day, not a reversed one
        since = min(_day(since), until) if since else min(today, until)
    return Window(service_id, since, until)


def _day(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _by_channel(rows: Any) -> Counts:
    counts: Counts = defaultdict(lambda: defaultdict(int))
    for channel, item, count in rows:
        counts[channel][item] += int(count)
    return counts


def daily_counts(win: Window) -> dict[str, Counts]:
    """metric -> channel -> item -> the sum of the days' counts in the window."""
    rows = db.session.execute(
        select(DailyCount.metric, DailyCount.channel, DailyCount.item, func.sum(DailyCount.count))
        .where(
            DailyCount.service_id == win.service_id,
            DailyCount.day >= win.since,
            DailyCount.day <= win.until,
        )
        .group_by(DailyCount.metric, DailyCount.channel, DailyCount.item)
    )
    counts: dict[str, Counts] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for metric, channel, item, total in rows:
        counts[metric][channel][item] += int(total)
    return counts


def last_seen(win: Window) -> Counts:
    """Per page, drafts neither submitted nor exited whose most recent page view (in the
    window) was there."""
    return _by_channel(
        db.session.execute(
            select(DraftProgress.channel, DraftProgress.last_page, func.count())
            .where(
                DraftProgress.service_id == win.service_id,
                DraftProgress.last_seen_at >= win.start,
                DraftProgress.last_seen_at < win.end,
                DraftProgress.submitted_at.is_(None),
                DraftProgress.exited_at.is_(None),
            )
            .group_by(DraftProgress.channel, DraftProgress.last_page)
        )
    )


def seconds_at(win: Window, channel: str | None, fraction: float) -> float | None:
    """The `fraction` quantile (0.5: the median) of seconds to submit, interpolated between
    the two nearest submissions, found by ORDER BY and OFFSET in the database."""
    where = [
        DraftProgress.service_id == win.service_id,
        DraftProgress.submitted_at >= win.start,
        DraftProgress.submitted_at < win.end,
        DraftProgress.seconds.is_not(None),
    ]
    if channel:
        where.append(DraftProgress.channel == channel)
    total = db.session.scalar(select(func.count()).select_from(DraftProgress).where(*where))
    if not total:
        return None
    position = (total - 1) * fraction
    low = int(position)
    values: list[int] = list(
        db.session.scalars(
            select(DraftProgress.seconds)
            .where(*where)
            .order_by(DraftProgress.seconds)
            .offset(low)
            .limit(2)
        )
    )
    high = values[1] if len(values) > 1 else values[0]
    return values[0] + (high - values[0]) * (position - low)


def channel_figures(
    service: Service, channels: tuple[str, ...], figures: dict[str, Counts], median: float | None
) -> dict[str, Any]:
    def total(name: str, item: Any) -> int:
        return sum(figures[name].get(channel, {}).get(item, 0) for channel in channels)

    started, submitted = total(ev.STARTED, ""), total(ev.SUBMITTED, "")
    errors: dict[str, int] = defaultdict(int)
    for channel in channels:
        for item, count in figures[ev.ERROR].get(channel, {}).items():
            errors[item] += count
    opinions = {option: total(ev.FEEDBACK, option) for option in ev.SATISFACTION}
    return {
        "started": started,
        "submitted": submitted,
        "exited": total(ev.EXITED, ""),
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
            if count
        ],
        "satisfaction": {"responses": sum(opinions.values()), **opinions},
    }


def stats(service: Service, win: Window) -> dict[str, Any]:
    """The figures, exactly in the shape of the `stats --format json` contract."""
    figures = daily_counts(win)
    figures["last_seen"] = last_seen(win)
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
