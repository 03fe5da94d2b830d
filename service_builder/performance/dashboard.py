"""What the performance pages show beyond `stats`: KPIs, cost, p90, hotspots and weekly trend."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from service_builder.definitions import Service
from service_builder.definitions.yaml_source import parse_yaml
from service_builder.models import db
from service_builder.performance import events as ev
from service_builder.performance.models import DailyCount, DraftProgress, FeedbackComment
from service_builder.performance.stats import Window

SATISFIED = ("very_satisfied", "satisfied")


@dataclass(frozen=True)
class Hotspot:
    question: str
    label: str
    check: str
    count: int
    file: str
    line: int


@dataclass(frozen=True)
class Week:
    monday: dt.date
    started: int
    submitted: int

    @property
    def completion_rate(self) -> float:
        return self.submitted / self.started if self.started else 0


def satisfaction_rate(opinions: dict[str, int]) -> float | None:
    """The share of responses that were satisfied or very satisfied (GOV.UK's KPI)."""
    responses = opinions["responses"]
    return sum(opinions[o] for o in SATISFIED) / responses if responses else None


def submissions_by_contact(win: Window, channel: str | None) -> dict[str, int]:
    """Submissions per costed channel: `online`, or the assisted contact channel."""
    where = [
        DraftProgress.service_id == win.service_id,
        DraftProgress.submitted_at >= win.start,
        DraftProgress.submitted_at < win.end,
    ]
    if channel:
        where.append(DraftProgress.channel == channel)
    rows = db.session.execute(
        select(DraftProgress.channel, DraftProgress.contact_channel, func.count())
        .where(*where)
        .group_by(DraftProgress.channel, DraftProgress.contact_channel)
    )
    counts: dict[str, int] = defaultdict(int)
    for kind, contact, count in rows:
        counts["online" if kind == "online" else contact or "phone"] += count
    return counts


def cost_per_transaction(counts: dict[str, int], costs: dict[str, float]) -> float | None:
    """Average cost of a submission; None when nothing was submitted or a channel has no cost."""
    total = sum(counts.values())
    if not total or any(channel not in costs for channel in counts):
        return None
    return sum(costs[channel] * count for channel, count in counts.items()) / total


def hotspots(service: Service, errors: list[dict[str, Any]], file: Path | None) -> list[Hotspot]:
    """Validation errors with the line of their question in the definition file."""
    lines: dict[str, int] = {}
    if file is not None:
        source = parse_yaml(file.read_text(encoding="utf-8"))
        for p, page in enumerate(service.pages):
            for q, asked in enumerate(page.questions):
                lines[asked.id] = source.line_of(("pages", p, "questions", q))
    spots = []
    for error in errors:
        question = service.question(error["question"])
        spots.append(
            Hotspot(
                error["question"],
                question.label if question else error["question"],
                error["check"],
                error["count"],
                file.name if file else "",
                lines.get(error["question"], 1),
            )
        )
    return spots


def weekly(win: Window, channel: str | None) -> list[Week]:
    """Drafts started and submissions, week by week (weeks start on Monday)."""
    query = select(DailyCount.day, DailyCount.metric, func.sum(DailyCount.count)).where(
        DailyCount.service_id == win.service_id,
        DailyCount.metric.in_((ev.STARTED, ev.SUBMITTED)),
        DailyCount.day >= win.since,
        DailyCount.day <= win.until,
    )
    if channel:
        query = query.where(DailyCount.channel == channel)
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for when, metric, count in db.session.execute(
        query.group_by(DailyCount.day, DailyCount.metric)
    ):
        when = dt.date.fromisoformat(when) if isinstance(when, str) else when
        counts[when - dt.timedelta(days=when.weekday())][metric] += int(count)
    first = win.since - dt.timedelta(days=win.since.weekday())
    # counted, never stepped past the last day: no Monday comes after 31 December 9999
    count = min(max((win.until - first).days // 7 + 1, 0), 104)
    mondays = [first + dt.timedelta(weeks=n) for n in range(count)]
    return [Week(day, counts[day][ev.STARTED], counts[day][ev.SUBMITTED]) for day in mondays]


def comments(win: Window, limit: int = 20) -> list[FeedbackComment]:
    """The latest feedback comments: for staff only, never shown to the public."""
    return list(
        db.session.scalars(
            select(FeedbackComment)
            .where(
                FeedbackComment.service_id == win.service_id,
                FeedbackComment.at >= win.start,
                FeedbackComment.at < win.end,
            )
            .order_by(FeedbackComment.at.desc())
            .limit(limit)
        )
    )
