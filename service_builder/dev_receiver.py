"""(Development) A stand-in for GOV.UK Notify, GOV.UK Pay, a case system and OS Places (for
the address lookup, with a few fictional addresses: see dev_places.py); it logs what it
gets."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import urlsplit

from service_builder.dev_places import postcode_answer, send_json
from service_builder.loopback import LoopbackServer
from service_builder.payments.stand_in import STAND_IN_KEY, PayHandler, PayStandIn

log = logging.getLogger("dev-receiver")
PAY_PATHS = ("/v1/payments", "/secure/")
NOTIFY_EMAIL = "/v2/notifications/email"


def make_handler(secret: str, pay: PayStandIn | None = None) -> type[BaseHTTPRequestHandler]:
    class Handler(PayHandler):
        """Webhooks on any path are checked against the secret; Notify emails are accepted;
        GOV.UK Pay's API and card page are served by the Pay stand-in (GETs all go there).
        Only references, templates and signature checks are logged, never answers or addresses."""

        protocol_version = "HTTP/1.1"
        stand_in = pay or PayStandIn()

        def do_GET(self) -> None:
            """OS Places' `…/postcode` endpoint, for `make run`'s address lookups; every other
            GET is GOV.UK Pay's (a payment's status, the card page)."""
            if not urlsplit(self.path).path.rstrip("/").endswith("/postcode"):
                super().do_GET()
                return
            status, answer = postcode_answer(self.path)
            log.info("OS Places lookup: %s addresses", len(answer.get("results", [])))
            send_json(self, status, answer)

        def do_POST(self) -> None:
            if self.path.startswith(PAY_PATHS):
                super().do_POST()
                return
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == NOTIFY_EMAIL:
                status, answer = self._notify(body)
            else:
                status, answer = self._webhook(body)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _webhook(self, body: bytes) -> tuple[int, dict[str, Any]]:
            expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            given = self.headers.get("X-Service-Builder-Signature", "")
            signed = hmac.compare_digest(expected.encode(), given.encode())  # bytes: any header
            log.info(
                "webhook %s: case %s, %d bytes, signature %s",
                self.path,
                self.headers.get("X-Service-Builder-Reference"),
                len(body),
                "good" if signed else "WRONG",
            )
            return (200, {"received": True}) if signed else (401, {"error": "bad signature"})

        def _notify(self, body: bytes) -> tuple[int, dict[str, Any]]:
            email = json.loads(body or b"{}")
            log.info(
                "Notify email: template %s for case %s, personalisation keys %s",
                email.get("template_id"),
                email.get("reference"),
                ", ".join(sorted(email.get("personalisation", {}))),
            )
            if link := email.get("personalisation", {}).get("link"):
                # a save-and-return link: printed so a developer can follow it (only this
                # development stand-in does; the app never logs it)
                log.info("Notify email: the link in it is %s", link)
            return 201, {"id": str(uuid.uuid4()), "reference": email.get("reference")}

        def log_message(self, *args: Any) -> None:
            pass  # the lines above say what matters, without client addresses

    return Handler


def serve(port: int, secret: str, pay_key: str = STAND_IN_KEY) -> None:
    pay = PayStandIn(api_key=pay_key, url=f"http://127.0.0.1:{port}")
    server = LoopbackServer(("127.0.0.1", port), make_handler(secret, pay))
    log.info(
        "development receiver on http://127.0.0.1:%d (webhooks, Notify, Pay and OS Places)", port
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
