"""The last accessibility sweep's summary, as the accessibility statement reports it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from service_builder.config import ROOT

PUBLISHED = ROOT / "accessibility" / "last-sweep.json"
"""Written by a full `service-builder a11y` sweep and committed."""
LOCAL = ROOT / "accessibility" / "reports" / "last-sweep.json"
"""Written by any sweep on this machine (make test, make a11y); not committed."""


@dataclass(frozen=True)
class SweepSummary:
    axe_version: str
    generated_at: str
    page_states: int
    violations: int
    services: int


def last_sweep(paths: tuple[Path, ...] = (PUBLISHED, LOCAL)) -> SweepSummary | None:
    """The most recent sweep summary there is, or None when no sweep has run."""
    found = [summary for summary in map(_read, paths) if summary is not None]
    return max(found, key=lambda summary: summary.generated_at, default=None)


def _read(path: Path) -> SweepSummary | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SweepSummary(
            str(data["axe_version"]),
            str(data["generated_at"])[:10],
            int(data["page_states"]),
            int(data["violations"]),
            int(data["services"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
