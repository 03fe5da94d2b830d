"""Configuration from the environment (see docs/interfaces), overridable by create_app(config)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import limits
from limits.errors import ConfigurationError

from service_builder.links import PublicUrlError, public_url
from service_builder.payments.pay import PAY_PUBLIC_API

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: templates/, static/, form_definitions/ and node_modules/ live here."""


def development_database() -> Path:
    """The SQLite file used where DATABASE_URL is not set (development, and `make run`)."""
    return ROOT / "instance" / "app.db"


log = logging.getLogger(__name__)
ENVIRONMENTS = ("development", "test", "production")
RATE_LIMITS = (
    "SIGN_IN_RATE_LIMIT",
    "SAVE_AND_RETURN_RATE_LIMIT",
    "ADDRESS_LOOKUP_RATE_LIMIT",
    "UPLOAD_RATE_LIMIT",
    "FEEDBACK_RATE_LIMIT",
    "SUBMIT_RATE_LIMIT",
    "STATUS_RATE_LIMIT",
)


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    overrides = dict(overrides or {})
    env = overrides.get("SERVICE_BUILDER_ENV") or os.environ.get(
        "SERVICE_BUILDER_ENV", "development"
    )
    if env not in ENVIRONMENTS:
        raise ConfigError(
            f"SERVICE_BUILDER_ENV must be one of {', '.join(ENVIRONMENTS)}, not '{env}'"
        )
    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if env == "production" and not overrides.get("SERVICE_BUILDER_COMMAND"):
            raise ConfigError("SECRET_KEY must be set when SERVICE_BUILDER_ENV=production")
        # a command (export, purge, the worker …) signs nothing that outlives it, so cron
        # jobs and backup checks need not hold the app's key
        secret = secrets.token_hex(32) if env == "production" else _development_key()
    elif env == "production":
        _check_production_key(secret)
    previous = _previous_keys(overrides.pop("SECRET_KEY_FALLBACKS", None), env)
    database = os.environ.get("DATABASE_URL") or f"sqlite:///{development_database()}"
    if database.startswith("postgres://"):
        database = "postgresql+psycopg://" + database.removeprefix("postgres://")
    elif database.startswith("postgresql://"):
        database = "postgresql+psycopg://" + database.removeprefix("postgresql://")
    config: dict[str, Any] = {
        "SERVICE_BUILDER_ENV": env,
        "SECRET_KEY": secret,
        "SECRET_KEY_FALLBACKS": previous,
        "SQLALCHEMY_DATABASE_URI": database,
        # for the database used: tests and tools may name another than DATABASE_URL's
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(
            overrides.get("SQLALCHEMY_DATABASE_URI") or database
        ),
        "SERVICE_BUILDER_DEFINITIONS": os.environ.get(
            "SERVICE_BUILDER_DEFINITIONS", str(ROOT / "form_definitions")
        ),
        "SERVICE_BUILDER_SITE": os.environ.get(
            "SERVICE_BUILDER_SITE", str(ROOT / "config" / "site.yaml")
        ),
        "SERVICE_BUILDER_RELOAD": env == "development",
        # uploaded files: a folder (relative to the project) or s3://bucket/prefix
        "SERVICE_BUILDER_FILES": os.environ.get("SERVICE_BUILDER_FILES", "instance/files"),
        "CLAMD_SOCKET": os.environ.get("CLAMD_SOCKET") or None,
        # In production, browsers keep a `__Host-` cookie only if it is Secure, for the whole
        # site and from this host alone: no page over HTTP, and no other subdomain of the
        # council's, can set one for a resident to be signed in to someone else's draft.
        "SESSION_COOKIE_NAME": "__Host-session" if env == "production" else "session",
        # the staff device cookie's path (/staff/sign-in) rules out `__Host-`: `__Secure-`
        "STAFF_DEVICE_COOKIE_NAME": (
            "__Secure-staff_device" if env == "production" else "staff_device"
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env == "production",
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=20),
        # The cookie is re-signed only when it changes (a new draft, each staff request),
        # not on every answer: drafts expire on the server (DRAFT_LIFETIME), not by cookie.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "DRAFT_LIFETIME": dt.timedelta(days=1),
        "ASSISTED_DRAFT_LIFETIME": dt.timedelta(days=30),
        # Performance events older than this are rolled up into daily counts, then deleted.
        "EVENTS_RETENTION_DAYS": _count(
            os.environ.get("SERVICE_BUILDER_EVENTS_DAYS", "395"), "SERVICE_BUILDER_EVENTS_DAYS"
        ),
        "STAFF_IDLE_TIMEOUT": dt.timedelta(minutes=_idle_minutes()),
        "STAFF_SESSION_LIFETIME": dt.timedelta(hours=_at_least_one("STAFF_SESSION_HOURS", "12")),
        "STAFF_TIMEOUT_WARNING": dt.timedelta(minutes=2),
        # refused sign-ins per client address: a contact centre's agents share one address
        "SIGN_IN_RATE_LIMIT": os.environ.get("SIGN_IN_RATE_LIMIT", "30 per minute;300 per hour"),
        "SAVE_AND_RETURN_RATE_LIMIT": os.environ.get(
            "SAVE_AND_RETURN_RATE_LIMIT", "10 per minute;50 per hour"
        ),
        # per client address, or per signed-in member of staff: costs money (OS Places) or disk
        "ADDRESS_LOOKUP_RATE_LIMIT": os.environ.get(
            "ADDRESS_LOOKUP_RATE_LIMIT", "30 per minute;300 per hour"
        ),
        "UPLOAD_RATE_LIMIT": os.environ.get("UPLOAD_RATE_LIMIT", "20 per minute;200 per hour"),
        "FEEDBACK_RATE_LIMIT": os.environ.get("FEEDBACK_RATE_LIMIT", "10 per minute;50 per hour"),
        # forms sent, per person: each one emails through the council's Notify and opens a case
        "SUBMIT_RATE_LIMIT": os.environ.get("SUBMIT_RATE_LIMIT", "10 per minute;100 per hour"),
        # status checks that found no case, per address: references cannot be guessed fast
        "STATUS_RATE_LIMIT": os.environ.get("STATUS_RATE_LIMIT", "10 per minute;60 per hour"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "MAX_CONTENT_LENGTH": 256 * 1024,
        "MAX_FORM_PARTS": 500,
        "WTF_CSRF_TIME_LIMIT": None,
        # CSRF tokens signed with a previous key are taken too (the newest key signs)
        **({"WTF_CSRF_SECRET_KEY": [*previous, secret]} if previous else {}),
        "COMPRESS_MIMETYPES": [
            "text/html",
            "application/json",
            "image/svg+xml",
            "application/manifest+json",
        ],
        "COMPRESS_MIN_SIZE": 500,
        "WTF_CSRF_SSL_STRICT": env == "production",
        "REMOVED_SERVICE_RETENTION_DAYS": _count(
            os.environ.get("SERVICE_BUILDER_REMOVED_SERVICE_RETENTION_DAYS", "2190"),
            "SERVICE_BUILDER_REMOVED_SERVICE_RETENTION_DAYS",
        ),
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN") or None,
        # GOV.UK Pay (service_builder.payments): without a key, paying services cannot be sent.
        "PAY_API_KEY": os.environ.get("PAY_API_KEY") or None,
        "PAY_BASE_URL": os.environ.get("PAY_BASE_URL") or PAY_PUBLIC_API,
        # the site's own address (scheme and host): links in emails are built from it, and
        # requests for any other host are refused (web/security.py)
        "PUBLIC_URL": _public_url(os.environ.get("SERVICE_BUILDER_PUBLIC_URL") or ""),
        "TRUSTED_PROXIES": _count(
            os.environ.get("SERVICE_BUILDER_TRUSTED_PROXIES", "0"),
            "SERVICE_BUILDER_TRUSTED_PROXIES",
        ),
        # address lookup (service_builder/os_places.py): without a key people type addresses
        "OS_PLACES_API_KEY": os.environ.get("OS_PLACES_API_KEY") or None,
        "OS_PLACES_BASE_URL": os.environ.get(
            "OS_PLACES_BASE_URL", "https://api.os.uk/search/places/v1"
        ),
        "OS_PLACES_TIMEOUT": _seconds(
            os.environ.get("OS_PLACES_TIMEOUT", "3"), "OS_PLACES_TIMEOUT"
        ),
    }
    config.update(overrides)
    for name in RATE_LIMITS:
        _check_rate_limit(str(config[name]), name)
    _check_rate_limit_storage(config["RATELIMIT_STORAGE_URI"])
    return config


PUBLISHED_KEYS = {"local-development-only"}
"""Keys written in this project's own files (`make run`): anyone can sign cookies with them."""
STRONG_KEY_LENGTH = 32


def _check_production_key(secret: str, name: str = "SECRET_KEY", short: str = "") -> None:
    """Refuse the published key; warn of a short one, or refuse it for `short`'s reason."""
    if secret in PUBLISHED_KEYS:
        raise ConfigError(
            f"{name} is the development key published in the Makefile: set a long random "
            "one (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    if len(secret) < STRONG_KEY_LENGTH:
        if short:
            raise ConfigError(f"{name} is shorter than {STRONG_KEY_LENGTH} characters; {short}")
        log.warning(
            "%s is shorter than %d characters: use a long random one", name, STRONG_KEY_LENGTH
        )


SHORT_FALLBACK = (
    "keys there are separated by spaces, so a key that held spaces (split into guessable "
    "pieces), or a short one, cannot be a fallback: rotate without it (docs/operations.md)"
)


def _previous_keys(given: str | list[str] | None, env: str) -> list[str]:
    """SECRET_KEY_FALLBACKS: the keys used before SECRET_KEY, separated by spaces. What they
    signed (session cookies, forms' CSRF tokens, the marks of what a page showed) is still
    taken, so that rotating the key signs nobody out and loses no resident's draft; only
    SECRET_KEY signs anything new."""
    if given is None:
        given = os.environ.get("SECRET_KEY_FALLBACKS", "")
    keys = given.split() if isinstance(given, str) else list(given)
    if env == "production":
        for key in keys:
            _check_production_key(key, "a key in SECRET_KEY_FALLBACKS", short=SHORT_FALLBACK)
    return keys


def signing_keys(config: Mapping[str, Any]) -> list[bytes]:
    """The app's keys, the one that signs first, then those whose signatures are still taken."""
    return [str(key).encode() for key in [config["SECRET_KEY"], *config["SECRET_KEY_FALLBACKS"]]]


def _check_rate_limit(text: str, name: str) -> None:
    """Flask-Limiter skips a limit it cannot parse, so a typo would turn the limit off."""
    try:
        limits.parse_many(text)
    except ValueError:
        raise ConfigError(
            f"{name} must be limits like '30 per minute;300 per hour', not '{text}'"
        ) from None


def _check_rate_limit_storage(uri: str) -> None:
    """A shared store must be usable (its client library installed) before the app serves:
    the check builds the storage, which connects only when first used."""
    if uri.startswith("memory://"):
        return  # the default: nothing to check, and its storage starts a thread
    try:
        limits.storage.storage_from_string(uri)
    except ConfigurationError as error:
        raise ConfigError(f"RATELIMIT_STORAGE_URI '{uri.split('://')[0]}://…': {error}") from None


def unshared_limits(workers: int, uri: str) -> str | None:
    """What to tell an operator who serves with several workers and rate-limit counts kept
    in each process alone: every limit is that many times looser than configured."""
    if workers < 2 or not uri.startswith("memory://"):
        return None
    return (
        f"RATELIMIT_STORAGE_URI is memory://: each of the {workers} workers counts on its own,"
        f" so sign-in and other limits allow up to {workers} times what is set. Set a shared"
        " store (redis://…) for production (docs/operations.md)"
    )


def _at_least_one(name: str, default: str) -> int:
    count = _count(os.environ.get(name, default), name)
    if count < 1:
        raise ConfigError(f"{name} must be at least 1")
    return count


def _idle_minutes() -> int:
    """STAFF_IDLE_MINUTES: more than the 2 minutes' warning before it, or the warning would
    show at once."""
    minutes = _count(os.environ.get("STAFF_IDLE_MINUTES", "30"), "STAFF_IDLE_MINUTES")
    if minutes < 3:
        raise ConfigError("STAFF_IDLE_MINUTES must be at least 3 (minutes)")
    return minutes


def _public_url(text: str) -> str | None:
    try:
        return public_url(text) if text.strip() else None
    except PublicUrlError as error:
        raise ConfigError(str(error)) from error


def _seconds(text: str, name: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds <= 60:
        raise ConfigError(
            f"{name} must be a number of seconds above 0 and at most 60, not '{text}'"
        )
    return seconds


def _count(text: str, name: str) -> int:
    if not text.strip().isdigit():
        raise ConfigError(f"{name} must be a whole number, not '{text}'")
    return int(text)


def engine_options(database: str) -> dict[str, Any]:
    """Never put SQL parameters (answers) in error messages and logs. A server database's
    connections are checked before use (it may have restarted); SQLite's need not be."""
    options: dict[str, Any] = {"hide_parameters": True}
    if not database.startswith("sqlite"):
        options["pool_pre_ping"] = True
    if database.startswith("postgresql+psycopg"):
        options["connect_args"] = _libpq_timeouts(database)
    return options


def _libpq_timeouts(database: str) -> dict[str, Any]:
    """A database that stops answering (frozen, failing over, cut off) must not hold a worker
    until gunicorn kills it: a new connection gives up after DATABASE_CONNECT_TIMEOUT seconds
    (a 503); a pooled one whose check goes unacknowledged for 10 s (tcp_user_timeout), or that
    is idle and fails keepalives, is dropped and replaced. Settings in the URL win."""
    timeout = _count(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"), "DATABASE_CONNECT_TIMEOUT")
    if timeout < 1:  # libpq's 0 means wait for ever
        raise ConfigError("DATABASE_CONNECT_TIMEOUT must be at least 1 (seconds)")
    settings = {
        "connect_timeout": timeout,
        "tcp_user_timeout": 10_000,  # milliseconds; Linux
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
    }
    in_url = parse_qs(urlsplit(database).query)
    return {name: value for name, value in settings.items() if name not in in_url}


def _development_key() -> str:
    """Outside production, a key kept in instance/ so sessions survive a restart."""
    path = ROOT / "instance" / "development-secret-key"
    try:
        key = path.read_text(encoding="utf-8").strip()
        log.warning("SECRET_KEY is not set: using the development key kept in %s", path)
        return key
    except OSError:
        pass
    key = secrets.token_hex(32)
    try:
        path.parent.mkdir(exist_ok=True)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
        log.warning("SECRET_KEY is not set: using a development key kept in %s", path)
    except OSError:
        log.warning("SECRET_KEY is not set: using a random key; sessions end on restart")
    return key
