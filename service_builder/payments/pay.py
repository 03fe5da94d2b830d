"""A small client for GOV.UK Pay's public API: create a payment, read it, cancel it."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

log = logging.getLogger(__name__)

PAY_PUBLIC_API = "https://publicapi.payments.service.gov.uk"
PAY_CARD_PAGES = "https://card.payments.service.gov.uk"
"""Where Pay's `next_url` sends the resident to give their card details."""
TIMEOUT = 10  # seconds: Pay's own guidance is to give up and tell the user, not to hang


class PayError(Exception):
    """Pay could not be reached or refused the request (the message holds no personal data)."""


@dataclass(frozen=True)
class PayState:
    """What Pay says about one payment."""

    pay_id: str
    status: str
    next_url: str | None


@dataclass
class PayClient:
    api_key: str
    base_url: str = PAY_PUBLIC_API
    timeout: float = TIMEOUT
    http: requests.Session | None = None
    """None: a connection per call, closed after it (a client lives for one request)."""

    def create(
        self,
        amount: int,
        reference: str,
        description: str,
        return_url: str,
        language: str = "en",
        email: str | None = None,
        metadata: Mapping[str, str] | None = None,
    ) -> PayState:
        """`POST /v1/payments`: Pay answers 201 with the payment and where to send the user."""
        body: dict[str, Any] = {
            "amount": amount,
            "reference": reference,
            "description": description,
            "return_url": return_url,
            "language": "cy" if language == "cy" else "en",
        }
        if email:
            body["email"] = email
        if metadata:
            body["metadata"] = dict(metadata)
        return self._checked(_state(self._call("POST", "/v1/payments", body, expect=(201,))))

    def get(self, pay_id: str) -> PayState:
        """`GET /v1/payments/{payment_id}`: its state now."""
        return self._checked(_state(self._call("GET", f"/v1/payments/{pay_id}", expect=(200,))))

    def _checked(self, state: PayState) -> PayState:
        """The resident is sent to `next_url`: only ever to Pay's card pages (or a stand-in's,
        on PAY_BASE_URL's origin), never where a wrong or hostile answer says."""
        if state.next_url is not None and _origin(state.next_url) not in card_origins(
            self.base_url
        ):
            raise PayError("GOV.UK Pay's next_url is not on its card payment pages")
        return state

    def cancel(self, pay_id: str) -> bool:
        """`POST /v1/payments/{payment_id}/cancel`: 204 when cancelled; False when Pay says
        it is too late (409: the payment already finished)."""
        try:
            self._call("POST", f"/v1/payments/{pay_id}/cancel", expect=(204,))
        except PayError:
            return False
        return True

    def _call(
        self, method: str, path: str, body: Any = None, expect: tuple[int, ...] = (200,)
    ) -> Any:
        try:
            response = (self.http or requests).request(
                method,
                self.base_url.rstrip("/") + path,
                json=body,
                headers={
                    "Authorization": f"Bearer {self.api_key}",
                    "Accept": "application/json",
                },
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise PayError(f"GOV.UK Pay could not be reached ({type(error).__name__})") from None
        if response.status_code not in expect:
            raise PayError(f"GOV.UK Pay answered {response.status_code} to {method} {path}")
        try:
            return response.json() if response.content else None
        except ValueError:  # a proxy's HTML page in front of Pay, say
            raise PayError(f"GOV.UK Pay's answer to {method} {path} was not JSON") from None


def card_origins(base_url: str) -> set[str]:
    """Where Pay may send a resident to pay: its card pages, and the origin of PAY_BASE_URL
    (a stand-in that serves its card page itself)."""
    origins = {PAY_CARD_PAGES}
    base = urlsplit(base_url)
    if base.scheme in ("http", "https") and base.netloc and base_url != PAY_PUBLIC_API:
        origins.add(f"{base.scheme}://{base.netloc}")  # Pay's own API serves no card page
    return origins


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _state(data: Any) -> PayState:
    try:
        next_link = (data.get("_links") or {}).get("next_url") or {}
        return PayState(
            pay_id=str(data["payment_id"]),
            status=str(data["state"]["status"]),
            next_url=next_link.get("href"),
        )
    except (AttributeError, KeyError, TypeError):
        raise PayError("GOV.UK Pay's answer did not have the documented shape") from None


def warn_without_pay_key(catalog: Any, config: Mapping[str, Any]) -> list[str]:
    """At start-up: paying services cannot be sent without Pay's key, so say so in the log."""
    paying = sorted(s.id for s in catalog.services.values() if s.payment is not None)
    if paying and not config.get("PAY_API_KEY"):
        log.warning(
            "PAY_API_KEY is not set: %s %s payments, so residents cannot send %s",
            ", ".join(paying),
            "takes" if len(paying) == 1 else "take",
            "it" if len(paying) == 1 else "them",
        )
        return paying
    return []


def client_from(config: Mapping[str, Any]) -> PayClient | None:
    """A client when PAY_API_KEY is configured; None means payments are not available."""
    key = config.get("PAY_API_KEY")
    if not key:
        return None
    return PayClient(str(key), str(config.get("PAY_BASE_URL") or PAY_PUBLIC_API))
