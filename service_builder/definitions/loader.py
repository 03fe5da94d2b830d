"""Loads one definition file: every problem reported as `file:line: key.path: message`."""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from service_builder.definitions.checks import check_service
from service_builder.definitions.schema import Page, Service
from service_builder.definitions.yaml_source import (
    MOST_CHARACTERS,
    KeyPath,
    YamlSource,
    parse_yaml,
    yaml_problem,
)
from service_builder.localised import DEFAULT_LANGUAGES
from service_builder.messages import engine_languages
from service_builder.questions import QUESTION_TYPES
from service_builder.suggest import closest, did_you_mean

MESSAGES = {
    "extra_forbidden": "unknown key",
    "missing": "missing required key",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "greater_than": "must be more than 0",
    "too_short": "must not be empty",
    "string_too_short": "must not be empty",
}


YES_NO_WORDS = {
    "yes": "true",
    "no": "false",
    "on": "true",
    "off": "false",
    "y": "true",
    "n": "false",
}
"""Words YAML 1.2 reads as text, not as true or false (a flag takes only true or false)."""

BOUNDS = {
    "less_than_equal": ("le", "or less"),
    "greater_than_equal": ("ge", "or more"),
}
"""Pydantic's number limits, in the house style ('must be 50 or less')."""


@dataclass(frozen=True)
class DefinitionError:
    file: str
    line: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.path or '(top level)'}: {self.message}"


@dataclass
class LoadResult:
    file: str
    service: Service | None = None
    errors: list[DefinitionError] = field(default_factory=list)
    service_id: str | None = None
    """The id the file declares, even when it is invalid (for operators' messages)."""


