"""Service Builder: accessible council services built from YAML definitions."""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    """`service_builder.create_app`, imported only when asked for: importing the engine
    (definitions, questions, conditions, journey) must not import Flask and the web app."""
    if name == "create_app":
        from service_builder.app import create_app

        return create_app
    raise AttributeError(f"module 'service_builder' has no attribute {name!r}")
