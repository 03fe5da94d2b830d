"""'Did you mean …?' for a name a definition misspelt: a key, a page id, a question id."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


def closest(given: object, known: Iterable[str]) -> str | None:
    """The one known name closest to what was given (not itself), or None when none is close
    (a guess that is wrong would mislead more than no guess)."""
    close = get_close_matches(str(given), sorted(set(known) - {str(given)}), n=1, cutoff=0.8)
    return close[0] if close else None


def did_you_mean(given: object, known: Iterable[str]) -> str:
    """' (did you mean 'show_when'?)' for the `closest` known name, or ""."""
    name = closest(given, known)
    return f" (did you mean '{name}'?)" if name else ""
