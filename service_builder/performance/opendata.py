"""The weekly open-data file: counts only, per week and channel, safe to publish."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any, TextIO

from service_builder.definitions import Service
from service_builder.performance.dashboard import weekly
from service_builder.performance.stats import Window

FIELDS = [
    "service",
    "week_starting",
    "channel",
    "started",
    "submitted",
    "completion_rate",
    "digital_take_up",
    "days_counted",
]
"""`days_counted` (an addition, last): the week's days inside the file's dates, 7 but for a
first or last week cut short by `--since` or `--until`, whose counts are then partial."""


def rows(service: Service, win: Window) -> list[dict[str, Any]]:
    """One row per week (Monday) and channel; nothing but counts and the rates made from them."""
    by_channel = {channel: weekly(win, channel) for channel in ("online", "assisted")}
    found = []
    for index, week in enumerate(weekly(win, None)):
        online = by_channel["online"][index]
        for channel, numbers in (("all", week), *((c, w[index]) for c, w in by_channel.items())):
            found.append(
                {
                    "service": service.id,
                    "week_starting": numbers.monday.isoformat(),
                    "channel": channel,
                    "started": numbers.started,
                    "submitted": numbers.submitted,
                    "completion_rate": round(numbers.completion_rate, 4),
                    "digital_take_up": round(online.submitted / week.submitted, 4)
                    if week.submitted
                    else 0,
                    "days_counted": _days_counted(week.monday, win),
                }
            )
    return found


def _days_counted(monday: dt.date, win: Window) -> int:
    first = max(monday, win.since)
    last = win.until if (win.until - monday).days < 7 else monday + dt.timedelta(days=6)
    return (last - first).days + 1


def write(service: Service, win: Window, out: TextIO) -> None:
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(service, win))
