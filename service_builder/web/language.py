"""The language of each page: `?lang=` switches it for the session; Flask-Babel serves it.

A service page is in the session's language when the service offers it, else in the
service's first language. Site pages (list of services, cookies, privacy, contact,
accessibility statement, errors) offer every language that any service offers, since a
resident may arrive at them from a Welsh service. Staff pages stay in English; in assisted
mode the service's own pages are in the language the agent chose for the call, kept on its
draft (each call its own, whichever tab or agent has it), never the session's.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from babel.support import NullTranslations
from flask import Flask, current_app, g, request, session
from flask_babel import Babel
from markupsafe import Markup, escape

from service_builder.definitions import Service
from service_builder.messages import (
    LANGUAGE_NAMES,
    N_,
    SITE_TEXTS,
    SOURCE_LANGUAGE,
    TRANSLATIONS,
    catalogue,
)
from service_builder.web.security import local_href

SESSION_KEY = "language"
STAFF_BLUEPRINTS = frozenset(
    {"staff", "assisted", "cases", "case_files", "admin", "performance", "deliveries"}
)
"""Every blueprint behind staff sign-in (previews aside): English, with the staff header."""

babel = Babel()


def register(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", SOURCE_LANGUAGE)
    babel.init_app(app, locale_selector=current_language)
    _translate_templates(app)
    app.before_request(_remember_choice)
    app.context_processor(_language_context)
    app.add_template_filter(site_text)


def _translate_templates(app: Flask) -> None:
    """Templates' `_()` read the page's language's catalogue (loaded once per process, as
    the engine's messages are) instead of Flask-Babel's lookup, whose several context
    look-ups on every `_()` cost a question page about a twentieth of its CPU."""

    def here() -> NullTranslations:
        return catalogue(current_language())

    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda message: here().gettext(message),
        ngettext=lambda singular, plural, n: here().ngettext(singular, plural, n),
        pgettext=lambda context, message: here().pgettext(context, message),
        npgettext=lambda context, singular, plural, n: here().npgettext(
            context, singular, plural, n
        ),
        newstyle=True,
    )


def site_text(text: str) -> Markup:
    """A text from config/site.yaml on this page: in the page's language when it is one of the
    default settings' texts (the catalogue has them); else the council's own English, marked
    as English on a page in another language (a screen reader then reads it as English)."""
    language = current_language()
    if text in SITE_TEXTS:
        return escape(catalogue(language).gettext(text))
    if language == SOURCE_LANGUAGE:
        return escape(text)
    return Markup('<span lang="{}">{}</span>').format(SOURCE_LANGUAGE, text)


def current_language() -> str:
    return str(g.get("language", SOURCE_LANGUAGE))


def chosen_language(session_wide: bool = True) -> str | None:
    """The language asked for by this request's `?lang=`, or the language of the page a form
    was sent from, or else earlier in the session (unless not `session_wide`)."""
    asked = request.args.get("lang")
    if asked in LANGUAGE_NAMES:
        return asked
    if request.method == "POST" and "form" in request.__dict__:  # read already: a body too
        shown = request.form.get(PAGE_LANGUAGE)  # large (413) is never read
        if shown in LANGUAGE_NAMES:
            return shown
    kept = session.get(SESSION_KEY) if session_wide else None
    return kept if kept in LANGUAGE_NAMES else None


PAGE_LANGUAGE = "page_language"
"""A journey form's hidden field: the language its page was shown in. What the form sends is
in that language (its errors, the form sent), whatever another tab chose since, and so is
the page that says it expired when the session is lost."""


def use_service_language(service: Service, kept: str | None = None) -> Service:
    """The service in the language of this request; the page then offers its languages.
    `kept`: the language of the draft or form the page is about (an assisted call's), which
    this request's own choice overrides and the session's does not."""
    chosen = chosen_language(session_wide=kept is None) or kept
    language = chosen if chosen in service.languages else service.languages[0]
    g.language = language
    g.offered_languages = service.languages
    g.asked_language = chosen if chosen and chosen != language else None
    return service.in_language(language)


ONLY_IN = {SOURCE_LANGUAGE: N_("This service is only available in English.")}
"""What a page of a service offered in one language says, in the language someone asked for."""
LISTED_ONLY_IN = {SOURCE_LANGUAGE: N_("Only available in English")}
"""The same, beside the service on the list of services."""


def not_offered_notice(notices: dict[str, str], shown: str, asked: str | None) -> str:
    """In the language `asked` for, that a page is only in `shown` ("" when there is nothing
    to say, or no words for it)."""
    if not asked or asked == shown or shown not in notices:
        return ""
    return catalogue(asked).gettext(notices[shown])


def _remember_choice() -> None:
    asked = request.args.get("lang")
    if asked in LANGUAGE_NAMES:
        session[SESSION_KEY] = asked
    if request.blueprint in STAFF_BLUEPRINTS:
        return  # staff pages are in English; assisted pages switch when the service loads
    # until a service says otherwise (pages outside any service, errors before one loads)
    offered = _site_languages()
    chosen = chosen_language()
    g.offered_languages = offered
    g.language = chosen if chosen in offered else SOURCE_LANGUAGE


def _site_languages() -> list[str]:
    catalog = current_app.extensions["service_builder"].catalog
    offered = [SOURCE_LANGUAGE]
    for service in catalog.services.values():
        offered += [code for code in service.languages if code not in offered]
    return offered


def language_links() -> list[dict[str, str]]:
    """A link to this page in each other language offered here (none when only one)."""
    offered = g.get("offered_languages") or []
    if len(offered) < 2:
        return []
    here = current_language()
    links, path = [], local_href(request.path)
    for code in offered:
        if code == here:
            continue
        query = urlencode({**request.args.to_dict(), "lang": code})
        links.append({"code": code, "name": LANGUAGE_NAMES[code], "href": f"{path}?{query}"})
    return links


def _language_context() -> dict[str, Any]:
    asked = g.get("asked_language")
    return {
        "only_in_notice": not_offered_notice(ONLY_IN, current_language(), asked),
        "listed_only_in": lambda shown: not_offered_notice(
            LISTED_ONLY_IN, shown, current_language()
        ),
        "current_language": current_language(),
        "page_language_field": PAGE_LANGUAGE,
        "language_links": language_links,
    }
