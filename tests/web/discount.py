"""The council-tax discount example's answers, for tests that need a journey part-way through."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

SERVICE = "council-tax-single-person-discount"
ABOUT_YOU = {
    "full_name": "Pat Caller",
    "date_of_birth-day": "3",
    "date_of_birth-month": "4",
    "date_of_birth-year": "1960",
}


def answer_to_about_you(client: FlaskClient, prefix: str = "") -> None:
    """Answer the pages before 'about you' (as a resident, or with prefix='/staff')."""
    base = f"{prefix}/{SERVICE}"
    client.post(f"{base}/account-number", data={"account_number": "51234567"})
    client.post(f"{base}/other-adults", data={"other_adults": "no"})
    client.post(
        f"{base}/date-alone",
        data={"date_from-day": "1", "date_from-month": "2", "date_from-year": "2020"},
    )


def answer_about_you(client: FlaskClient, prefix: str = "", **extra: str) -> Any:
    return client.post(f"{prefix}/{SERVICE}/about-you", data={**ABOUT_YOU, **extra})
