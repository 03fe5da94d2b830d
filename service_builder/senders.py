"""Sending one delivery: a signed webhook POST, or an email through GOV.UK Notify's client."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient

from service_builder.definitions.schema import webhook_target
from service_builder.deliveries import NOT_SENT

log = logging.getLogger(__name__)
TIMEOUT = 10  # seconds: no answer by then counts as a failure, to be retried
NOTIFY_PUBLIC_API = "https://api.notifications.service.gov.uk"


class SendError(Exception):
    """This attempt failed; the message (no personal data) is kept as the last error."""


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Senders:
    """What a worker sends with: one HTTP session and one Notify client, reused."""

    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    http: requests.Session = field(default_factory=requests.Session)
    timeout: float = TIMEOUT
    _notify: NotificationsAPIClient | None = None

    def send(self, purpose: str, payload: dict[str, Any], reference: str) -> str | None:
        """Send; a status other than delivered (None) when it was deliberately not sent."""
        if purpose == "webhook":
            self.webhook(payload, reference)
            return None
        return self.email(payload, reference)

    def webhook(self, payload: dict[str, Any], reference: str) -> None:
        url, secret = webhook_target(self.environ, payload["url_env"], payload["secret_env"])
        if not url or not secret:
            missing = payload["url_env"] if not url else payload["secret_env"]
            raise SendError(f"the environment variable {missing} is not set")
        body = payload["body"].encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            "X-Service-Builder-Reference": reference,
            "X-Service-Builder-Signature": signature(secret, body),
        }
        try:
            response = self.http.post(url, data=body, headers=headers, timeout=self.timeout)
        except requests.Timeout:
            raise SendError(f"no answer within {self.timeout:g} seconds") from None
        except requests.RequestException as error:
            raise SendError(f"could not connect: {type(error).__name__}") from None
        if not 200 <= response.status_code < 300:
            raise SendError(f"the receiver answered {response.status_code}")

    def email(self, payload: dict[str, Any], reference: str) -> str | None:
        client = self.notify_client()
        if client is None:
            log.warning("NOTIFY_API_KEY is not set: email for %s recorded, not sent", reference)
            return NOT_SENT
        try:
            client.send_email_notification(
                email_address=payload["email_address"],
                template_id=payload["template_id"],
                personalisation=payload["personalisation"],
                reference=reference,
            )
        except HTTPError as error:
            if error.response is None:  # the client's own 503, for no answer at all
                if isinstance(error.__cause__, requests.Timeout):
                    raise SendError(
                        f"Notify did not answer within {self.timeout:g} seconds"
                    ) from None
                cause = type(error.__cause__).__name__ if error.__cause__ else "no response"
                raise SendError(f"could not connect to Notify: {cause}") from None
            raise SendError(
                f"Notify answered {error.status_code}: {_notify_errors(error)}"
            ) from None
        except requests.Timeout:
            raise SendError(f"Notify did not answer within {self.timeout:g} seconds") from None
        except requests.RequestException as error:
            raise SendError(f"could not connect to Notify: {type(error).__name__}") from None
        return None

    def warn_without_notify_key(self, catalog: Any) -> list[str]:
        """At the worker's start: services that email, with no key to send with, say so
        once (each email then says it again, as it is recorded and not sent)."""
        emailing = sorted(s.id for s in catalog.services.values() if s.notify is not None)
        if emailing and not self.environ.get("NOTIFY_API_KEY"):
            log.warning(
                "NOTIFY_API_KEY is not set where this worker runs: the emails of %s will be "
                "recorded, not sent (service_builder_deliveries_not_sent counts them)",
                ", ".join(emailing),
            )
            return emailing
        return []

    def notify_client(self) -> NotificationsAPIClient | None:
        key = self.environ.get("NOTIFY_API_KEY")
        if not key:
            return None
        if self._notify is None:
            base_url = self.environ.get("NOTIFY_BASE_URL") or NOTIFY_PUBLIC_API
            self._notify = NotificationsAPIClient(key, base_url=base_url, timeout=self.timeout)
        return self._notify


def _notify_errors(error: HTTPError) -> str:
    """Notify's own error names (e.g. BadRequestError), never the message, which may quote data."""
    found = error.message if isinstance(error.message, list) else []
    names = [item.get("error", "") for item in found if isinstance(item, dict)]
    return ", ".join(name for name in names if name) or "error"