def format_path(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_definition(path: Path | str, display_name: str | None = None) -> LoadResult:
    path = Path(path)
    name = display_name or str(path)
    result = LoadResult(file=name)
    try:
        if path.stat().st_size > 4 * MOST_CHARACTERS:  # not read at all (UTF-8: 4 bytes most)
            message = f"cannot be read: the file is larger than {MOST_CHARACTERS:,} characters"
            result.errors.append(DefinitionError(name, 1, "", message))
            return result
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        result.errors.append(DefinitionError(name, 1, "", f"cannot read the file: {exc}"))
        return result
    return load_text(text, name, result)


def load_text(text: str, name: str, result: LoadResult | None = None) -> LoadResult:
    result = result or LoadResult(file=name)
    try:
        source = parse_yaml(text)
    except yaml.YAMLError as exc:
        line, path, message = yaml_problem(exc, text)
        result.errors.append(DefinitionError(name, line, format_path(path), message))
        return result
    if isinstance(source.data, dict) and isinstance(source.data.get("id"), str):
        result.service_id = source.data["id"]
    for found in source.problems:
        result.errors.append(
            DefinitionError(name, found.line, format_path(found.path), found.message)
        )
    if not isinstance(source.data, dict):
        result.errors.append(
            DefinitionError(
                name, 1, "", "a definition must be a mapping of keys (id, title, pages …)"
            )
        )
        return result
    service: Service | None
    remainder = Remainder(None)
    languages = _languages(source.data)
    try:
        service = Service.model_validate(source.data, context=_in(languages[0], languages))
    except ValidationError as exc:
        result.errors += _problems(exc, source, name)
        remainder = _checkable_remainder(source.data, exc)
        service = remainder.service
    said = {error.path for error in result.errors}  # an empty text is not also untranslated
    # In the languages the engine has: one it lacks is refused once (`languages`), and a text
    # in another language is then taken to be meant for it, not refused at every text.
    known = tuple(code for code in languages if code in engine_languages()) or DEFAULT_LANGUAGES
    kinds = ("missing_translation",) if known != languages else TRANSLATION_PROBLEMS
    result.errors += [
        e for e in translation_errors(source, name, known, kinds) if e.path not in said
    ]
    if service is None:
        return _sorted(result)
    problems, routes = check_service(service)
    parts_refused = bool(result.errors)  # before this loop adds the checks' own problems
    for problem in problems:
        if parts_refused and remainder.echoes(problem.message):
            continue
        path = remainder.as_written(problem.path)
        result.errors.append(
            DefinitionError(name, source.line_of(path), format_path(path), problem.message)
        )
    if not result.errors:
        service.bind(routes, hashlib.sha256(text.encode("utf-8")).hexdigest()[:12])
        _translate(service, source.data, languages)
        result.service = service
    return _sorted(result)


def _languages(data: dict[str, Any]) -> tuple[str, ...]:
    """The service's languages; written as text (`languages: en, cy`), which is refused, they
    are still read as meant, so that every text in them is not reported as well."""
    languages = data.get("languages")
    if isinstance(languages, str):
        languages = _items(languages)
    if isinstance(languages, list) and languages and all(isinstance(c, str) for c in languages):
        return tuple(languages)
    return DEFAULT_LANGUAGES


def _in(language: str, languages: tuple[str, ...], require: bool = False) -> dict[str, Any]:
    """The validation context that resolves every text to `language`."""
    return {"language": language, "languages": languages, "require_languages": require}


TRANSLATION_PROBLEMS = ("missing_translation", "unknown_language")


def translation_errors(
    source: YamlSource,
    name: str,
    languages: tuple[str, ...],
    kinds: tuple[str, ...] = TRANSLATION_PROBLEMS,
) -> list[DefinitionError]:
    """Every text that lacks one of the service's languages, or names another, at once."""
    try:
        Service.model_validate(source.data, context=_in(languages[0], languages, require=True))
    except ValidationError as exc:
        return [
            error_from_pydantic(error, source, name)
            for error in exc.errors()
            if error["type"] in kinds
        ]
    return []


def _translate(service: Service, data: dict[str, Any], languages: tuple[str, ...]) -> None:
    """Load the other languages' copies of a valid service, each with its routes wired."""
    copies = {languages[0]: service}
    for language in languages[1:]:
        copy = Service.model_validate(data, context=_in(language, languages))
        copy.bind(check_service(copy)[1], service.version)
        copies[language] = copy
    for language, copy in copies.items():
        copy._language = language
        copy._in_languages = copies


PLACEHOLDERS = {"id": "placeholder", "title": "Placeholder"}


@dataclass
class Remainder:
    """What of a definition with problems can still be checked: the service less its broken
    parts, the ids set aside with them, and whether the pages' routes may differ from what
    was written (a page set aside, or an unknown key removed from one or from one of its
    `next` rules: a misspelt `next` or `when`, or a `next` indented under a question)."""

    service: Service | None
    set_aside: set[str] = field(default_factory=set)
    routes_changed: bool = False
    keys_removed: frozenset[str] = frozenset()
    """Service-level keys taken out with their problems (`notify`, `webhooks`): a finding
    that names one ('add notify.save_template') follows from the removal, not the file."""
    pages_from: list[int] | None = None
    """Where each of the remainder's pages stands in the definition as written (None: where
    it stands in the remainder)."""
    questions_from: dict[int, list[int | None]] = field(default_factory=dict)
    """For a page as written, where each of its remaining questions stands in it (None: a
    stand-in for a page whose every question was set aside)."""

    def as_written(self, path: KeyPath) -> KeyPath:
        """A path into the remainder as the path into the definition as written: setting a
        page or question aside moves the ones after it up the list."""
        if self.pages_from is None or path[:1] != ("pages",) or len(path) < 2:
            return path
        index = path[1]
        if not isinstance(index, int) or index >= len(self.pages_from):
            return path
        page, rest = self.pages_from[index], path[2:]
        kept = self.questions_from.get(page, [])
        number = rest[1] if rest[:1] == ("questions",) and len(rest) > 1 else None
        question = kept[number] if isinstance(number, int) and number < len(kept) else None
        if question is not None:
            rest = ("questions", question, *rest[2:])
        return ("pages", page, *rest)

    def echoes(self, message: str) -> bool:
        """Whether a finding follows from the parts set aside (it names one, or is about
        reachability or loops, which routes changed by the repair may explain): it would
        repeat a problem already reported."""
        routing = "cannot be reached" in message or "routes loop" in message
        return (
            (routing and self.routes_changed)
            or any(f"'{name}'" in message for name in self.set_aside)
            or any(re.search(rf"\b{re.escape(key)}\b", message) for key in self.keys_removed)
        )


def _checkable_remainder(data: Any, exc: ValidationError) -> Remainder:
    """The definition less its structurally broken parts, so that routing and conditions can
    still be checked in the same run."""
    trimmed = copy.deepcopy(data)
    broken = _repair(trimmed, data, exc)
    pages = trimmed.get("pages")
    if broken is None or not isinstance(pages, list):
        return Remainder(None)
    broken_pages, broken_questions, page_keys_removed = broken
    removed = frozenset(key for key in data if isinstance(data, dict) and key not in trimmed)
    pages_from = [p for p in range(len(pages)) if p not in broken_pages]
    questions_from: dict[int, list[int | None]] = {
        p: [q for q in range(len(_questions_of(pages[p]))) if (p, q) not in broken_questions]
        or [None]  # the stand-in `_set_aside` adds
        for p in pages_from
    }
    set_aside = _set_aside(pages, broken_pages, broken_questions)
    try:
        service = Service.model_validate(trimmed)
    except ValidationError:
        return Remainder(None)
    return Remainder(
        service,
        set_aside,
        bool(broken_pages) or page_keys_removed,
        removed,
        pages_from,
        questions_from,
    )


def _repair(
    trimmed: Any, data: Any, exc: ValidationError
) -> tuple[set[int], set[tuple[int, int]], bool] | None:
    """Mend what can be mended in place (unknown keys, service-level values); return the
    broken pages and questions, and whether a key was removed from a page itself; or None
    when the service itself cannot be checked."""
    pages: set[int] = set()
    questions: set[tuple[int, int]] = set()
    page_keys_removed = False
    for error in exc.errors():
        path = _data_path(error["loc"], data)
        if error["type"] == "extra_forbidden":
            _remove(trimmed, path)
            page_keys_removed |= path[:1] == ("pages",) and (
                len(path) == 3
                or path[2:3] == ("next",)
                or (len(path) == 5 and path[2] == "questions" and path[4] == "next")
            )  # a page's key, or its `next` rules written a level too deep, on a question
        elif path[:1] == ("pages",) and len(path) >= 2 and isinstance(path[1], int):
            if len(path) >= 4 and path[2] == "questions" and isinstance(path[3], int):
                questions.add((path[1], path[3]))
            else:
                pages.add(path[1])
        elif path[:1] in (("start",), ("confirmation",)):
            _remove(trimmed, path[:1])
        elif len(path) == 1 and path[0] in PLACEHOLDERS:
            trimmed[path[0]] = PLACEHOLDERS[str(path[0])]
        elif path and path[0] != "pages":  # a service-level key (`webhooks[0].url`): its
            trimmed.pop(path[0], None)  # problems are said; the pages can still be checked
        else:
            return None
    return pages, questions, page_keys_removed


def _set_aside(
    pages: list[Any], broken_pages: set[int], broken_questions: set[tuple[int, int]]
) -> set[str]:
    """Remove broken questions and pages (and pages left empty); their ids."""
    set_aside: set[str] = set()
    for p, q in sorted(broken_questions, reverse=True):
        if p not in broken_pages:
            set_aside.add(str(_id_of(pages[p]["questions"][q])))
            del pages[p]["questions"][q]
            if not pages[p]["questions"]:
                # Keep the page, so its routing is still checked: a stand-in question.
                stand_in = f"set_aside_{p}"
                pages[p]["questions"].append({"id": stand_in, "type": "text", "label": "-"})
                set_aside.add(stand_in)
    for p in sorted(broken_pages, reverse=True):
        page = pages.pop(p)
        set_aside |= {str(_id_of(page))} | {str(_id_of(q)) for q in _questions_of(page)}
    return set_aside


def _remove(data: Any, path: KeyPath) -> None:
    """Remove the key at `path`, if it is still there: another problem's repair may have
    removed it, or the mapping holding it, already (two problems in one `start`)."""
    parent = _at(data, path[:-1])
    if isinstance(parent, dict):
        parent.pop(path[-1], None)


def _id_of(node: Any) -> Any:
    return node.get("id") if isinstance(node, dict) else None


def _questions_of(page: Any) -> list[Any]:
    questions = page.get("questions") if isinstance(page, dict) else None
    return questions if isinstance(questions, list) else []


ONE_OF = {"payment.amount": "must be a whole number of pence (3500 is £35.00), or a list of rules"}
"""What a key that takes one of several forms must be, when a value fits none of them."""


def _problems(exc: ValidationError, source: YamlSource, name: str) -> list[DefinitionError]:
    """Pydantic's errors as the designer's problems. A key that takes one of several forms
    (a number or a list of rules) gets an error per form; they are one problem: the form the
    value has says what is wrong with it, and a value of no form is told every form, once.
    A misspelt key that is told its right name is not also a missing key."""
    found = [(error, error_from_pydantic(error, source, name)) for error in exc.errors()]
    meant = {
        _parent(problem.path, suggested)
        for error, problem in found
        if error["type"] == "extra_forbidden"
        and (suggested := _suggestion(_data_path(error["loc"], source.data), source.data))
    }
    paths = {problem.path for _, problem in found}
    by_path: dict[str, list[tuple[ErrorDetails, DefinitionError]]] = {}
    for error, problem in found:
        if error["type"] == "missing" and problem.path in meant:
            continue
        if _wrong_type(error) and any(_under(other, problem.path) for other in paths):
            continue  # the value has another form's shape: that form's problems say what
        by_path.setdefault(problem.path, []).append((error, problem))
    problems = []
    for path, group in by_path.items():
        causes = [problem for error, problem in group if not _wrong_type(error)]
        if causes or len(group) == 1:
            problems += causes or [group[0][1]]
            continue
        forms = ", or ".join(problem.message.removeprefix("must be ") for _, problem in group)
        first = group[0][1]
        problems.append(replace(first, message=ONE_OF.get(path) or f"must be {forms}"))
    return problems


def _wrong_type(error: ErrorDetails) -> bool:
    return error["type"].endswith("_type")


def _under(path: str, parent: str) -> bool:
    return path.startswith((f"{parent}.", f"{parent}["))


def _parent(path: str, key: str) -> str:
    return f"{path.rpartition('.')[0]}.{key}".lstrip(".")


def _suggestion(path: KeyPath, data: Any) -> str | None:
    """The known key closest to a misspelt one, if any is close."""
    return closest(path[-1], keys_at(path[:-1], data)) if path else None


def _items(text: str) -> list[str]:
    """A list written as text: 'en, cy' or 'en cy'."""
    return [item for item in re.split(r"[\s,]+", text) if item]


def _sorted(result: LoadResult) -> LoadResult:
    result.errors.sort(key=lambda error: error.line)
    return result


def error_from_pydantic(error: ErrorDetails, source: YamlSource, name: str) -> DefinitionError:
    path = _data_path(error["loc"], source.data)
    message = MESSAGES.get(error["type"], error["msg"])
    if error["type"] == "bool_type" and str(error.get("input")).lower() in YES_NO_WORDS:
        message += f" (write {YES_NO_WORDS[str(error['input']).lower()]}, not {error['input']})"
    if error["type"] == "list_type" and isinstance(error.get("input"), str):
        items = _items(str(error["input"]))
        message += f" (write [{', '.join(items)}])" if len(items) > 1 else ""
    if error["type"] == "extra_forbidden" and path:
        message += did_you_mean(path[-1], keys_at(path[:-1], source.data)) or _belongs(path)
    if error["type"] == "missing":
        message = f"missing required key '{path[-1]}'"
    elif error["type"] == "union_tag_not_found":  # a question without its `type`
        path, message = (*path, "type"), "missing required key 'type'"
    elif error["type"] == "string_pattern_mismatch":
        message = _pattern_message(path)
    elif error["type"] in ("literal_error", "union_tag_invalid", "enum"):
        tagged = error["type"] == "union_tag_invalid"
        if tagged:
            path = (*path, "type")
        message = (
            error["msg"]
            .replace("Input should be", "must be")
            .replace("Input tag", "type")
            .replace(
                "found using 'type' does not match any of the expected tags:",
                "is not a question type; use one of",
            )
        ) + _meant(
            (error.get("ctx") or {}).get("tag") if tagged else error.get("input"),
            message=error["msg"],
            tag=tagged,
        )
    elif error["type"] in BOUNDS:
        limit = (error.get("ctx") or {}).get(BOUNDS[error["type"]][0])
        message = f"must be {limit} {BOUNDS[error['type']][1]}"
    elif error["type"] == "value_error":
        message = error["msg"].removeprefix("Value error, ")
    return DefinitionError(name, source.line_of(path), format_path(path), message)


TYPE_SYNONYMS = {
    "dropdown": "select",
    "drop-down": "select",
    "drop_down": "select",
    "textbox": "text",
    "string": "text",
    "integer": "number",
    "boolean": "yes_no",
    "checkbox": "checkboxes",
    "radio": "radios",
    "upload": "file",
}
"""Question types by the names other form builders give them."""


def _meant(given: object, message: str, tag: bool) -> str:
    """What a value that is not one of the choices was probably meant to be: a question type
    by another builder's name or a close spelling, or an extension written with its dot."""
    if not isinstance(given, str):
        return ""
    if tag:
        meant = TYPE_SYNONYMS.get(given.lower()) or closest(given, QUESTION_TYPES)
        return f" (did you mean '{meant}'?)" if meant else ""
    if given.startswith(".") and f"'{given[1:]}'" in message:
        return f" (write '{given[1:]}', without the dot)"
    return ""


def _belongs(path: KeyPath) -> str:
    """Where a key that is real, but in the wrong place (indented a level too deep, or not
    deep enough), belongs."""
    key, on_question = path[-1], len(path) == 5 and path[0] == "pages" and path[2] == "questions"
    on_page = len(path) == 3 and path[0] == "pages"
    if on_question and key in Page.model_fields:
        return f": '{key}' belongs on the page, not on a question (indent it less)"
    if on_page and any(key in kind.model_fields for kind in QUESTION_TYPES.values()):
        return f": '{key}' belongs on a question, under the page's questions"
    if on_question and any(key in kind.model_fields for kind in QUESTION_TYPES.values()):
        types = sorted(name for name, kind in QUESTION_TYPES.items() if key in kind.model_fields)
        return f": '{key}' is only for {', '.join(types)} questions"
    return ""


def keys_at(path: KeyPath, data: Any) -> frozenset[str]:
    """The keys the mapping at `path` may have, for 'did you mean …?': the service's, a
    page's, or a question's of its type; elsewhere any key a definition may have."""
    if not path:
        return frozenset(Service.model_fields)
    if len(path) == 2 and path[0] == "pages":
        return frozenset(Page.model_fields)
    if len(path) == 4 and path[0] == "pages" and path[2] == "questions":
        mapping = _at(data, path)
        kind = QUESTION_TYPES.get(str(mapping.get("type"))) if isinstance(mapping, dict) else None
        if kind is not None:
            return frozenset(kind.model_fields)
    return known_keys()


def _at(data: Any, path: KeyPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


@cache
def known_keys() -> frozenset[str]:
    """Every key any part of a definition may have."""
    schema = Service.model_json_schema()
    parts = [schema, *schema.get("$defs", {}).values()]
    return frozenset(key for part in parts for key in part.get("properties", {}))


def _pattern_message(path: KeyPath) -> str:
    key = path[-1] if path else ""
    if key == "reference_prefix":
        return "must be 2 to 5 capital letters, like MBC"
    if "questions" in path and key == "id":
        return "must be snake_case: lower-case letters, digits and _ , starting with a letter"
    if key in ("id", "goto"):
        return "must be a slug: lower-case letters, digits and single hyphens, like missed-bin"
    if key == "brand_colour":
        return "must be a colour written as # and six hex digits, like #00625e"
    return "is not in the expected form"


UNION_MEMBERS = ("function-", "list[", "dict[", "constrained-", "lax-or-strict[")
"""How pydantic names the forms of a union in an error's location."""


def _union_member(part: str, node: Any) -> bool:
    if isinstance(node, dict) and part in node:
        return False  # a key the designer wrote
    return part.startswith(UNION_MEMBERS) or part in ("int", "str", "float", "bool")


def _data_path(loc: tuple[int | str, ...], data: Any) -> KeyPath:
    """Pydantic's location, minus the union tags it inserts, as a path into the YAML data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and part not in node and node.get("type") == part:
            continue  # the discriminator tag of a question union
        if isinstance(part, str) and _union_member(part, node):
            continue  # the form of a union tried (`constrained-int`), not a key of the data
        path.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(path)
