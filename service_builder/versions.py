"""Which version of each definition is live, and since when."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service_builder.catalog import Catalog
from service_builder.models import DefinitionVersion, db


def record_versions(catalog: Catalog) -> None:
    """Note any definition version not seen before (called at start-up and on reload)."""
    known = {(v.service_id, v.version) for v in db.session.scalars(select(DefinitionVersion))}
    for service in catalog.services.values():
        if (service.id, service.version) not in known:
            db.session.add(DefinitionVersion(service_id=service.id, version=service.version))
    try:
        db.session.commit()
    except IntegrityError:  # another process recorded it first
        db.session.rollback()


def history(service_id: str) -> list[DefinitionVersion]:
    return list(
        db.session.scalars(
            select(DefinitionVersion)
            .where(DefinitionVersion.service_id == service_id)
            .order_by(DefinitionVersion.first_seen_at.desc(), DefinitionVersion.id.desc())
        )
    )
