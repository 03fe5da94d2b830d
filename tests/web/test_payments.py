"""Paying services over HTTP, against a real stand-in of GOV.UK Pay on 127.0.0.1: success,
decline, cancel, coming back early or twice, a new amount after Back, no key, Welsh, the
export, case, printout and webhook, and assisted mode's payment by phone."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from service_builder.catalog import Catalog
from service_builder.deliveries import Delivery
from service_builder.exports import stream_csv, stream_json
from service_builder.models import AuditEvent, Submission, db, utcnow
from service_builder.payments.models import Payment
from service_builder.payments.stand_in import PayStandIn, pay_stand_in
from service_builder.staff.accounts import save_user
from tests.conftest import app_for, make_app, serving
from tests.web.walker import on_page

BASE = "/paying"
PASSWORD = "correct horse battery"


@pytest.fixture
def pay() -> Iterator[PayStandIn]:
    with pay_stand_in() as stand_in:
        yield stand_in


@pytest.fixture
def paying_app(definitions_dir: Path, pay: PayStandIn) -> Iterator[Flask]:
    with serving(
        definitions_dir, "paying.yaml", PAY_API_KEY=pay.api_key, PAY_BASE_URL=pay.url
    ) as app:
        yield app


@pytest.fixture
def web(paying_app: Flask) -> FlaskClient:
    return paying_app.test_client()


def answer(client: FlaskClient, size: str = "small", lang: str = "") -> None:
    query = f"?lang={lang}" if lang else ""
    client.get(f"{BASE}/size{query}")
    assert on_page(client.post(f"{BASE}/size", data={"size": size}).location) == f"{BASE}/name"
    sent = client.post(f"{BASE}/name", data={"full_name": "Pat Payer"})
    assert on_page(sent.location) == f"{BASE}/check-answers"


def to_pay(client: FlaskClient) -> str:
    """Send from check-your-answers: the next_url at Pay."""
    response = client.post(f"{BASE}/check-answers")
    assert response.status_code == 302, response.get_data(as_text=True)
    return str(response.location)


def card(next_url: str, outcome: str) -> str:
    """The resident on Pay's card page: pay, be declined or cancel; returns the return_url."""
    assert requests.get(next_url, timeout=5).status_code == 200
    response = requests.post(next_url, data={"outcome": outcome}, allow_redirects=False, timeout=5)
    assert response.status_code == 303
    return str(response.headers["Location"])


def path(url: str) -> str:
    return urlsplit(url).path


def submissions(app: Flask) -> list[Submission]:
    with app.app_context():
        found = list(db.session.scalars(select(Submission)))
        for submission in found:
            db.session.expunge(submission)
        return found


def test_check_answers_shows_the_amount_and_sends_to_pay(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web)
    html = web.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert "£25" in html and "Permit fee" in html and "Continue to payment" in html
    assert "You cannot pay for this service online" not in html  # payments are on
    next_url = to_pay(web)
    assert next_url.startswith(pay.url + "/secure/")
    (payment,) = pay.payments.values()
    assert payment["amount"] == 2500
    assert payment["description"] == "Permit fee"
    assert payment["language"] == "en"
    assert payment["metadata"] == {"service": "paying"}
    assert payment["reference"].startswith("PAY-")
    return_url = urlsplit(payment["return_url"])
    assert return_url.scheme == "http" and return_url.path.startswith(f"{BASE}/payment/")
    assert len(return_url.path.rsplit("/", 1)[1]) >= 40  # unguessable
    assert submissions(paying_app) == []  # nothing is sent before Pay says so


def test_a_successful_payment_sends_the_form_once(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web)
    return_url = card(to_pay(web), "succeed")
    back = web.get(path(return_url))
    assert on_page(back.location) == f"{BASE}/confirmation"
    again = web.get(path(return_url))  # a second return (refresh, or Back)
    assert on_page(again.location) == f"{BASE}/confirmation"
    (submission,) = submissions(paying_app)
    (paid,) = pay.payments.values()
    assert submission.payment == {
        "method": "card",
        "amount": 2500,
        "reference": paid["reference"],
        "pay_payment_id": paid["payment_id"],
        "description": "Permit fee",
    }
    assert submission.answers == {"size": "small", "full_name": "Pat Payer"}
    confirmation = web.get(f"{BASE}/confirmation").get_data(as_text=True)
    assert submission.reference in confirmation
    assert f"You paid £25. Your payment reference is {paid['reference']}." in confirmation
    assert on_page(web.post(f"{BASE}/check-answers").location) == f"{BASE}/confirmation"
    assert len(pay.payments) == 1 and len(submissions(paying_app)) == 1


