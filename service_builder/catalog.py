"""The catalog: every service definition in the definitions folder, loaded and checked once."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from service_builder.definitions import LoadResult, Service, load_definition
from service_builder.definitions.clashes import clashes

log = logging.getLogger(__name__)


def definition_files(folder: Path) -> list[Path]:
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


@dataclass
class Catalog:
    folder: Path
    services: dict[str, Service] = field(default_factory=dict)
    refused: list[LoadResult] = field(default_factory=list)
    """Definitions that failed their checks: never served, listed for operators."""
    stamp: tuple[tuple[str, float, int], ...] = ()
    files: dict[str, Path] = field(default_factory=dict)
    """The file each service was loaded from."""

    @classmethod
    def load(cls, folder: str | Path) -> Catalog:
        catalog = cls(Path(folder))
        catalog.stamp = catalog.current_stamp()
        loaded = [
            (path, load_definition(path, display_name=_display(path)))
            for path in definition_files(catalog.folder)
        ]
        found = clashes(loaded)  # as `validate` finds them: a copy never displaces the original
        for error in found:
            if error.path != "id":  # two services may share a title: told, both served
                log.warning("definition problem: %s", error)
        for path, result in loaded:
            shared = [error for error in found if error.file == result.file and error.path == "id"]
            if shared:  # one address, one service
                result.errors += shared
                result.service = None
            if result.service:
                catalog.services[result.service.id] = result.service
                catalog.files[result.service.id] = path
            else:
                catalog.refused.append(result)
                for error in result.errors:
                    log.error("definition refused: %s", error)
        if not catalog.folder.is_dir():
            log.error("definitions folder %s does not exist", catalog.folder)
        return catalog

    def current_stamp(self) -> tuple[tuple[str, float, int], ...]:
        """File names, times and sizes: changes when any definition is edited."""
        return tuple(
            (path.name, path.stat().st_mtime, path.stat().st_size)
            for path in definition_files(self.folder)
        )

    def get(self, service_id: str) -> Service | None:
        return self.services.get(service_id)

    def refused_result(self, service_id: str) -> LoadResult | None:
        """The refused file that declares this id; else one too broken to declare any (not
        valid YAML) whose file is named after it, as definitions usually are."""
        declared = (r for r in self.refused if r.service_id == service_id)
        named = (r for r in self.refused if r.service_id is None and _stem(r.file) == service_id)
        return next(declared, None) or next(named, None)


def _stem(file: str) -> str:
    return Path(file).stem


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
