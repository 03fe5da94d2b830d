"""Server-side staff sessions: the cookie holds only a random id, so any session can be ended."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import ColumnElement, ForeignKey, String, delete, select, update
from sqlalchemy.orm import Mapped, mapped_column

from service_builder.models import db, utcnow

TOUCH_EVERY = dt.timedelta(seconds=30)
"""Idle time is written back at most this often, so most staff requests write nothing."""


class StaffSession(db.Model):  # type: ignore[name-defined]
    """One signed-in browser. Deleting the row ends the session for every copy of the cookie."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the cookie's token: a copy of the database does not sign anyone in."""
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class StaffSearch(db.Model):  # type: ignore[name-defined]
    """What a member of staff searched for (a name, a phone number, a date of birth), kept
    with their session so that the results' address holds a random token instead: the words
    never reach an address (the browser's history on a shared computer, a proxy's log), each
    address still stands for its own search (two tabs, Back), and they go with the session."""

    __tablename__ = "staff_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    staff_session_id: Mapped[int] = mapped_column(
        ForeignKey("staff_sessions.id", ondelete="CASCADE"), index=True
    )
    words: Mapped[str] = mapped_column(String(100))


def keep_search(found: StaffSession, words: str) -> str:
    """The token that stands for these words in this session's addresses (the same one
    each time the session searches for them)."""
    token = db.session.scalar(
        select(StaffSearch.token).where(
            StaffSearch.staff_session_id == found.id, StaffSearch.words == words
        )
    )
    if token is None:
        token = secrets.token_urlsafe(12)
        db.session.add(StaffSearch(token=token, staff_session_id=found.id, words=words))
        db.session.commit()
    return token


def kept_search(found: StaffSession, token: str) -> str | None:
    """The words a token of this session's stands for; None for another session's token,
    or one whose session ended (signed out, timed out)."""
    return db.session.scalar(
        select(StaffSearch.words).where(
            StaffSearch.staff_session_id == found.id, StaffSearch.token == token[:32]
        )
    )


def token_hash(token: str) -> str:
    """What the database keeps of a cookie's token (its SHA-256): a copy of the database
    signs no one in (`devices` keeps its tokens so too)."""
    return hashlib.sha256(token.encode()).hexdigest()


def start(user_id: int) -> str:
    """A new session for the user; returns the token to keep in the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(StaffSession(token_hash=token_hash(token), staff_user_id=user_id))
    db.session.commit()
    return token


def find(token: str) -> StaffSession | None:
    """The session for the token, live or not; None once it was ended (signed out, or every
    session of its user ended)."""
    return db.session.scalar(
        select(StaffSession).where(StaffSession.token_hash == token_hash(token))
    )


def keep_alive(found: StaffSession, token: str, idle: dt.timedelta, lifetime: dt.timedelta) -> bool:
    """False, and the session ended, when it was idle or is too old; otherwise True, with the
    activity written back (at most every TOUCH_EVERY)."""
    now = utcnow()
    if now - found.last_seen_at > idle or now - found.created_at > lifetime:
        end(token)
        return False
    if now - found.last_seen_at > TOUCH_EVERY:
        found.last_seen_at = now
        db.session.commit()
    return True


def seconds_left(found: StaffSession, idle: dt.timedelta, lifetime: dt.timedelta) -> int:
    """Seconds until the session ends, by idleness or by its absolute lifetime."""
    now = utcnow()
    ends = min(found.last_seen_at + idle, found.created_at + lifetime)
    return max(0, int((ends - now).total_seconds()))


def touch(found: StaffSession) -> None:
    """Count this moment as activity (the 'stay signed in' button)."""
    db.session.execute(
        update(StaffSession).where(StaffSession.id == found.id).values(last_seen_at=utcnow())
    )
    db.session.commit()


def end(token: str) -> None:
    _end(StaffSession.token_hash == token_hash(token))


LAPSED_AFTER = dt.timedelta(days=1)
"""The least time unseen before `end_lapsed` deletes a session (see there)."""


def end_lapsed(idle: dt.timedelta, lifetime: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete the sessions that timed out in a browser that never came back to find out
    (closed, or left), and with each the words it searched for: those unseen for longer than
    the idle timeout, the lifetime and LAPSED_AFTER, whichever is longest, so that a job run
    with other settings than the servers' ends no sign-in in use. `purge` runs it daily;
    returns how many."""
    now = now or utcnow()
    # and any search whose session was ended as it was kept (SQLite keeps such a row)
    db.session.execute(
        delete(StaffSearch).where(~StaffSearch.staff_session_id.in_(select(StaffSession.id)))
    )
    return _end(StaffSession.last_seen_at < now - max(idle, lifetime, LAPSED_AFTER))


def end_all(user_id: int) -> int:
    """End every session of the user (password change, account disabled); returns how many."""
    return _end(StaffSession.staff_user_id == user_id)


def _end(which: ColumnElement[bool]) -> int:
    """Delete the sessions `which` selects, and their searches (SQLite, which does not
    enforce the foreign key's cascade, leaves them otherwise); how many sessions."""
    ended = select(StaffSession.id).where(which)
    db.session.execute(delete(StaffSearch).where(StaffSearch.staff_session_id.in_(ended)))
    result = db.session.execute(delete(StaffSession).where(which))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
