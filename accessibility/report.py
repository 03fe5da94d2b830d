"""Sweep results: the JSON report of the interface contract, a readable HTML report, a summary."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from accessibility.config import PUBLISHED_SUMMARY, REPORTS, RULE_EXCEPTIONS, TAGS
from accessibility.plan import PageState


@dataclass
class CheckedState:
    state: PageState
    url: str
    violations: list[dict[str, Any]]
    problems: list[str] = field(default_factory=list)
    """Failures outside axe: failed assets, horizontal scrolling, clipped text, no JS init."""


@dataclass
class SweepResult:
    axe_version: str
    checked: list[CheckedState] = field(default_factory=list)
    generated_at: str = field(
        default_factory=lambda: (
            dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        )
    )
    seconds: float = 0.0

    @property
    def violations(self) -> int:
        return sum(len(c.violations) for c in self.checked)

    @property
    def problems(self) -> int:
        return sum(len(c.problems) for c in self.checked)

    @property
    def failed(self) -> list[CheckedState]:
        return [c for c in self.checked if c.violations or c.problems]

    def as_json(self) -> dict[str, Any]:
        return {
            "axe_version": self.axe_version,
            "generated_at": self.generated_at,
            "tags": TAGS,
            "rule_exceptions": RULE_EXCEPTIONS,
            "seconds": round(self.seconds, 1),
            "pages": [
                {
                    "url": c.url,
                    "service": c.state.service,
                    "page": c.state.page,
                    "state": c.state.state,
                    "note": c.state.note,
                    "language": c.state.language,
                    "violations": c.violations,
                    "problems": c.problems,
                }
                for c in self.checked
            ],
        }

    def summary(self) -> dict[str, Any]:
        services = {c.state.service for c in self.checked if c.state.service}
        return {
            "axe_version": self.axe_version,
            "generated_at": self.generated_at,
            "page_states": len(self.checked),
            "violations": self.violations,
            "services": len(services),
            "seconds": round(self.seconds, 1),
        }

    def describe_failures(self) -> str:
        lines = []
        for c in self.failed:
            lines.append(f"{c.state.state} {c.url} ({c.state.note})")
            for v in c.violations:
                targets = ", ".join(" ".join(n["target"]) for n in v.get("nodes", [])[:3])
                lines.append(f"  axe {v['id']} [{v.get('impact')}]: {v['help']} -> {targets}")
            lines += [f"  {problem}" for problem in c.problems]
        return "\n".join(lines)


def write_reports(result: SweepResult, json_path: Path | None, publish: bool) -> None:
    data = result.as_json()
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        json_path.with_suffix(".html").write_text(render_html(result), encoding="utf-8")
    REPORTS.mkdir(parents=True, exist_ok=True)
    summary = json.dumps(result.summary(), indent=2) + "\n"
    (REPORTS / "last-sweep.json").write_text(summary, encoding="utf-8")
    if publish:
        PUBLISHED_SUMMARY.write_text(summary, encoding="utf-8")


def render_html(result: SweepResult) -> str:
    rows = []
    for c in result.checked:
        status = "pass" if not (c.violations or c.problems) else "FAIL"
        details = "".join(
            f"<li><a href='{html.escape(v.get('helpUrl', ''))}'>{html.escape(v['id'])}</a> "
            f"({html.escape(str(v.get('impact')))}): {html.escape(v['help'])}</li>"
            for v in c.violations
        ) + "".join(f"<li>{html.escape(p)}</li>" for p in c.problems)
        rows.append(
            f"<tr><td>{status}</td><td>{html.escape(c.state.state)}</td>"
            f"<td>{html.escape(c.state.service or '')}</td>"
            f"<td><a href='{html.escape(c.url)}'>{html.escape(c.url)}</a></td>"
            f"<td>{html.escape(c.state.note)}</td><td><ul>{details}</ul></td></tr>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Accessibility sweep report</title>
<style>body{{font-family:arial,sans-serif;margin:2em}}td,th{{border:1px solid #999;
padding:4px;vertical-align:top;text-align:left}}table{{border-collapse:collapse}}</style></head>
<body><main><h1>Accessibility sweep report</h1>
<p>axe-core {html.escape(result.axe_version)}, tags {", ".join(TAGS)}, generated
{html.escape(result.generated_at)} in {result.seconds:.0f} seconds.</p>
<p>{len(result.checked)} page states checked: {result.violations} axe violations and
{result.problems} other problems.</p>
<table><caption>Page states</caption><thead><tr><th>Result</th><th>State</th><th>Service</th>
<th>URL</th><th>What</th><th>Findings</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table></main></body></html>
"""
