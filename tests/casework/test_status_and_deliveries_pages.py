"""The resident's /status page and the admin's /admin/deliveries page over HTTP."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from service_builder.deliveries import Delivery
from service_builder.models import db, utcnow
from service_builder.staff.accounts import save_user
from service_builder.web.limits import limiter
from service_builder.web.status import NOT_FOUND
from tests.casework.conftest import PASSWORD, send_pothole, staff
from tests.conftest import empty_database, make_app
from tests.html_checks import parse_page


def check(client: FlaskClient, reference: str, given: str) -> tuple[int, str]:
    response = client.post("/status", data={"reference": reference, "email_or_postcode": given})
    return response.status_code, response.get_data(as_text=True)


def without_nonce(html: str) -> str:
    """The page without what differs on every request (script nonce, CSRF token's time)."""
    html = re.sub(r'nonce="[^"]+"', "", html)
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_a_resident_sees_the_status_with_the_email_or_the_postcode(
    app: Flask, client: FlaskClient
) -> None:
    reference = send_pothole(client, email="ada@example.com", postcode="SW1A 1AA")
    form = client.get(f"/status?reference={reference}").get_data(as_text=True)
    assert "<title>Check the progress of your form" in form  # as the confirmation's link
    assert 'name="reference"' in form and 'name="email_or_postcode"' in form
    assert f'value="{reference}"' in form
    typed = (reference.lower(), reference.replace("-", " "), reference.replace("-", ""))
    for as_typed, given in zip(
        typed * 2, ("ada@example.com", " ADA@Example.com ", "sw1a1aa", "SW1A 1AA"), strict=False
    ):
        status, page = check(client, as_typed, given)
        assert status == 200, given
        assert "Your case: received" in page and reference in page
        assert "<title>Your case: received" in page  # the title as the h1 (GOV.UK)
        assert "Ada" not in page  # no answers shown


def test_a_wrong_reference_and_a_wrong_check_get_the_same_answer(
    app: Flask, client: FlaskClient
) -> None:
    reference = send_pothole(client)
    wrong_check = check(client, reference, "someone@example.com")
    wrong_reference = check(client, "POT-AAAA-AAAA", "ada@example.com")
    name_is_no_check = check(client, reference, "Ada Lovelace")
    assert wrong_check[0] == wrong_reference[0] == name_is_no_check[0] == 400
    assert NOT_FOUND in wrong_check[1]
    same = wrong_reference[1].replace("POT-AAAA-AAAA", reference)
    same = same.replace('value="ada@example.com"', 'value="someone@example.com"')
    assert without_nonce(wrong_check[1]) == without_nonce(same)
    blank = check(client, "", "")
    assert blank[0] == 400 and "Enter your reference number" in blank[1]


def test_status_checks_are_rate_limited(casework_dir: Path) -> None:
    app = make_app(casework_dir)
    empty_database(app)
    with app.app_context():
        limiter.reset()
    client = app.test_client()
    reference = send_pothole(client, email="ada@example.com")
    found = [check(client, reference, "ada@example.com")[0] for _ in range(12)]
    assert found == [200] * 12  # a check that finds the case does not count
    codes = [check(client, "POT-AAAA-AAAA", "x@example.com")[0] for _ in range(11)]
    assert codes[:10] == [400] * 10
    assert codes[10] == 429
    assert client.get("/status").status_code == 200  # reading the form is not limited
    with app.app_context():
        limiter.reset()
    empty_database(app)


def test_admins_see_pending_and_failed_deliveries_and_retry_them(
    app: Flask, client: FlaskClient
) -> None:
    reference = send_pothole(client)
    with app.app_context():
        hook = db.session.scalar(select(Delivery).where(Delivery.purpose == "webhook"))
        assert hook is not None
        hook.status, hook.attempts, hook.last_error = "failed", 19, "the receiver answered 500"
        hook.next_attempt_at = utcnow().replace(year=2030)
        hook_id = hook.id
        db.session.commit()
    agent = staff(app, "agent@council.example", "agent", ("highways",))
    assert agent.get("/admin/deliveries").status_code == 403
    assert agent.post(f"/admin/deliveries/{hook_id}/retry").status_code == 403
    admin = staff(app, "admin@council.example", "admin")
    page = admin.get("/admin/deliveries").get_data(as_text=True)
    assert "the receiver answered 500" in page
    assert f'<a class="govuk-link" href="/staff/cases/{reference}">{reference}</a>' in page
    assert "Confirmation email" in page and "Failed" in page
    retried = admin.post(f"/admin/deliveries/{hook_id}/retry")
    assert retried.status_code == 302
    with app.app_context():
        hook = db.session.get(Delivery, hook_id)
        assert hook is not None and hook.status == "pending" and hook.next_attempt_at <= utcnow()
    assert admin.post("/admin/deliveries/999999/retry").status_code == 404


def test_admins_are_warned_when_deliveries_wait_untried_as_no_worker_is_running(
    app: Flask, client: FlaskClient
) -> None:
    send_pothole(client)  # a webhook and two emails, due now
    admin = staff(app, "admin@council.example", "admin")
    warning = "The delivery worker may not be running"
    assert warning not in admin.get("/admin/deliveries").get_data(as_text=True)  # just due
    with app.app_context():
        owed = db.session.scalars(select(Delivery).order_by(Delivery.id)).all()
        for delivery in owed:
            delivery.next_attempt_at = utcnow() - dt.timedelta(minutes=6)
        owed[0].claimed_until = utcnow() + dt.timedelta(minutes=4)  # a live worker's
        db.session.commit()
    page = admin.get("/admin/deliveries").get_data(as_text=True)
    assert warning in page and "2 deliveries have been due since" in page
    parse_page(page)
    with app.app_context():
        for delivery in owed[1:]:  # a worker took them, and they wait for their retry
            db.session.merge(delivery).next_attempt_at = utcnow() + dt.timedelta(seconds=30)
        db.session.commit()
    assert warning not in admin.get("/admin/deliveries").get_data(as_text=True)


def test_retry_needs_the_csrf_token(casework_dir: Path) -> None:
    app = make_app(casework_dir, WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    empty_database(app)
    with app.app_context():
        save_user("admin@council.example", PASSWORD, "admin")
    admin = app.test_client()
    form = admin.get("/staff/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token
    signed_in = admin.post(
        "/staff/sign-in",
        data={"email": "admin@council.example", "password": PASSWORD, "csrf_token": token[1]},
    )
    assert signed_in.status_code == 302
    assert admin.post("/admin/deliveries/1/retry").status_code == 400
    empty_database(app)


@pytest.mark.parametrize("url", ["/staff/cases", "/staff/cases/POT-AAAA-AAAA", "/admin/deliveries"])
def test_staff_pages_need_sign_in(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("number", ["2147483648", "99999999999", "99999999999999999999"])
def test_a_delivery_number_beyond_the_databases_integers_is_not_found(
    app: Flask, number: str
) -> None:
    admin = staff(app, "admin@council.example", "admin")
    assert admin.post(f"/admin/deliveries/{number}/retry").status_code == 404
    routes = app.url_map.bind("localhost")
    with pytest.raises(NotFound):  # PostgreSQL refuses the number; SQLite finds no row
        routes.match(f"/admin/deliveries/{number}/retry", method="POST")
    assert (
        routes.match("/admin/deliveries/2147483647/retry", method="POST")[0] == "deliveries.retry"
    )


def test_the_confirmation_page_links_to_the_status_page_when_it_can_find_the_case(
    app: Flask, client: FlaskClient
) -> None:
    from service_builder.cases import status_keys

    reference = send_pothole(client, email="ada@example.com", postcode="SW1A 1AA")
    page = client.get("/report-a-pothole/confirmation").get_data(as_text=True)
    assert f'href="/status?reference={reference}">Check the progress of your form</a>' in page
    service = app.extensions["service_builder"].catalog.get("report-a-pothole")
    assert status_keys(service, {"email": "Ada@Example.com", "postcode": "SW1A 1AA"}) == {
        "ada@example.com",
        "sw1a1aa",
    }
    assert status_keys(service, {"full_name": "Ada"}) == set()  # then no link: nothing finds it
