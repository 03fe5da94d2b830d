"""The payments table: each GOV.UK Pay payment a draft started, and where it got to."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from service_builder.models import db, utcnow

LIVE = frozenset({"created", "started", "submitted", "capturable"})
"""Pay's states in which the resident may still finish paying."""
FINISHED_UNPAID = frozenset({"failed", "cancelled", "error"})
SUPERSEDED = "superseded"
"""Ours, not Pay's: the answers changed the amount, so a new payment replaced this one."""
LIVE_CONDITION = text(f"status IN ({', '.join(repr(status) for status in sorted(LIVE))})")
"""The rows the one-live-payment-per-draft index covers (a partial unique index)."""


class Payment(db.Model):  # type: ignore[name-defined]
    """One attempt to pay for a draft. The draft's latest row is the one that counts; the
    token in the return URL finds the row, so the URL cannot be guessed or reused for
    another draft."""

    __tablename__ = "payments"
    __table_args__ = (
        # At most one live payment per draft, on every database: two clicks at the same
        # moment cannot both start a payment at Pay (flow.start_payment inserts the row,
        # and so claims this, before asking Pay for the payment).
        Index(
            "uq_payments_live_draft",
            "draft_id",
            unique=True,
            sqlite_where=LIVE_CONDITION,
            postgresql_where=LIVE_CONDITION,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("drafts.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    pay_id: Mapped[str | None] = mapped_column(String(64))
    """GOV.UK Pay's payment_id (none until Pay has answered)."""
    reference: Mapped[str] = mapped_column(String(40))
    """Ours, sent to Pay as `reference`: what finance teams reconcile with."""
    amount: Mapped[int]
    """In pence."""
    status: Mapped[str] = mapped_column(String(20), default="created")
    next_url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
