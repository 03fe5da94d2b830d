"""The engine's message catalogue (Babel `.po`/`.mo`), usable without Flask.

Templates reach the same catalogue through Flask-Babel; questions and the definition layer
use `Translator`, which is plain Babel and takes the language explicitly.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date
from babel.support import NullTranslations, Translations

from service_builder.localised import CatalogueText

TRANSLATIONS = Path(__file__).parent / "translations"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"

WELSH_ELISIONS = [
    (re.compile(r"\b([Ii]) (?:yr|y) "), r"\1’r "),
    (re.compile(r"\b([Ii]) eich "), r"\1’ch "),
    (re.compile(r"\b([Ii]) ein "), r"\1’n "),
]

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
"""Each language the engine speaks, named in that language (for the language link)."""
IN_ENGLISH = {"en": "English", "cy": "Welsh (Cymraeg)"}
"""Each language's name on staff pages, which are in English."""


def engine_languages() -> tuple[str, ...]:
    return tuple(LANGUAGE_NAMES)


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where the language is known."""
    return message


SITE_TEXTS = (
    # Texts from config/site.yaml that the default settings use, so they are translated too
    N_("Accessibility statement"),
    N_("Privacy"),
    N_("Cookies"),
    N_("Contact us"),
    N_("Monday to Friday, 9am to 5pm (except public holidays)"),
    N_("Alpha"),
    N_("Beta"),
)


def PC_(context: str, message: str) -> tuple[str, str]:
    """Mark a message with its context, for a language whose words for it differ there."""
    return context, message


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular and plural pair for extraction."""
    return singular, plural


@cache
def catalogue(language: str) -> NullTranslations:
    """The catalogue of one language, loaded once per process: the engine's messages and the
    templates' texts both come from it."""
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language], DOMAIN)


class Translator:
    """gettext and ngettext for one language, with %(name)s placeholders filled in."""

    def __init__(self, language: str = SOURCE_LANGUAGE) -> None:
        self.language = language
        self._catalogue = catalogue(language)

    def gettext(self, message: str, **values: Any) -> str:
        text = self._catalogue.gettext(message)
        return self._elide(text % values) if values else text

    def pgettext(self, context: str, message: str) -> str:
        return str(self._catalogue.pgettext(context, message))

    def ngettext(self, singular: str, plural: str, number: int, **values: Any) -> str:
        text = self._catalogue.ngettext(singular, plural, number)
        return self._elide(text % {"num": number, **values})

    def _elide(self, text: str) -> str:
        """Welsh joins 'i' to a following article or pronoun ('i yr ateb' becomes 'i'r
        ateb'), which matters when a name is put into a message."""
        if self.language != "cy":
            return text
        for pattern, joined in WELSH_ELISIONS:
            text = pattern.sub(joined, text)
        return text

    def plural_messages(self, singular: str, plural: str) -> dict[str, str]:
        """One message per plural category of the language ('one', 'two', 'few' …), with
        `%{count}` left for GOV.UK Frontend's JavaScript, which picks the category."""
        rule = Locale.parse(self.language).plural_form
        samples: dict[str, int] = {}
        for number in range(200):
            samples.setdefault(rule(number), number)
        return {
            category: self._catalogue.ngettext(singular, plural, number) % {"num": "%{count}"}
            for category, number in samples.items()
        }

    def date(self, date: dt.date) -> str:
        """A date as GOV.UK writes it: '27 March 2007', '27 Mawrth 2007'."""
        return format_date(date, "d MMMM y", locale=self.language)


def translator(language: str) -> Translator:
    return _translators(language if language in LANGUAGE_NAMES else SOURCE_LANGUAGE)


@cache
def _translators(language: str) -> Translator:
    return Translator(language)


def catalogue_text(message: str) -> dict[str, str]:
    """One engine text in every language the engine speaks (a definition's default)."""
    return CatalogueText({code: translator(code).gettext(message) for code in LANGUAGE_NAMES})


def catalogue_text_in(context: str, message: str) -> dict[str, str]:
    """`catalogue_text` for a message in a context (`PC_`)."""
    return CatalogueText(
        {code: translator(code).pgettext(context, message) for code in LANGUAGE_NAMES}
    )


def count_messages(
    messages: Translator, unit: Literal["characters", "words"], size: int
) -> dict[str, Any]:
    """GOV.UK's character count's own words (`unit`: characters or words, up to `size`), in
    the language's plural forms: every textarea with a limit, question or not, says them in
    its page's language."""
    plurals = messages.plural_messages
    under = {
        "characters": NP_(
            "You have %(num)s character remaining", "You have %(num)s characters remaining"
        ),
        "words": NP_("You have %(num)s word remaining", "You have %(num)s words remaining"),
    }
    over = {
        "characters": NP_(
            "You have %(num)s character too many", "You have %(num)s characters too many"
        ),
        "words": NP_("You have %(num)s word too many", "You have %(num)s words too many"),
    }
    limit = {
        "characters": NP_(
            "You can enter up to %(num)s character", "You can enter up to %(num)s characters"
        ),
        "words": NP_("You can enter up to %(num)s word", "You can enter up to %(num)s words"),
    }
    at_limit = {
        "characters": N_("You have 0 characters remaining"),
        "words": N_("You have 0 words remaining"),
    }
    return {
        f"{unit}UnderLimitText": plurals(*under[unit]),
        f"{unit}OverLimitText": plurals(*over[unit]),
        f"{unit}AtLimitText": messages.gettext(at_limit[unit]),
        # the number written in, with its comma (2,000), as the count that replaces it says it
        "textareaDescriptionText": messages.ngettext(*limit[unit], size, num=f"{size:,}"),
    }
