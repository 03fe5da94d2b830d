"""(Development) A stand-in for GOV.UK Notify, a case system and OS Places (for the address
lookup, with a few fictional addresses: see dev_places.py); it logs what it gets."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from service_builder.dev_places import postcode_answer, send_json

log = logging.getLogger("dev-receiver")
NOTIFY_EMAIL = "/v2/notifications/email"


def make_handler(secret: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """Webhooks on any path are checked against the secret; Notify emails are accepted.
        Only references, templates and signature checks are logged, never answers or addresses."""

        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            """OS Places' `…/postcode` endpoint, for `make run`'s address lookups."""
            if urlsplit(self.path).path.rstrip("/").endswith("/postcode"):
                status, answer = postcode_answer(self.path)
                log.info("OS Places lookup: %s addresses", len(answer.get("results", [])))
            else:
                status, answer = 404, {"error": "not found"}
            send_json(self, status, answer)

        def do_POST(self) -> None:
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
            signed = hmac.compare_digest(expected, given)
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
            return 201, {"id": str(uuid.uuid4()), "reference": email.get("reference")}

        def log_message(self, *args: Any) -> None:
            pass  # the lines above say what matters, without client addresses

    return Handler


def serve(port: int, secret: str) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(secret))
    log.info("development receiver on http://127.0.0.1:%d (webhooks, Notify and OS Places)", port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
