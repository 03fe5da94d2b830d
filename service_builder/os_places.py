"""Addresses found by postcode through Ordnance Survey's OS Places API, as address answers.

Only the `/postcode` endpoint is used, with the key as the `key` parameter. Nothing the
person typed is logged: a postcode can identify a household.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import requests

from service_builder.questions.inputs import normalise_postcode

log = logging.getLogger(__name__)


class WithoutQueryStrings(logging.Filter):
    """urllib3 logs each request's URL at debug level: the query holds the postcode and the
    key, so it is cut off before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                re.sub(r"\?\S*", "?…", arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


logging.getLogger("urllib3.connectionpool").addFilter(WithoutQueryStrings())

DEFAULT_BASE_URL = "https://api.os.uk/search/places/v1"
DEFAULT_TIMEOUT = 3.0
"""Seconds: the person is waiting on the page, and can always type the address instead."""
MAX_RESULTS = 100
"""OS Places' largest page; a postcode rarely holds more than a few dozen addresses."""


class LookupUnavailable(Exception):
    """The lookup cannot answer now (no key, an error, a timeout): the person types it."""


@dataclass(frozen=True)
class FoundAddress:
    """One address OS Places knows, in the address answer's shape, with its UPRN."""

    uprn: str
    line_1: str
    line_2: str
    town: str
    postcode: str

    @property
    def answer(self) -> dict[str, str]:
        return {
            "line_1": self.line_1,
            "line_2": self.line_2,
            "town": self.town,
            "postcode": self.postcode,
            "uprn": self.uprn,
        }

    @property
    def label(self) -> str:
        """One line for the list of addresses: the postcode is already on the page."""
        return ", ".join(part for part in (self.line_1, self.line_2, self.town) if part)

    def matches(self, building: str) -> bool:
        """Whether every word of a building name or number is a word of the address."""
        words = set(re.findall(r"[a-z0-9]+", self.label.lower()))
        wanted = re.findall(r"[a-z0-9]+", building.lower())
        return all(word in words for word in wanted)


@dataclass
class AddressFinder:
    """Asks OS Places for the addresses at a postcode."""

    api_key: str | None
    base_url: str = DEFAULT_BASE_URL
    timeout: float = DEFAULT_TIMEOUT
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def configured(self) -> bool:
        return bool(self.api_key)

    def find(self, postcode: str) -> list[FoundAddress]:
        """The addresses at a (normalised) postcode, in OS Places' order; an empty list when
        it knows none. Raises LookupUnavailable when it cannot be asked or does not answer."""
        if not self.api_key:
            raise LookupUnavailable("OS_PLACES_API_KEY is not set")
        params: dict[str, str | int] = {
            "postcode": postcode,
            "key": self.api_key,
            "dataset": "DPA",
            "maxresults": MAX_RESULTS,
        }
        try:
            response = self.http.get(
                self.base_url.rstrip("/") + "/postcode", params=params, timeout=self.timeout
            )
        except requests.Timeout:
            log.warning("OS Places did not answer within %ss", self.timeout)
            raise LookupUnavailable("timeout") from None
        except requests.RequestException as error:
            log.warning("OS Places could not be reached: %s", type(error).__name__)
            raise LookupUnavailable("unreachable") from None
        if response.status_code != 200:
            # 400 for a postcode OS Places does not accept, 401 for a bad key, 429, 5xx
            log.warning("OS Places answered %s", response.status_code)
            raise LookupUnavailable(f"status {response.status_code}")
        try:
            results = response.json().get("results") or []  # absent when nothing is found
        except (ValueError, AttributeError):
            log.warning("OS Places answered with something other than JSON")
            raise LookupUnavailable("not JSON") from None
        found = [place_from_dpa(result["DPA"]) for result in results if _is_dpa(result)]
        return [place for place in found if place is not None]


def _is_dpa(result: Any) -> bool:
    return isinstance(result, dict) and isinstance(result.get("DPA"), dict)


def place_from_dpa(dpa: dict[str, Any]) -> FoundAddress | None:
    """A found address from an OS Places `DPA` record (Royal Mail's address), or None when
    it lacks what an address answer needs."""

    def part(key: str) -> str:
        value = dpa.get(key)
        return _tidy(str(value)) if value not in (None, "") else ""

    streets = ", ".join(
        p for p in (part("DEPENDENT_THOROUGHFARE_NAME"), part("THOROUGHFARE_NAME")) if p
    )
    number_and_street = " ".join(p for p in (part("BUILDING_NUMBER"), streets) if p)
    premises = [
        part("ORGANISATION_NAME"),
        part("SUB_BUILDING_NAME"),
        part("BUILDING_NAME"),
        number_and_street,
    ]
    line_1 = ", ".join(p for p in premises if p)
    line_2 = ", ".join(
        p for p in (part("DOUBLE_DEPENDENT_LOCALITY"), part("DEPENDENT_LOCALITY")) if p
    )
    uprn = str(dpa.get("UPRN") or "")
    postcode = normalise_postcode(str(dpa.get("POSTCODE") or ""))
    town = part("POST_TOWN")
    if not (uprn.isdigit() and line_1 and town and postcode):
        return None
    return FoundAddress(uprn, line_1[:200], line_2[:200], town[:200], postcode)


def _tidy(text: str) -> str:
    """OS Places writes addresses in capitals: 'FLAT 2B, ROSE HOUSE' -> 'Flat 2B, Rose House'.
    Words with digits keep their capitals (2B, 12A)."""
    return re.sub(
        r"[A-Za-z0-9'’]+",
        lambda m: m.group(0) if any(c.isdigit() for c in m.group(0)) else m.group(0).capitalize(),
        text.strip(),
    )