def test_the_return_url_works_without_the_session_and_only_for_its_service(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web)
    return_url = path(card(to_pay(web), "succeed"))
    assert web.get(f"{BASE}/payment/not-a-token").status_code == 404
    assert web.get(return_url.replace("/paying/", "/bilingual/")).status_code == 404
    other = paying_app.test_client()  # Pay's redirect in a browser that lost its cookie
    assert on_page(other.get(return_url).location) == f"{BASE}/confirmation"
    assert len(submissions(paying_app)) == 1


@pytest.mark.parametrize(
    ("outcome", "heading"),
    [("decline", "Your payment was declined"), ("cancel", "You cancelled your payment")],
)
def test_a_declined_or_cancelled_payment_keeps_the_answers_to_try_again(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn, outcome: str, heading: str
) -> None:
    answer(web)
    back = web.get(path(card(to_pay(web), outcome)))
    html = back.get_data(as_text=True)
    assert back.status_code == 200 and heading in html
    assert "No money has been taken" in html and "Try paying again" in html
    assert f'action="{BASE}/check-answers"' in html
    assert submissions(paying_app) == []
    assert web.get(f"{BASE}/check-answers").status_code == 200  # the answers are kept
    second = to_pay(web)  # try again: a new payment
    assert len(pay.payments) == 2
    assert web.get(path(card(second, "succeed"))).location == f"{BASE}/confirmation"
    (submission,) = submissions(paying_app)
    assert submission.payment is not None
    assert submission.payment["pay_payment_id"] == second.rsplit("/", 1)[1]


def test_pay_errors_show_an_honest_page(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web)
    next_url = to_pay(web)
    pay_id = next_url.rsplit("/", 1)[1]
    return_url = pay.payments[pay_id]["return_url"]
    pay.payments[pay_id]["state"] = {"status": "error", "finished": True, "code": "P0050"}
    html = web.get(path(return_url)).get_data(as_text=True)
    assert "Sorry, there is a problem with the payment" in html and "Try paying again" in html
    assert submissions(paying_app) == []


def test_coming_back_before_paying_offers_to_check_again(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web)
    next_url = to_pay(web)
    requests.get(next_url, timeout=5)  # on the card page, not finished
    return_path = path(next(iter(pay.payments.values()))["return_url"])
    early = web.get(return_path)
    html = early.get_data(as_text=True)
    assert early.status_code == 200 and "Your payment is not finished yet" in html
    assert f'href="{return_path}"' in html  # check again
    assert f'href="{next_url}"' in html  # back to Pay
    assert submissions(paying_app) == []
    requests.post(next_url, data={"outcome": "succeed"}, allow_redirects=False, timeout=5)
    assert on_page(web.get(return_path).location) == f"{BASE}/confirmation"  # checked again: paid
    assert len(submissions(paying_app)) == 1


def test_sending_twice_or_after_back_reuses_the_live_payment(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web)
    first = to_pay(web)
    assert web.get(f"{BASE}/check-answers").status_code == 200  # Back from Pay
    assert to_pay(web) == first
    assert len(pay.payments) == 1


def test_a_new_amount_after_back_cancels_the_old_payment(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web, "small")
    old = to_pay(web)
    old_id = old.rsplit("/", 1)[1]
    old_return = path(pay.payments[old_id]["return_url"])
    changed = web.post(f"{BASE}/size?change=1", data={"size": "large"})
    assert on_page(changed.location) == f"{BASE}/check-answers"
    assert "£50" in web.get(f"{BASE}/check-answers").get_data(as_text=True)
    new = to_pay(web)
    assert new != old
    new_id = new.rsplit("/", 1)[1]
    assert pay.payments[new_id]["amount"] == 5000
    assert pay.payments[old_id]["state"]["status"] == "cancelled"  # cancelled at Pay
    stale = web.get(old_return)  # the old payment's return URL
    assert "The amount to pay changed" in stale.get_data(as_text=True)
    assert submissions(paying_app) == []
    assert web.get(path(card(new, "succeed"))).location == f"{BASE}/confirmation"
    (submission,) = submissions(paying_app)
    assert submission.payment is not None and submission.payment["amount"] == 5000
    assert submission.answers["size"] == "large"


