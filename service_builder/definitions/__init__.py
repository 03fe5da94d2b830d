"""The definition layer: YAML service definitions parsed, checked and modelled (no Flask)."""

from service_builder.definitions.loader import DefinitionError, LoadResult, load_definition
from service_builder.definitions.schema import Service

__all__ = ["DefinitionError", "LoadResult", "Service", "load_definition"]
