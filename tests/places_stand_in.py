"""A real HTTP server on 127.0.0.1 standing in for OS Places' `/postcode` endpoint."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from service_builder.dev_places import places_body, send_json
from service_builder.loopback import serving

API_KEY = "os-places-test-key"
POSTCODE = "AL1 2CD"


def dpa(uprn: str, **fields: str) -> dict[str, Any]:
    """A `DPA` record as OS Places documents it (capitals, the address on one line too)."""
    record = {
        "UPRN": uprn,
        "UDPRN": "23749112",
        "POST_TOWN": "ALDERMOOR",
        "POSTCODE": POSTCODE,
        "RPC": "1",
        "X_COORDINATE": 530047.0,
        "Y_COORDINATE": 179951.0,
        "STATUS": "APPROVED",
        "LOGICAL_STATUS_CODE": "1",
        "CLASSIFICATION_CODE": "RD04",
        "CLASSIFICATION_CODE_DESCRIPTION": "Terraced",
        "LOCAL_CUSTODIAN_CODE": 5990,
        "COUNTRY_CODE": "E",
        "POSTAL_ADDRESS_CODE": "D",
        "BLPU_STATE_CODE": None,
        "LAST_UPDATE_DATE": "10/02/2016",
        "ENTRY_DATE": "03/01/2003",
        "LANGUAGE": "EN",
        "MATCH": 1.0,
        "MATCH_DESCRIPTION": "EXACT",
        **fields,
    }
    record["ADDRESS"] = (
        ", ".join(
            str(fields[k])
            for k in (
                "ORGANISATION_NAME",
                "SUB_BUILDING_NAME",
                "BUILDING_NAME",
                "BUILDING_NUMBER",
                "THOROUGHFARE_NAME",
                "DEPENDENT_LOCALITY",
            )
            if k in fields
        )
        + f", ALDERMOOR, {POSTCODE}"
    )
    return record


ADDRESSES = [
    dpa("100023336956", BUILDING_NUMBER="10", THOROUGHFARE_NAME="MILL LANE"),
    dpa(
        "100023336957",
        BUILDING_NUMBER="12",
        THOROUGHFARE_NAME="MILL LANE",
        DEPENDENT_LOCALITY="NETHER END",
    ),
    dpa(
        "100023336958",
        SUB_BUILDING_NAME="FLAT 2B",
        BUILDING_NAME="THE OLD MILL",
        THOROUGHFARE_NAME="MILL LANE",
    ),
    dpa(
        "100023336959",
        ORGANISATION_NAME="MILL LANE SURGERY",
        BUILDING_NUMBER="14",
        THOROUGHFARE_NAME="MILL LANE",
    ),
]


@dataclass
class PlacesStandIn:
    """Answers with `addresses` (none: OS Places leaves `results` out), or the next
    scripted status; `delay` seconds before answering, to make the client time out."""

    addresses: list[dict[str, Any]] = field(default_factory=lambda: list(ADDRESSES))
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    requests: list[dict[str, list[str]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    url: str = ""

    def answer(self, path: str) -> tuple[int, dict[str, Any]]:
        query = parse_qs(urlsplit(path).query)
        self.paths.append(urlsplit(path).path)
        self.requests.append(query)
        if query.get("key") != [API_KEY]:
            return 401, {"fault": {"faultstring": "Invalid ApiKey", "detail": {}}}
        if self.statuses:
            status = self.statuses.pop(0)
            return status, {"error": {"statuscode": status, "message": "Scripted failure"}}
        return 200, places_body(path, query["postcode"][0], self.addresses)


@contextmanager
def serve_places(stand_in: PlacesStandIn) -> Iterator[PlacesStandIn]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            if stand_in.delay:
                time.sleep(stand_in.delay)
            status, answer = stand_in.answer(self.path)
            with contextlib.suppress(OSError):  # the client gave up waiting
                send_json(self, status, answer)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Handler) as server:
        stand_in.url = f"{server.url}/search/places/v1"
        yield stand_in
