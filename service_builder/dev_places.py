"""(Development and sweeps) A stand-in for OS Places' `/postcode` endpoint, with a few
fictional Aldermoor addresses in its JSON shape, so the address lookup works offline."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from service_builder.loopback import serving

FOUND_POSTCODE = "AL1 2CD"
"""A postcode the stand-in knows addresses at."""
EMPTY_POSTCODE = "AL9 9ZZ"
"""A postcode the stand-in knows no addresses at (OS Places then leaves out `results`)."""
FAILING_POSTCODE = "AL5 5XX"
"""A postcode the stand-in fails for, as OS Places does when it is down (HTTP 503)."""


def _dpa(uprn: int, number: str = "", street: str = "", **more: str) -> dict[str, Any]:
    record: dict[str, Any] = {
        "UPRN": str(uprn),
        "UDPRN": str(uprn % 100_000_000),
        "BUILDING_NUMBER": number or None,
        "THOROUGHFARE_NAME": street,
        "POST_TOWN": "ALDERMOOR",
        "POSTCODE": FOUND_POSTCODE,
        "STATUS": "APPROVED",
        "LOGICAL_STATUS_CODE": "1",
        "CLASSIFICATION_CODE": "RD04",
        "COUNTRY_CODE": "E",
        "LANGUAGE": "EN",
        "MATCH": 1.0,
        "MATCH_DESCRIPTION": "EXACT",
        **more,
    }
    parts = [
        more.get("ORGANISATION_NAME"),
        more.get("SUB_BUILDING_NAME"),
        more.get("BUILDING_NAME"),
        f"{number}, {street}" if number else street,
        more.get("DEPENDENT_LOCALITY"),
        "ALDERMOOR",
        FOUND_POSTCODE,
    ]
    record["ADDRESS"] = ", ".join(p for p in parts if p)
    return {key: value for key, value in record.items() if value is not None}


ADDRESSES: dict[str, list[dict[str, Any]]] = {
    FOUND_POSTCODE: [
        _dpa(990000000101, "1", "MARKET STREET"),
        _dpa(990000000102, "2", "MARKET STREET"),
        _dpa(
            990000000103,
            "",
            "MARKET STREET",
            SUB_BUILDING_NAME="FLAT 3A",
            BUILDING_NAME="ROSE HOUSE",
        ),
        _dpa(990000000104, "12", "MARKET STREET", DEPENDENT_LOCALITY="OLD TOWN"),
        _dpa(990000000105, "14", "MARKET STREET", ORGANISATION_NAME="ALDERMOOR BAKERY"),
    ],
    EMPTY_POSTCODE: [],
}


def postcode_answer(url: str) -> tuple[int, dict[str, Any]]:
    """OS Places' answer to `GET …/postcode?postcode=…&key=…`: status and JSON body."""
    query = parse_qs(urlsplit(url).query)
    if not query.get("key", [""])[0]:
        return 401, {"fault": {"faultstring": "Invalid ApiKey", "detail": {}}}
    typed = query.get("postcode", [""])[0].upper()
    compact = re.sub(r"\s+", "", typed)
    if len(compact) < 5:
        return 400, {
            "error": {
                "statuscode": 400,
                "message": "Requested postcode must contain a minimum of the sector plus 1 "
                "digit of the district e.g. SO1 1. Requested postcode was " + typed,
            }
        }
    if compact == FAILING_POSTCODE.replace(" ", ""):
        return 503, {"error": {"statuscode": 503, "message": "Service Unavailable"}}
    postcode = next((p for p in ADDRESSES if p.replace(" ", "") == compact), typed)
    return 200, places_body(url, postcode, ADDRESSES.get(postcode, []))


def places_body(url: str, postcode: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """OS Places' JSON for a postcode search: its header, and `results` only when found."""
    body: dict[str, Any] = {
        "header": {
            "uri": url,
            "query": f"postcode={postcode}",
            "offset": 0,
            "totalresults": len(records),
            "format": "JSON",
            "dataset": "DPA",
            "lr": "EN,CY",
            "maxresults": 100,
            "epoch": "117",
            "output_srs": "EPSG:27700",
        }
    }
    if records:
        body["results"] = [{"DPA": record} for record in records]
    return body


class PlacesHandler(BaseHTTPRequestHandler):
    """Answers `GET …/postcode` as OS Places would; logs nothing (postcodes are personal)."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if urlsplit(self.path).path.rstrip("/").endswith("/postcode"):
            status, answer = postcode_answer(self.path)
        else:
            status, answer = 404, {"error": {"statuscode": 404, "message": "Not found"}}
        send_json(self, status, answer)

    def log_message(self, *args: Any) -> None:
        pass


def send_json(handler: BaseHTTPRequestHandler, status: int, answer: dict[str, Any]) -> None:
    data = json.dumps(answer).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


@contextmanager
def serving_places() -> Iterator[str]:
    """The stand-in on an ephemeral port of 127.0.0.1, in a thread; yields its base URL."""
    with serving(PlacesHandler) as server:
        yield f"{server.url}/search/places/v1"
