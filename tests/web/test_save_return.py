"""Save and come back later: the button, the email through Notify, the link back, retention."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from service_builder.deliveries import Delivery
from service_builder.messages import translator
from service_builder.models import Draft, db, utcnow
from service_builder.performance.models import Event
from service_builder.retention import purge
from service_builder.save_return import ReturnLink
from service_builder.senders import Senders
from service_builder.worker import Worker
from tests.conftest import FIXTURES, empty_database, make_app
from tests.html_checks import parse_page
from tests.stand_ins import NOTIFY_API_KEY, StandIn, serve
from tests.web import test_staff
from tests.web.test_staff import sign_in
from tests.web.walker import on_page

staff = test_staff.staff

PERMIT = "/apply-parking-permit"
SAVE_TEMPLATE = "00000000-0000-4000-8000-000000000031"
ZONE = {"zone": "A"}
ADDRESS = {
    "home_address-line-1": "1 Market Street",
    "home_address-line-2": "",
    "home_address-town": "Aldermoor",
    "home_address-postcode": "AL1 2CD",
}
EMAIL = "Sam.Example@example.com"
BUTTON = "Save and come back later"


@pytest.fixture
def notify() -> Iterator[StandIn]:
    with serve(StandIn("notify")) as stand_in:
        yield stand_in


def save_on_address_page(client: FlaskClient, email: str = EMAIL) -> str:
    """Answer the zone, half-answer the address and save; the link from the email."""
    assert on_page(client.post(f"{PERMIT}/zone", data=ZONE).location) == f"{PERMIT}/home-address"
    partial = {**ADDRESS, "home_address-town": "", "save_for_later": "1"}
    saved = client.post(f"{PERMIT}/home-address", data=partial)
    assert saved.status_code == 302 and on_page(saved.location) == f"{PERMIT}/save-for-later"
    sent = client.post(f"{PERMIT}/save-for-later", data={"email": email})
    assert sent.status_code == 302 and on_page(sent.location) == f"{PERMIT}/saved"
    return link_path(client.application)


def link_path(app: Flask) -> str:
    """The resume link in the newest save email, as a path."""
    with app.app_context():
        delivery = db.session.scalar(
            select(Delivery).where(Delivery.purpose == "save").order_by(Delivery.id.desc())
        )
        assert delivery is not None
        link = delivery.payload["personalisation"]["link"]
    return re.sub(r"^https?://[^/]+", "", link)


def run_worker(app: Flask, notify: StandIn) -> int:
    environ = {"NOTIFY_API_KEY": NOTIFY_API_KEY, "NOTIFY_BASE_URL": notify.url}
    with app.app_context():
        return Worker(Senders(environ=environ)).run_once()


def test_question_pages_offer_save_only_in_services_that_opt_in(client: FlaskClient) -> None:
    page = client.get(f"{PERMIT}/zone").get_data(as_text=True)
    form = page[page.index("<main") : page.index("</main>")]
    assert form.count("<form") == 1 and 'name="save_for_later"' in form  # the page's own form
    assert BUTTON in form and "govuk-button--secondary" in form
    fly = client.get("/report-fly-tipping/").get_data(as_text=True)
    assert BUTTON not in fly
    first = client.get("/report-fly-tipping/where").get_data(as_text=True)
    assert BUTTON not in first
    assert client.get(f"{PERMIT}/save-for-later").status_code == 302  # nothing held yet
    assert client.get("/report-fly-tipping/save-for-later").status_code == 404


def test_save_keeps_valid_answers_then_emails_a_link_through_notify(
    app: Flask, client: FlaskClient, notify: StandIn
) -> None:
    assert client.post(f"{PERMIT}/zone", data=ZONE).status_code == 302
    partial = {**ADDRESS, "home_address-town": "", "save_for_later": "1"}
    assert client.post(f"{PERMIT}/home-address", data=partial).status_code == 302
    asking = client.get(f"{PERMIT}/save-for-later")
    html = asking.get_data(as_text=True)
    assert asking.status_code == 200 and 'type="email"' in html and 'autocomplete="email"' in html
    assert f'href="{PERMIT}/home-address"' in html  # Back to the page saved from
    empty = client.post(f"{PERMIT}/save-for-later", data={"email": ""})
    assert empty.status_code == 400
    assert "Error:" in empty.get_data(as_text=True)
    assert "Enter your email address" in empty.get_data(as_text=True)
    wrong = client.post(f"{PERMIT}/save-for-later", data={"email": "sam.example.com"})
    assert wrong.status_code == 400
    assert "like name@example.com" in wrong.get_data(as_text=True)
    assert 'value="sam.example.com"' in wrong.get_data(as_text=True)
    sent = client.post(f"{PERMIT}/save-for-later", data={"email": EMAIL})
    assert on_page(sent.location) == f"{PERMIT}/saved"
    expiry = utcnow().date() + dt.timedelta(days=28)
    done = client.get(f"{PERMIT}/saved").get_data(as_text=True)
    assert "Your answers have been saved" in done
    assert f"{expiry.day} {expiry:%B %Y}" in done
    assert EMAIL not in done
    # the browser no longer holds the draft: the next person at this computer starts afresh
    assert on_page(client.get(f"{PERMIT}/home-address").location) == f"{PERMIT}/zone"

    with app.app_context():
        (draft,) = db.session.scalars(select(Draft))
        assert draft.data["answers"]["zone"] == "A"
        assert "home_address" not in draft.data["answers"]  # the address had an error
        (delivery,) = db.session.scalars(select(Delivery))
        assert delivery.purpose == "save" and delivery.status == "pending"
        assert delivery.draft_id == draft.id and delivery.submission_id is None
        token = delivery.payload["personalisation"]["link"].rsplit("/", 1)[1]
        (link,) = db.session.scalars(select(ReturnLink))
        assert token not in (link.token_hash, link.email_hash) and len(token) >= 40
        assert EMAIL.lower() not in link.email_hash
        kinds = [e.kind for e in db.session.scalars(select(Event))]
        assert "saved_for_later" in kinds
    assert notify.received == []  # nothing is sent in the request

    assert run_worker(app, notify) == 1
    (request,) = notify.received
    body = request.json()
    assert request.path == "/v2/notifications/email"
    assert body["template_id"] == SAVE_TEMPLATE
    assert body["email_address"] == EMAIL
    assert body["reference"] == "saved-draft"
    personalisation = body["personalisation"]
    assert personalisation["service_title"] == "Apply for a resident parking permit"
    assert personalisation["expiry_date"] == f"{expiry.day} {expiry:%B %Y}"
    assert re.fullmatch(
        r"http://localhost/apply-parking-permit/resume/[A-Za-z0-9_-]{43}", personalisation["link"]
    )
    with app.app_context():
        (delivery,) = db.session.scalars(select(Delivery))
        assert delivery.status == "delivered"
        assert delivery.payload["personalisation"]["link"] == "(sent)"  # no copy is kept


def test_the_prefilled_email_is_the_answer_to_the_email_question(client: FlaskClient) -> None:
    client.post(f"{PERMIT}/zone", data=ZONE)
    draft_answers = {"applicant_email": "pat@example.com", "save_for_later": "1"}
    # the contact page is not on the route yet: saving there goes to the page itself
    assert (
        on_page(client.post(f"{PERMIT}/contact", data=draft_answers).location)
        == f"{PERMIT}/home-address"
    )
    for page, answers in (
        ("home-address", ADDRESS),
        ("vehicle-count", {"vehicle_count": "1"}),
        ("vehicle", {"registration": "AB12CDE", "vehicle_type": "Car"}),
        (
            "permit-start",
            {"start_date-day": "1", "start_date-month": "1", "start_date-year": "2027"},
        ),
        ("blue-badge", {"has_blue_badge": "no"}),
    ):
        assert client.post(f"{PERMIT}/{page}", data=answers).status_code == 302, page
    saved = client.post(f"{PERMIT}/contact", data=draft_answers)  # no name yet: kept, not done
    assert on_page(saved.location) == f"{PERMIT}/save-for-later"
    html = client.get(saved.location).get_data(as_text=True)
    assert 'value="pat@example.com"' in html


def test_the_right_email_brings_the_draft_back_once_in_a_fresh_browser(
    app: Flask, client: FlaskClient
) -> None:
    path = save_on_address_page(client)
    other = app.test_client()
    opened = other.get(path)
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "Carry on with your saved form" in html
    assert 'name="email"' in html and "Sam" not in html  # the address is never shown
    resumed = other.post(path, data={"email": "  sam.example@EXAMPLE.com "})
    assert resumed.status_code == 302
    assert on_page(resumed.location) == f"{PERMIT}/home-address"  # the first unanswered page
    page = other.get(resumed.location).get_data(as_text=True)
    assert 'value="1 Market Street"' in page  # typed, shown again with its error
    assert "<title>Error:" in page and "govuk-error-summary" in page
    assert other.get(f"{PERMIT}/zone").get_data(as_text=True).count("selected") >= 1
    assert (
        on_page(other.post(f"{PERMIT}/home-address", data=ADDRESS).location)
        == f"{PERMIT}/vehicle-count"
    )
    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "no longer works" in again.get_data(as_text=True)
    assert f'href="{PERMIT}/"' in again.get_data(as_text=True)  # start again
    with app.app_context():
        kinds = [e.kind for e in db.session.scalars(select(Event))]
        assert "resumed" in kinds


def save_a_complete_draft(app: Flask, client: FlaskClient) -> None:
    """Answer every page of a route, then save for later from the last one."""
    from service_builder.explorer import explore

    service = app.extensions["service_builder"].catalog.get("apply-parking-permit")
    route = next(iter(explore(service, "resident")))
    for step in route.steps:
        assert client.post(f"{PERMIT}/{step.page.id}", data=step.form()).status_code == 302
    client.post(f"{PERMIT}/contact", data={**route.steps[-1].form(), "save_for_later": "1"})
    client.post(f"{PERMIT}/save-for-later", data={"email": EMAIL})


def test_a_resumed_complete_draft_goes_to_check_your_answers(
    app: Flask, client: FlaskClient
) -> None:
    save_a_complete_draft(app, client)
    other = app.test_client()
    resumed = other.post(link_path(app), data={"email": EMAIL})
    assert on_page(resumed.location) == f"{PERMIT}/check-answers"


def test_a_wrong_email_is_refused_and_does_not_spend_the_link(
    app: Flask, client: FlaskClient
) -> None:
    path = save_on_address_page(client)
    forwarded = app.test_client()
    refused = forwarded.post(path, data={"email": "someone.else@example.com"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Error:" in html
    assert 'href="#email"' in html
    errors = parse_page(html).error_messages  # one short message, in GOV.UK's style
    assert errors == ["Enter the email address you used when you saved your answers"]
    # a forwarded link alone restores nothing
    assert on_page(forwarded.get(f"{PERMIT}/home-address").location) == f"{PERMIT}/zone"
    nothing = forwarded.post(path, data={})
    assert nothing.status_code == 400 and "Enter your email address" in nothing.get_data(
        as_text=True
    )
    assert on_page(forwarded.post(path, data={"email": EMAIL}).location) == f"{PERMIT}/home-address"


def test_a_link_expires_after_28_days_and_purge_keeps_the_draft_until_then(
    app: Flask, client: FlaskClient
) -> None:
    path = save_on_address_page(client)
    catalog = app.extensions["service_builder"].catalog
    with app.app_context():
        (link,) = db.session.scalars(select(ReturnLink))
        assert link.expires_at - link.created_at == dt.timedelta(days=28)
        # a resident draft untouched for a day is normally purged; a saved one is kept
        assert purge(catalog, now=utcnow() + dt.timedelta(days=27)).drafts == 0
        assert db.session.scalar(select(Draft)) is not None
        back = dt.timedelta(days=28, minutes=1)
        link.created_at -= back
        link.expires_at -= back
        db.session.execute(update(Draft).values(updated_at=utcnow() - back))
        db.session.commit()
    expired = app.test_client().get(path)
    assert expired.status_code == 410 and "no longer works" in expired.get_data(as_text=True)
    assert app.test_client().post(path, data={"email": EMAIL}).status_code == 410
    with app.app_context():
        assert purge(catalog).drafts == 1
        assert db.session.scalars(select(ReturnLink)).all() == []
        assert db.session.scalars(select(Delivery)).all() == []  # the email address goes too


def test_saving_again_makes_the_earlier_link_stop_working(app: Flask, client: FlaskClient) -> None:
    first = save_on_address_page(client)
    resumed = app.test_client()
    assert resumed.post(first, data={"email": EMAIL}).status_code == 302
    resumed.post(f"{PERMIT}/home-address", data={**ADDRESS, "save_for_later": "1"})
    resumed.post(f"{PERMIT}/save-for-later", data={"email": EMAIL})
    second = link_path(app)
    assert second != first
    assert app.test_client().get(first).status_code == 410
    third = app.test_client()
    assert on_page(third.post(second, data={"email": EMAIL}).location) == f"{PERMIT}/vehicle-count"


def test_an_unknown_or_mangled_link_is_honest(client: FlaskClient) -> None:
    for token in ("nothing-like-a-token", "x" * 300):
        gone = client.get(f"{PERMIT}/resume/{token}")
        assert gone.status_code == 410
    assert client.get("/report-fly-tipping/resume/abc").status_code == 404


def test_the_new_pages_in_welsh(app: Flask, client: FlaskClient) -> None:
    client.get(f"{PERMIT}/zone?lang=cy")
    client.post(f"{PERMIT}/zone", data=ZONE)
    page = client.get(f"{PERMIT}/home-address").get_data(as_text=True)
    assert BUTTON not in page and "Cadw a dod yn ôl yn nes ymlaen" in page
    client.post(f"{PERMIT}/home-address", data={**ADDRESS, "save_for_later": "1"})
    asking = client.get(f"{PERMIT}/save-for-later").get_data(as_text=True)
    assert "Cadw eich atebion a dod yn ôl yn nes ymlaen" in asking
    empty = client.post(f"{PERMIT}/save-for-later", data={"email": ""}).get_data(as_text=True)
    assert "Rhowch eich cyfeiriad e-bost" in empty and "Gwall:" in empty
    client.post(f"{PERMIT}/save-for-later", data={"email": EMAIL})
    saved = client.get(f"{PERMIT}/saved").get_data(as_text=True)
    expiry = utcnow().date() + dt.timedelta(days=28)
    assert "Mae eich atebion wedi’u cadw" in saved
    assert translator("cy").date(expiry) in saved
    path = link_path(app)
    assert path.endswith("?lang=cy")  # the link opens in the language saved in
    with app.app_context():
        delivery = db.session.scalar(select(Delivery))
        assert delivery is not None
        assert delivery.payload["personalisation"]["service_title"].startswith("Gwneud cais")
    fresh = app.test_client()
    opened = fresh.get(path).get_data(as_text=True)
    assert "Parhau â’ch ffurflen wedi’i chadw" in opened
    english = fresh.get(path.replace("lang=cy", "lang=en")).get_data(as_text=True)
    assert "Carry on with your saved form" in english  # the language switch works here too
    wrong = fresh.post(path, data={"email": "someone.else@example.com"}).get_data(as_text=True)
    assert parse_page(wrong).error_messages == [
        "Gwall: Rhowch y cyfeiriad e-bost a ddefnyddiwyd gennych pan wnaethoch gadw’ch atebion"
    ]
    gone = fresh.get(f"{PERMIT}/resume/unknown?lang=cy").get_data(as_text=True)
    assert "Nid yw’r ddolen hon i’ch ffurflen wedi’i chadw yn gweithio mwyach" in gone


def test_staff_keep_save_and_leave_and_never_see_the_residents_button(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    started = client.post(f"/staff{PERMIT}/", data={"contact_channel": "phone"})
    assert on_page(started.location) == f"/staff{PERMIT}/zone"
    page = client.get(f"/staff{PERMIT}/zone").get_data(as_text=True)
    assert "Save and leave this draft" in page and BUTTON not in page
    posted = client.post(f"/staff{PERMIT}/zone", data={**ZONE, "save_for_later": "1"})
    assert on_page(posted.location) == f"/staff{PERMIT}/home-address"  # an ordinary Continue
    with app.app_context():
        assert db.session.scalars(select(ReturnLink)).all() == []
    preview = client.get(f"/admin/preview/resident{PERMIT}/zone").get_data(as_text=True)
    assert BUTTON not in preview


def test_forms_need_csrf_tokens_and_pages_are_not_stored(app: Flask) -> None:
    strict = make_app(WTF_CSRF_ENABLED=True, RATELIMIT_ENABLED=False)
    client = strict.test_client()
    page = client.get(f"{PERMIT}/zone").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token is not None
    refused = client.post(f"{PERMIT}/zone", data={**ZONE, "save_for_later": "1"})
    assert refused.status_code == 400
    saved = client.post(
        f"{PERMIT}/zone", data={**ZONE, "save_for_later": "1", "csrf_token": token.group(1)}
    )
    assert on_page(saved.location) == f"{PERMIT}/save-for-later"
    asking = client.get(saved.location)
    assert asking.headers["Cache-Control"] == "no-store"
    assert client.post(saved.location, data={"email": EMAIL}).status_code == 400
    sent = client.post(saved.location, data={"email": EMAIL, "csrf_token": token.group(1)})
    assert on_page(sent.location) == f"{PERMIT}/saved"
    assert client.get(sent.location).headers["Cache-Control"] == "no-store"
    path = link_path(strict)
    fresh = strict.test_client()
    opened = fresh.get(path)
    assert opened.headers["Cache-Control"] == "no-store"
    assert fresh.post(path, data={"email": EMAIL}).status_code == 400  # no token: refused
    fresh_token = re.search(r'name="csrf_token" value="([^"]+)"', opened.get_data(as_text=True))
    assert fresh_token is not None
    done = fresh.post(path, data={"email": EMAIL, "csrf_token": fresh_token.group(1)})
    assert on_page(done.location) == f"{PERMIT}/home-address"


def test_tries_at_a_link_are_rate_limited(app: Flask, client: FlaskClient) -> None:
    limited = make_app(RATELIMIT_ENABLED=True, SAVE_AND_RETURN_RATE_LIMIT="3 per minute")
    first = limited.test_client()
    path = save_on_address_page(first)
    guesser = limited.test_client()
    answers = [guesser.post(path, data={"email": f"guess{n}@example.com"}) for n in range(4)]
    assert [a.status_code for a in answers] == [400, 400, 400, 429]
    assert guesser.post(path, data={"email": EMAIL}).status_code == 429  # until the minute ends


def test_no_email_address_or_token_reaches_the_logs(
    app: Flask, client: FlaskClient, notify: StandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = save_on_address_page(client)
    token = path.rsplit("/", 1)[1]
    app.test_client().post(path, data={"email": "wrong@example.com"})
    app.test_client().post(path, data={"email": EMAIL})
    app.test_client().get(path)
    run_worker(app, notify)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (EMAIL, EMAIL.lower(), "wrong@example.com", token, "Market Street"):
        assert secret not in logged


def test_the_accessibility_sweep_covers_every_save_and_return_state() -> None:
    from accessibility.plan import service_plan
    from service_builder.catalog import Catalog
    from tests.conftest import EXAMPLES

    catalog = Catalog.load(EXAMPLES)
    for service in catalog.services.values():
        states = [a.check for a in service_plan(service) if a.check]
        ours = {(s.state, s.note, s.language) for s in states if "save and return" in s.note}
        if not service.save_and_return:
            assert ours == set(), service.id
            continue
        for language in service.languages:
            assert {state for state, _note, lang in ours if lang == language} == {
                "question",
                "question-error",
                "confirmation",
                "content",
            }
        assert len(ours) == 9 * len(service.languages)
        notes = {note for _state, note, _lang in ours}
        assert "save and return: back from the link, with the banner" in notes


def test_the_sweep_plan_covers_a_repeat_list_with_the_button_and_the_banner(
    repeat_app: Flask,
) -> None:
    from accessibility.plan import service_plan

    service = repeat_app.extensions["service_builder"].catalog.get("repeat")
    plan = service_plan(service)
    checks = [(a.check.url, a.check.note) for a in plan if a.check and "save and" in a.check.note]
    assert ("/repeat/vehicles", "save and return: a repeat list with its button") in checks
    assert ("/repeat/vehicles", "save and return: back at the repeat list, with the banner") in (
        checks
    )
    # the plan's way there works over HTTP too: the list, the save, the link back
    client = repeat_app.test_client()
    listed = next(n for n, a in enumerate(plan) if a.check and a.check.note.endswith("button"))
    start = max(n for n in range(listed) if plan[n].kind == "reset")
    for action in plan[start:]:
        body = dict(action.fields)
        if action.kind == "reset":
            client = repeat_app.test_client()
        elif action.kind == "get":
            response = client.get(action.url)
        else:
            url = link_path(repeat_app) if action.url.startswith("/__a11y__") else action.url
            response = client.post(url, data=body, follow_redirects=action.kind == "submit")
            if action.expect_status:
                assert response.status_code == action.expect_status, action
        if action.check is not None:
            html = response.get_data(as_text=True)
            assert BUTTON in html
            assert (KEPT in html) == action.check.note.endswith("with the banner"), action


def test_a_repeat_item_is_saved_when_complete_and_is_only_typed_text_when_not(
    definitions_dir: Path,
) -> None:
    fixture = (FIXTURES / "repeat.yaml").read_text(encoding="utf-8")
    opted_in = "save_and_return: true\nnotify:\n  save_template: repeat-save-template\n"
    (definitions_dir / "repeat.yaml").write_text(fixture + opted_in, encoding="utf-8")
    app = make_app(definitions_dir, RATELIMIT_ENABLED=False)
    empty_database(app)
    client = app.test_client()
    assert client.post("/repeat/business", data={"business": "no"}).status_code == 302
    item = client.get("/repeat/vehicles/1").get_data(as_text=True)
    assert BUTTON in item
    car = {"registration": "AB12CDE", "fuel": "petrol", "save_for_later": "1"}
    assert on_page(client.post("/repeat/vehicles/1", data=car).location) == "/repeat/save-for-later"
    half = {"registration": "XY34ZZZ", "save_for_later": "1"}  # no fuel: not an item
    assert (
        on_page(client.post("/repeat/vehicles/2", data=half).location) == "/repeat/save-for-later"
    )
    listing = client.get("/repeat/vehicles").get_data(as_text=True)
    assert BUTTON in listing  # the list too: its own question need not be answered to save
    client.post("/repeat/save-for-later", data={"email": EMAIL})
    fresh = app.test_client()
    resumed = fresh.post(link_path(app), data={"email": EMAIL})
    assert on_page(resumed.location) == "/repeat/vehicles/2"  # on the item saved half done
    with app.app_context():
        (draft,) = db.session.scalars(select(Draft))
        assert draft.data["answers"]["vehicles"] == [{"registration": "AB12CDE", "fuel": "petrol"}]
    empty_database(app)


def test_admins_see_a_waiting_save_email_without_its_address(
    app: Flask, client: FlaskClient
) -> None:
    from tests.casework.conftest import staff as staff_client

    save_on_address_page(client)
    admin = staff_client(app, "admin@example.com", "admin")
    page = admin.get("/admin/deliveries").get_data(as_text=True)
    assert "Save and come back later email" in page and "Saved draft" in page
    assert EMAIL not in page and "/resume/" not in page


def test_pages_named_like_the_save_pages_still_work_in_other_services(
    definitions_dir: Path,
) -> None:
    text = """\
