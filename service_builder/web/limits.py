"""Request rate limits (Flask-Limiter), keyed by the client's address; one limiter for the app.

Views use `@limiter.limit(...)`. Counts are kept in memory, per worker process, unless
`RATELIMIT_STORAGE_URI` names a shared store (Redis), which several workers or servers need
for one count per client. A limit that is reached answers 429 through the app's error pages
(web/errors.py). A store that cannot be reached fails open: the request is served unlimited,
and each failure logs one error line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, abort, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

from service_builder.staff.auth import current_staff


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
STORE_FAILED = "rate limits not applied: the store failed (%s)"


def sign_in_limit() -> str:
    """Per address: guessing is slow, yet one address cannot lock everyone out quickly."""
    return str(current_app.config["SIGN_IN_RATE_LIMIT"])


def address_lookup_limit() -> str:
    """Per person: each search calls OS Places, a paid API."""
    return str(current_app.config["ADDRESS_LOOKUP_RATE_LIMIT"])


def upload_limit() -> str:
    """Per person: each upload page posted may bring a large file to receive, scan and keep."""
    return str(current_app.config["UPLOAD_RATE_LIMIT"])


def feedback_limit() -> str:
    """Per address: feedback is anonymous and kept, so it must not be sent in bulk."""
    return str(current_app.config["FEEDBACK_RATE_LIMIT"])


def status_limit() -> str:
    """Per address: checks that found no case (a resident's own checks, however many, and
    a library's residents at one address, are not guessing)."""
    return str(current_app.config["STATUS_RATE_LIMIT"])


def not_found(response: Response) -> bool:
    """Only a status check that found no case counts towards its limit."""
    return response.status_code != 200


def submit_limit() -> str:
    """Per person: each form sent emails through the council's Notify account and opens a
    case, so one client must not send them in bulk."""
    return str(current_app.config["SUBMIT_RATE_LIMIT"])


def person() -> str:
    """The signed-in member of staff, else the client's address: a contact centre's agents
    share one address, and each one's searches and uploads for callers count as theirs."""
    user = current_staff()
    return f"staff:{user.id}" if user is not None else get_remote_address()


def charge(limit: Callable[[], str], scope: str) -> None:
    """Count one use of `scope` for this person, inside a view whose work costs money or disk;
    past `limit`, answer 429 before the work is done. (Flask-Limiter's own context manager
    keys its limit by the caller's line and, once used, keeps an operator's default limits
    from that endpoint's requests: so the count is kept here, in the limiter's storage.)"""
    if not limiter.enabled:
        return
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX")
    keys = [prefix, person(), scope] if prefix else [person(), scope]
    strategy = limiter.limiter
    try:
        within = all(strategy.hit(item, *keys) for item in parse_many(limit()))
    except strategy.storage.base_exceptions as error:  # fail open, as the views' limits do
        limiter.logger.error(STORE_FAILED, type(error).__name__)
        return
    if not within:
        abort(429)


def refused(response: Response) -> bool:
    """Only a refused sign-in counts towards the limit: a contact centre's agents behind one
    address all signing in at a shift change are not guessing (each account's own lock-out
    after 5 wrong passwords still holds)."""
    return response.status_code != 302


def _without_addresses(record: logging.LogRecord) -> bool:
    """Flask-Limiter logs each limit reached with its key, the client's address: IP addresses
    are never logged (the access line records the 429). Each error it swallows (the store
    failed) becomes one line naming the error's type, without the traceback's many lines."""
    message = str(record.msg)
    if message.startswith("ratelimit "):
        return False
    if message.endswith("Swallowing error") and record.exc_info:
        record.msg, record.args = STORE_FAILED, (type(record.exc_info[1]).__name__,)
        record.exc_info = record.exc_text = None
    return True


def register(app: Flask) -> None:
    logging.getLogger("flask-limiter").addFilter(_without_addresses)  # once: filters are a set
    app.config.setdefault("RATELIMIT_ENABLED", True)  # else one app's False sticks to the next
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # A store that is down (Redis) must not stop sign-in and every limited form: the
    # limiter logs the error and serves the request. (The first app's setting holds.)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter.init_app(app)
