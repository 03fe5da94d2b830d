"""Error pages in GOV.UK style: every failure a person can cause gets a page and a 4xx."""

from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from service_builder.messages import N_
from service_builder.web.runner import DefinitionProblems, SessionExpired

log = logging.getLogger(__name__)

TITLES = {  # translated as the page is drawn
    400: (N_("There is a problem with your request"), N_("Go back and try again.")),
    403: (
        N_("You do not have permission to see this page"),
        N_("Sign in with an account that can."),
    ),
    404: (
        N_("Page not found"),
        N_(
            "If you typed the web address, check it is correct. If you pasted "
            "the web address, check you copied the entire address."
        ),
    ),
    405: (N_("There is a problem with your request"), N_("Go back and try again.")),
    413: (N_("What you sent is too large"), N_("Go back, shorten your answer and try again.")),
    429: (N_("Too many attempts"), N_("Wait a minute, then try again.")),
    500: (
        N_("Sorry, there is a problem with the service"),
        N_("Try again later. Your answers have been saved."),
    ),
}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[str, int]:
        return render_template("errors/form_expired.html"), 400

    @app.errorhandler(DefinitionProblems)
    def _definition(error: DefinitionProblems) -> tuple[str, int]:
        return render_template("errors/definition.html", result=error.result), 503

    @app.errorhandler(SessionExpired)
    def _expired(error: SessionExpired) -> Response:
        return redirect(url_for("site.session_expired", service=error.service.id))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        title, body = TITLES.get(code, TITLES[400 if code < 500 else 500])
        return render_template("errors/error.html", title=title, body=body, code=code), code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unhandled error")  # the traceback names code, never answers
        return _http(InternalServerError())
