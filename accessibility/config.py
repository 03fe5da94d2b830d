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
    return options