def test_a_payment_for_answers_since_changed_does_not_send_them(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web, "small")
    return_url = card(to_pay(web), "succeed")  # paid £25 in one tab...
    web.post(f"{BASE}/size?change=1", data={"size": "large"})  # ...changed to £50 in another
    stale = web.get(path(return_url))
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "You paid £25, but your answers now cost £50" in html
    assert '<a class="govuk-link" href="/contact">Contact us</a> to get back what you paid' in html
    (payment,) = pay.payments.values()  # what they quote to get it back (a trial)
    assert f"Your payment reference is {payment['reference']}." in html
    assert submissions(paying_app) == []


def test_answers_that_cost_nothing_are_sent_without_pay(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web, "free")
    html = web.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert "Continue to payment" not in html and "Payment" not in html
    assert on_page(web.post(f"{BASE}/check-answers").location) == f"{BASE}/confirmation"
    (submission,) = submissions(paying_app)
    assert submission.payment is None and pay.payments == {}


def test_welsh_residents_pay_in_welsh(web: FlaskClient, pay: PayStandIn) -> None:
    answer(web, "large", lang="cy")
    html = web.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert "Parhau i dalu" in html and "Ffi trwydded" in html and "£50" in html
    to_pay(web)
    (payment,) = pay.payments.values()
    assert payment["language"] == "cy" and payment["description"] == "Ffi trwydded"


