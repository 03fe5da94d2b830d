"""Reads YAML into plain Python data while remembering the line of every key path."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

KeyPath = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """YAML 1.2-style scalars: only true/false are booleans; dates stay strings.

    YAML 1.1 turns `no`, `yes`, `on` and `off` into booleans and `2024-03-27` into a
    date, which silently breaks `{has_subscription: no}` and option values.
    """


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass
class SourceProblem:
    line: int
    path: KeyPath
    message: str


@dataclass
class YamlSource:
    """Parsed data plus a map from each key path to its 1-based line."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[SourceProblem] = field(default_factory=list)

    def line_of(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest ancestor that exists in the file."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


MOST_CHARACTERS = 2_000_000
"""A definition larger than this is refused unread (the largest example is about 20,000)."""
MOST_VALUES = 100_000
"""Keys, items and values, counted as read, with each alias (`*name`) counted in full: a few
hundred bytes of aliases of aliases would otherwise expand to billions."""
DEEPEST = 50
"""Mappings and lists within each other (a definition needs about 10)."""


class TooLarge(yaml.YAMLError):
    """A definition too large, too deep or whose aliases expand too far to be read."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = yaml.Mark("", 0, line - 1, 0, "", 0)


def parse_yaml(text: str) -> YamlSource:
    """Parse text, raising yaml.YAMLError on syntax errors (TooLarge for a definition too
    large, too deep or whose aliases expand too far)."""
    if len(text) > MOST_CHARACTERS:
        raise TooLarge(1, f"the file is larger than {MOST_CHARACTERS:,} characters")
    try:
        root = yaml.compose(text, Loader=_Loader)
    except RecursionError:
        raise TooLarge(1, f"mappings and lists are nested more than {DEEPEST} deep") from None
    source = YamlSource(data=None)
    if root is None:
        return source
    source.lines[()] = root.start_mark.line + 1
    source.data = _Reader(source).convert(root, ())
    return source


@dataclass
class _Reader:
    """Plain data from the composed nodes, with the line of every key path, within limits."""

    source: YamlSource
    values: int = 0

    def convert(self, node: yaml.Node, path: KeyPath) -> Any:
        self.values += 1
        if self.values > MOST_VALUES:
            raise TooLarge(
                node.start_mark.line + 1,
                f"more than {MOST_VALUES:,} values once its aliases (*name) are written out",
            )
        if len(path) > DEEPEST:
            message = f"mappings and lists are nested more than {DEEPEST} deep"
            raise TooLarge(node.start_mark.line + 1, message)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for index, item in enumerate(node.value):
                self.source.lines[(*path, index)] = item.start_mark.line + 1
                items.append(self.convert(item, (*path, index)))
            return items
        return _scalar(node)

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node)
            child: KeyPath = (*path, str(key))
            if key in result:
                self.source.problems.append(
                    SourceProblem(key_node.start_mark.line + 1, child, f"duplicate key '{key}'")
                )
            self.source.lines[child] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node, child)
        return result


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return yaml.load(yaml.serialize(node), Loader=_Loader)
    loader = _Loader("")
    return loader.construct_object(node, deep=True)


INDENT = (
    "this line is not indented like the lines around it: a key lines up exactly under the "
    "other keys of its mapping, and a list item's '-' under the other items (spaces only)"
)
YAML_PROBLEMS = (
    # (what PyYAML says, what a designer needs to hear)
    ("expected <block end>", INDENT),
    ("mapping values are not allowed here", "an unexpected ':': " + INDENT),
    ("could not find expected ':'", "a line without 'key: value': check its indentation"),
    ("cannot start any token", "a tab: indent with spaces only"),
    ("found unexpected end of stream", "a quote that is never closed"),
    (
        "expected ',' or '}'",
        "a {…} mapping that is not closed, or a ':' or '?,' inside it: put text with ': ', "
        "or that ends in '?', in quotes",
    ),
    ("expected ',' or ']'", "a […] list that is not closed"),
)


def yaml_problem(exc: yaml.YAMLError, text: str = "") -> tuple[int, KeyPath, str]:
    """The line, the key path it is in (read from `text`) and a plain-words message for a YAML
    syntax error."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark else 1
    problem = getattr(exc, "problem", None) or str(exc)
    if isinstance(exc, TooLarge):
        return line, (), f"cannot be read: {problem}"
    path, between_keys = reached(text)
    if mark and between_keys and (key := _key_on_line(text, mark.line)):
        path = (*path, key)  # the broken line's own key, the mapping's next
    if "mapping values are not allowed here" in problem and mark and _second_colon(text, mark):
        return line, path, f"not valid YAML: {SECOND_COLON}"
    for said, meaning in YAML_PROBLEMS:
        if said in problem:
            return line, path, f"not valid YAML: {meaning}"
    return line, path, f"not valid YAML: {problem}"


SECOND_COLON = "a second ': ' on this line: put text that has ': ' in it in quotes (\"…\")"
KEY_AT_START = re.compile(r"\s*([A-Za-z_][\w-]*):(?:\s|$)")
"""A line that starts with a key (a list item's `- key:` starts a new item, not a key of the
mapping above it)."""


def _second_colon(text: str, mark: Any) -> bool:
    """Whether the ':' that broke the line follows a key's own ': ' on it (`label: Age: 18`),
    rather than starting a key at the wrong indent."""
    lines = text.splitlines()
    return mark.line < len(lines) and ": " in lines[mark.line][: mark.column].lstrip(" -")


def _key_on_line(text: str, line: int) -> str | None:
    """The key a line starts with (`  label: …`), if it does."""
    lines = text.splitlines()
    found = KEY_AT_START.match(lines[line]) if line < len(lines) else None
    return found.group(1) if found else None


@dataclass
class _Open:
    """A mapping or list the parser is inside: its current key or item index."""

    mapping: bool
    block: bool
    at: str | int | None = None
    between_keys: bool = True  # a mapping whose last value is complete


def reached(text: str) -> tuple[KeyPath, bool]:
    """How far into the definition the parser got before a syntax error: the key path of the
    key or list item it was in, and whether it was between the keys of an indented mapping
    there (so that the broken line's own key would have been the next)."""
    inside: list[_Open] = []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.CollectionEndEvent):
                inside.pop()
                _value_done(inside)
                continue
            top = inside[-1] if inside else None
            if top and top.mapping and top.between_keys and isinstance(event, yaml.ScalarEvent):
                top.at, top.between_keys = event.value, False  # a key: its value is next
                continue
            if top and not top.mapping and isinstance(event, yaml.NodeEvent):
                top.at = _next(top.at)  # the list's next item
            if isinstance(event, yaml.CollectionStartEvent):
                mapping = isinstance(event, yaml.MappingStartEvent)
                inside.append(_Open(mapping, not event.flow_style, between_keys=mapping))
            elif isinstance(event, yaml.NodeEvent):
                _value_done(inside)
    except yaml.YAMLError:
        pass
    path: list[str | int] = []
    for place in inside:
        if place.at is None or (place.mapping and place.between_keys):
            break
        path.append(place.at)
    last = inside[-1] if inside else None
    return tuple(path), bool(last and last.mapping and last.block and last.between_keys)


def _next(index: str | int | None) -> int:
    return 0 if index is None else int(index) + 1


def _value_done(inside: list[_Open]) -> None:
    """A mapping's value is complete: it waits for its next key."""
    if inside and inside[-1].mapping:
        inside[-1].between_keys = True
