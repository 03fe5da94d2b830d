"""docs/importing.md: the coverage figures it states are the ones its tables give."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "importing.md"
SECTIONS = {
    "XGov": ("## XGovFormBuilder", "## DEFRA"),
    "DEFRA": ("## DEFRA forms engine", "## GOV.UK Forms"),
    "GOV.UK Forms": ("## GOV.UK Forms\n", "## What the fixtures cover"),
}
HEADERS = re.compile(r"^\|\s*(XGov|DEFRA|DEFRA V2|GOV\.UK Forms|answer type|format)\s*\|")


def _rows(text: str) -> list[str]:
    return [
        line
        for line in text.splitlines()
        if line.startswith("|") and not line.startswith("|---") and not HEADERS.match(line)
    ]


def test_the_stated_coverage_matches_the_tables() -> None:
    text = DOC.read_text(encoding="utf-8")
    summary = text.split("## What the fixtures cover")[1]
    for name, (start, end) in SECTIONS.items():
        rows = _rows(text.split(start)[1].split(end)[0])
        covered = [row for row in rows if row.rstrip(" |").rsplit("|", 1)[1].strip()[:1] == "✓"]
        stated = re.search(
            rf"^\| {re.escape(name)}\b[^|]*\| (\d+) \| (\d+) \((\d+)%\) \|$", summary, re.M
        )
        assert stated, name
        assert (int(stated[1]), int(stated[2])) == (len(rows), len(covered)), name
        assert int(stated[3]) == round(100 * len(covered) / len(rows)), name
