"""A draft's payment: start one (or reuse the live one), and read where it got to.

Idempotent per draft: a second click, or Back and send again, reuses the live payment when
the amount is unchanged; a new amount (the answers changed) cancels the old payment at Pay
and starts another, so a stale amount is never what gets the form sent.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service_builder.models import Draft, db
from service_builder.payments.models import LIVE, SUPERSEDED, Payment
from service_builder.payments.pay import PayClient, PayError
from service_builder.references import new_reference

log = logging.getLogger(__name__)
PAY_REFERENCE_PREFIX = "PAY"
PAID = frozenset({"success"})
CLAIM_ATTEMPTS = 3


def latest_payment(draft: Draft) -> Payment | None:
    return db.session.scalar(
        select(Payment).where(Payment.draft_id == draft.id).order_by(Payment.id.desc()).limit(1)
    )


def find_payment(token: str) -> Payment | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Payment).where(Payment.token == token))


def start_payment(
    draft: Draft,
    amount: int,
    client: PayClient,
    return_url: Callable[[str], str],
    **details: Any,
) -> Payment:
    """The payment the resident should go on with: the draft's live one for this amount, or
    a new one. `details` are Pay's description, language, email and metadata.

    Two requests at once (a double click) start one payment between them, on every
    database: the new row is inserted before Pay is asked, and the payments table allows one
    live payment per draft (a partial unique index). The second request's insert waits for
    the first request's transaction (PostgreSQL: the row lock below, or the index entry;
    SQLite: its one write lock), then fails, and it goes on with the first one's payment."""
    for _attempt in range(CLAIM_ATTEMPTS):
        current = _reusable(draft, amount, client)
        if current is not None:
            return current
        payment = Payment(
            draft_id=draft.id,
            token=secrets.token_urlsafe(32),
            reference=new_reference(PAY_REFERENCE_PREFIX),
            amount=amount,
            status="created",
        )
        db.session.add(payment)
        try:
            db.session.flush()  # claims the draft's one live payment, or waits for who did
        except IntegrityError:
            db.session.rollback()  # another request started one: go on with it
            continue
        try:
            state = client.create(
                amount, payment.reference, return_url=return_url(payment.token), **details
            )
        except PayError:
            db.session.rollback()  # the claim goes too: a later click may try again
            raise
        payment.pay_id, payment.status = state.pay_id, state.status
        payment.next_url = state.next_url
        db.session.commit()
        log.info("payment %s started: %d pence", payment.reference, amount)
        return payment
    raise PayError("the draft's payment kept changing while starting one")


def _reusable(draft: Draft, amount: int, client: PayClient) -> Payment | None:
    """The draft's live (or paid) payment for this amount; otherwise none, a live one for
    another amount having been superseded (one payment per draft may be live)."""
    # Hold the draft's row (PostgreSQL) so two clicks at once wait for each other here.
    db.session.execute(select(Draft.id).where(Draft.id == draft.id).with_for_update())
    current = latest_payment(draft)
    if current is not None and current.amount == amount and current.status in LIVE | PAID:
        refresh(current, client)
        if current.status in PAID or (current.status in LIVE and current.next_url):
            return current
    if current is not None and current.status in LIVE:
        supersede(current, client)
    return None


def supersede(payment: Payment, client: PayClient) -> None:
    """The answers now cost something else: cancel the old payment where Pay still can."""
    if payment.pay_id and not client.cancel(payment.pay_id):
        refresh(payment, client)
        if payment.status == "success":
            # Paid already, for the old answers: kept as it is, for the council to refund.
            log.warning("payment %s succeeded for answers since changed", payment.reference)
            return
    payment.status = SUPERSEDED
    db.session.commit()


def refresh(payment: Payment, client: PayClient) -> Payment:
    """Ask Pay where the payment got to; a payment we superseded stays superseded."""
    if payment.pay_id is None or payment.status == SUPERSEDED:
        return payment
    state = client.get(payment.pay_id)
    payment.status = state.status
    if state.next_url:
        payment.next_url = state.next_url
    db.session.commit()
    return payment


def card_record(payment: Payment, description: str) -> dict[str, Any]:
    """What a submission stores (and the export shows) of a card payment through Pay."""
    return {
        "method": "card",
        "amount": payment.amount,
        "reference": payment.reference,
        "pay_payment_id": payment.pay_id,
        "description": description,
    }


def phone_record(amount: int, reference: str, description: str) -> dict[str, Any]:
    """A payment staff took by phone, through the council's own card payment system."""
    return {
        "method": "phone",
        "amount": amount,
        "reference": reference,
        "description": description,
    }
