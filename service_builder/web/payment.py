"""The resident's runner with GOV.UK Pay between check-your-answers and the confirmation.

Sending a paying service creates (or reuses) a Pay payment and sends the resident to Pay.
Pay sends them back to /{service}/payment/{token}, where the token (one per payment, not
guessable) finds the payment; only Pay's `success` stores the submission, once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import abort, current_app, redirect, render_template, url_for

from service_builder.definitions import Service
from service_builder.definitions.payment import always_charges, amount_due, in_pounds
from service_builder.journey import Journey
from service_builder.links import external_url
from service_builder.models import Draft, db, utcnow
from service_builder.payments.flow import card_record, find_payment, refresh, start_payment
from service_builder.payments.models import LIVE, SUPERSEDED, Payment
from service_builder.payments.pay import PayError, client_from
from service_builder.web.runner import JourneyRunner, View

log = logging.getLogger(__name__)
RETURN_WINDOW = dt.timedelta(hours=3)
"""GOV.UK Pay ends a payment 90 minutes after it starts. Later, the return address opens the
draft only in the browser already working on it: anywhere else it came from a history."""


class PayingRunner(JourneyRunner):
    """The resident's runner: a service with a `payment` is paid for before it is sent."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.blueprint.add_url_rule(
            "/<service_id>/payment/<token>", "payment_return", self.payment_return
        )
        self.blueprint.add_app_template_filter(in_pounds, "pounds")

    def context(self, service: Service, draft: Draft | None) -> dict[str, Any]:
        """`payments_off`: the service takes payments, which are off here (no `PAY_API_KEY`):
        check your answers says so to a resident whose answers cost something. `cannot_pay`:
        and every resident pays, so the way in says so before they start."""
        spec = service.payment
        off = spec is not None and client_from(current_app.config) is None
        return {
            **super().context(service, draft),
            "payments_off": off,
            "cannot_pay": off and spec is not None and always_charges(spec),
        }

    def send(self, draft: Draft, journey: Journey, **fields: Any) -> View:
        service = journey.service
        amount = amount_due(service, journey.answers) if service.payment else 0
        if not amount:
            return super().send(draft, journey, **fields)
        client = client_from(current_app.config)
        if client is None:
            log.warning("service %s takes payments but PAY_API_KEY is not set", service.id)
            return self.outcome(service, "unavailable", 503)
        try:
            payment = start_payment(
                draft,
                amount,
                client,
                lambda token: self.return_url(service, token),
                **self.pay_details(service, journey),
            )
        except PayError as error:
            log.warning("service %s: payment not started: %s", service.id, error)
            return self.outcome(service, "unavailable", 503)
        if payment.status == "success":  # paid already, and Back then send again
            return self.paid(draft, journey, payment)
        return redirect(payment.next_url or self.url(service, "check-answers"))

    def payment_return(self, service_id: str, token: str) -> View:
        """Where Pay sends the resident back: the payment's state decides what happens."""
        service = self.service(service_id)
        payment = find_payment(token) or abort(404)
        draft = db.session.get(Draft, payment.draft_id)
        if draft is None or draft.service_id != service.id:
            abort(404)
        if not self.holds(service, draft) and utcnow() - payment.created_at > RETURN_WINDOW:
            return redirect(self.url(service, "start"))  # from a browser's history, not Pay
        self.hold(service, draft)  # the token is the proof; the same browser usually has it
        if draft.submitted:  # a second return, or a refresh
            return redirect(self.url(service, "confirmation"))
        client = client_from(current_app.config)
        if client is None:
            return self.outcome(service, "unavailable", 503)
        try:
            refresh(payment, client)
        except PayError as error:
            log.warning("payment %s not read: %s", payment.reference, error)
            return self.outcome(service, "in-progress", 200, payment, token)
        if payment.status == "success":
            return self.paid(draft, self.journey(service, draft), payment)
        if payment.status in LIVE:
            return self.outcome(service, "in-progress", 200, payment, token)
        kind = payment.status if payment.status in ("failed", "cancelled") else "error"
        return self.outcome(service, "changed" if payment.status == SUPERSEDED else kind)

    def paid(self, draft: Draft, journey: Journey, payment: Payment) -> View:
        """Send the form with its payment, unless the answers changed what it costs."""
        service = journey.service
        if not journey.complete:
            return redirect(self.url(service, journey.next_step))
        due = amount_due(service, journey.answers)
        if due != payment.amount:
            log.warning("payment %s is for answers since changed", payment.reference)
            return self.outcome(service, "changed", 409, payment, due=due)
        record = card_record(payment, service.payment.description if service.payment else "")
        return super().send(draft, journey, payment=record)

    def outcome(
        self,
        service: Service,
        kind: str,
        status: int = 200,
        payment: Payment | None = None,
        token: str | None = None,
        due: int | None = None,
    ) -> tuple[str, int]:
        """One page for each way a payment can fail to finish; the answers are kept."""
        html = render_template(
            "payments/outcome.html",
            kind=kind,
            payment=payment,
            paid=in_pounds(payment.amount) if payment else "",
            due=in_pounds(due) if due is not None else "",
            check_again_url=self.return_url(service, token, external=False) if token else None,
            check_answers_url=self.url(service, "check-answers"),
            **self.context(service, None),
        )
        return html, status

    def return_url(self, service: Service, token: str, external: bool = True) -> str:
        endpoint = f"{self.name}.payment_return"
        values: dict[str, Any] = {"service_id": service.id, "token": token}
        return external_url(endpoint, **values) if external else url_for(endpoint, **values)

    @staticmethod
    def pay_details(service: Service, journey: Journey) -> dict[str, Any]:
        """What Pay shows and keeps: the description, the page language, the email to send
        Pay's receipt to (if the service asks for one) and which service it is for."""
        spec = service.payment
        email_question = service.notify.email_question if service.notify else None
        email = journey.answers.get(email_question) if email_question else None
        return {
            "description": spec.description if spec else service.title,
            "language": service.language,
            "email": email if isinstance(email, str) else None,
            "metadata": {"service": service.id},
        }
