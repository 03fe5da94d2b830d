"""Server-side staff sessions: the cookie holds only a random id, so any session can be ended."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import ForeignKey, String, delete, select, update
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
    case_search: Mapped[str | None] = mapped_column(String(100), default=None)
    """What the cases search box last looked for in this session (a name, a phone number):
    kept here, not in an address (the browser's history, a proxy's log) or in the cookie,
    and gone with the session."""


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
    db.session.execute(delete(StaffSession).where(StaffSession.token_hash == token_hash(token)))
    db.session.commit()


def end_lapsed(idle: dt.timedelta, lifetime: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Delete the sessions that timed out (idle, or past their lifetime) in a browser that never
    came back to find out (closed, or left): with each go the words its cases search held.
    `purge` runs it daily; returns how many."""
    now = now or utcnow()
    lapsed = (StaffSession.last_seen_at < now - idle) | (StaffSession.created_at < now - lifetime)
    result = db.session.execute(delete(StaffSession).where(lapsed))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def end_all(user_id: int) -> int:
    """End every session of the user (password change, account disabled); returns how many."""
    result = db.session.execute(delete(StaffSession).where(StaffSession.staff_user_id == user_id))
    db.session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
