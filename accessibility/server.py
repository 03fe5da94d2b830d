"""Runs the real app on loopback for a sweep, with routes that reach its error pages."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, abort, render_template, request
from werkzeug.serving import make_server

from service_builder import create_app

POSITIVE_CONTROL = Path(__file__).resolve().parent / "fixtures" / "positive-control.html"


def sweep_app(definitions: str | Path, database: str, **config: Any) -> Flask:
    app = create_app(
        {
            "SERVICE_BUILDER_DEFINITIONS": str(definitions),
            "SQLALCHEMY_DATABASE_URI": database,
            "SECRET_KEY": "a11y-sweep",
            "SERVICE_BUILDER_ENV": "test",
            "WTF_CSRF_ENABLED": False,
            "SIGN_IN_RATE_LIMIT": "10000 per minute",  # the sweep signs in for every route
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

    return app


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve the app on 127.0.0.1 in a thread; yields its base URL."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
