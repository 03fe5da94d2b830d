"""Rate limits (Flask-Limiter), shared by every page that must slow down guessing."""

from __future__ import annotations

from flask import Flask, render_template
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])
"""Counts are kept in memory unless RATELIMIT_STORAGE_URI names a shared store (e.g.
redis://), which several app servers need for one count per client."""


def register(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_ENABLED", True)  # else one app's False sticks to the next
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)

    @app.errorhandler(RateLimitExceeded)
    def _too_many(error: RateLimitExceeded) -> tuple[str, int]:
        body = "You have tried too many times. Wait a few minutes, then try again."
        return render_template(
            "errors/error.html", title="Too many attempts", body=body, code=429
        ), 429
