"""The GOV.UK Pay client against a Pay that answers wrongly: every oddity is a PayError (the
'payment not started' page), never a crash, and the resident is sent only to Pay's card pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any, ClassVar

import pytest

from service_builder.loopback import LoopbackServer, serving
from service_builder.payments.pay import (
    PAY_CARD_PAGES,
    PAY_PUBLIC_API,
    PayClient,
    PayError,
    card_origins,
)


class OddPay(BaseHTTPRequestHandler):
    """Answers every call with the status and body set on the class."""

    status: ClassVar[int] = 201
    body: ClassVar[bytes] = b""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(self.status)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_POST

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def pay() -> Iterator[LoopbackServer]:
    with serving(OddPay) as server:
        yield server


def payment(next_url: str) -> bytes:
    links = {"next_url": {"href": next_url, "method": "GET"}}
    return json.dumps(
        {"payment_id": "abc", "state": {"status": "created"}, "_links": links}
    ).encode()


def create(server: LoopbackServer) -> str | None:
    client = PayClient("key", server.url, timeout=2)
    return client.create(3500, "BWC-1", "Bulky waste", "https://council.example/back").next_url


@pytest.mark.parametrize(
    "body", [b"not json", b"<html>Bad gateway</html>", b"{", b"[]", b'{"payment_id": 1}']
)
def test_an_answer_that_is_not_pay_s_json_is_a_pay_error(
    pay: LoopbackServer, body: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OddPay, "body", body)
    with pytest.raises(PayError):
        create(pay)


@pytest.mark.parametrize(
    "next_url",
    [
        "javascript:alert(1)",
        "https://evil.example/phish",
        "http://card.payments.service.gov.uk/secure/abc",  # not https
        "https://card.payments.service.gov.uk.evil.example/secure/abc",
        "//evil.example/secure",
    ],
)
def test_a_next_url_off_pay_s_card_pages_is_refused(
    pay: LoopbackServer, next_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OddPay, "body", payment(next_url))
    with pytest.raises(PayError, match="not on its card payment pages"):
        create(pay)


def test_pay_s_own_api_is_not_a_card_page() -> None:
    assert card_origins(PAY_PUBLIC_API) == {PAY_CARD_PAGES}


def test_pay_s_card_pages_and_a_stand_in_s_own_are_followed(
    pay: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    for next_url in (f"{PAY_CARD_PAGES}/secure/abc", f"{pay.url}/card/abc"):
        monkeypatch.setattr(OddPay, "body", payment(next_url))
        assert create(pay) == next_url