id: names
title: Names
pages:
  - id: saved
    questions:
      - id: colour
        type: text
        label: What colour is it?
  - id: resume
    type: repeat
    title: Your jobs
    item_name: job
    max_items: 3
    questions:
      - id: job
        type: text
        label: What was the job?
"""
    (definitions_dir / "names.yaml").write_text(text, encoding="utf-8")
    app = make_app(definitions_dir, RATELIMIT_ENABLED=False)
    empty_database(app)
    client = app.test_client()
    page = client.get("/names/saved")
    assert page.status_code == 200 and "What colour is it?" in page.get_data(as_text=True)
    assert on_page(client.post("/names/saved", data={"colour": "red"}).location) == "/names/resume"
    item = client.get("/names/resume/1")
    assert item.status_code == 200 and "What was the job?" in item.get_data(as_text=True)
    assert (
        on_page(client.post("/names/resume/1", data={"job": "Baker"}).location) == "/names/resume"
    )
    assert client.get("/names/resume/abc").status_code == 404
    assert client.get("/names/resume/%C2%B2").status_code == 404  # '²': a digit int() refuses
    empty_database(app)


# -- the button on a repeat page's list ----------------------------------------------------------
REPEAT_SAVE_TEMPLATE = "00000000-0000-4000-8000-000000000032"
CAR = {"registration": "AB12CDE", "fuel": "petrol"}
VAN = {"registration": "XY34ZZZ", "fuel": "diesel"}


@pytest.fixture
def repeat_app(definitions_dir: Path) -> Iterator[Flask]:
    """The repeat scenario, opted in to save and return."""
    fixture = (FIXTURES / "repeat.yaml").read_text(encoding="utf-8")
    opted_in = f"save_and_return: true\nnotify:\n  save_template: {REPEAT_SAVE_TEMPLATE}\n"
    (definitions_dir / "repeat.yaml").write_text(fixture + opted_in, encoding="utf-8")
    app = make_app(definitions_dir, RATELIMIT_ENABLED=False)
    empty_database(app)
    yield app
    empty_database(app)


def two_vehicles(client: FlaskClient, prefix: str = "") -> None:
    assert client.post(f"{prefix}/repeat/business", data={"business": "no"}).status_code == 302
    for number, vehicle in ((1, CAR), (2, VAN)):
        added = client.post(f"{prefix}/repeat/vehicles/{number}", data=vehicle)
        assert on_page(added.location) == f"{prefix}/repeat/vehicles", added.get_data(as_text=True)


def test_the_repeat_list_saves_without_its_question_and_emails_the_link(
    repeat_app: Flask, notify: StandIn
) -> None:
    client = repeat_app.test_client()
    two_vehicles(client)
    listing = client.get("/repeat/vehicles").get_data(as_text=True)
    form = listing[listing.index("<main") : listing.index("</main>")]
    assert form.count("<form") == 1 and 'name="save_for_later"' in form  # the list's own form
    assert BUTTON in form and "govuk-button--secondary" in form
    saved = client.post("/repeat/vehicles", data={"save_for_later": "1"})  # add another: blank
    assert saved.status_code == 302 and on_page(saved.location) == "/repeat/save-for-later"
    asking = client.get(saved.location).get_data(as_text=True)
    assert 'href="/repeat/vehicles"' in asking  # Back to the list
    sent = client.post("/repeat/save-for-later", data={"email": EMAIL})
    assert on_page(sent.location) == "/repeat/saved"
    assert "Your answers have been saved" in client.get(sent.location).get_data(as_text=True)
    assert on_page(client.get("/repeat/vehicles").location) == "/repeat/business"  # forgotten here

    assert run_worker(repeat_app, notify) == 1
    (request,) = notify.received
    body = request.json()
    assert body["template_id"] == REPEAT_SAVE_TEMPLATE and body["email_address"] == EMAIL
    link = re.sub(r"^https?://[^/]+", "", body["personalisation"]["link"])
    assert re.fullmatch(r"/repeat/resume/[A-Za-z0-9_-]{43}", link)
    with repeat_app.app_context():
        (draft,) = db.session.scalars(select(Draft))
        assert draft.data["answers"]["vehicles"] == [CAR, VAN]
        assert "vehicles" not in draft.data.get("completed", [])  # no answer: not moved on
        kinds = [e.kind for e in db.session.scalars(select(Event))]
        assert "saved_for_later" in kinds

    fresh = repeat_app.test_client()
    assert on_page(fresh.post(link, data={"email": EMAIL}).location) == "/repeat/vehicles"
    page = fresh.get("/repeat/vehicles").get_data(as_text=True)
    assert "AB12CDE" in page and "XY34ZZZ" in page


def test_no_on_the_repeat_list_then_save_moves_on_as_continue_would(repeat_app: Flask) -> None:
    client = repeat_app.test_client()
    two_vehicles(client)
    saved = client.post("/repeat/vehicles", data={"add_another": "no", "save_for_later": "1"})
    assert on_page(saved.location) == "/repeat/save-for-later"
    client.post("/repeat/save-for-later", data={"email": EMAIL})
    fresh = repeat_app.test_client()
    assert (
        on_page(fresh.post(link_path(repeat_app), data={"email": EMAIL}).location) == "/repeat/name"
    )


def test_too_few_items_and_no_then_save_keeps_the_items_and_stays_on_the_list(
    repeat_app: Flask,
) -> None:
    client = repeat_app.test_client()
    client.post("/repeat/business", data={"business": "no"})
    client.post("/repeat/vehicles/1", data=CAR)
    saved = client.post("/repeat/vehicles", data={"add_another": "no", "save_for_later": "1"})
    assert on_page(saved.location) == "/repeat/save-for-later"  # no 'Add at least 2' error: saving
    client.post("/repeat/save-for-later", data={"email": EMAIL})
    fresh = repeat_app.test_client()
    assert (
        on_page(fresh.post(link_path(repeat_app), data={"email": EMAIL}).location)
        == "/repeat/vehicles"
    )
    with repeat_app.app_context():
        (draft,) = db.session.scalars(select(Draft))
        assert draft.data["answers"]["vehicles"] == [CAR]


def test_staff_and_previews_never_see_the_button_on_a_repeat_list(repeat_app: Flask) -> None:
    from tests.casework.conftest import staff as staff_client

    agent = staff_client(repeat_app, "agent@example.com", "agent")
    started = agent.post("/staff/repeat/", data={"contact_channel": "phone"})
    assert started.status_code == 302, started.get_data(as_text=True)
    two_vehicles(agent, "/staff")
    listing = agent.get("/staff/repeat/vehicles").get_data(as_text=True)
    assert "Continue" in listing and BUTTON not in listing
    posted = agent.post("/staff/repeat/vehicles", data={"save_for_later": "1"})
    assert posted.status_code == 400  # an ordinary Continue: 'add another?' needs an answer
    with repeat_app.app_context():
        assert db.session.scalars(select(ReturnLink)).all() == []
        assert db.session.scalars(select(Delivery)).all() == []
    admin = staff_client(repeat_app, "admin@example.com", "admin")
    preview = "/admin/preview/resident/repeat"
    admin.post(f"{preview}/business", data={"business": "no"})
    for number, vehicle in ((1, CAR), (2, VAN)):
        admin.post(f"{preview}/vehicles/{number}", data=vehicle)
    shown = admin.get(f"{preview}/vehicles").get_data(as_text=True)
    assert "AB12CDE" in shown and BUTTON not in shown


# -- the banner after the link -------------------------------------------------------------------
KEPT = "We have kept your answers"
KEPT_CY = "Rydym wedi cadw eich atebion"


def banners(html: str) -> list[str]:
    """The success notification banners in the page's main content."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.findall(r'<div class="govuk-notification-banner(?: [^"]*)?"[^>]*>', main)


