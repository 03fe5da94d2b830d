"""Page states of paying services: GOV.UK Pay's outcomes for residents, the phone payment
field for agents. The sweep's server plays the resident on the Pay stand-in's card page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from service_builder.definitions import Service
from service_builder.definitions.payment import amount_due
from service_builder.explorer import Route
from service_builder.payments.phone import PHONE_PAYMENT_FIELD

if TYPE_CHECKING:
    from accessibility.plan import Action, PageState

PAY_AT_STAND_IN = "/__a11y__/pay"
"""accessibility.server: `…/{service}/{outcome}` pays, declines, cancels or waits at the
stand-in for the browser's latest payment, then follows Pay back to the service."""
PHONE_REFERENCE = "CPS-123456"


def costs(service: Service, route: Route) -> int:
    return amount_due(service, route.answers) if service.payment else 0


def payment_actions(
    service: Service,
    base: str,
    staff: bool,
    send_fields: tuple[tuple[str, str], ...],
    state: Callable[..., PageState],
) -> list[Action]:
    """From check-your-answers of a route that costs something, to the confirmation."""
    from accessibility.plan import Action  # at run time: plan imports this module

    summary = f"{base}/check-answers"
    confirmation = f"{base}/confirmation"
    if staff:
        return [
            Action(
                "submit",
                summary,
                send_fields,
                check=state(summary, None, "check-answers", "card payment reference missing"),
                expect_status=400,
            ),
            Action(
                "submit",
                summary,
                (*send_fields, (PHONE_PAYMENT_FIELD, PHONE_REFERENCE)),
                check=state(confirmation, None, "confirmation", "paid by phone"),
            ),
        ]
    pay = f"{PAY_AT_STAND_IN}/{service.id}"
    actions: list[Action] = []
    for outcome, note in (
        ("wait", "payment: not finished yet"),
        ("decline", "payment: declined"),
        ("cancel", "payment: cancelled"),
    ):
        actions += [
            Action("fetch", summary, send_fields, expect_status=302),
            Action("get", f"{pay}/{outcome}", check=state(summary, None, "content", note)),
        ]
    actions += [
        Action("fetch", summary, send_fields, expect_status=302),
        Action("get", f"{pay}/succeed", check=state(confirmation, None, "confirmation", "paid")),
    ]
    return actions
