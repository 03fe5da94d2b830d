"""Importers: other platforms' form definitions (XGov, DEFRA, GOV.UK Forms) in this format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from service_builder.importers.defra import DefraReader
from service_builder.importers.govuk_forms import GovukFormsReader
from service_builder.importers.writer import Imported, Note
from service_builder.importers.xgov import XGovReader

PLATFORMS = ("xgov", "defra", "govuk-forms")

__all__ = ["PLATFORMS", "ImportFailed", "Imported", "Note", "import_definition", "read_source"]


class ImportFailed(Exception):
    """The file is not a definition of the platform named."""


def read_source(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise ImportFailed(f"not JSON or YAML: {error}") from None
    if not isinstance(data, dict):
        raise ImportFailed("the file does not hold a form definition (expected an object)")
    return data


def import_definition(platform: str, path: Path) -> Imported:
    """Read one source file and return the definition in this format, with what was left out."""
    data = read_source(path)
    stem = path.name.split(".")[0]
    if platform == "govuk-forms":
        if not isinstance(data.get("steps"), list):
            raise ImportFailed("a GOV.UK Forms document has a list of 'steps'")
        welsh_file = next(
            (
                p
                for p in (path.with_name(f"{stem}.cy.json"), path.with_name(f"{stem}-cy.json"))
                if p.exists() and p != path
            ),
            None,
        )
        welsh = read_source(welsh_file) if welsh_file else None
        imported = GovukFormsReader(data, stem, welsh).read()
    elif platform in ("xgov", "defra"):
        if not isinstance(data.get("pages"), list):
            raise ImportFailed(f"an {platform} definition has a list of 'pages'")
        reader = XGovReader if platform == "xgov" else DefraReader
        imported = reader(data, stem).read()
    else:
        raise ImportFailed(f"unknown platform '{platform}' (use one of {', '.join(PLATFORMS)})")
    if not imported.service.get("pages"):
        raise ImportFailed("no page of the source could be imported")
    return imported
