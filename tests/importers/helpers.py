"""The import fixtures and a folder of their imports, shared by the importer tests."""

from __future__ import annotations

import tempfile
from pathlib import Path

from service_builder.importers import Imported, import_definition

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "imports"
V1_FIXTURES = [
    ("xgov", "xgov-dog-licence.json"),
    ("defra", "defra-v1-pond-licence.yaml"),
    ("defra", "defra-v2-tree-works.json"),
    ("govuk-forms", "govuk-forms-allotment.json"),
]
"""Fixtures whose imports use only what the engine on this branch supports."""
V2_FIXTURES = [
    ("xgov", "xgov-v2-pet-shop.json"),
    ("defra", "defra-v2-hedgerow.json"),
    ("govuk-forms", "govuk-forms-v2-parking.json"),
]
"""Fixtures whose imports use repeat pages, Welsh, Notify, webhooks or files (engine v2)."""


def imported(platform: str, name: str) -> Imported:
    return import_definition(platform, FIXTURES / name)


def import_all(fixtures: list[tuple[str, str]]) -> Path:
    """Write the imports of these fixtures into a new folder, as `import --out` would."""
    folder = Path(tempfile.mkdtemp(prefix="imported-"))
    for platform, name in fixtures:
        result = imported(platform, name)
        (folder / f"{result.id}.yaml").write_text(result.yaml(), encoding="utf-8")
    return folder
