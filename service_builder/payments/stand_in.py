"""A stand-in for GOV.UK Pay's public API on 127.0.0.1, with a tiny card details page.

Tests, the accessibility sweep and `make run`'s development receiver use it, so a paying
service works end to end with no network. It follows Pay's documented shapes: create
(`POST /v1/payments`, 201), read (`GET /v1/payments/{id}`), cancel (`POST …/cancel`, 204),
Bearer authentication, and `_links.next_url` to a page where the "card holder" chooses to
pay, be declined or cancel, then is sent to the service's `return_url`.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from service_builder.loopback import LoopbackServer, start

STAND_IN_KEY = "api_test_stand-in-key"
OUTCOMES = {
    "succeed": {"status": "success", "finished": True},
    "decline": {
        "status": "failed",
        "finished": True,
        "code": "P0010",
        "message": "Payment method rejected",
    },
    "cancel": {
        "status": "cancelled",
        "finished": True,
        "code": "P0030",
        "message": "Payment was cancelled by the user",
    },
}
REQUIRED = ("amount", "reference", "description", "return_url")


@dataclass
class PayStandIn:
    """The payments it holds, keyed by payment_id, and every API request it was sent."""

    api_key: str = STAND_IN_KEY
    url: str = ""
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    fail_with: int | None = None
    """Answer every API call with this status (to test Pay being down)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        missing = [key for key in REQUIRED if key not in body]
        amount = body.get("amount")
        if missing or not isinstance(amount, int) or not 1 <= amount <= 10_000_000:
            field_name = missing[0] if missing else "amount"
            return 422, {"field": field_name, "code": "P0102", "description": "Invalid attribute"}
        if body.get("language", "en") not in ("en", "cy"):
            return 422, {"field": "language", "code": "P0102", "description": "Invalid attribute"}
        pay_id = secrets.token_hex(13)
        payment = {
            "payment_id": pay_id,
            "amount": amount,
            "reference": body["reference"],
            "description": body["description"],
            "return_url": body["return_url"],
            "language": body.get("language", "en"),
            "email": body.get("email"),
            "metadata": body.get("metadata") or {},
            "state": {"status": "created", "finished": False},
            "payment_provider": "sandbox",
            "created_date": "2026-01-01T00:00:00.000Z",
        }
        with self.lock:
            self.payments[pay_id] = payment
        return 201, self.view(payment)

    def view(self, payment: dict[str, Any]) -> dict[str, Any]:
        links: dict[str, Any] = {
            "self": {"href": f"{self.url}/v1/payments/{payment['payment_id']}", "method": "GET"}
        }
        if not payment["state"]["finished"]:
            links["next_url"] = {"href": self.card_url(payment["payment_id"]), "method": "GET"}
        return {**payment, "_links": links}

    def card_url(self, pay_id: str) -> str:
        return f"{self.url}/secure/{pay_id}"

    def finish(self, pay_id: str, outcome: str) -> str:
        """Set the payment's state as the card page would; returns the return_url."""
        with self.lock:
            payment = self.payments[pay_id]
            if not payment["state"]["finished"]:
                payment["state"] = dict(OUTCOMES[outcome])
            return str(payment["return_url"])

    def cancel(self, pay_id: str) -> tuple[int, dict[str, Any] | None]:
        with self.lock:
            payment = self.payments.get(pay_id)
            if payment is None:
                return 404, {"code": "P0500", "description": "Not found"}
            if payment["state"]["finished"]:
                return 400, {"code": "P0501", "description": "Cancellation of payment failed"}
            payment["state"] = {
                "status": "cancelled",
                "finished": True,
                "code": "P0040",
                "message": "Payment was cancelled by the service",
            }
        return 204, None

    def statuses(self) -> list[str]:
        return [p["state"]["status"] for p in self.payments.values()]


