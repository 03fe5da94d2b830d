"""Text a definition gives in one or more languages, resolved to one language as it loads.

A text is a plain string (in the service's default language) or a mapping from language
code to text. The loader validates a definition once per language, passing the language in
pydantic's validation context; each text resolves to that language, so the loaded model
holds plain strings and nothing downstream needs to know about languages.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

DEFAULT_LANGUAGES = ("en",)


class CatalogueText(dict[str, str]):
    """A default text the engine supplies from its message catalogue (never 'missing')."""


def resolve_text(value: Any, info: ValidationInfo) -> Any:
    """The text for the language being loaded; with `require_languages` in the context,
    refuse a text that lacks any of them."""
    context = info.context or {}
    languages: tuple[str, ...] = tuple(context.get("languages") or DEFAULT_LANGUAGES)
    language = context.get("language") or languages[0]
    if isinstance(value, CatalogueText):
        return value.get(language) or value.get("en") or next(iter(value.values()))
    if not isinstance(value, dict):
        if context.get("require_languages") and isinstance(value, str):
            _require({languages[0]: value}, languages)
        return value
    if context.get("require_languages"):
        _require(value, languages)
    for key, text in value.items():
        if not isinstance(text, str):
            raise PydanticCustomError("string_type", "the '{key}' text must be text", {"key": key})
    if not value:
        raise PydanticCustomError("too_short", "must not be empty")
    return value.get(language) or value.get(languages[0]) or next(iter(value.values()))


def _require(texts: dict[Any, Any], languages: tuple[str, ...]) -> None:
    """Every language the service has, and no other: a text written in another language
    ('fr' for 'cy') is told both, at once."""
    unknown = [str(key) for key in texts if key not in languages]
    missing = "; ".join(f"no '{code}' text" for code in languages if not texts.get(code))
    if unknown:
        raise PydanticCustomError(
            "unknown_language",
            "'{code}' is not one of the service's languages ({languages}){missing}",
            {
                "code": unknown[0],
                "languages": ", ".join(languages),
                "missing": f"; {missing}" if missing else "",
            },
        )
    if missing:
        raise PydanticCustomError("missing_translation", missing)


_Filled = Annotated[str, StringConstraints(min_length=1)]
LOCAL_TEXT_SCHEMA = _Filled | dict[str, _Filled]
"""What the JSON Schema says a non-empty local text is: one string, or one per language."""
LOCAL_BODY_SCHEMA = str | dict[str, str]

LocalText = Annotated[
    str,
    StringConstraints(min_length=1),
    BeforeValidator(resolve_text, json_schema_input_type=LOCAL_TEXT_SCHEMA),
]
"""A non-empty text, in one language or several (the type of `label`, `title` …)."""


def resolve_symbol(value: Any, info: ValidationInfo) -> Any:
    """As `resolve_text`, except that a plain string is the same in every language: a unit
    or a symbol (`£`, `kg`, `%`). A word is given in each language (`{en: bags, cy: bagiau}`)."""
    return value if isinstance(value, str) else resolve_text(value, info)


LocalSymbol = Annotated[
    str,
    StringConstraints(min_length=1),
    BeforeValidator(resolve_symbol, json_schema_input_type=LOCAL_TEXT_SCHEMA),
]
"""A number's `prefix` or `suffix`: one string for every language, or one per language."""

LocalBody = Annotated[str, BeforeValidator(resolve_text, json_schema_input_type=LOCAL_BODY_SCHEMA)]
"""A text that may be empty (the type of `body`, `hint` …)."""
