"""Prometheus metrics: requests by route and status, latency, submissions, delivery queue depth.

Under gunicorn the workers share their figures through PROMETHEUS_MULTIPROC_DIR (set by
`make serve`); without it (development, tests) each process counts on its own. Figures read
from the database (the delivery queue) are read at scrape time by the scraping worker, so they
need no sharing; when the database cannot answer they are left out, not the whole page.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

requests = Counter(
    "service_builder_requests", "HTTP requests answered, by route and status", ["route", "status"]
)
latency = Histogram(
    "service_builder_request_seconds",
    "Time to answer an HTTP request, by route",
    ["route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
submitted = Counter(
    "service_builder_submissions",
    "Submissions stored, by service and channel",
    ["service", "channel"],
)

_gauges: dict[str, tuple[str, Callable[[], float]]] = {}


def register_gauge(name: str, documentation: str, read: Callable[[], float]) -> None:
    """A figure read fresh at every scrape, e.g. the delivery queue's depth:
    `register_gauge("service_builder_open_cases", "Cases not closed", count)`.
    The function runs in the scraping worker, inside the app context (it may query)."""
    _gauges[name] = (documentation, read)


class _ScrapeTimeGauges(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, (documentation, read) in _gauges.items():
            yield GaugeMetricFamily(name, documentation, value=read())


DELIVERY_GAUGES = {
    "pending": (
        "service_builder_delivery_queue_depth",
        "Deliveries waiting to be sent (webhooks and Notify emails), by purpose",
    ),
    "failed": (
        "service_builder_deliveries_failed",
        "Deliveries given up after a day of retries, until retried from /admin/deliveries",
    ),
    "not_sent": (
        "service_builder_deliveries_not_sent",
        "Emails recorded but not sent, for want of NOTIFY_API_KEY where the worker runs",
    ),
}
"""The delivery statuses an operator watches, each a gauge by purpose: the queue growing,
and the two that lose a resident's email or a case system's webhook without a retry."""


class _DeliveryQueue(Collector):
    """`service_builder_delivery_queue_depth{purpose}` (waiting), and the deliveries failed
    and not sent (`DELIVERY_GAUGES`), read from the deliveries at scrape time."""

    def describe(self) -> Iterator[GaugeMetricFamily]:
        yield from self._families().values()  # registering must not query (the default would)

    def _families(self) -> dict[str, GaugeMetricFamily]:
        return {
            status: GaugeMetricFamily(name, documentation, labels=["purpose"])
            for status, (name, documentation) in DELIVERY_GAUGES.items()
        }

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from service_builder.deliveries import PURPOSES, Delivery
        from service_builder.models import db

        query = (
            select(Delivery.status, Delivery.purpose, func.count())
            .where(Delivery.status.in_(DELIVERY_GAUGES))
            .group_by(Delivery.status, Delivery.purpose)
        )
        try:
            counted = {(status, purpose): n for status, purpose, n in db.session.execute(query)}
        except SQLAlchemyError:  # the scrape still shows the requests, 503s included
            db.session.rollback()
            log.warning("delivery queue depth left out of /metrics: the database did not answer")
            return
        purposes = sorted({*PURPOSES, *(purpose for _, purpose in counted)})
        for status, family in self._families().items():
            for purpose in purposes:
                family.add_metric([purpose], counted.get((status, purpose), 0))
            yield family


def exposition() -> tuple[bytes, str]:
    """The metrics page: every worker's counters (when shared) and the scrape-time gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    scraped = (_ScrapeTimeGauges(), _DeliveryQueue())
    for collector in scraped:
        registry.register(collector)
    try:
        return generate_latest(registry), CONTENT_TYPE_LATEST
    finally:
        for collector in scraped:
            registry.unregister(collector)
