"""Request rate limits (Flask-Limiter), keyed by the client's address; one limiter for the app.

Views use `@limiter.limit(...)`. Counts are kept in memory, per worker process, unless
`RATELIMIT_STORAGE_URI` names a shared store (Redis), which several workers or servers need
for one count per client. A limit that is reached answers 429 through the app's error pages
(web/errors.py).
"""

from __future__ import annotations

import logging

from flask import Flask, Response, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


class ViewLimiter(Limiter):
    """Flask-Limiter, with limits where views declare them: each `@limiter.limit` view checks
    its own when it is called. Flask-Limiter also checks before every request, for default
    and application limits; while there are none (unless an operator sets
    RATELIMIT_DEFAULT or RATELIMIT_APPLICATION) that check finds nothing, at a cost to every
    request of about 4 % of an answer's CPU, so it is skipped. (No blueprint is limited.)"""

    def _check_request_limit(
        self, callable_name: str | None = None, in_middleware: bool = True
    ) -> None:
        manager = self.limit_manager
        if in_middleware and not (manager.default_limits or manager.application_limits):
            return
        super()._check_request_limit(callable_name, in_middleware)


limiter = ViewLimiter(key_func=get_remote_address, default_limits=[])


def sign_in_limit() -> str:
    """Per address: guessing is slow, yet one address cannot lock everyone out quickly."""
    return str(current_app.config["SIGN_IN_RATE_LIMIT"])


def refused(response: Response) -> bool:
    """Only a refused sign-in counts towards the limit: a contact centre's agents behind one
    address all signing in at a shift change are not guessing (each account's own lock-out
    after 5 wrong passwords still holds)."""
    return response.status_code != 302


def _without_addresses(record: logging.LogRecord) -> bool:
    """Flask-Limiter logs each limit reached with its key, the client's address: IP addresses
    are never logged (the access line records the 429)."""
    return not str(record.msg).startswith("ratelimit ")


def register(app: Flask) -> None:
    logging.getLogger("flask-limiter").addFilter(_without_addresses)  # once: filters are a set
    app.config.setdefault("RATELIMIT_ENABLED", True)  # else one app's False sticks to the next
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    limiter.init_app(app)
