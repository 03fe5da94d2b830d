"""Who is signed in: the staff session, the idle timeout and role checks for staff pages."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import abort, current_app, g, redirect, request, session, url_for

from service_builder.models import StaffUser, db
from service_builder.staff.accounts import has_role

SESSION_USER = "staff_user_id"
SESSION_SEEN = "staff_seen"
View = TypeVar("View", bound=Callable[..., Any])


def sign_in(user: StaffUser) -> None:
    """Start a fresh session for the member of staff (nothing carried over)."""
    session.clear()
    session[SESSION_USER] = user.id
    session[SESSION_SEEN] = _now()
    session.permanent = True


def sign_out() -> None:
    session.clear()


def current_staff() -> StaffUser | None:
    """The signed-in member of staff for this request, honouring the idle timeout."""
    if "staff_user" in g:
        return cast(StaffUser | None, g.staff_user)
    user = None
    user_id = session.get(SESSION_USER)
    seen = session.get(SESSION_SEEN)
    if isinstance(user_id, int) and isinstance(seen, int | float):
        timeout = current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
        if _now() - seen <= timeout:
            user = db.session.get(StaffUser, user_id)
            session[SESSION_SEEN] = _now()
        else:
            g.timed_out = True
            sign_out()
    g.staff_user = user
    return user


def require_role(role: str) -> Callable[[], Any]:
    """A before_request hook: staff pages need sign-in and the role."""

    def check() -> Any:
        user = current_staff()
        if user is None:
            args: dict[str, Any] = {"next": request.full_path.rstrip("?")}
            if g.get("timed_out"):
                args["timed_out"] = "1"
            return redirect(url_for("staff.sign_in", **args))
        if not has_role(user, role):
            abort(403)
        return None

    return check


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


def _now() -> int:
    return int(dt.datetime.now(dt.UTC).timestamp())
