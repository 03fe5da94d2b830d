"""The designer's guide's import example is what the command really writes and prints."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from service_builder.cli import main

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "designers-guide.md"


def test_the_guide_example_imports_to_what_the_guide_shows(tmp_path: Path) -> None:
    section = GUIDE.read_text(encoding="utf-8").split("<!-- the import example")[1]
    source = re.search(r"```json\n(.*?)```", section, re.S)
    printed = re.search(r"```text\n(.*?)```", section, re.S)
    written = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert source and printed and written
    file = tmp_path / "order-a-new-wheelie-bin.json"
    file.write_text(source.group(1), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import", "--from", "govuk-forms", str(file), "--out", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.replace(f"{file}", file.name) == printed.group(1)
    text = (tmp_path / "out" / "order-a-new-wheelie-bin.yaml").read_text(encoding="utf-8")
    assert text.rstrip() == written.group(1).rstrip()