class PayHandler(BaseHTTPRequestHandler):
    """Pay's API and the card page, for the stand-in in `stand_in`."""

    stand_in: PayStandIn
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path.startswith("/secure/"):
            self._card_page(self.path.removeprefix("/secure/"))
            return
        if not self._authorised("GET", {}):
            return
        payment = self.stand_in.payments.get(self.path.removeprefix("/v1/payments/"))
        if not self.path.startswith("/v1/payments/") or payment is None:
            self._json(404, {"code": "P0200", "description": "Not found"})
            return
        self._json(200, self.stand_in.view(payment))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path.startswith("/secure/"):
            outcome = parse_qs(raw.decode()).get("outcome", [""])[0]
            pay_id = self.path.removeprefix("/secure/")
            if pay_id not in self.stand_in.payments or outcome not in OUTCOMES:
                self._json(404, {"description": "Not found"})
                return
            self.send_response(303)
            self.send_header("Location", self.stand_in.finish(pay_id, outcome))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not self._authorised("POST", body if isinstance(body, dict) else {}):
            return
        if self.path == "/v1/payments" and isinstance(body, dict):
            self._json(*self.stand_in.create(body))
        elif self.path.startswith("/v1/payments/") and self.path.endswith("/cancel"):
            pay_id = self.path.removeprefix("/v1/payments/").removesuffix("/cancel")
            self._json(*self.stand_in.cancel(pay_id))
        else:
            self._json(400, {"code": "P0197", "description": "Unable to parse JSON"})

    def _authorised(self, method: str, body: dict[str, Any]) -> bool:
        with self.stand_in.lock:
            self.stand_in.requests.append((method, self.path, body))
        if self.stand_in.fail_with:
            self._json(self.stand_in.fail_with, {"code": "P0199", "description": "Unavailable"})
            return False
        if self.headers.get("Authorization") != f"Bearer {self.stand_in.api_key}":
            self._json(401, {"code": "P0920", "description": "Credentials are required"})
            return False
        return True

    def _card_page(self, pay_id: str) -> None:
        payment = self.stand_in.payments.get(pay_id)
        if payment is None:
            self._json(404, {"description": "Not found"})
            return
        with self.stand_in.lock:
            if payment["state"]["status"] == "created":
                payment["state"] = {"status": "started", "finished": False}
        pounds = f"£{payment['amount'] // 100}.{payment['amount'] % 100:02d}"
        buttons = "".join(
            f'<button name="outcome" value="{value}">{label}</button> '
            for value, label in (
                ("succeed", "Pay"),
                ("decline", "Decline the card"),
                ("cancel", "Cancel payment"),
            )
        )
        page = (
            f'<!DOCTYPE html><html lang="{html.escape(payment["language"])}"><head>'
            '<meta charset="utf-8"><title>Enter card details (stand-in)</title></head>'
            f"<body><main><h1>Enter card details (stand-in)</h1>"
            f"<p>{html.escape(payment['description'])}: {pounds}</p>"
            f'<form method="post" action="/secure/{pay_id}">{buttons}</form>'
            "</main></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)

    def _json(self, status: int, answer: dict[str, Any] | None) -> None:
        data = json.dumps(answer).encode() if answer is not None else b""
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


def make_handler(stand_in: PayStandIn) -> type[BaseHTTPRequestHandler]:
    return type("Handler", (PayHandler,), {"stand_in": stand_in})


def start_stand_in(port: int = 0, api_key: str = STAND_IN_KEY) -> tuple[PayStandIn, LoopbackServer]:
    """Serve a stand-in on 127.0.0.1 (an ephemeral port unless given) until the process ends."""
    stand_in = PayStandIn(api_key=api_key)
    server = start(make_handler(stand_in), port)
    stand_in.url = server.url
    return stand_in, server


@contextmanager
def pay_stand_in(port: int = 0, api_key: str = STAND_IN_KEY) -> Iterator[PayStandIn]:
    """A stand-in for the length of the block."""
    stand_in, server = start_stand_in(port, api_key)
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
