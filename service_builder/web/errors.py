"""Error pages in GOV.UK style: every failure a person can cause gets a page and a 4xx."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

from service_builder.messages import N_
from service_builder.models import db
from service_builder.staff.auth import current_staff, matched_by_get, show_again, sign_in_again
from service_builder.submissions import DraftBusy
from service_builder.web.language import STAFF_BLUEPRINTS, use_service_language
from service_builder.web.runner import DefinitionProblems, SessionExpired
from service_builder.web.security import local_full_path, same_site

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
        N_("Try again later."),
    ),
    503: (
        N_("Sorry, the service is unavailable"),
        N_("What you sent on this page may not have been saved. Try again in a few minutes."),
    ),
}


def _end_the_database_session(error: BaseException | None) -> None:
    """Registered after Flask-SQLAlchemy's teardown, so run before it: a connection lost at
    the end of a request (its rollback on close fails) must not turn the response already
    made into a bare 500 from gunicorn, with no access log line. The pool drops the
    connection; the request's own outcome stands."""
    try:
        db.session.remove()
    except DBAPIError as lost:
        db.session.registry.clear()  # Flask-SQLAlchemy's own removal has nothing to do
        log.error("database connection lost as a request ended%s", _why(lost))


def register(app: Flask) -> None:
    app.teardown_appcontext(_end_the_database_session)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> Response | tuple[str, int]:
        # why, for operators (a proxy that does not send the Host people used shows here as
        # "The referrer does not match the host."); the reasons are Flask-WTF's fixed words
        log.info("csrf refused: %s", error.description)
        lost = "session token is missing" in str(error.description)  # no session: no draft
        if request.endpoint == "staff.sign_in":  # the sign-in page itself, left open
            return redirect(url_for("staff.sign_in", next=request.args.get("next"), expired="1"))
        if request.blueprint in STAFF_BLUEPRINTS and current_staff() is None:
            # signed out in another tab: its sign-in page may have given the session a new
            # token since, so the form's no longer matches
            return sign_in_again(keep_answers=same_site())
        if request.blueprint == "assisted" and request.method == "POST" and same_site():
            return show_again(_page_again())  # signed out and in again in another tab
        return _form_expired(lost), 400

    @app.errorhandler(DefinitionProblems)
    def _definition(error: DefinitionProblems) -> tuple[str, int]:
        return render_template("errors/definition.html", result=error.result), 503

    @app.errorhandler(SessionExpired)
    def _expired(error: SessionExpired) -> Response:
        return redirect(url_for("site.session_expired", service=error.service.id))

    @app.errorhandler(DraftBusy)
    @app.errorhandler(StaleDataError)
    @app.errorhandler(ObjectDeletedError)
    def _busy(error: Exception) -> Response:
        """Another request changed the same draft at the same moment (a double click, two
        tabs), or ended what this one was working on (a sign-out in another tab): show the
        person the page again, as it now stands."""
        return redirect(local_full_path(), 303)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def _database_down(error: Exception) -> tuple[str, int, dict[str, str]]:
        """The database cannot be reached (or is locked for too long): say so honestly."""
        log.error(
            "database unavailable: %s%s", type(error.__cause__ or error).__name__, _why(error)
        )
        g.staff_user = None  # the page's header must not ask the database who is signed in
        title, body = TITLES[503]
        if request.method in ("GET", "HEAD"):  # nothing was sent, so nothing was lost
            body = N_("Try again in a few minutes.")
        html = render_template("errors/error.html", title=title, body=body, code=503)
        return html, 503, {"Retry-After": "30"}

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        title, body = TITLES.get(code, TITLES[400 if code < 500 else 500])
        staff_home = url_for("staff.home") if _in_the_staff_area() else None
        html = render_template(
            "errors/error.html", title=title, body=body, code=code, staff_home=staff_home
        )
        return html, code

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[str, int]:
        log.exception("unhandled error")  # the traceback names code, never answers
        return _http(InternalServerError())


def _why(error: Exception) -> str:
    """The driver's own first line, for operators: a wrong password or a missing database
    is told apart from an outage. It names the server and the database user, never a
    statement's parameters (those would be answers)."""
    cause = getattr(error, "orig", None) or error.__cause__
    line = str(cause).strip().splitlines()[0] if cause is not None and str(cause).strip() else ""
    return f" ({line[:200]})" if line else ""


def _in_the_staff_area() -> bool:
    """Whether the page that failed is a staff one (a staff address that matched no route
    too): its way on is the staff home, not the residents' list of services."""
    path = request.path
    return request.blueprint in STAFF_BLUEPRINTS or path.startswith(("/staff/", "/admin/"))


def _page_again() -> str | None:
    """This request's page, when the same view shows it on a GET (a POST-only action, such
    as start-again, has none: its address would be read as a question page's)."""
    return local_full_path() if matched_by_get(request.path) == request.endpoint else None


def _form_expired(session_lost: bool) -> str:
    """A journey's form that failed the CSRF check: said in the language and under the name
    of the service it belongs to, with the way on. With the session lost the draft is out of
    reach, so: start again; else the page again, with the earlier answers."""
    catalog = current_app.extensions["service_builder"].catalog
    service_id = (request.view_args or {}).get("service_id")
    service = catalog.get(service_id) if isinstance(service_id, str) else None
    start = f"{request.blueprint}.start"
    if service is None or start not in current_app.view_functions:
        return render_template("errors/form_expired.html", session_lost=session_lost)
    service = use_service_language(service)  # the form's page's (`chosen_language`)
    return render_template(
        "errors/form_expired.html",
        session_lost=session_lost,
        service=service,
        start_url=url_for(start, service_id=service.id),
        page_url=_page_again(),
    )
