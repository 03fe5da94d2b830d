"""Makes a short string that matches a regular expression, for example answers."""

from __future__ import annotations

import re
import re._constants as C
import re._parser as sre_parse
from typing import Any

PREFERRED = "a1A "


def example_matching(pattern: str, length_hint: int | None = None) -> str | None:
    """A string that fully matches `pattern`, or None when this simple generator cannot."""
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    try:
        text = _emit(list(parsed), length_hint)
    except (ValueError, IndexError):
        return None
    return text if re.fullmatch(pattern, text) else None


def _emit(items: list[tuple[Any, Any]], length_hint: int | None) -> str:
    out = []
    for op, arg in items:
        if op is C.LITERAL:
            out.append(chr(arg))
        elif op is C.ANY:
            out.append("a")
        elif op is C.NOT_LITERAL:
            out.append("b" if arg == ord("a") else "a")
        elif op is C.IN:
            out.append(_from_class(arg))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, body = arg
            count = max(low, 1) if high else 0
            if length_hint and high:  # long enough for a minimum length, unbounded or not
                count = max(low, length_hint if high == C.MAXREPEAT else min(high, length_hint))
            out.append("".join(_emit(list(body), None) for _ in range(count)))
        elif op is C.SUBPATTERN:
            out.append(_emit(list(arg[-1]), length_hint))
        elif op is C.BRANCH:
            out.append(_emit(list(arg[1][0]), length_hint))
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        else:
            raise ValueError(op)
    return "".join(out)


def _from_class(items: list[tuple[Any, Any]]) -> str:
    if items and items[0][0] is C.NEGATE:
        for candidate in "a1A-_x":
            if not any(_matches(op, arg, candidate) for op, arg in items[1:]):
                return candidate
        raise ValueError("negated class")
    for op, arg in items:
        if op is C.LITERAL:
            return chr(arg)
        if op is C.RANGE:
            low, high = arg
            for candidate in PREFERRED:
                if low <= ord(candidate) <= high:
                    return candidate
            return chr(low)
        if op is C.CATEGORY:
            return {C.CATEGORY_DIGIT: "1", C.CATEGORY_SPACE: " "}.get(arg, "a")
    raise ValueError("empty class")


def _matches(op: Any, arg: Any, char: str) -> bool:
    if op is C.LITERAL:
        return chr(arg) == char
    if op is C.RANGE:
        return arg[0] <= ord(char) <= arg[1]
    if op is C.CATEGORY:
        pattern = {
            C.CATEGORY_DIGIT: r"\d",
            C.CATEGORY_NOT_DIGIT: r"\D",
            C.CATEGORY_SPACE: r"\s",
            C.CATEGORY_NOT_SPACE: r"\S",
            C.CATEGORY_WORD: r"\w",
            C.CATEGORY_NOT_WORD: r"\W",
        }.get(arg, ".")
        return re.fullmatch(pattern, char) is not None
    return False