def test_without_a_key_a_paying_service_is_not_sent_unpaid(
    definitions_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = app_for(definitions_dir, "paying.yaml", PAY_API_KEY=None)
    assert "PAY_API_KEY is not set: paying takes payments, so residents" in caplog.text
    client = app.test_client()
    warning = "You cannot pay for this service online at the moment"
    first = client.get(f"{BASE}/", follow_redirects=True).get_data(as_text=True)
    assert warning not in first  # its rules may leave a resident nothing to pay
    fixed = (definitions_dir / "paying.yaml").read_text().replace("id: paying", "id: fixed")
    amount = fixed.index("  amount:")
    (definitions_dir / "fixed.yaml").write_text(fixed[:amount] + "  amount: 2500\n")
    every_resident_pays = make_app(definitions_dir, PAY_API_KEY=None).test_client()
    way_in = every_resident_pays.get("/fixed/", follow_redirects=True).get_data(as_text=True)
    assert warning in way_in  # said before starting (the way in: no start page here)
    answer(client)
    assert warning in client.get(f"{BASE}/check-answers").get_data(as_text=True)  # and sending
    refused = client.post(f"{BASE}/check-answers")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 503
    assert "Sorry, payments are not available at the moment" in html
    assert "we have not sent your form" in html
    assert submissions(app) == []


def test_pay_being_down_is_not_a_crash(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web)
    pay.fail_with = 500
    refused = web.post(f"{BASE}/check-answers")
    assert refused.status_code == 503
    assert "payments are not available" in refused.get_data(as_text=True)
    assert submissions(paying_app) == []
    pay.fail_with = None
    assert to_pay(web).startswith(pay.url)


def test_a_wrong_key_is_refused_by_pay(definitions_dir: Path, pay: PayStandIn) -> None:
    app = app_for(
        definitions_dir, "paying.yaml", PAY_API_KEY="api_test_wrong", PAY_BASE_URL=pay.url
    )
    client = app.test_client()
    answer(client)
    assert client.post(f"{BASE}/check-answers").status_code == 503
    assert pay.payments == {} and pay.requests  # Pay was asked, and said no


def paid_submission(web: FlaskClient, paying_app: Flask) -> Submission:
    answer(web)
    web.get(path(card(to_pay(web), "succeed")))
    (submission,) = submissions(paying_app)
    return submission


def test_the_payment_is_in_the_export_and_the_webhook_body(
    web: FlaskClient, paying_app: Flask
) -> None:
    submission = paid_submission(web, paying_app)
    with paying_app.app_context():
        service = Catalog.load(paying_app.config["SERVICE_BUILDER_DEFINITIONS"]).get("paying")
        stored = db.session.scalars(select(Submission)).all()
        (record,) = json.loads("".join(stream_json(stored)))
        assert record["payment"] == submission.payment
        rows = list(csv.reader(io.StringIO("".join(stream_csv(service, ["size"], stored)))))
        (delivery,) = db.session.scalars(select(Delivery)).all()
        body = json.loads(delivery.payload["body"])
    assert body == record  # the webhook body is the export record
    assert rows[0][-4:] == ["language", "payment_method", "payment_amount", "payment_reference"]
    assert rows[1][-3:] == ["card", "25.00", submission.payment["reference"]]  # type: ignore[index]


@pytest.fixture
def caseworker(paying_app: Flask) -> None:
    with paying_app.app_context():
        from service_builder.cases import set_teams
        from service_builder.models import StaffUser

        save_user("case@example.com", PASSWORD, "caseworker")
        save_user("agent@example.com", PASSWORD, "agent")
        user = db.session.scalar(select(StaffUser).where(StaffUser.email == "case@example.com"))
        set_teams(user, ["parking"])


def test_the_case_and_printout_show_the_payment(
    web: FlaskClient, paying_app: Flask, caseworker: None
) -> None:
    submission = paid_submission(web, paying_app)
    staff = paying_app.test_client()
    staff.post("/staff/sign-in", data={"email": "case@example.com", "password": PASSWORD})
    case = staff.get(f"/staff/cases/{submission.reference}")
    html = case.get_data(as_text=True)
    assert case.status_code == 200, html[:300]
    assert "Amount paid" in html and "£25" in html
    assert submission.payment is not None and submission.payment["reference"] in html
    assert "Online, through GOV.UK Pay" in html
    sent = staff.get(f"/staff/submissions/{submission.reference}").get_data(as_text=True)
    assert "Amount paid" in sent and submission.payment["reference"] in sent
    printed = staff.get(f"/staff/submissions/{submission.reference}/print")
    assert printed.status_code == 200
    text = printed.get_data(as_text=True)
    assert "Amount paid" in text and "£25" in text and submission.payment["reference"] in text


def test_the_inbox_finds_a_paid_case_by_its_payment_reference_or_pay_id(
    web: FlaskClient, paying_app: Flask, caseworker: None
) -> None:
    submission = paid_submission(web, paying_app)
    assert submission.payment is not None
    paid, pay_id = submission.payment["reference"], submission.payment["pay_payment_id"]
    staff = paying_app.test_client()
    staff.post("/staff/sign-in", data={"email": "case@example.com", "password": PASSWORD})
    for term in (paid, paid.lower().replace("-", " "), paid.replace("-", ""), pay_id):
        found = staff.post("/staff/cases", data={"q": term}, follow_redirects=True).get_data(
            as_text=True
        )
        assert ">1 case matches</p>" in found and submission.reference in found, term


def test_assisted_agents_record_a_payment_taken_by_phone(
    paying_app: Flask, pay: PayStandIn, caseworker: None
) -> None:
    agent = paying_app.test_client()
    agent.post("/staff/sign-in", data={"email": "agent@example.com", "password": PASSWORD})
    started = agent.post(f"/staff{BASE}/", data={"contact_channel": "phone"})
    assert on_page(started.location) == f"/staff{BASE}/size"
    agent.post(f"/staff{BASE}/size", data={"size": "large"})
    agent.post(f"/staff{BASE}/name", data={"full_name": "Pat Caller"})
    summary = agent.get(f"/staff{BASE}/check-answers").get_data(as_text=True)
    assert "£50" in summary and 'name="phone_payment_reference"' in summary
    assert "Continue to payment" not in summary
    assert "Take the payment by phone" in summary
    missing = agent.post(f"/staff{BASE}/check-answers", data={})
    assert missing.status_code == 400
    assert "Enter the card payment reference" in missing.get_data(as_text=True)
    wrong = agent.post(f"/staff{BASE}/check-answers", data={"phone_payment_reference": "=1+2"})
    assert wrong.status_code == 400 and "must be 3 to 40 characters" in wrong.get_data(as_text=True)
    sent = agent.post(f"/staff{BASE}/check-answers", data={"phone_payment_reference": "CPS-123456"})
    assert on_page(sent.location) == f"/staff{BASE}/confirmation"
    (submission,) = submissions(paying_app)
    assert submission.channel == "assisted"
    assert submission.payment == {
        "method": "phone",
        "amount": 5000,
        "reference": "CPS-123456",
        "description": "Permit fee",
    }
    assert pay.requests == []  # no redirect to Pay in assisted mode
    confirmation = agent.get(sent.location).get_data(as_text=True)
    assert "The resident paid £50. Their payment reference is CPS-123456." in confirmation
    assert "You paid" not in confirmation  # the agent reads it, not the resident
    with paying_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "payment-taken"))
        assert event is not None and event.submission_id == submission.id
        assert event.detail == "£50 by phone, card payment reference CPS-123456"
        assert db.session.scalars(select(Payment)).all() == []


