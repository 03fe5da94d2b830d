"""Modes of a journey (the resident's own, assisted by staff): one value object each, no Flask.

Everything that differs between modes lives here, so the runner, retention, the admin
preview and the accessibility plan read the same settings and cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

AUDITED_ACTIONS = frozenset(
    {
        "started",
        "viewed",
        "changed",
        "removed-item",
        "paused",
        "resumed",
        "taken-over",
        "handed-back",
        "submitted",
    }
)


@dataclass(frozen=True)
class Mode:
    name: str
    """The runner's (blueprint's) name."""
    audience: str
    """Whose questions are asked: `resident` or `staff` (a question's `audience`)."""
    channel: str
    """Stored on drafts and submissions: `online` or `assisted`."""
    url_prefix: str
    draft_lifetime: dt.timedelta
    """How long an untouched draft is kept (by the runner and by `purge`)."""
    lifetime_setting: str
    """The configuration key that may override draft_lifetime."""
    audited: frozenset[str] = frozenset()
    """Which actions go in the audit trail (residents' own actions are not audited)."""
    autofill: bool = True
    """Whether fields keep their autocomplete tokens (not when staff type a resident's details)."""

    def lifetime(self, config: Mapping[str, Any] | None = None) -> dt.timedelta:
        value = (config or {}).get(self.lifetime_setting, self.draft_lifetime)
        return value if isinstance(value, dt.timedelta) else self.draft_lifetime

    def audits(self, action: str) -> bool:
        return action in self.audited


RESIDENT = Mode(
    name="resident",
    audience="resident",
    channel="online",
    url_prefix="",
    draft_lifetime=dt.timedelta(days=1),
    lifetime_setting="DRAFT_LIFETIME",
)
ASSISTED = Mode(
    name="assisted",
    audience="staff",
    channel="assisted",
    url_prefix="/staff",
    draft_lifetime=dt.timedelta(days=30),
    lifetime_setting="ASSISTED_DRAFT_LIFETIME",
    audited=AUDITED_ACTIONS,
    autofill=False,
)
PREVIEW_RESIDENT = Mode(
    name="preview_resident",
    audience="resident",
    channel="preview",
    url_prefix="/admin/preview/resident",
    draft_lifetime=dt.timedelta(hours=1),
    lifetime_setting="PREVIEW_DRAFT_LIFETIME",
)
PREVIEW_STAFF = Mode(
    name="preview_staff",
    audience="staff",
    channel="preview",
    url_prefix="/admin/preview/staff",
    draft_lifetime=dt.timedelta(hours=1),
    lifetime_setting="PREVIEW_DRAFT_LIFETIME",
)
"""Admins try any route in either audience. Nothing is ever submitted or sent; the working
answers are a draft of channel `preview`, never listed or exported, purged after an hour."""
MODES = (RESIDENT, ASSISTED, PREVIEW_RESIDENT, PREVIEW_STAFF)
PREVIEWS = {mode.audience: mode for mode in (PREVIEW_RESIDENT, PREVIEW_STAFF)}


def by_channel(channel: str) -> Mode:
    """The mode a draft was made in (unknown channels are kept as long as the longest)."""
    found = next((mode for mode in MODES if mode.channel == channel), None)
    return found or max(MODES, key=lambda mode: mode.draft_lifetime)
