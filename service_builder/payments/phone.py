"""Assisted mode: the agent takes the payment by phone and types the card system's reference."""

from __future__ import annotations

import re

from service_builder.definitions.payment import amount_due
from service_builder.journey import Journey

PHONE_PAYMENT_FIELD = "phone_payment_reference"
PHONE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 /-]{2,39}")
"""What card payment systems give: 3 to 40 letters and numbers, maybe hyphens or slashes."""


def phone_amount(journey: Journey) -> int:
    """What the resident's answers cost (0: nothing to take)."""
    return amount_due(journey.service, journey.answers) if journey.service.payment else 0


def phone_reference_errors(raw: str) -> list[dict[str, str]]:
    """GOV.UK-style errors for the card payment reference the agent typed."""
    reference = raw.strip()
    href = f"#{PHONE_PAYMENT_FIELD}"
    if not reference:
        return [{"text": "Enter the card payment reference", "href": href}]
    if not PHONE_REFERENCE.fullmatch(reference):
        return [
            {
                "text": "Card payment reference must be 3 to 40 characters: letters, numbers, "
                "spaces, hyphens or slashes",
                "href": href,
            }
        ]
    return []