def test_a_payment_taken_face_to_face_is_recorded_so(
    paying_app: Flask, pay: PayStandIn, caseworker: None
) -> None:
    """An agent's trial: a card payment taken with the card machine on a visit was recorded
    as 'By phone' on the case and in the audit trail."""
    agent = paying_app.test_client()
    agent.post("/staff/sign-in", data={"email": "agent@example.com", "password": PASSWORD})
    agent.post(f"/staff{BASE}/", data={"contact_channel": "face_to_face"})
    agent.post(f"/staff{BASE}/size", data={"size": "large"})
    agent.post(f"/staff{BASE}/name", data={"full_name": "Pat Caller"})
    sent = agent.post(f"/staff{BASE}/check-answers", data={"phone_payment_reference": "CM-77"})
    assert on_page(sent.location) == f"/staff{BASE}/confirmation"
    (submission,) = submissions(paying_app)
    with paying_app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "payment-taken"))
        assert (
            event is not None and event.detail == "£50 face to face, card payment reference CM-77"
        )
    page = agent.get(f"/staff/submissions/{submission.reference}").get_data(as_text=True)
    assert "Face to face, with the council’s card machine" in page and "By phone" not in page


def seen_on(html: str) -> str:
    """The `answers_seen` mark of a check-your-answers page's form."""
    found = re.search(r'name="answers_seen" value="([0-9a-f]+)"', html)
    assert found is not None, html[:300]
    return found.group(1)


def test_a_card_reference_typed_as_the_session_timed_out_comes_back_after_sign_in(
    paying_app: Flask, caseworker: None
) -> None:
    """Unless the answers, and so perhaps the amount, changed before the agent sent it."""
    from tests.web.test_staff import age_sessions

    agent = paying_app.test_client()
    sign_in = {"email": "agent@example.com", "password": PASSWORD}
    agent.post("/staff/sign-in", data=sign_in)
    agent.post(f"/staff{BASE}/", data={"contact_channel": "phone"})
    agent.post(f"/staff{BASE}/size", data={"size": "large"})
    agent.post(f"/staff{BASE}/name", data={"full_name": "Pat Caller"})
    summary = agent.get(f"/staff{BASE}/check-answers").get_data(as_text=True)
    for changed in (False, True):
        with paying_app.app_context():
            age_sessions(dt.timedelta(minutes=31))
        late = agent.post(
            f"/staff{BASE}/check-answers",
            data={"phone_payment_reference": "CPS-50", "answers_seen": seen_on(summary)},
        )
        assert late.location.startswith("/staff/sign-in?next="), late.location
        back = agent.post(late.location, data=sign_in).location
        assert on_page(back) == f"/staff{BASE}/check-answers"
        if changed:
            agent.post(f"/staff{BASE}/size?change=1", data={"size": "small"})
        shown = agent.get(back).get_data(as_text=True)
        assert "Check the page and send it again" in shown
        assert ('value="CPS-50"' in shown) is not changed
        assert 'value="CPS-50"' not in agent.get(back).get_data(as_text=True)  # once
    assert submissions(paying_app) == []


