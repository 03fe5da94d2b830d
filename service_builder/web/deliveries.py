"""The admin's view of deliveries: what is pending or failed, with the last error, and retry."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from service_builder import deliveries
from service_builder.deliveries import Delivery
from service_builder.models import LARGEST_ID, db
from service_builder.staff.auth import require_role

blueprint = Blueprint("deliveries", __name__, url_prefix="/admin/deliveries")
blueprint.before_request(require_role("admin"))


@blueprint.get("")
def waiting() -> str:
    return render_template(
        "admin/deliveries.html",
        waiting=deliveries.waiting(),
        overdue=deliveries.overdue(),
        notice=request.args.get("retried"),
    )


@blueprint.post(f"/<int(max={LARGEST_ID}):delivery_id>/retry")  # larger: no such delivery
def retry(delivery_id: int) -> Response:
    delivery = db.session.get(Delivery, delivery_id) or abort(404)
    if delivery.status not in (deliveries.PENDING, deliveries.FAILED):
        abort(404)
    deliveries.retry_now(delivery)
    return redirect(url_for("deliveries.waiting", retried=str(delivery.id)))