def test_the_page_the_link_brings_back_says_the_answers_were_kept_once(
    app: Flask, client: FlaskClient
) -> None:
    path = save_on_address_page(client)
    other = app.test_client()
    asked = other.get(path).get_data(as_text=True)
    assert KEPT not in asked and banners(asked) == []
    resumed = other.post(path, data={"email": EMAIL})
    assert on_page(resumed.location) == f"{PERMIT}/home-address"
    landed = other.get(resumed.location).get_data(as_text=True)
    (banner,) = banners(landed)
    assert "govuk-notification-banner--success" in banner
    # the page shows what was typed with its errors: their summary takes focus, not this
    assert 'role="region"' in banner and 'data-disable-auto-focus="true"' in banner
    assert KEPT in landed and "You can carry on where you left off." in landed
    assert re.search(r'class="govuk-notification-banner__title"[^>]*>\s*Success\s*<', landed)
    # before the page's h1 (GOV.UK's place for it), inside the main column
    assert landed.index(KEPT) < landed.index("<h1")
    again = other.get(resumed.location).get_data(as_text=True)
    assert KEPT not in again and banners(again) == []  # once: not on a refresh
    moved = other.post(f"{PERMIT}/home-address", data=ADDRESS)
    assert KEPT not in other.get(moved.location).get_data(as_text=True)  # nor the next page
    assert KEPT not in client.get(f"{PERMIT}/zone").get_data(as_text=True)  # nor elsewhere