def test_a_payment_taken_for_answers_another_tab_has_changed_is_not_sent(
    paying_app: Flask, caseworker: None
) -> None:
    agent = paying_app.test_client()
    agent.post("/staff/sign-in", data={"email": "agent@example.com", "password": PASSWORD})
    agent.post(f"/staff{BASE}/", data={"contact_channel": "phone"})
    agent.post(f"/staff{BASE}/size", data={"size": "large"})
    agent.post(f"/staff{BASE}/name", data={"full_name": "Pat Caller"})
    first_tab = agent.get(f"/staff{BASE}/check-answers").get_data(as_text=True)
    assert "£50" in first_tab
    agent.post(f"/staff{BASE}/size?change=1", data={"size": "small"})  # the other tab: £25
    refused = agent.post(
        f"/staff{BASE}/check-answers",
        data={"phone_payment_reference": "CPS-50", "answers_seen": seen_on(first_tab)},
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409, html[:300]
    assert "The resident’s answers have changed in another tab or window" in html
    assert "Nothing has been sent" in html and "The amount to pay is now £25." in html
    assert 'value="CPS-50"' not in html  # taken for the old amount: typed again, knowingly
    assert submissions(paying_app) == []
    sent = agent.post(
        f"/staff{BASE}/check-answers",
        data={"phone_payment_reference": "CPS-25", "answers_seen": seen_on(html)},
    )
    assert on_page(sent.location) == f"/staff{BASE}/confirmation"
    (submission,) = submissions(paying_app)
    assert submission.payment is not None and submission.payment["amount"] == 2500
    # a third tab, open on the same check answers, sends with a payment of its own
    again = agent.post(
        f"/staff{BASE}/check-answers",
        data={"phone_payment_reference": "CPS-AGAIN", "answers_seen": seen_on(html)},
    )
    assert on_page(again.location) == f"/staff{BASE}/confirmation"
    told = agent.get(again.location).get_data(as_text=True)
    assert "The card payment reference CPS-AGAIN was not recorded" in told
    assert len(submissions(paying_app)) == 1


def test_residents_are_shown_answers_another_tab_has_changed_before_paying(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    answer(web, size="large")
    first_tab = web.get(f"{BASE}/check-answers").get_data(as_text=True)
    web.post(f"{BASE}/name?change=1", data={"full_name": "Sam Other"})
    refused = web.post(f"{BASE}/check-answers", data={"answers_seen": seen_on(first_tab)})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "Your answers have changed in another tab" in html
    assert "Sam Other" in html and pay.requests == []
    assert urlsplit(to_pay(web)).path  # a form without the mark is taken, as the contract's


@pytest.mark.parametrize(
    ("channel", "instruction"),
    [
        ("face_to_face", "Take the payment with the council’s card machine"),
        ("letter_or_email", "Call the resident to take the payment"),
    ],
)
def test_the_agent_is_told_how_to_take_the_payment_for_how_the_resident_made_contact(
    paying_app: Flask, caseworker: None, channel: str, instruction: str
) -> None:
    agent = paying_app.test_client()
    agent.post("/staff/sign-in", data={"email": "agent@example.com", "password": PASSWORD})
    agent.post(f"/staff{BASE}/", data={"contact_channel": channel})
    agent.post(f"/staff{BASE}/size", data={"size": "large"})
    agent.post(f"/staff{BASE}/name", data={"full_name": "Pat Caller"})
    summary = agent.get(f"/staff{BASE}/check-answers").get_data(as_text=True)
    assert instruction in summary and "by phone" not in summary


def test_purging_an_abandoned_draft_removes_its_payments(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    import datetime as dt

    from service_builder.models import Draft
    from service_builder.retention import purge

    answer(web)
    to_pay(web)
    with paying_app.app_context():
        catalog = paying_app.extensions["service_builder"].catalog
        later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=2)
        assert purge(catalog, paying_app.config, now=later).drafts == 1
        assert db.session.scalars(select(Payment)).all() == []
        assert db.session.scalars(select(Draft)).all() == []


def test_a_return_address_from_long_ago_no_longer_opens_the_draft_elsewhere(
    web: FlaskClient, paying_app: Flask, pay: PayStandIn
) -> None:
    """Pay ends a payment 90 minutes after it starts: a return hours later comes from a
    browser's history, and gives a stranger with that browser neither the reference nor
    the answers."""
    answer(web)
    return_url = path(card(to_pay(web), "succeed"))
    assert on_page(web.get(return_url).location) == f"{BASE}/confirmation"
    with paying_app.app_context():
        db.session.execute(update(Payment).values(created_at=utcnow() - dt.timedelta(hours=4)))
        db.session.commit()
    assert (
        on_page(web.get(return_url).location) == f"{BASE}/confirmation"
    )  # the same browser: as before
    stranger = paying_app.test_client()
    assert on_page(stranger.get(return_url).location) == f"{BASE}/"  # the service's first step
    assert on_page(stranger.get(f"{BASE}/confirmation").location) == f"{BASE}/"
