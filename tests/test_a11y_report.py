"""The accessibility statement reports the last sweep, never a hard-coded claim."""

from __future__ import annotations

import json
from pathlib import Path

from flask.testing import FlaskClient

from service_builder.a11y_report import last_sweep


def _summary(path: Path, when: str, states: int) -> Path:
    path.write_text(
        json.dumps(
            {
                "axe_version": "4.14.1",
                "generated_at": when,
                "page_states": states,
                "violations": 0,
                "services": 4,
            }
        )
    )
    return path


def test_the_newest_summary_wins(tmp_path: Path) -> None:
    old = _summary(tmp_path / "a.json", "2026-01-01T10:00:00Z", 100)
    new = _summary(tmp_path / "b.json", "2026-06-01T10:00:00Z", 200)
    summary = last_sweep((old, new))
    assert summary is not None and summary.page_states == 200
    assert summary.generated_at == "2026-06-01"
    assert last_sweep((tmp_path / "missing.json",)) is None
    (tmp_path / "bad.json").write_text("{not json")
    assert last_sweep((tmp_path / "bad.json",)) is None


def test_the_statement_states_what_the_last_sweep_found(client: FlaskClient) -> None:
    summary = last_sweep()
    html = client.get("/accessibility-statement").get_data(as_text=True)
    assert "Enforcement procedure" in html and "Compliance status" in html
    if summary is None:
        assert "have not yet been tested" in html
    else:
        assert f"axe-core {summary.axe_version}" in html
        assert f"checked {summary.page_states} page states" in html
        assert summary.generated_at in html
