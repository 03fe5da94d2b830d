"""Checks across definition files: two services may not share an id, a title or a prefix."""

from __future__ import annotations

from pathlib import Path

import yaml

from service_builder.definitions.loader import DefinitionError, LoadResult
from service_builder.definitions.yaml_source import parse_yaml

UNIQUE_KEYS = {
    "id": "id",
    "title": "title",
    "reference_prefix": "reference prefix",
}


def clashes(loaded: list[tuple[Path, LoadResult]]) -> list[DefinitionError]:
    """A problem on each file that reuses another's id, title or prefix.

    Residents tell services apart by their titles, and staff tell cases apart by their
    reference prefixes, so both must be unique like the id. Of two files, the one named
    after its service's id keeps what they share, else the older (a copy made to start a
    new service is the one told to change), else the one that comes first.
    """
    first_file: dict[tuple[str, str], str] = {}
    problems = []
    for path, result in sorted(loaded, key=_keeper_first):
        if result.service is None:
            continue
        for key, name in UNIQUE_KEYS.items():
            value = getattr(result.service, key)
            if value is None:
                continue
            first = first_file.setdefault((key, value.strip().casefold()), result.file)
            if first != result.file:
                problems.append(
                    DefinitionError(
                        result.file,
                        _line_of(path, key),
                        key,
                        f"{first} already uses the {name} '{value}'",
                    )
                )
    return problems


def _keeper_first(entry: tuple[Path, LoadResult]) -> tuple[bool, float]:
    """Files named after their ids first, then the older (sorted is stable: then as given)."""
    path, result = entry
    try:
        changed = path.stat().st_mtime
    except OSError:
        changed = 0.0
    return result.service is None or path.stem != result.service.id, changed


def _line_of(path: Path, key: str) -> int:
    try:
        return parse_yaml(path.read_text(encoding="utf-8")).line_of((key,))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 1
