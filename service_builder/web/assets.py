"""Serves the built assets at /assets with WhiteNoise: hashed names cached for a year, gzip."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from whitenoise import WhiteNoise

from service_builder.assets import BUILD, read_manifest
from service_builder.config import ROOT
from service_builder.web.security import HSTS

HASHED = re.compile(r"\.[0-9a-f]{12}\.")
ASSET_POLICY = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"
"""An asset opened on its own (the council's SVG logo, which is a document that could hold a
script) runs nothing, and can reach nothing; the pages that use the assets have their own."""


def register(app: Flask) -> None:
    development = app.config["SERVICE_BUILDER_ENV"] == "development"
    production = app.config["SERVICE_BUILDER_ENV"] == "production"
    BUILD.mkdir(parents=True, exist_ok=True)
    server = WhiteNoise(
        app.wsgi_app,
        root=str(BUILD),
        prefix="assets/",
        max_age=3600,
        autorefresh=development,
        immutable_file_test=lambda path, url: bool(HASHED.search(url)),
        add_headers_function=_production if production else _own,
    )
    server.add_files(str(ROOT / "static" / "brand"), prefix="assets/brand/")
    app.wsgi_app = server  # type: ignore[method-assign]
    manifest = read_manifest()

    def asset_url(name: str) -> str:
        current = read_manifest() if development else manifest
        return f"/assets/{current.get(name, name)}"

    @app.context_processor
    def _asset_url() -> dict[str, Any]:
        return {"asset_url": asset_url}


def _own(headers: Any, path: str, url: str) -> None:
    """Assets never reach Flask's after_request, so WhiteNoise adds their headers itself: a
    browser takes each as the type it is served as (the SVG logo too), never a guess."""
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = ASSET_POLICY


def _production(headers: Any, path: str, url: str) -> None:
    _own(headers, path, url)
    headers["Strict-Transport-Security"] = HSTS
