"""Who is signed in: the staff session, the idle timeout and role checks for staff pages."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, session, url_for
from sqlalchemy.orm.exc import ObjectDeletedError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from service_builder.models import StaffUser, db
from service_builder.staff import sessions
from service_builder.staff.accounts import has_role
from service_builder.staff.pending import NOT_SAVED, PENDING, WARNING, keep_posted_answers

SESSION_TOKEN = "staff_session"
SESSION_USER_HINT = "staff_user_hint"
"""Who last signed in on this browser; lets their drafts in hand survive a timeout."""
KEPT_OVER_TIMEOUT = ("staff_drafts", PENDING, "_flashes")
"""What the same person keeps over sign-in: their drafts in hand, what they posted as the
session ended, and the notice saying so (Flask's flashed messages)."""
TIMED_OUT = "timed_out"
"""When this browser's session timed out (seconds since the epoch), until sign-in or for as
long again as the idle timeout: a form sent from another tab afterwards (the session's token
already gone) is treated as the first was; someone at that browser much later is not told
they were signed out, nor has what they send kept."""
View = TypeVar("View", bound=Callable[..., Any])


def sign_in(user: StaffUser) -> None:
    """Start a fresh session. Only the same person, back after a timeout, keeps the drafts they
    had in hand and the answers they posted as the session ended."""
    kept = {key: session[key] for key in KEPT_OVER_TIMEOUT if key in session}
    same_person = session.get(SESSION_USER_HINT) == user.id
    session.clear()
    if same_person:
        session.update(kept)
    session[SESSION_TOKEN] = sessions.start(user.id)
    session[SESSION_USER_HINT] = user.id
    session.permanent = True


def sign_out() -> None:
    """End the session on the server too, so a copy of the cookie no longer works. Who signed
    out is remembered (an id), so that a form they send from another tab comes back to them
    alone when they sign in again (`sign_in_again`)."""
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str):
        sessions.end(token)
    who = session.get(SESSION_USER_HINT)
    session.clear()
    if who is not None:
        session[SESSION_USER_HINT] = who


def _limits() -> tuple[Any, Any]:
    config = current_app.config
    return config["STAFF_IDLE_TIMEOUT"], config["STAFF_SESSION_LIFETIME"]


def current_session() -> sessions.StaffSession | None:
    """The live server-side session of this request, honouring the idle and absolute limits."""
    if "staff_session" in g:
        return cast(sessions.StaffSession | None, g.staff_session)
    found = None
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str):
        found = sessions.find(token)
        if found is not None and not sessions.keep_alive(found, token, *_limits()):
            found, session[TIMED_OUT] = None, int(dt.datetime.now(dt.UTC).timestamp())
        if found is None:  # timed out, or ended by signing out: the cookie forgets it
            session.pop(SESSION_TOKEN, None)
    g.staff_session = found
    return found


def timed_out_lately() -> bool:
    """Whether this browser's session timed out within the idle timeout's length of now."""
    when = session.get(TIMED_OUT)
    if isinstance(when, bool) or not isinstance(when, int):
        return False
    idle, _lifetime = _limits()
    return dt.datetime.now(dt.UTC).timestamp() - when < idle.total_seconds()


def seconds_left() -> int | None:
    found = current_session()
    if found is None:
        return None
    try:
        return sessions.seconds_left(found, *_limits())
    except ObjectDeletedError:  # ended (signed out in another tab) as this request ran
        return None


def current_staff() -> StaffUser | None:
    """The signed-in member of staff for this request, or None."""
    if "staff_user" in g:
        return cast(StaffUser | None, g.staff_user)
    found = current_session()
    user = db.session.get(StaffUser, found.staff_user_id) if found else None
    if user is not None and user.disabled_at is not None:
        user = None
    g.staff_user = user
    return user


def require_role(role: str) -> Callable[[], Any]:
    """A before_request hook: staff pages need sign-in and the role."""

    def check() -> Any:
        user = current_staff()
        if user is None:
            timed_out = timed_out_lately()
            if request.method == "POST" and timed_out:
                keep_posted_answers()
            args: dict[str, Any] = {"next": way_back()}
            if timed_out:
                args["timed_out"] = "1"
            return redirect(url_for("staff.sign_in", **args))
        if not has_role(user, role):
            abort(403)
        return None

    return check


def way_back() -> str:
    """Where sign-in leads back to: this request's page; for a form sent to an address that
    has no page (a case's note, its status), the page of this site it was sent from, else
    (an error shown at that address) the nearest address above it that is a page."""
    here = request.full_path.rstrip("?")
    if request.method != "POST" or matched_by_get(request.path) == request.endpoint:
        return here
    referrer = urlsplit(request.headers.get("Referer") or "")
    own = referrer.netloc == request.host and referrer.path != request.path
    if own and matched_by_get(referrer.path):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    parent = request.path.rstrip("/")
    while (parent := parent.rpartition("/")[0]).count("/") > 1:  # not above /staff/…
        if matched_by_get(parent):
            return parent
    return here


def matched_by_get(path: str) -> str | None:
    """The view a GET of this address goes to, if any."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except HTTPException:
        return None
    return str(endpoint)


def sign_in_again(keep_answers: bool) -> Response:
    """A staff form sent after this browser signed out (in another tab), whose CSRF token
    went with the session: to sign-in, then back to the page. With `keep_answers` (the form
    came from one of this site's pages) what was typed comes back, as after a timeout."""
    if keep_answers and request.method == "POST":
        keep_posted_answers()
    return redirect(url_for("staff.sign_in", next=way_back(), signed_out="1"))


def show_again(page_again: str | None) -> Response:
    """A form from one of this site's pages, sent by an agent signed in again (in another
    tab) since the page was opened: its CSRF token went with the old session. Nothing is
    saved or sent; the page again (`page_again`, else the staff home), saying so, and on a
    question page with what was typed, to check and send."""
    if request.endpoint in ("assisted.page", "assisted.check_answers", "assisted.start"):
        keep_posted_answers()  # shown again (`initial_raws`, `typed_on_check_answers`, the
        # channel and the caller of 'Start another service for this caller')
    else:
        flash(NOT_SAVED, WARNING)
    return redirect(page_again or url_for("staff.home"), 303)


def role_required(role: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None or not has_role(user, role):
                abort(403)
            return view(*args, **kwargs)

        return cast(View, wrapped)

    return decorate
