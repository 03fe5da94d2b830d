"""Logging: one JSON object a line with the request id (production), or plain lines.

Nothing logged holds an answer: access lines name the route (`/<service_id>/<page_id>`,
never the query string or the form), SQL parameters are hidden by the engine, and
tracebacks name code, not values.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.handlers
import os
import re
import sys
from typing import Any

from flask import g, has_request_context

HANDLER_NAME = "service_builder"
QUIETER = {
    "werkzeug": "WARNING",  # the access log is ours
    # Alembic's INFO ("Context impl SQLiteImpl", its plugins) at every start tells nothing
    "alembic": "WARNING",
}


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "request_id", ...extra, "traceback"}`."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


class HideClientDetails(logging.Filter):
    """gunicorn's own lines may name a client's address (`Invalid request from ip=192.0.2.1:
    …`), quote what it sent (`Invalid HTTP Version: 'Sam Jones HTTP/1.1'`) or give a failed
    request's query string: personal data, which no log line holds. Those parts are
    replaced, the rest kept."""

    ADDRESS = re.compile(r"\bip=.*?(?=: |$)")
    SENT = re.compile(r"^(Invalid request from ip=\(hidden\): [^'\"]*?)[:\s]*b?['\"].*$", re.DOTALL)
    QUERY = re.compile(r"^(Error handling request (?:[A-Z]+ )?[^?\s]*)\?\S*")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = self.ADDRESS.sub("ip=(hidden)", message)
        hidden = self.SENT.sub(r"\1 (what was sent is not logged)", hidden)
        hidden = self.QUERY.sub(r"\1?(query not logged)", hidden)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


def app_handler(environment: str) -> logging.Handler:
    """The one handler every line goes through: SERVICE_BUILDER_LOG_FILE (reopened when it is
    moved, so logrotate needs no copytruncate) or standard error; JSON in production."""
    path = os.environ.get("SERVICE_BUILDER_LOG_FILE")
    handler: logging.Handler = (
        logging.handlers.WatchedFileHandler(path, encoding="utf-8")
        if path
        else logging.StreamHandler(sys.stderr)
    )
    handler.set_name(HANDLER_NAME)
    if environment == "production" or os.environ.get("SERVICE_BUILDER_LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    return handler


def gunicorn_logconfig(environment: str) -> dict[str, Any]:
    """gunicorn's `logconfig_dict`: its own lines (and worker tracebacks) go through the app's
    handler as the app's do. The workers inherit the handler, so the app adds no second one."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "INFO", "handlers": [HANDLER_NAME]},
        "handlers": {HANDLER_NAME: {"()": app_handler, "environment": environment}},
        "filters": {"client": {"()": HideClientDetails}},
        "loggers": {
            "gunicorn.error": {
                "level": "INFO",
                "handlers": [],
                "propagate": True,
                "filters": ["client"],
            },
            # gunicorn's access lines name the client's address; the app writes its own
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
            **{name: {"level": level} for name, level in QUIETER.items()},
        },
    }


def configure(environment: str) -> None:
    """Send the app's logs (INFO and up) through `app_handler`. Idempotent, and it leaves
    tests' logging alone."""
    if environment == "test":
        return
    root = logging.getLogger()
    if not any(handler.get_name() == HANDLER_NAME for handler in root.handlers):
        root.addHandler(app_handler(environment))
    root.setLevel(logging.INFO)
    for name, level in QUIETER.items():
        logging.getLogger(name).setLevel(level)
