"""Device cookies (OWASP's defence against lock-out abuse): a browser that has signed in to an
account before signs in to it still while strangers' wrong guesses have it locked out.

Five wrong passwords lock an account for 15 minutes (`accounts`). Anyone who knows a member of
staff's email address could keep them locked out all day that way. So each successful sign-in
leaves a random token in a cookie of its own (its SHA-256 in the database): a sign-in that
brings a token of the account is counted against that browser alone, which the account's lock
does not stop, and which five wrong passwords lock in its turn. Strangers still get the
account's lock; a password is needed either way.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from service_builder.models import db, utcnow
from service_builder.staff.sessions import token_hash

LIFETIME = dt.timedelta(days=180)
KEPT_PER_ACCOUNT = 10
"""The newest browsers an account is known on; older ones are forgotten as new ones come."""


class StaffDevice(db.Model):  # type: ignore[name-defined]
    """A browser that signed in to the account, with its own count of wrong passwords."""

    __tablename__ = "staff_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    failed_sign_ins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]


def known(user_id: int, token: str | None) -> int | None:
    """The id of the browser the cookie's token names, when it signed in to this account
    within LIFETIME; None otherwise (no cookie, another account's, forgotten, forged)."""
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(StaffDevice.id).where(
            StaffDevice.token_hash == token_hash(token),
            StaffDevice.staff_user_id == user_id,
            StaffDevice.created_at > utcnow() - LIFETIME,
        )
    )


def remember(user_id: int) -> str:
    """A new browser for the account; the token for its cookie. The account's browsers older
    than LIFETIME, or beyond the newest KEPT_PER_ACCOUNT, are forgotten."""
    token = secrets.token_urlsafe(32)
    db.session.add(StaffDevice(token_hash=token_hash(token), staff_user_id=user_id))
    db.session.flush()
    newest = (
        select(StaffDevice.id)
        .where(StaffDevice.staff_user_id == user_id, StaffDevice.created_at > utcnow() - LIFETIME)
        .order_by(StaffDevice.created_at.desc(), StaffDevice.id.desc())
        .limit(KEPT_PER_ACCOUNT)
    )
    kept = list(db.session.scalars(newest))
    db.session.execute(
        delete(StaffDevice).where(StaffDevice.staff_user_id == user_id, StaffDevice.id.not_in(kept))
    )
    db.session.commit()
    return token


def forget_all(user_id: int) -> None:
    """A new password, or a disabled account: no browser keeps a standing of its own."""
    db.session.execute(delete(StaffDevice).where(StaffDevice.staff_user_id == user_id))
    db.session.commit()
