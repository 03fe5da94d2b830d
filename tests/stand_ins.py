"""Real HTTP servers on 127.0.0.1 standing in for GOV.UK Notify and a case-management system."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from notifications_python_client.authentication import decode_jwt_token

from service_builder.loopback import serving

NOTIFY_SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
NOTIFY_SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
NOTIFY_API_KEY = f"test_key-{NOTIFY_SERVICE_ID}-{NOTIFY_SECRET}"
"""A key in Notify's format (name, service id, secret), known only to these tests."""


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class StandIn:
    """A server that records each request and answers with the next scripted status."""

    kind: str  # "webhook" or "notify"
    answers: list[int] = field(default_factory=list)
    """Status codes to give, in turn; when they run out, success."""
    delay: float = 0.0
    held: bool = False
    """While true, each request waits, unanswered, until `release` (so a test can kill its
    sender mid-request, deterministically)."""
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def answer(self, request: Received) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.received.append(request)
            status = self.answers.pop(0) if self.answers else 0
        if self.kind == "webhook":
            return status or 200, {"ok": status in (0, 200)}
        return self.notify_answer(request, status)

    def notify_answer(self, request: Received, status: int) -> tuple[int, dict[str, Any]]:
        """Notify's documented answers: 403 for a bad token, 400 for a bad body, 201 sent."""
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            decode_jwt_token(token, NOTIFY_SECRET)
        except Exception:
            return 403, {
                "status_code": 403,
                "errors": [{"error": "AuthError", "message": "Invalid token: signature"}],
            }
        body = request.json()
        if request.path != "/v2/notifications/email" or not body.get("email_address"):
            return 400, {
                "status_code": 400,
                "errors": [{"error": "BadRequestError", "message": "email_address is required"}],
            }
        if status and status != 201:
            return status, {"status_code": status, "errors": [{"error": "Exception"}]}
        return 201, {
            "id": str(uuid.uuid4()),
            "reference": body.get("reference"),
            "content": {"subject": "Subject", "body": "Body", "from_email": "a@b.example"},
            "uri": "https://api.example/v2/notifications/1",
            "template": {"id": body["template_id"], "version": 1, "uri": "https://api.example"},
        }

    def release(self) -> None:
        self.held = False
        self.released.set()

    def references(self) -> list[str]:
        found = []
        for request in self.received:
            if self.kind == "webhook":
                found.append(request.headers["X-Service-Builder-Reference"])
            else:
                found.append(request.json()["reference"])
        return found


@contextmanager
def serve(stand_in: StandIn) -> Iterator[StandIn]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = Received(self.path, dict(self.headers.items()), self.rfile.read(length))
            if len(request.body) < length:
                return  # the client died mid-request: nothing was delivered
            if stand_in.held:
                stand_in.arrived.set()
                stand_in.released.wait(timeout=60)
            if stand_in.delay:
                time.sleep(stand_in.delay)
            status, answer = stand_in.answer(request)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # the client may have stopped waiting (a timeout test): nothing to tell it then
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as server:
        stand_in.url = server.url
        yield stand_in