def test_the_banner_shows_on_check_your_answers_when_that_is_where_the_link_goes(
    app: Flask, client: FlaskClient
) -> None:
    save_a_complete_draft(app, client)
    other = app.test_client()
    assert (
        on_page(other.post(link_path(app), data={"email": EMAIL}).location)
        == f"{PERMIT}/check-answers"
    )
    summary = other.get(f"{PERMIT}/check-answers").get_data(as_text=True)
    assert KEPT in summary and len(banners(summary)) == 1
    assert KEPT not in other.get(f"{PERMIT}/check-answers").get_data(as_text=True)


def test_the_banner_shows_on_a_repeat_list_the_link_goes_back_to(repeat_app: Flask) -> None:
    client = repeat_app.test_client()
    two_vehicles(client)
    client.post("/repeat/vehicles", data={"save_for_later": "1"})
    client.post("/repeat/save-for-later", data={"email": EMAIL})
    fresh = repeat_app.test_client()
    assert (
        on_page(fresh.post(link_path(repeat_app), data={"email": EMAIL}).location)
        == "/repeat/vehicles"
    )
    listing = fresh.get("/repeat/vehicles").get_data(as_text=True)
    assert KEPT in listing and len(banners(listing)) == 1 and BUTTON in listing
    assert KEPT not in fresh.get("/repeat/vehicles/1").get_data(as_text=True)


