"""Service Builder: accessible council services built from YAML definitions."""

from service_builder.app import create_app

__all__ = ["create_app"]
