"""Request ids, the access log and Prometheus metrics for every request, and /metrics."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time

from flask import Flask, Response, abort, current_app, g, request

from service_builder import metrics

log = logging.getLogger("service_builder.access")
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def register(app: Flask) -> None:
    access_log = app.config["SERVICE_BUILDER_ENV"] != "test"

    def _start() -> None:
        g.started = time.perf_counter()
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else secrets.token_hex(8)

    # First of all hooks, so a request that CSRF refuses is counted and logged too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)

    @app.after_request
    def _finish(response: Response) -> Response:
        started = g.get("started")
        if started is None:
            return response
        seconds = time.perf_counter() - started
        route = request.url_rule.rule if request.url_rule else "unmatched"
        metrics.requests.labels(route=route, status=str(response.status_code)).inc()
        metrics.latency.labels(route=route).observe(seconds)
        response.headers["X-Request-Id"] = g.request_id
        if access_log:
            log.info(
                "%s %s %s",
                request.method,
                route,
                response.status_code,
                extra={
                    "fields": {
                        "method": request.method,
                        "route": route,
                        "status": response.status_code,
                        "ms": round(seconds * 1000, 1),
                    }
                },
            )
        return response

    app.add_url_rule("/metrics", "metrics", _metrics)


def _metrics() -> Response:
    """Open outside production; in production only with `Authorization: Bearer METRICS_TOKEN`
    (and not at all without a token)."""
    if current_app.config["SERVICE_BUILDER_ENV"] == "production":
        token = current_app.config.get("METRICS_TOKEN") or ""
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        given = given.strip() if scheme.lower() == "bearer" else ""
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            abort(404)
    body, content_type = metrics.exposition()
    return Response(body, content_type=content_type)