def test_the_banner_in_welsh(app: Flask, client: FlaskClient) -> None:
    client.get(f"{PERMIT}/zone?lang=cy")
    path = save_on_address_page(client)
    assert path.endswith("?lang=cy")
    fresh = app.test_client()
    fresh.get(path)
    resumed = fresh.post(path, data={"email": EMAIL})
    landed = fresh.get(resumed.location).get_data(as_text=True)
    assert KEPT_CY in landed and "Gallwch barhau o’r man lle gwnaethoch chi adael." in landed
    assert re.search(r'banner__title"[^>]*>\s*Llwyddiant\s*<', landed)
    assert KEPT not in landed and len(banners(landed)) == 1
    assert KEPT_CY not in fresh.get(resumed.location).get_data(as_text=True)


def test_staff_pages_never_take_or_show_the_banner(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    path = save_on_address_page(client)
    other = app.test_client()  # a member of staff who is also a resident, in one browser
    sign_in(other, "agent@example.com")
    other.post(f"/staff{PERMIT}/", data={"contact_channel": "phone"})
    assert other.post(path, data={"email": EMAIL}).status_code == 302
    assert KEPT not in other.get(f"/staff{PERMIT}/zone").get_data(as_text=True)
    preview = other.get(f"/admin/preview/resident{PERMIT}/zone").get_data(as_text=True)
    assert KEPT not in preview
    # the resident's own page still has it: a staff page did not use it up
    assert KEPT in other.get(f"{PERMIT}/home-address").get_data(as_text=True)


def test_with_the_public_url_set_links_ignore_the_host_a_client_sends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = make_app(PUBLIC_URL="https://forms.example.gov.uk")
    empty_database(app)
    try:
        poisoned = app.test_client()
        with caplog.at_level(logging.INFO, logger="service_builder.web.security"):
            refused = poisoned.get(f"{PERMIT}/zone", headers={"Host": "evil.example"})
        assert refused.status_code == 400  # another host: nothing served, no link built
        assert "host refused: 'evil.example' is not forms.example.gov.uk" in caplog.text
        assert poisoned.get("/healthz", headers={"Host": "10.0.0.7:8000"}).status_code == 200
        app.config["SERVER_NAME"] = "forms.example.gov.uk"  # the test client's Host (over http)
        save_on_address_page(app.test_client())
        with app.app_context():
            delivery = db.session.scalar(select(Delivery).where(Delivery.purpose == "save"))
            assert delivery is not None
            link = delivery.payload["personalisation"]["link"]
        assert link.startswith("https://forms.example.gov.uk/apply-parking-permit/resume/")  # https
    finally:
        empty_database(app)


def test_the_public_url_must_be_only_a_scheme_and_host(monkeypatch: pytest.MonkeyPatch) -> None:
    from service_builder.config import ConfigError, load_config

    monkeypatch.setenv("SERVICE_BUILDER_PUBLIC_URL", "HTTPS://Forms.Example.gov.uk/")
    assert load_config()["PUBLIC_URL"] == "https://forms.example.gov.uk"
    for wrong in ("forms.example.gov.uk", "https://forms.example.gov.uk/apply", "ftp://x"):
        monkeypatch.setenv("SERVICE_BUILDER_PUBLIC_URL", wrong)
        with pytest.raises(ConfigError, match="SERVICE_BUILDER_PUBLIC_URL must be"):
            load_config()


def test_a_copy_of_the_cookie_from_before_saving_does_not_bring_the_answers_back(
    app: Flask, client: FlaskClient
) -> None:
    client.post(f"{PERMIT}/zone", data={"zone": "B"})
    cookie = client.get_cookie("session")
    assert cookie is not None
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert re.search(r'value="B"\s+selected', copy.get(f"{PERMIT}/zone").text)  # still shared
    link = save_on_address_page(client)
    zone = copy.get(f"{PERMIT}/zone")
    assert not re.search(r'value="[AB]"\s+selected', zone.text)  # the saved draft is not there
    fresh = app.test_client()
    assert fresh.post(link, data={"email": EMAIL}).status_code == 302
    assert re.search(r'value="A"\s+selected', fresh.get(f"{PERMIT}/zone").text)
    assert not re.search(r'value="A"\s+selected', copy.get(f"{PERMIT}/zone").text)
