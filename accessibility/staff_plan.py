"""Staff and admin page states for the sweep (assisted digital mode)."""

from __future__ import annotations

from collections.abc import Sequence

from accessibility.plan import Action
from service_builder.definitions import Service


def prepare_staff() -> None:
    """Create the accounts the sweep signs in with."""


def staff_plan(services: Sequence[Service], site_pages: bool = True) -> list[Action]:
    return []
