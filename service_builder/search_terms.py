"""How staff's typed search terms meet stored text: references whatever their case, spaces and
hyphens; phone numbers by their digits, however they were written; dates as callers say them;
words in any order."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_
from sqlalchemy.sql.elements import ColumnElement

from service_builder.references import GROUP_LENGTH, GROUPS

_GROUP = f"([0-9A-Z]{{{GROUP_LENGTH}}})"
REFERENCE = re.compile(rf"^([A-Z]{{2,5}})?{_GROUP * GROUPS}$")
"""A reference with its hyphens taken out: an optional prefix (2-5 capitals), then groups
(any letters or digits, so references made before today's alphabet are found too)."""
DATE = re.compile(r"^\s*(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{4})\s*$")
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
WRITTEN_DATE = re.compile(rf"^\s*{_DAY}(?:\s+of)?[\s-]+([A-Za-z]+)\.?,?[\s-]+(\d{{4}})\s*$")
"""31 January 1980, 31st of Jan. 1980, 31-Jan-1980."""
MONTH_FIRST = re.compile(rf"^\s*([A-Za-z]+)\.?\s+{_DAY},?\s+(\d{{4}})\s*$")
"""January 31, 1980; Jan 31st 1980."""
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
MONTH_NAMES = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
MONTHS = {
    **{name: number for number, name in enumerate(MONTH_NAMES, 1)},
    **{name[:3]: number for number, name in enumerate(MONTH_NAMES, 1)},
    "sept": 9,
}
"""English month names and their short forms, as staff type them."""
SEPARATORS = " -().+"
"""What people put between the digits of a phone number (and the + of +44)."""


def reference(term: str) -> str:
    """The reference as stored ('CTD-QKRE-EKPQ') for 'ctdqkreekpq', 'CTD QKRE EKPQ' or
    'ctd-qkre-ekpq'; any other term upper-cased as typed."""
    compact = re.sub(r"[^0-9A-Za-z]", "", term).upper()
    if match := REFERENCE.match(compact):
        return "-".join(part for part in match.groups() if part)
    return term.strip().upper()


def as_reference(term: str) -> str | None:
    """The reference as stored (upper case, with its hyphens) when the term is written like
    one, so that it is compared as the unique index has it; None for any other term."""
    compact = re.sub(r"[^0-9A-Za-z]", "", term).upper()
    return reference(term) if REFERENCE.match(compact) else None


def date_parts(term: str) -> tuple[int, int, int] | None:
    """The year, month and day of a date as staff type it, often as a caller says it:
    31/1/1980 (or with dashes, dots or spaces), 31 January 1980, 31 Jan 1980, 1st of Feb
    1980, 31-Jan-1980, January 31, 1980, or 1980-01-31; None for anything else. Not checked
    to be a real date."""
    if match := DATE.match(term):
        day, month, year = match.groups()
    elif match := ISO_DATE.match(term):
        year, month, day = match.groups()
    elif (match := WRITTEN_DATE.match(term)) and match[2].lower() in MONTHS:
        day, month, year = match[1], str(MONTHS[match[2].lower()]), match[3]
    elif (match := MONTH_FIRST.match(term)) and match[1].lower() in MONTHS:
        day, month, year = match[2], str(MONTHS[match[1].lower()]), match[3]
    else:
        return None
    return int(year), int(month), int(day)


def phone_digits(term: str) -> list[str]:
    """The digits a phone number is stored with, when the term is one (a UK number in both
    its 0 and +44 forms); none otherwise."""
    digits = re.sub(r"\D", "", term)
    if len(digits) < 6 or re.sub(rf"[{re.escape(SEPARATORS)}]", "", term.strip()) != digits:
        return []
    if digits.startswith("0"):
        return [digits, "44" + digits[1:]]
    if digits.startswith("44"):
        return [digits, "0" + digits[2:]]
    return [digits]


def without_separators(text: Any) -> Any:
    """The SQL text with phone separators taken out, so a number's digits run together
    (in the database: no rows are loaded into Python to compare)."""
    for separator in SEPARATORS:
        text = func.replace(text, separator, "")
    return text


APOSTROPHES = ("'", "\u2019", "\u2018", "`")
"""An apostrophe as keyboards type it, and as phones and word processors do."""
MOST_WORDS = 5


@dataclass(frozen=True)
class Needles:
    """What a term is looked for as, in text stored lower-case (a case's `search_text`): any
    one of `texts`, or every one of `words` (each in any of its forms), or a phone number's
    digits however either was spaced."""

    texts: frozenset[str]
    words: tuple[frozenset[str], ...]
    phones: tuple[str, ...]


def needles(term: str) -> Needles:
    """The term as typed, without its spaces, as a reference, as an ISO date when it is a
    date ('31 Jan 1980' finds 1980-01-31), each also `folded`; its words, when it has more
    than one and is not a date ('Aardvark Alice' finds Alice Aardvark; a word that is a date
    is looked for as one too: 'oneill 3/4/1960'); its phone digits. A date's words are not
    looked for apart (an agent's trial: '1 April 1960' found a caller born on the 3rd, by
    'april' and '1960' alone)."""
    term = term.strip().lower()
    texts = {term, re.sub(r"\s+", "", term)}
    if (written := as_reference(term)) is not None:
        texts.add(written.lower())
    if (day := _iso_day(term)) is not None:
        texts.add(day)
    is_date = date_parts(term) is not None
    words = [] if is_date else [word for word in term.split() if len(word) > 1][:MOST_WORDS]
    return Needles(
        texts=_as_written(texts),
        words=tuple(_as_written({word, *_as_day(word)}) for word in words)
        if len(words) > 1
        else (),
        phones=tuple(phone_digits(term)),
    )


def _iso_day(term: str) -> str | None:
    """The date a term says, as stored (1960-04-03); None when it is not a real date."""
    if (parts := date_parts(term)) is None:
        return None
    try:
        return dt.date(*parts).isoformat()
    except ValueError:  # not a real date: searched as text only
        return None


def _as_day(word: str) -> set[str]:
    return {day} if (day := _iso_day(word)) is not None else set()


def folded(text: str) -> str:
    """Text as a caller's name is heard rather than spelt: without accents or apostrophes
    ('Siobhán O'Neill' is 'siobhan oneill'). A case's search text holds each answer this
    way too, so either finds the other."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c) and c not in APOSTROPHES)


def _as_written(texts: set[str]) -> frozenset[str]:
    """Each text as typed, and folded (which finds any apostrophe: the stored text holds
    each answer folded too)."""
    return frozenset(texts | {folded(text) for text in texts})


def found_in(column: Any, term: str) -> ColumnElement[bool]:
    """The SQL test that the column's text (a search text: `cases.search_text`) holds the
    term, as `needles` says."""
    found = needles(term)

    def any_of(texts: Iterable[str]) -> ColumnElement[bool]:
        return or_(*(column.contains(text, autoescape=True) for text in sorted(texts)))

    tests = [any_of(found.texts)]
    if found.words:
        tests.append(and_(*(any_of(word) for word in found.words)))
    digits = without_separators(column)
    tests += [digits.contains(number) for number in found.phones]
    return or_(*tests)
