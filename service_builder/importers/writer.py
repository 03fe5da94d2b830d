"""What every importer shares: ids, texts in one or two languages, notes, and the YAML output."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from service_builder.definitions.schema import RESERVED_PAGE_IDS, RESERVED_SERVICE_IDS

CHECK_ANSWERS = "check-answers"
LEADING_WORDS = re.compile(
    r"^(what|which|when|where|who|how|why|is|are|do|does|did|have|has|can|will|would|"
    r"should|please|enter|give|tell|us|provide|select|choose|upload|add|confirm|the|a|an|"
    r"your|you|yours|it|this|that|there|of|about|many|much|was|were|'?s)\b\W*",
    re.IGNORECASE,
)
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "for",
        "in",
        "on",
        "at",
        "with",
        "by",
        "and",
        "or",
        "do",
        "does",
        "did",
        "you",
        "your",
        "yours",
        "have",
        "has",
        "is",
        "are",
        "be",
        "want",
        "need",
        "like",
        "would",
        "will",
        "can",
        "we",
        "us",
        "our",
        "it",
        "this",
        "that",
        "there",
    ]
)
SERVICE_KEYS = (
    "id",
    "title",
    "summary",
    "languages",
    "start",
    "pages",
    "declaration",
    "submit_label",
    "confirmation",
    "reference_prefix",
    "retention_days",
    "privacy_url",
    "team",
    "notify",
    "webhooks",
)
PAGE_KEYS = (
    "id",
    "type",
    "title",
    "item_name",
    "min_items",
    "max_items",
    "body",
    "show_when",
    "questions",
    "next",
)
QUESTION_KEYS = ("id", "type", "label", "hint", "required", "options")


@dataclass(frozen=True)
class Txt:
    """A text of the source, in English and (when the source has it) Welsh."""

    en: str
    cy: str | None = None


@dataclass
class Note:
    path: str
    reason: str


@dataclass
class Imported:
    """The result of one import: the definition as data, and what could not come across."""

    service: dict[str, Any]
    notes: list[Note] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.service["id"])

    def yaml(self) -> str:
        return dump_yaml(self.service)


class Notes:
    """The "not imported" lines an import collects, in the order found."""

    def __init__(self) -> None:
        self.items: list[Note] = []

    def add(self, path: str, reason: str) -> None:
        if not any(n.path == path and n.reason == reason for n in self.items):
            self.items.append(Note(path, reason))


def whole(value: Any) -> int | None:
    """A positive whole number from a source setting (`10`, `"10"`, `10.0`), or None."""
    try:
        number = int(float(str(value)))
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def slug(text: str, fallback: str = "page") -> str:
    """A lowercase slug (`a-z`, `0-9`, `-`), kept close to the text it came from."""
    words = re.sub(r"([a-z0-9])([A-Z])", r"\1-\2", text)
    value = re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-")
    return value[:60].strip("-") or fallback


def snake(text: str, fallback: str = "answer") -> str:
    """A snake_case question id that starts with a letter."""
    value = slug(text, "").replace("-", "_")
    if value and not value[0].isalpha():
        value = "q_" + value
    return value or fallback


def looks_random(name: str) -> bool:
    """Designer tools give components short random names (`gGtYsO`): no use as an id."""
    if not name:
        return True
    if not re.search(r"[aeiouy]", name, re.IGNORECASE):
        return True
    switches = sum(1 for a, b in itertools.pairwise(name) if a.islower() != b.islower())
    return len(name) <= 8 and switches >= 3


def id_from_text(text: str, fallback: str) -> str:
    """`What is your full name?` -> `full_name`: the words that carry the meaning."""
    plain = re.sub(r"<[^>]+>|[^\w\s'-]", " ", text).strip()
    previous = None
    while previous != plain:
        previous = plain
        plain = LEADING_WORDS.sub("", plain).strip()
    words = [w for w in re.findall(r"[A-Za-z0-9]+", plain) if w.lower() not in STOP_WORDS]
    return snake("_".join(words[:4]), fallback) if words else fallback


class IdMaker:
    """Unique ids: a second `name` becomes `name_2` (questions) or `name-2` (pages)."""

    def __init__(self, separator: str, reserved: set[str] | None = None) -> None:
        self.separator = separator
        self.used: set[str] = set(reserved or ())

    def make(self, wanted: str) -> str:
        candidate, number = wanted, 2
        while candidate in self.used:
            candidate = f"{wanted}{self.separator}{number}"
            number += 1
        self.used.add(candidate)
        return candidate


def page_ids() -> IdMaker:
    return IdMaker("-", set(RESERVED_PAGE_IDS))


def service_id(*candidates: str) -> str:
    for candidate in candidates:
        value = slug(candidate or "", "")
        if value and value not in RESERVED_SERVICE_IDS:
            return value
    return "imported-service"


def env_name(service: str, what: str) -> str:
    """An environment variable name: `report-a-pothole` + `WEBHOOK_URL` -> `REPORT_POTHOLE_…`."""
    words = [w for w in re.split(r"[^a-z0-9]+", service.lower()) if w and w not in STOP_WORDS]
    return re.sub(r"[^A-Z0-9]+", "_", "_".join([*words[-3:], what]).upper()).strip("_")


def finalise(service: dict[str, Any], notes: Notes) -> dict[str, Any]:
    """Texts to plain strings, or to {en, cy} with `languages: [en, cy]` when any is Welsh."""
    welsh = _has_welsh(service)
    if welsh:
        service["languages"] = ["en", "cy"]
    return _ordered(_resolve(service, welsh, notes, ""), SERVICE_KEYS)


def _has_welsh(value: Any) -> bool:
    if isinstance(value, Txt):
        return value.cy is not None
    if isinstance(value, dict):
        return any(_has_welsh(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_welsh(v) for v in value)
    return False


def _resolve(value: Any, welsh: bool, notes: Notes, path: str) -> Any:
    if isinstance(value, Txt):
        if not welsh:
            return value.en
        if value.cy is None:
            notes.add(path, "no Welsh text in the source: the English text is used for 'cy'")
        return {"en": value.en, "cy": value.cy if value.cy is not None else value.en}
    if isinstance(value, dict):
        resolved = {
            key: _resolve(item, welsh, notes, f"{path}.{key}" if path else key)
            for key, item in value.items()
            if item is not None
        }
        if re.search(r"pages\[\d+\]$", path):
            return _ordered(resolved, PAGE_KEYS)
        if re.search(r"questions\[\d+\]$", path):
            return _ordered(resolved, QUESTION_KEYS)
        return resolved
    if isinstance(value, list):
        return [_resolve(item, welsh, notes, f"{path}[{i}]") for i, item in enumerate(value)]
    return value


def _ordered(mapping: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    first = {key: mapping[key] for key in keys if key in mapping}
    return {**first, **{key: v for key, v in mapping.items() if key not in first}}


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, flow style for options and small conditions."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # lists indented under their key


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _mapping(dumper: yaml.SafeDumper, value: dict[str, Any]) -> yaml.Node:
    small = (
        len(value) <= 3
        and all(isinstance(v, str | int | float | bool) for v in value.values())
        and sum(len(str(k)) + len(str(v)) for k, v in value.items()) < 70
        and "goto" not in value
        and not any(isinstance(v, str) and "\n" in v for v in value.values())
    )
    return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=small)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(dict, _mapping)


def dump_yaml(service: dict[str, Any]) -> str:
    body = yaml.dump(
        service, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )
    # A blank line between pages, as designers write them.
    return re.sub(r"(?<!pages:)\n(  - id: )", r"\n\n\1", body)


def drop_pages(pages: list[dict[str, Any]], notes: Notes, where: dict[str, str]) -> None:
    """Leave out pages no route reaches, so the written file stays valid."""
    from service_builder.importers.routing import unreachable_pages

    stranded = unreachable_pages(pages)
    for page_id in stranded:
        notes.add(
            where.get(page_id, page_id),
            "no route reaches this page once the routes that could not be imported are left out",
        )
    pages[:] = [page for page in pages if page["id"] not in stranded]


FILE_REPEATED = "a file upload on a repeating page: asked once (repeat pages take no files)"


def skip_pages(pages: list[dict[str, Any]], leaving: set[str]) -> None:
    """Take pages out of the journey: whatever led to one goes on to where it led."""
    for page_id in [page["id"] for page in pages if page["id"] in leaving]:
        index = next(i for i, page in enumerate(pages) if page["id"] == page_id)
        page = pages.pop(index)
        following = pages[index]["id"] if index < len(pages) else CHECK_ANSWERS
        onward = next(
            (rule["goto"] for rule in page.get("next") or [] if not rule.get("when")), following
        )
        for other in pages:
            for rule in other.get("next") or []:
                if rule["goto"] == page_id:
                    rule["goto"] = onward
        before = pages[index - 1] if index > 0 else None
        if before and "next" not in before and before.get("type") != "exit" and onward != following:
            before["next"] = [{"goto": onward}]  # it flowed on by order to the page left out
