"""One configuration for both runners: the pinned axe-core, the WCAG tags and rule exceptions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
REPORTS = ROOT / "accessibility" / "reports"
PUBLISHED_SUMMARY = ROOT / "accessibility" / "last-sweep.json"

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RULE_EXCEPTIONS: dict[str, str] = {}
"""axe rule id -> the written justification for not applying it. Keep this empty unless a
rule is wrong for this product, and say why here; every entry is listed in the report."""

ALLOWED_ATTRIBUTES: dict[str, list[str]] = {"radio": ["aria-expanded"]}
"""ARIA role -> attributes axe's aria-allowed-attr check lets it have beyond ARIA's own list
(its other rules all still apply). GOV.UK Frontend's conditional reveal (the close reasons
under Closed on a case) sets aria-expanded on the radio that reveals: invalid in ARIA 1.2,
kept on purpose because screen readers announce it and research found no harm; listed by the
Design System as a known issue (alphagov/govuk-frontend#979)."""
AXE_ALLOWED_ATTR_DEFAULTS: dict[str, Any] = {
    "validTreeRowAttrs": ["aria-posinset", "aria-setsize", "aria-expanded", "aria-level"],
    "ariaFallbackValues": {
        "aria-current": "true",
        "aria-required": "true",
        "aria-readonly": "true",
    },
}
"""The check's own options in the pinned axe-core: given options replace them, so kept."""

KEEP_OFF_THE_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
"""Chromium resolves nothing but loopback: no calls home, even from autofill."""

MOBILE_WIDTH = 320
"""The sweep runs at 320 CSS px, where reflow (WCAG 1.4.10) is tested."""


def pinned_axe_version() -> str:
    """The axe-core version package.json pins (what the page must report)."""
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    return str(package["devDependencies"]["axe-core"])


def installed_axe_version() -> str:
    package = json.loads((AXE_JS.parent / "package.json").read_text(encoding="utf-8"))
    return str(package["version"])


def axe_options() -> dict[str, Any]:
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": TAGS},
        "resultTypes": ["violations"],
    }
    if RULE_EXCEPTIONS:
        options["rules"] = {rule: {"enabled": False} for rule in RULE_EXCEPTIONS}
    options["checks"] = {
        "aria-allowed-attr": {"options": {**AXE_ALLOWED_ATTR_DEFAULTS, **ALLOWED_ATTRIBUTES}}
    }
    return options
