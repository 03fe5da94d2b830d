"""Request rate limits (Flask-Limiter), keyed by the client's address; one limiter for the app.

Views use `@limiter.limit(...)`. Storage is `RATELIMIT_STORAGE_URI` (memory by default; use
Redis or Memcached when several app servers must share counts).
"""

from __future__ import annotations

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(key_func=get_remote_address, default_limits=[])


def sign_in_limit() -> str:
    """Per address: guessing is slow, yet one address cannot lock everyone out quickly."""
    return str(current_app.config["SIGN_IN_RATE_LIMIT"])


def register(app: Flask) -> None:
    limiter.init_app(app)
