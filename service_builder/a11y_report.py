"""The last accessibility sweep's summary, as the accessibility statement reports it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from service_builder.config import ROOT

SUMMARY = ROOT / "accessibility" / "last-sweep.json"


@dataclass(frozen=True)
class SweepSummary:
    axe_version: str
    generated_at: str
    page_states: int
    violations: int
    services: int


def last_sweep(path: Path = SUMMARY) -> SweepSummary | None:
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
