"""Staff searches by address token: the words (a name, a phone number, a date of birth) are
sent by POST and kept with the staff session (`sessions.StaffSearch`); the results' address
says only `?search=TOKEN`. So the words never reach the browser's history or a proxy's log,
each address still stands for its own search (two tabs, Back, refresh), and a search ends
with the session that made it."""

from __future__ import annotations

from flask import request, url_for
from sqlalchemy.exc import IntegrityError

from service_builder.models import db
from service_builder.staff import sessions
from service_builder.staff.auth import current_session

SEARCH = "search"
"""The query parameter that names a search (its token)."""
SEARCH_ENDED = "This search has ended (searches end when you sign out). Search again."


def token_for(words: str) -> str | None:
    """The token of these words in this session; None once the session is gone (signed out
    in another tab as this request ran)."""
    held = current_session()
    if held is None:
        return None
    try:
        return sessions.keep_search(held, words)
    except IntegrityError:  # (PostgreSQL) its session was deleted under this request
        db.session.rollback()
        return None


def searched() -> str | None:
    """The words this request's `?search=` names, in this session; None without one."""
    token = request.args.get(SEARCH, "")
    held = current_session() if token else None
    return sessions.kept_search(held, token) if held is not None else None


def ended(words: str | None) -> bool:
    """Whether this request names a search (`?search=`) whose words (`searched()`) are not
    this session's: another sign-in's, or one that has ended."""
    return words is None and bool(request.args.get(SEARCH))


def back_to_results() -> str | None:
    """The results page a draft or sent form was opened from (its address names the search,
    `?search=`, of this session), for its Back link; None otherwise."""
    if searched() is None:
        return None
    return url_for("staff.results", search=request.args[SEARCH])
