"""Runs the real app on loopback for a sweep, with routes that reach its error pages."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask, abort, redirect, render_template, request
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from accessibility.payment_plan import PAY_AT_STAND_IN
from service_builder import create_app
from service_builder.dev_places import serving_places
from service_builder.payments.flow import latest_payment
from service_builder.payments.stand_in import PayStandIn, start_stand_in

POSITIVE_CONTROL = Path(__file__).resolve().parent / "fixtures" / "positive-control.html"


def sweep_app(definitions: str | Path, database: str, **config: Any) -> Flask:
    pay = _pay_stand_in()
    app = create_app(
        {
            "PAY_API_KEY": pay.api_key,
            "PAY_BASE_URL": pay.url,
            "SERVICE_BUILDER_DEFINITIONS": str(definitions),
            "SQLALCHEMY_DATABASE_URI": database,
            "SECRET_KEY": "a11y-sweep",
            "SERVICE_BUILDER_ENV": "test",
            "WTF_CSRF_ENABLED": False,
            "SIGN_IN_RATE_LIMIT": "10000 per minute",  # the sweep signs in for every route
            "SAVE_AND_RETURN_RATE_LIMIT": "10000 per minute",  # and tries each link's errors
            "ADDRESS_LOOKUP_RATE_LIMIT": "10000 per minute",  # and every page, from one address
            "UPLOAD_RATE_LIMIT": "10000 per minute",
            "FEEDBACK_RATE_LIMIT": "10000 per minute",
            "SUBMIT_RATE_LIMIT": "10000 per minute",  # and sends every service's forms
            # the files the sweep uploads go to a throwaway folder, never instance/
            "SERVICE_BUILDER_FILES": tempfile.mkdtemp(prefix="sb-sweep-files-"),
            **config,
        }
    )

    @app.post("/__a11y__/too-large")
    def too_large() -> str:
        return str(len(request.form))  # reading the form raises 413 for a large body

    @app.get("/__a11y__/too-many")
    def too_many() -> str:
        abort(429)

    @app.get("/__a11y__/form-expired")
    def form_expired() -> tuple[str, int]:
        return render_template("errors/form_expired.html"), 400

    @app.route("/__a11y__/save-link/<service_id>", methods=["GET", "POST"])
    def save_link(service_id: str) -> Any:
        """On to the newest 'Save and come back later' link (its token is only in the email);
        a POST keeps its method and fields (307)."""
        from sqlalchemy import select

        from service_builder.deliveries import Delivery
        from service_builder.models import Draft, db

        link = db.session.scalar(
            select(Delivery.payload)
            .join(Draft, Draft.id == Delivery.draft_id)
            .where(Delivery.purpose == "save", Draft.service_id == service_id)
            .order_by(Delivery.id.desc())
            .limit(1)
        )
        if link is None:
            abort(404)
        url = urlsplit(link["personalisation"]["link"])
        return redirect(f"{url.path}?{url.query}" if url.query else url.path, code=307)

    logging.getLogger("service_builder.web.errors").setLevel(logging.CRITICAL)  # the 500 below

    @app.get("/__a11y__/server-error")
    def server_error() -> str:
        raise RuntimeError("a deliberate failure, to check the 500 page")

    @app.get("/__a11y__/positive-control")
    def positive_control() -> tuple[str, int, dict[str, str]]:
        """A deliberately inaccessible page: the sweep must find violations here (its inline
        style is part of the test, so the product's content policy is relaxed for it)."""
        if not POSITIVE_CONTROL.exists():
            abort(404)
        return (
            POSITIVE_CONTROL.read_text(encoding="utf-8"),
            200,
            {"Content-Security-Policy": "default-src 'self' 'unsafe-inline'"},
        )

    @app.get(f"{PAY_AT_STAND_IN}/<service_id>/<outcome>")
    def pay_at_stand_in(service_id: str, outcome: str) -> Response:
        """Play the resident on the Pay stand-in's card page for this browser's latest
        payment ('wait' leaves it unfinished), then follow Pay back to the service."""
        from service_builder.web.resident import runner

        service = runner.service(service_id)
        draft = runner.draft(service) or abort(404)
        payment = latest_payment(draft) or abort(404)
        if outcome != "wait" and payment.next_url:
            requests.post(
                payment.next_url, data={"outcome": outcome}, timeout=10, allow_redirects=False
            )
        return redirect(runner.return_url(service, payment.token, external=False))

    return app


_PAY: list[PayStandIn] = []


def _pay_stand_in() -> PayStandIn:
    """One stand-in of GOV.UK Pay for the process (a daemon thread), so paying services can
    be swept through to their confirmation."""
    if not _PAY:
        _PAY.append(start_stand_in()[0])
    return _PAY[0]


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve the app on 127.0.0.1 in a thread, with the OS Places stand-in for its address
    lookups (no network); yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    with serving_places() as places:
        app.config.update(OS_PLACES_API_KEY="a11y-sweep", OS_PLACES_BASE_URL=places)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
