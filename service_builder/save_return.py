"""Save and come back later: single-use links that bring a resident's draft back, by email.

Only hashes are stored: the link's token as SHA-256 (it is random, so that is enough) and
the email address as a salted SHA-256 of its lower-case form, compared in constant time.
The delivery that sends the link holds it only until Notify has accepted it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service_builder import deliveries  # the module: it may still be loading (it imports us)
from service_builder.definitions import Service
from service_builder.models import Draft, db, utcnow

LIFETIME = dt.timedelta(days=28)
"""How long saved answers are kept, from saving (GOV.UK's pattern); SAVE_AND_RETURN_LIFETIME."""
PURPOSE = "save"


class ReturnLink(db.Model):  # type: ignore[name-defined]
    """One emailed link back to a saved draft: usable once, until it expires."""

    __tablename__ = "return_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    service_id: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email_salt: Mapped[str] = mapped_column(String(32))
    email_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
    used_at: Mapped[dt.datetime | None]

    draft: Mapped[Draft] = relationship()

    def usable(self, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.used_at is None and self.expires_at > now and not self.draft.submitted

    def matches(self, email: str) -> bool:
        given = email_digest(self.email_salt, email)
        return hmac.compare_digest(given.encode(), self.email_hash.encode())


def lifetime(config: Mapping[str, Any] | None = None) -> dt.timedelta:
    value = (config or {}).get("SAVE_AND_RETURN_LIFETIME", LIFETIME)
    return value if isinstance(value, dt.timedelta) else LIFETIME


def token_digest(token: str) -> str:
    return hashlib.sha256(f"return-link:{token}".encode()).hexdigest()


def email_digest(salt: str, email: str) -> str:
    return hashlib.sha256(f"{salt}:{email.strip().lower()}".encode()).hexdigest()


@dataclass(frozen=True)
class Saved:
    link: ReturnLink
    token: str


def save_for_later(draft: Draft, email: str, keep_for: dt.timedelta) -> Saved:
    """A new link for the draft (any earlier unused one stops working), not yet committed.
    The draft gets a new token too: a copy of a cookie from before the save no longer finds
    it, so only the link (and the email address) brings it back."""
    now = utcnow()
    draft.token = secrets.token_urlsafe(32)
    db.session.execute(
        update(ReturnLink)
        .where(ReturnLink.draft_id == draft.id, ReturnLink.used_at.is_(None))
        .values(used_at=now),
        execution_options={"synchronize_session": False},
    )
    token = secrets.token_urlsafe(32)
    salt = secrets.token_hex(16)
    link = ReturnLink(
        draft_id=draft.id,
        service_id=draft.service_id,
        token_hash=token_digest(token),
        email_salt=salt,
        email_hash=email_digest(salt, email),
        created_at=now,
        expires_at=now + keep_for,
    )
    db.session.add(link)
    return Saved(link, token)


def queue_link_email(
    draft: Draft, service: Service, email: str, link_url: str, expiry_date: str
) -> deliveries.Delivery:
    """The Notify email with the link, sent by the worker (in the caller's transaction)."""
    assert service.notify is not None and service.notify.save_template
    payload = {
        "template_id": service.notify.save_template,
        "email_address": email.strip(),
        "personalisation": {
            "link": link_url,
            "service_title": service.title,
            "expiry_date": expiry_date,
            "language": service.language,
        },
    }
    delivery = deliveries.Delivery(draft_id=draft.id, purpose=PURPOSE, payload=payload)
    db.session.add(delivery)
    return delivery


def find_link(token: str, service: Service) -> ReturnLink | None:
    if not token or len(token) > 100:
        return None
    return db.session.scalar(
        select(ReturnLink).where(
            ReturnLink.token_hash == token_digest(token), ReturnLink.service_id == service.id
        )
    )


def use(link: ReturnLink) -> bool:
    """Spend the link, once: False when another request spent it first."""
    now = utcnow()
    spent = db.session.execute(
        update(ReturnLink)
        .where(ReturnLink.id == link.id, ReturnLink.used_at.is_(None))
        .values(used_at=now),
        execution_options={"synchronize_session": False},
    )
    if getattr(spent, "rowcount", 0) != 1:
        db.session.rollback()
        return False
    # the draft is fresh again: the resident's usual draft lifetime counts from now, and
    # its new token is only in the cookie of the browser that used the link
    db.session.execute(
        update(Draft)
        .where(Draft.id == link.draft_id)
        .values(updated_at=now, token=secrets.token_urlsafe(32)),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return True


def kept_draft_ids(now: dt.datetime) -> Any:
    """Drafts with a live link (a subquery): `purge` keeps them whatever their age."""
    return select(ReturnLink.draft_id).where(
        ReturnLink.used_at.is_(None), ReturnLink.expires_at > now
    )
