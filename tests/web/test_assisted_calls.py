"""A busy contact centre: save and leave, correcting the channel, search, takeover, printouts,
the audit trail, autofill, and fewer steps per call."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zlib
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.cases import set_teams
from service_builder.catalog import Catalog
from service_builder.explorer import explore
from service_builder.models import AuditEvent, Draft, StaffUser, Submission, db, utcnow
from service_builder.performance.events import ERROR
from service_builder.performance.models import Event
from service_builder.staff.accounts import save_user
from tests.conftest import EXAMPLES, empty_database, make_app
from tests.html_checks import parse_page
from tests.web import test_staff
from tests.web.discount import ABOUT_YOU, answer_about_you, answer_to_about_you
from tests.web.test_staff import DISCOUNT, PASSWORD, find, finish_discount, sign_in
from tests.web.test_staff import start_discount as start_to_date_alone
from tests.web.walker import Walker, on_page

staff = test_staff.staff  # the same three accounts

FLY = "/staff/report-fly-tipping"
EXAMPLE_SERVICES = Catalog.load(EXAMPLES)


def drafts(app: Flask) -> list[Draft]:
    with app.app_context():
        return list(db.session.scalars(select(Draft).order_by(Draft.id)))


def sent(app: Flask) -> list[Submission]:
    with app.app_context():
        return list(db.session.scalars(select(Submission).order_by(Submission.id)))


def first_answer_by_phone(client: FlaskClient) -> None:
    """Signed in as an agent, a call by phone: the discount's first question answered."""
    sign_in(client, "agent@example.com")
    client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"})
    client.post(f"{DISCOUNT}/account-number", data={"account_number": "51234567"})


def test_save_and_leave_keeps_what_was_typed_on_the_page(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    page = client.get(f"{DISCOUNT}/about-you").get_data(as_text=True)
    form = page[page.index("<main") : page.index("</main>")]
    assert form.count("<form") == 1 and 'name="save_and_leave"' in form  # one form, two buttons
    left = client.post(f"{DISCOUNT}/about-you", data={**ABOUT_YOU, "save_and_leave": "1"})
    assert on_page(left.location) == "/staff/"
    assert f"Draft {reference} saved" in client.get("/staff/").get_data(as_text=True)
    (draft,) = drafts(app)
    assert draft.data["answers"]["full_name"] == "Pat Caller"
    refused = client.post(f"{DISCOUNT}/account-number", data={"save_and_leave": "1"})
    assert (
        refused.status_code == 302 and on_page(refused.location) == f"{DISCOUNT}/"
    )  # no longer held
    resumed = client.post(f"/staff/drafts/{reference}/resume")
    assert on_page(resumed.location) == f"{DISCOUNT}/security"  # about-you was kept


def test_save_and_leave_keeps_the_answers_given_when_others_are_missing(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    partial = {"full_name": "Pat Caller", "save_and_leave": "1"}  # no date of birth yet
    left = client.post(f"{DISCOUNT}/about-you", data=partial)
    assert on_page(left.location) == "/staff/"
    (draft,) = drafts(app)
    assert draft.data["answers"]["full_name"] == "Pat Caller"
    assert "about-you" not in draft.data["completed"]  # the page still needs its answers
    resumed = client.post(f"/staff/drafts/{reference}/resume")
    assert on_page(resumed.location) == f"{DISCOUNT}/about-you"
    again = client.get(resumed.location).get_data(as_text=True)
    assert 'value="Pat Caller"' in again
    # nothing was pressed yet: a field left blank is not an error on the way back (a trial
    # in Chromium: the summary, an alert, was read out as the page opened)
    assert "<title>Error:" not in again and "govuk-error-summary" not in again


def test_back_from_the_first_question_corrects_the_channel_of_the_same_draft(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    first_answer_by_phone(client)
    first = client.get(f"{DISCOUNT}/account-number").get_data(as_text=True)
    back = re.search(r'href="([^"]+)" class="govuk-back-link"', first)
    assert back is not None
    back_url = back.group(1).replace("&amp;", "&")
    (draft,) = drafts(app)
    assert back_url == f"{DISCOUNT}/?draft=current&draft_reference={draft.reference}"
    channel_page = client.get(back_url).get_data(as_text=True)
    assert re.search(r'value="phone"\s+checked', channel_page)
    corrected = client.post(back_url, data={"contact_channel": "webchat"})
    assert on_page(corrected.location) == f"{DISCOUNT}/account-number"
    (draft,) = drafts(app)
    assert draft.contact_channel == "webchat"
    assert draft.data["answers"]["account_number"] == "51234567"  # nothing lost, no fork
    with app.app_context():
        details = [e.detail for e in db.session.scalars(select(AuditEvent))]
        assert "Contact channel, from Phone to Webchat" in details
    client.post(back_url, data={"contact_channel": "webchat"})  # the same again: no change
    with app.app_context():
        details = [e.detail for e in db.session.scalars(select(AuditEvent))]
        assert details.count("Contact channel, from Phone to Webchat") == 1
        assert not any(
            "Contact channel" in (d or "") and "Webchat to" in (d or "") for d in details
        )
    # the staff home's link still starts a new draft, with no channel guessed for the caller
    fresh = client.get(f"{DISCOUNT}/").get_data(as_text=True)
    assert " checked" not in fresh
    client.post(f"{DISCOUNT}/", data={"contact_channel": "webchat"})
    assert len(drafts(app)) == 2


def test_a_new_call_has_no_channel_chosen_for_it(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    client.post(f"{DISCOUNT}/", data={"contact_channel": "webchat"})
    page = client.get(f"{DISCOUNT}/")
    assert page.status_code == 200 and " checked" not in page.get_data(as_text=True)
    refused = client.post(f"{DISCOUNT}/", data={})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert parse_page(text).error_messages == ["Select how the resident contacted us"]
    assert parse_page(text).error_links == ["#contact_channel"]
    assert len(drafts(app)) == 1  # nothing started


def test_a_call_can_be_put_on_hold_at_check_your_answers(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    finish_answers = answer_about_you(client, "/staff", email="pat@example.com")
    client.post(finish_answers.location, data={"security_passed": "passed"})
    summary = client.get(f"{DISCOUNT}/check-answers").get_data(as_text=True)
    pause = f'action="/staff/drafts/{reference}/pause"'
    assert pause in summary and "Save and leave this draft" in summary
    left = client.post(f"/staff/drafts/{reference}/pause")
    assert on_page(left.location) == "/staff/"
    assert f"Draft {reference} saved" in client.get("/staff/").get_data(as_text=True)
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions[-1] == "paused"


def test_reading_a_content_page_to_the_caller_is_not_audited_as_changed_answers(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    client.post(f"{FLY}/", data={"contact_channel": "phone"})
    client.post(f"{FLY}/land-type", data={"land_type": "road"})
    client.post(
        f"{FLY}/location", data={"postcode": "sw1a1aa", "location_description": "By the stop"}
    )
    on = client.post(f"{FLY}/items", data={"waste_types": "asbestos"})
    assert on_page(on.location) == f"{FLY}/hazard-warning"
    assert on_page(client.post(f"{FLY}/hazard-warning").location) == f"{FLY}/amount"
    with app.app_context():
        changed = [
            e.detail or ""
            for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "changed"))
        ]
    assert any(detail.startswith("What has been dumped?") for detail in changed), changed
    assert not any("Keep away from the rubbish" in detail for detail in changed), changed


def test_names_outside_a_to_z_and_either_apostrophe_are_found(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    answer_about_you(client, "/staff", full_name="Zoë Åkesson-O'Neill")
    heard = ("zoe akesson", "akesson oneill", "ZOE AKESSON-ONEILL", "oneill")  # an agent's trial
    for term in ("Åkesson", "åkesson", "ÅKESSON-O'NEILL", "Zoë Åkesson-O’Neill", "o’neill zoë"):
        assert "1 result" in find(client, term).text, term
    for term in heard:  # a caller's name as it is heard, not spelt
        assert "1 result" in find(client, term).text, term
    client.post(f"{DISCOUNT}/security", data={"security_passed": "passed"})
    client.post(f"{DISCOUNT}/check-answers", data={"declaration_agreed": "yes"})
    with app.app_context():
        assert db.session.scalars(select(Submission)).one()  # sent: found by its case
        assert db.session.scalars(select(Draft.search_text)).one() is None  # not the draft
    for term in ("Zoë Åkesson-O’Neill", *heard):
        assert "1 result" in find(client, term).text, term


def test_a_choice_is_found_by_the_label_staff_see_not_its_value(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """An agent's trial: 'passed' found a form that shows 'Yes, all of them'; the label did not."""
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    answer_about_you(client, "/staff", email="pat@example.com")
    client.post(f"{DISCOUNT}/security", data={"security_passed": "passed"})
    assert "1 result" in find(client, "yes, all of them").text  # a draft
    client.post(f"{DISCOUNT}/check-answers", data={"declaration_agreed": "yes"})
    assert "1 result" in find(client, "Yes, all of them").text  # the sent form
    assert "No draft or sent form matches" in find(client, "passed").text  # its stored value


def test_drafts_and_sent_forms_are_found_by_what_the_caller_says(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    answer_about_you(client, "/staff", email="pat@example.com")
    home = client.get("/staff/").get_data(as_text=True)
    assert "Pat Caller" in home  # who the draft is for
    client.post(f"{FLY}/", data={"contact_channel": "phone"})
    client.post(f"{FLY}/land-type", data={"land_type": "road"})
    for term in (
        *("pat caller", "Caller  Pat", "PAT@example.com", "3/4/1960", "1960-04-03"),
        *("3 April 1960", "3rd Apr 1960", "3 apr. 1960"),  # as a caller says it
    ):
        found = find(client, f"{term}")
        assert found.status_code == 200, term
        assert "Pat Caller" in found.get_data(as_text=True), term
    other = app.test_client()
    sign_in(other, "other@example.com")  # another agent, later, with the caller on the phone
    assert "1 result" in find(other, "Caller").get_data(as_text=True)
    assert "No draft or sent form matches" in find(client, "Caller Nobody").text  # every word
    missing = find(client, "Nobody Here")
    assert missing.status_code == 200  # finding nothing is a result, not an error
    assert "No draft or sent form matches ‘Nobody Here’" in missing.text


def test_the_names_answers_are_stored_under_find_nothing(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """An agent's trial: 'town' found every form with an address, by the name its answer is
    stored under. Drafts and sent forms are found by what their answers say, spaced or not."""
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    answer_about_you(client, "/staff")
    names = ("full_name", "answers", "completed", "date_of_birth", "email", "security")
    for name in names:
        assert "No draft or sent form matches" in find(client, name).text, name
    assert "1 result" in find(client, "Pat Caller").text
    finish_discount(client)
    for name in (*names, "account_number"):
        assert "No draft or sent form matches" in find(client, name).text, name
    for term in ("51234567", "caller pat", "pat@example.com", "3 April 1960"):
        assert "1 result" in find(client, term).text, term
    client.post(f"{FLY}/", data={"contact_channel": "phone"})
    client.post(f"{FLY}/land-type", data={"land_type": "road"})
    client.post(f"{FLY}/location", data={"postcode": "SW1A 1AA", "location_description": "Bus"})
    assert "No draft or sent form matches" in find(client, "postcode").text
    for spaced in ("sw1a1aa", "SW1A 1AA", "S W 1 A 1 A A"):
        assert "1 result" in find(client, spaced).text, spaced


def test_search_finds_sent_forms_by_postcode_and_date_across_services(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    resident = app.test_client()
    resident.post("/report-fly-tipping/land-type", data={"land_type": "road"})
    resident.post(
        "/report-fly-tipping/location",
        data={"postcode": "sw1a1aa", "location_description": "By the bus stop"},
    )
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        answers = draft.data["answers"]
    assert answers.get("postcode") == "SW1A 1AA", answers
    found = find(client, "sw1a 1aa")
    assert "No draft or sent form matches" in found.text  # online drafts are the resident's own
    start_to_date_alone(client)
    finish_discount(client)
    with app.app_context():
        sent = db.session.scalars(select(Submission)).one()
        sent_on = sent.submitted_at
    for day in (
        f"{sent_on.day}/{sent_on.month}/{sent_on.year}",
        sent_on.strftime("%Y-%m-%d"),
        f"{sent_on.day} {sent_on.strftime('%B %Y')}",  # 1 December 2026
    ):
        assert sent.reference in find(client, day).text, day


def test_each_reference_finds_the_other(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    draft_reference = start_to_date_alone(client)
    finish_discount(client)
    confirmation = client.get(f"{DISCOUNT}/confirmation").get_data(as_text=True)
    assert draft_reference in confirmation  # the sent page no longer hides it
    with app.app_context():
        reference = db.session.scalars(select(Submission.reference)).one()
    assert on_page(find(client, f"{draft_reference}").location) == f"/staff/submissions/{reference}"
    assert draft_reference in client.get(f"/staff/submissions/{reference}").get_data(as_text=True)


def test_taking_over_is_explicit_audited_and_stops_the_first_agent(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    reference, other = a_call_and_a_colleague(app, client, "other@example.com")
    page = other.get(f"/staff/drafts/{reference}").get_data(as_text=True)
    assert re.search(r"agent@example.com, since \d+ \w+ \d{4}, [\w:]+", page)
    assert "Take over this draft" in page and "Resume this draft" not in page
    assert (
        on_page(other.post(f"/staff/drafts/{reference}/resume").location)
        == f"/staff/drafts/{reference}"
    )
    assert other.post(f"/staff/drafts/{reference}/take-over").location.startswith(DISCOUNT)
    # the first agent can no longer change it, and is told why
    blocked = client.post(f"{DISCOUNT}/about-you", data=ABOUT_YOU)
    assert on_page(blocked.location) == f"/staff/drafts/{reference}"
    told = client.get(blocked.location).get_data(as_text=True)
    assert "Another agent has this draft now" in told
    assert "What you sent from this page was not saved" in told
    assert "other@example.com, since" in told
    (draft,) = drafts(app)
    assert "full_name" not in draft.data["answers"]
    assert on_page(client.get(f"{DISCOUNT}/about-you").location) == f"{DISCOUNT}/"  # no longer held
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
        assert "taken-over" in actions


def test_a_tab_on_a_call_taken_over_while_another_call_is_in_hand_is_told_too(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Two calls in two tabs: the one not in hand is taken over by another agent; its tab's
    form is refused with the same words as when it is the call in hand."""
    sign_in(client, "agent@example.com")
    first = start_to_date_alone(client)
    client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"})  # the second call, in hand
    other = app.test_client()
    sign_in(other, "other@example.com")
    other.post(f"/staff/drafts/{first}/take-over")
    blocked = client.post(
        f"{DISCOUNT}/about-you?draft_reference={first}",
        data={**ABOUT_YOU, "draft_reference": first},
    )
    assert on_page(blocked.location) == f"/staff/drafts/{first}"
    told = client.get(blocked.location).get_data(as_text=True)
    assert "Another agent has this draft now" in told
    assert "What you sent from this page was not saved" in told


def test_the_printout_holds_only_what_the_resident_gave(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    finish_discount(client)
    with app.app_context():
        reference = db.session.scalars(select(Submission.reference)).one()
    confirmation = client.get(f"{DISCOUNT}/confirmation").get_data(as_text=True)
    assert f"/staff/submissions/{reference}/print?lang=en" in confirmation
    # the agent reads this page: its words are theirs, not the resident's (a trial)
    assert "The resident’s reference number" in confirmation
    assert "Your reference number" not in confirmation
    printout = client.get(f"/staff/submissions/{reference}/print").get_data(as_text=True)
    assert "Pat Caller" in printout and reference in printout
    for staff_only in (
        "govuk-phase-banner",
        "Assisted",
        "Sign out",
        "agent@example.com",
        "security",
        "Security",
        "Staff home",
    ):
        assert staff_only not in printout, staff_only
    assert '<html lang="en"' in printout


def test_the_audit_trail_names_pages_never_values_in_uk_time(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    answer_about_you(client, "/staff")
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent)))
        details = " ".join(e.detail or "" for e in events)
        assert "about-you: full_name, date_of_birth" in details
        assert "Pat Caller" not in details and "1960" not in details
        summer = next(e for e in events if e.action == "started")
        summer.at = dt.datetime(2026, 7, 1, 11, 30, 0)  # UTC
        winter = next(e for e in events if e.action == "changed")
        winter.at = dt.datetime(2026, 1, 1, 11, 30, 0)
        db.session.commit()
    boss = app.test_client()
    sign_in(boss, "boss@example.com")
    trail = boss.get(f"/staff/drafts/{reference}").get_data(as_text=True)
    assert "1 July 2026, 12:30:00pm BST" in trail
    assert "1 January 2026, 11:30:00am GMT" in trail
    assert "Who did what, and when (UK time)" in trail


def test_every_staff_view_of_a_sent_form_is_audited_online_ones_too(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    resident = app.test_client()
    answer_to_about_you(resident)
    answer_about_you(resident)
    resident.post("/council-tax-single-person-discount/paperless", data={"paperless_billing": "no"})
    assert resident.post("/council-tax-single-person-discount/check-answers").status_code == 302
    with app.app_context():
        sent = db.session.scalars(select(Submission)).one()
        reference = sent.reference
    sign_in(client, "agent@example.com")
    with app.app_context():  # agents see the sent forms of their teams' services
        set_teams(db.session.get(StaffUser, staff["agent@example.com"]), ["revenues"])
        db.session.commit()
    assert client.get(f"/staff/submissions/{reference}").status_code == 200
    client.get(f"/staff/submissions/{reference}/print")
    with app.app_context():
        events = [
            (e.action, e.staff_user_id, e.submission_id)
            for e in db.session.scalars(select(AuditEvent))
        ]
    assert ("viewed-submission", staff["agent@example.com"], sent.id) in events
    assert ("printed", staff["agent@example.com"], sent.id) in events


def test_assisted_pages_never_offer_the_agents_own_details(
    client: FlaskClient, staff: dict[str, int], app: Flask
) -> None:
    resident_page = app.test_client().get("/council-tax-single-person-discount/about-you")
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    page = client.get(f"{DISCOUNT}/about-you").get_data(as_text=True)
    tokens = set(re.findall(r'autocomplete="([^"]+)"', page))
    assert tokens <= {"off"}, tokens
    assert tokens  # the fields are there, switched off
    answer_about_you(client, "/staff")
    contact = client.get(f"{FLY}/").status_code
    assert contact == 200
    assert resident_page.status_code in (200, 302)


def test_start_another_service_for_the_same_caller(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_to_date_alone(client, channel="face_to_face")
    finish_discount(client)
    confirmation = client.get(f"{DISCOUNT}/confirmation").get_data(as_text=True)
    assert "Start another service for this caller" in confirmation
    assert '/feedback"' not in confirmation  # an agent's click is not the resident's feedback
    assert f'action="{FLY}/"' in confirmation
    assert 'name="contact_channel" value="face_to_face"' in confirmation
    started = client.post(f"{FLY}/", data={"contact_channel": "face_to_face"})
    assert on_page(started.location) == f"{FLY}/land-type"
    assert drafts(app)[-1].contact_channel == "face_to_face"


def test_another_service_starts_with_the_answers_both_ask_still_to_be_read_back(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    finish_discount(client)
    sent = client.get(f"{DISCOUNT}/confirmation").get_data(as_text=True)
    reference = re.search(r'name="caller_from" value="([^"]+)"', sent)
    assert reference is not None
    recycling = "/staff/apply-recycling-centre-permit"
    first = client.post(
        f"{recycling}/", data={"contact_channel": "phone", "caller_from": reference.group(1)}
    )
    new = drafts(app)[-1]
    assert new.service_id == "apply-recycling-centre-permit"
    assert new.data["answers"] == {"full_name": ABOUT_YOU["full_name"], "email": "pat@example.com"}
    assert new.data["completed"] == []  # asked again: the agent reads each one back
    assert on_page(first.location) == f"{recycling}/permit-for"
    assert ABOUT_YOU["full_name"] in client.get("/staff/").get_data(as_text=True)  # who it's for
    # found by the caller's name before it is saved once (a review: a call ended at once)
    assert "2 results" in find(client, "pat caller").text  # the sent form, and this draft
    client.post(  # a service that calls them otherwise: the same of the caller, by autocomplete
        "/staff/book-bulky-waste/",
        data={"contact_channel": "phone", "caller_from": reference.group(1)},
    )
    bulky = drafts(app)[-1]
    assert bulky.data["answers"] == {
        "contact_name": ABOUT_YOU["full_name"],
        "contact_email": "pat@example.com",
    }
    with app.app_context():
        db.session.execute(
            Submission.__table__.update().values(staff_user_id=staff["boss@example.com"])
        )
        db.session.commit()
    client.post(  # another agent's form: the contact centre (in no team) may read it
        f"{recycling}/", data={"contact_channel": "phone", "caller_from": reference.group(1)}
    )
    assert drafts(app)[-1].data["answers"]["full_name"] == ABOUT_YOU["full_name"]
    with app.app_context():
        set_teams(db.session.get(StaffUser, staff["agent@example.com"]), ["nobody"])
        db.session.commit()
    client.post(f"{recycling}/", data={"contact_channel": "phone", "caller_from": "NOPE"})
    assert drafts(app)[-1].data["answers"] == {}
    client.post(
        f"{recycling}/", data={"contact_channel": "phone", "caller_from": reference.group(1)}
    )
    assert drafts(app)[-1].data["answers"] == {}  # a form this agent may not see gives nothing


def test_assisted_pages_are_compact(client: FlaskClient, staff: dict[str, int]) -> None:
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    page = client.get(f"{DISCOUNT}/about-you").get_data(as_text=True)
    before_main = page[: page.index("<main")]
    assert "govuk-phase-banner" not in before_main  # the assisted bar replaces it
    buttons = re.findall(r"<button[^>]*>", before_main)
    shown = [b for b in buttons if " hidden" not in b]  # the menu toggle is hidden on desktop
    assert len(shown) <= 1  # sign out only; save and leave is in the form
    assert "govuk-notification-banner" not in before_main


def test_staff_are_warned_before_the_timeout_and_can_stay_signed_in(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    from tests.web.test_staff import age_sessions

    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    page = client.get(f"{DISCOUNT}/about-you").get_data(as_text=True)
    warning = re.search(r'data-module="app-timeout-warning" data-seconds-left="(\d+)"', page)
    assert warning is not None and 1790 <= int(warning.group(1)) <= 1800
    assert 'action="/staff/stay-signed-in"' in page and "Stay signed in" in page
    with app.app_context():
        age_sessions(dt.timedelta(minutes=29))
    stayed = client.post(
        "/staff/stay-signed-in", data={"next": f"{DISCOUNT}/about-you"}
    )  # the no-JavaScript form
    assert on_page(stayed.location) == f"{DISCOUNT}/about-you"
    with app.app_context():
        age_sessions(dt.timedelta(minutes=29))  # 58 minutes since sign-in, 29 idle
    fetched = client.post("/staff/stay-signed-in", headers={"Accept": "application/json"})
    assert 1790 <= fetched.get_json()["seconds_left"] <= 1800
    assert client.get(f"{DISCOUNT}/about-you").status_code == 200


def readable(cookie: str) -> str:
    """What anyone holding a signed (not encrypted) Flask session cookie can read in it."""
    payload = cookie.split(".")[1 if cookie.startswith(".") else 0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return (zlib.decompress(data) if cookie.startswith(".") else data).decode()


def test_answers_posted_after_the_timeout_are_kept_through_sign_in(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    from tests.web.test_staff import age_sessions

    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    late = client.post(f"{DISCOUNT}/about-you", data=ABOUT_YOU)
    assert late.location.startswith("/staff/sign-in?next=")
    assert "timed_out=1" in late.location
    cookie = client.get_cookie("session")
    assert cookie is not None and "Pat Caller" not in readable(cookie.value)  # sealed
    signed_in = client.post(
        late.location, data={"email": "agent@example.com", "password": "correct horse battery"}
    )
    assert on_page(signed_in.location) == f"{DISCOUNT}/about-you"
    page = client.get(signed_in.location).get_data(as_text=True)
    assert 'value="Pat Caller"' in page and reference in page
    assert "Check the page and send it again" in page
    # someone else signing in on that browser gets neither the draft nor the answers
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    client.post(f"{DISCOUNT}/about-you", data=ABOUT_YOU)
    sign_in(client, "other@example.com")
    assert on_page(client.get(f"{DISCOUNT}/about-you").location) == f"{DISCOUNT}/"


def test_each_tab_s_answers_sent_after_the_timeout_come_back_to_its_own_page(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Two calls in two tabs; the session times out; both tabs send. After one sign-in, each
    page shows what was typed on it, and says it was not saved; neither shows the other's."""
    from tests.web.test_staff import age_sessions

    sign_in(client, "agent@example.com")
    client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"})
    first = drafts(app)[-1].reference
    client.post(f"{FLY}/", data={"contact_channel": "webchat"})
    second = drafts(app)[-1].reference
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    tab_1 = f"{DISCOUNT}/account-number?draft_reference={first}"
    tab_2 = f"{FLY}/land-type?draft_reference={second}"
    late_1 = client.post(tab_1, data={"account_number": "51112222", "draft_reference": first})
    late_2 = client.post(tab_2, data={"land_type": "park", "draft_reference": second})
    for late in (late_1, late_2):  # the second tab too: told it timed out, its form kept
        assert "timed_out=1" in late.location, late.location
    signed_in = client.post(
        late_2.location, data={"email": "agent@example.com", "password": "correct horse battery"}
    )
    assert on_page(signed_in.location) == f"{FLY}/land-type"
    page_2 = client.get(signed_in.location).get_data(as_text=True)
    assert re.search(r'value="park"\s+checked', page_2) and "51112222" not in page_2
    assert "What you sent from this page was not saved" in page_2
    page_1 = client.get(tab_1).get_data(as_text=True)
    assert 'value="51112222"' in page_1
    assert "What you sent from this page was not saved" in page_1
    assert 'value="51112222"' not in client.get(tab_1).get_data(as_text=True)  # once
    assert "account_number" not in drafts(app)[0].data["answers"]  # shown, not saved


def test_a_repeat_item_and_the_channel_sent_after_the_timeout_come_back(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    from tests.web.test_staff import age_sessions

    permit = "/staff/apply-recycling-centre-permit"
    sign_in(client, "agent@example.com")
    client.post(f"{permit}/", data={"contact_channel": "phone"})
    client.post(f"{permit}/permit-for", data={"permit_for": "household"})
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    item = {"registration": "CU57 ABC", "vehicle_type": "van"}
    late = client.post(f"{permit}/vehicles/1", data=item)
    signed_in = client.post(
        late.location, data={"email": "agent@example.com", "password": "correct horse battery"}
    )
    assert on_page(signed_in.location) == f"{permit}/vehicles/1"
    page = client.get(signed_in.location).get_data(as_text=True)
    assert 'value="CU57 ABC"' in page and re.search(r'value="van"\s+checked', page)
    assert "What you sent from this page was not saved" in page
    # the channel chosen as the session ended (correcting the call's channel) comes back too
    reference = drafts(app)[-1].reference
    channel_page = f"{permit}/?draft=current&draft_reference={reference}"
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    late = client.post(channel_page, data={"contact_channel": "webchat"})
    signed_in = client.post(
        late.location, data={"email": "agent@example.com", "password": "correct horse battery"}
    )
    shown = client.get(signed_in.location).get_data(as_text=True)
    assert re.search(r'value="webchat"\s+checked', shown), shown[:3000]
    assert not re.search(r'value="phone"\s+checked', shown)
    assert drafts(app)[-1].contact_channel == "phone"  # shown again, not saved


def test_a_call_started_as_the_session_ended_is_told_not_started_in_an_important_banner(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    from tests.web.test_staff import age_sessions

    sign_in(client, "agent@example.com")
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    late = client.post(
        "/staff/start", data={"service": "report-fly-tipping", "contact_channel": "webchat"}
    )
    signed_in = client.post(
        late.location, data={"email": "agent@example.com", "password": "correct horse battery"}
    )
    home = client.get(signed_in.location, follow_redirects=True).get_data(as_text=True)
    banner = home[home.index('<div class="govuk-notification-banner') :]
    banner = banner[: banner.index("</h1>") if "</h1>" in banner else None]
    assert "What you sent from this page was not saved" in banner
    assert "govuk-notification-banner--success" not in banner
    assert re.search(r">\s*Important\s*<", banner)


def test_a_call_starts_in_one_step_from_the_staff_home(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    home = client.get("/staff/").get_data(as_text=True)
    assert 'action="/staff/start"' in home and 'value="report-fly-tipping"' in home
    started = client.post(
        "/staff/start", data={"service": "report-fly-tipping", "contact_channel": "webchat"}
    )
    assert on_page(started.location) == f"{FLY}/land-type"  # no channel page
    assert drafts(app)[-1].contact_channel == "webchat"
    again = client.get("/staff/").get_data(as_text=True)
    assert " checked" not in again  # the next call's channel is asked, never guessed
    refused = client.post("/staff/start", data={"service": "nope", "contact_channel": "pigeon"})
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "Select a service" in text and "Select how the resident contacted us" in text


def test_reloading_a_refused_start_goes_to_the_staff_home(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    assert client.post("/staff/start", data={}).status_code == 400  # shown at /staff/start
    reloaded = client.get("/staff/start", follow_redirects=True)
    assert reloaded.status_code == 200 and reloaded.request.path == "/staff/"
    assert '<h1 class="govuk-heading-l">Staff home</h1>' in reloaded.get_data(as_text=True)


def test_the_skip_link_goes_straight_to_the_first_question(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"})
    page = client.get(f"{DISCOUNT}/account-number").get_data(as_text=True)
    assert '<a href="#account_number" class="govuk-skip-link"' in page
    assert 'id="account_number"' in page
    home = client.get("/staff/").get_data(as_text=True)
    assert '<a href="#main-content" class="govuk-skip-link"' in home


SKIP_LINK = re.compile(r'<a href="#([^"]+)" class="govuk-skip-link"')


@pytest.mark.parametrize("service_id", sorted(EXAMPLE_SERVICES.services))
def test_the_skip_link_reaches_an_input_on_every_page_of_a_call(
    client: FlaskClient, staff: dict[str, int], service_id: str
) -> None:
    """Skip link, Enter, then typing: the keystrokes land in the first question's first
    input, whatever its kind (an address's first line or postcode, a date's day, the first
    option of a choice)."""
    service = EXAMPLE_SERVICES.services[service_id]
    sign_in(client, "agent@example.com")
    shown: list[str] = []
    get = client.get

    def get_and_keep(*args: object, **kwargs: object) -> object:
        response = get(*args, **kwargs)  # type: ignore[arg-type]
        if response.status_code == 200:
            shown.append(response.get_data(as_text=True))
        return response

    client.get = get_and_keep  # type: ignore[method-assign]
    client.post(f"/staff/{service.id}/", data={"contact_channel": "phone"})
    route = next(r for r in explore(service, "staff") if not r.exit_page)
    Walker(client, service, "/staff").walk(route)
    targets = [found[1] for html in shown if (found := SKIP_LINK.search(html))]
    questions = [target for target in targets if target != "main-content"]
    assert len(questions) >= len(route.steps) - 1
    for target, html in zip(targets, shown, strict=True):
        if target != "main-content":
            control = rf'<(input|select|textarea)\b[^>]*\bid="{re.escape(target)}"'
            assert re.search(control, html), f"nothing to type in at #{target}"


def shown_draft(client: FlaskClient, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    found = re.search(r'name="draft_reference" value="(DR-[A-Z0-9-]+)"', page)
    assert found is not None, "every assisted form names its draft"
    return found.group(1)


def test_with_two_calls_in_two_tabs_each_form_goes_to_its_own_draft(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"})
    first = shown_draft(client, f"{DISCOUNT}/account-number")  # tab 1: caller A
    client.post(f"{DISCOUNT}/", data={"contact_channel": "face_to_face"})
    second = shown_draft(client, f"{DISCOUNT}/account-number")  # tab 2: caller B
    assert first != second
    typed_in_tab_1 = {"account_number": "51234567", "draft_reference": first}
    saved = client.post(f"{DISCOUNT}/account-number", data=typed_in_tab_1)
    assert saved.status_code == 302
    answers = {found.reference: found.data.get("answers") for found in drafts(app)}
    assert answers == {first: {"account_number": "51234567"}, second: {}}
    assert shown_draft(client, saved.location) == first  # tab 1 goes on with caller A


def test_a_second_send_from_another_tab_shows_its_own_callers_confirmation(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Sent in tab 1, sent again in tab 2: tab 2's confirmation names the call, so reloading
    it after a third tab started another call still shows this one, never the new one."""
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    assert finish_discount(client).status_code == 302  # tab 1 sends
    again = client.post(
        f"{DISCOUNT}/check-answers",
        data={"declaration_agreed": "yes", "draft_reference": reference},
    )  # tab 2 sends the same call
    assert again.location == f"{DISCOUNT}/confirmation?draft_reference={reference}"
    client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"})  # tab 3: the next caller
    reloaded = client.get(again.location)
    assert reloaded.status_code == 200, reloaded.location
    sent_reference = sent(app)[0].reference
    assert sent_reference in reloaded.get_data(as_text=True) and len(sent(app)) == 1


def test_a_page_opened_again_in_the_first_tab_stays_with_its_own_caller(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Every journey link and redirect names its draft: reloading tab 1 after tab 2 started
    another call shows caller A again (and makes A the call in hand), never caller B."""
    sign_in(client, "agent@example.com")
    tab_1 = client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"}).location
    first = shown_draft(client, tab_1)
    assert tab_1 == f"{DISCOUNT}/account-number?draft_reference={first}"
    client.post(tab_1, data={"account_number": "51234567", "draft_reference": first})
    tab_2 = client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"}).location
    second = shown_draft(client, tab_2)
    client.post(tab_2, data={"account_number": "52222222", "draft_reference": second})
    reloaded = client.get(tab_1).get_data(as_text=True)  # tab 1, reloaded
    assert f'name="draft_reference" value="{first}"' in reloaded
    assert 'value="51234567"' in reloaded and "52222222" not in reloaded
    back_in_tab_2 = client.get(tab_2).get_data(as_text=True)
    assert 'value="52222222"' in back_in_tab_2 and f'value="{second}"' in back_in_tab_2
    links = set(re.findall(r'href="(/staff/council-tax[^"]*)"', back_in_tab_2))
    assert links and all(f"draft_reference={second}" in link for link in links), links


def mine_and_another_agents(app: Flask, client: FlaskClient) -> tuple[str, str, str]:
    """A call in hand for agent@ (its draft), and one for other@ (its draft, at its page)."""
    sign_in(client, "agent@example.com")
    client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"})
    mine = shown_draft(client, f"{DISCOUNT}/account-number")
    other = app.test_client()
    sign_in(other, "other@example.com")
    theirs_at = str(other.post(f"{DISCOUNT}/", data={"contact_channel": "phone"}).location)
    return mine, shown_draft(other, theirs_at), theirs_at


def test_check_answers_and_the_timeout_warning_keep_to_their_own_call(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Sending check answers with an error, and 'Stay signed in' without JavaScript, stay
    with the tab's own caller: their addresses name the draft too."""
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    finish = answer_about_you(client, "/staff", email="pat@example.com")
    assert finish.status_code == 302
    at = client.post(f"{DISCOUNT}/security", data={"security_passed": "passed"}).location
    (draft,) = drafts(app)
    named = f"?draft_reference={draft.reference}"
    assert at == f"{DISCOUNT}/check-answers{named}"
    page = client.get(at).get_data(as_text=True)
    assert f'<form method="post" action="{DISCOUNT}/check-answers{named}"' in page
    assert f'name="next" value="{DISCOUNT}/check-answers{named}"' in page  # Stay signed in


def test_a_page_naming_a_draft_that_is_not_this_agents_shows_nothing_of_it(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    mine, theirs, theirs_at = mine_and_another_agents(app, client)
    taken = client.get(theirs_at)
    assert taken.location == f"/staff/drafts/{theirs}"  # who holds it, and nothing taken
    missing = client.get(f"{DISCOUNT}/account-number?draft_reference=DR-NONE-SUCH")
    assert missing.location == "/staff/"
    home = client.get("/staff/").get_data(as_text=True)
    assert "Draft DR-NONE-SUCH could not be found" in home and "nothing was saved" not in home
    assert shown_draft(client, f"{DISCOUNT}/account-number") == mine


def test_a_form_for_a_draft_that_is_not_this_agents_saves_nothing(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    mine, theirs, _ = mine_and_another_agents(app, client)
    for named in (theirs, "DR-NONE-SUCH"):
        refused = client.post(
            f"{DISCOUNT}/account-number",
            data={"account_number": "51234567", "draft_reference": named},
        )
        assert refused.status_code == 302 and refused.location != f"{DISCOUNT}/security"
    assert all(not found.data.get("answers") for found in drafts(app))
    assert shown_draft(client, f"{DISCOUNT}/account-number") == mine


def test_errors_left_behind_by_save_and_leave_are_not_counted_as_shown(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """interfaces-v2: `validation_errors` counts a page shown again with an error."""
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)

    def errors_counted() -> int:
        with app.app_context():
            return len(db.session.scalars(select(Event).where(Event.kind == ERROR)).all())

    client.post(f"{DISCOUNT}/about-you", data={"full_name": "Pat"})  # shown again: counted
    assert errors_counted() > 0
    before = errors_counted()
    left = client.post(f"{DISCOUNT}/about-you", data={"full_name": "Pat", "save_and_leave": "1"})
    assert on_page(left.location) == "/staff/" and errors_counted() == before


def test_back_after_sending_tells_the_agent_in_staff_words(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    assert finish_discount(client).status_code == 302
    again = client.get(f"{DISCOUNT}/security").get_data(as_text=True)
    assert "This form has already been sent" in again and "You have already" not in again
    with app.app_context():
        reference = db.session.scalars(select(Submission)).one().reference
    assert reference in again and "Start a new one" in again


def a_call_and_a_colleague(
    app: Flask, client: FlaskClient, colleague: str
) -> tuple[str, FlaskClient]:
    """agent@ on a call, and a colleague signed in beside them: the call's reference, and the
    colleague's browser."""
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    other = app.test_client()
    sign_in(other, colleague)
    return reference, other


def to_not_eligible(app: Flask, client: FlaskClient) -> Draft:
    """A call whose answers end the service (the discount's exit page); its draft."""
    first_answer_by_phone(client)
    client.post(f"{DISCOUNT}/other-adults", data={"other_adults": "yes"})
    client.post(f"{DISCOUNT}/disregarded-adults", data={"disregards": "none"})
    (draft,) = drafts(app)
    return draft


def test_a_visit_that_is_ended_is_called_a_visit_wherever_it_is_named(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """An agent's trial: a face-to-face visit ended was 'Call ended' on the staff home, the
    draft's page and Find."""
    sign_in(client, "agent@example.com")
    client.post(f"{DISCOUNT}/", data={"contact_channel": "face_to_face"})
    client.post(f"{DISCOUNT}/account-number", data={"account_number": "51234567"})
    (draft,) = drafts(app)
    client.post(f"/staff/drafts/{draft.reference}/end")
    home = client.get("/staff/").text
    assert f"Visit ended. Draft {draft.reference} was not sent" in home
    stale = client.get(f"{DISCOUNT}/other-adults?draft_reference={draft.reference}")
    page = client.get(stale.location).text
    assert "This visit was ended without sending" in page and "Visit ended" in page
    assert "Nobody: the visit was ended by agent@example.com" in page
    assert "call" not in re.sub(r"<[^>]+>", " ", page[page.index("<main") :]).lower()
    assert "Visit ended, not sent" in find(client, "51234567").text
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions[-1] == "ended"


def test_an_exit_page_tells_the_agent_what_to_do_next(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    draft = to_not_eligible(app, client)
    page = client.get(f"{DISCOUNT}/not-eligible").get_data(as_text=True)
    main = page[page.index("<main") : page.index("</main>")]
    assert "You cannot get a single person discount" in main
    assert "If an answer was wrong, go back and change it" in main  # the agent's next step
    pause = f"/staff/drafts/{draft.reference}/pause"
    end = f"/staff/drafts/{draft.reference}/end"
    assert main.count("<form") == 2 and f'action="{pause}"' in main and f'action="{end}"' in main
    assert "Save and leave this draft" in main and "End the call without sending" in main
    left = client.post(pause)
    assert on_page(left.location) == "/staff/"
    assert f"Draft {draft.reference} saved" in client.get("/staff/").get_data(as_text=True)
    with app.app_context():  # a visit is not a call (a trial)
        db.session.get(Draft, draft.id).contact_channel = "face_to_face"  # type: ignore[union-attr]
        db.session.commit()
    client.post(f"/staff/drafts/{draft.reference}/resume")
    visit = client.get(f"{DISCOUNT}/not-eligible?draft_reference={draft.reference}")
    assert "End the visit without sending" in visit.get_data(as_text=True)
    assert "end the visit: the draft leaves your list" in visit.get_data(as_text=True)


def test_an_agent_ends_a_call_that_cannot_go_on_and_a_call_back_resumes_it(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    draft = to_not_eligible(app, client)
    exit_page = f"{DISCOUNT}/not-eligible?draft_reference={draft.reference}"
    assert client.get(exit_page).status_code == 200
    with app.app_context():  # in a team that is not the service's: it is theirs, still
        set_teams(db.session.get(StaffUser, staff["agent@example.com"]), ["waste"])
        db.session.commit()
    ended = client.post(f"/staff/drafts/{draft.reference}/end")
    assert ended.location == "/staff/"
    again = client.post(f"/staff/drafts/{draft.reference}/end")  # a second tab's button
    assert again.location == f"/staff/drafts/{draft.reference}"
    home = client.get("/staff/").get_data(as_text=True)
    assert f"Call ended. Draft {draft.reference} was not sent" in home
    assert f'href="/staff/drafts/{draft.reference}"' not in home  # off the drafts list
    stale_tab = client.get(exit_page)  # the call's tab, still open
    assert stale_tab.location == f"/staff/drafts/{draft.reference}"
    page = client.get(stale_tab.location).get_data(as_text=True)
    assert "This call was ended without sending" in page and "Call ended" in page
    assert "was not saved" not in page  # only opened again: nothing was sent from it
    assert "End the call without sending" not in page
    found = find(client, f"{draft.reference}")
    assert found.location == f"/staff/drafts/{draft.reference}"  # the reference finds it
    searched = find(client, "51234567").get_data(as_text=True)
    assert "Call ended, not sent" in searched  # not shown as a draft in progress
    other = app.test_client()  # the resident rang back, and another agent answered
    sign_in(other, "other@example.com")
    page = other.get(f"/staff/drafts/{draft.reference}").get_data(as_text=True)
    assert "Resume this draft" in page and "Take over this draft" not in page  # nobody's now
    assert "Nobody: the call was ended by agent@example.com" in page
    resumed = other.post(f"/staff/drafts/{draft.reference}/resume")
    channel_page = other.get(resumed.location).get_data(as_text=True)  # a new contact: how?
    assert "How did the resident contact us?" in channel_page
    assert f"How did the resident contact us? – {draft.reference} –" in channel_page
    assert "checked" not in channel_page  # a new contact: how, this time, is the question
    assert "Last time: Phone. Ask how they contacted us this time." in channel_page
    assert other.post(resumed.location, data={}).status_code == 400  # a choice is needed
    went_on = other.post(resumed.location, data={"contact_channel": "face_to_face"})
    assert on_page(went_on.location) == f"{DISCOUNT}/not-eligible"  # where the call stopped
    assert drafts(app)[0].contact_channel == "face_to_face"
    assert f'href="/staff/drafts/{draft.reference}"' in other.get("/staff/").get_data(True)
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions.count("ended") == 1  # once, and only the real resume after it
    assert actions[actions.index("ended") + 1 :] == ["resumed", "changed"]


def test_a_supervisor_ending_an_agents_call_is_named_and_the_agents_next_page_is_told(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    reference, boss = a_call_and_a_colleague(app, client, "boss@example.com")
    assert boss.post(f"/staff/drafts/{reference}/end").location == "/staff/"
    page = boss.get(f"/staff/drafts/{reference}").get_data(as_text=True)
    assert "Nobody: the call was ended by boss@example.com" in page  # not its agent
    typed = {"draft_reference": reference, **ABOUT_YOU}
    refused = client.post(f"{DISCOUNT}/about-you", data=typed, follow_redirects=True)
    told = refused.get_data(as_text=True)
    assert "so what you sent from its page was not saved. Resume it to go on." in told


def test_a_draft_handed_back_asks_how_the_resident_made_contact_when_resumed(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Handed back for any agent: whoever resumes it is taking a new contact (as for an
    ended call). A draft put on hold by its own agent goes straight back to its page."""
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    client.post(f"/staff/drafts/{reference}/pause")
    again = client.post(f"/staff/drafts/{reference}/resume")
    assert on_page(again.location) == f"{DISCOUNT}/about-you"  # the same call, on hold
    client.post(f"/staff/drafts/{reference}/hand-back")
    other = app.test_client()
    sign_in(other, "other@example.com")
    resumed = other.post(f"/staff/drafts/{reference}/resume")
    channel_page = other.get(resumed.location).get_data(as_text=True)
    assert f"How did the resident contact us? – {reference} –" in channel_page
    assert "checked" not in channel_page  # a new contact: how, this time, is the question
    assert "Last time: Phone. Ask how they contacted us this time." in channel_page
    assert other.post(resumed.location, data={}).status_code == 400  # a choice is needed
    went_on = other.post(resumed.location, data={"contact_channel": "webchat"})
    assert on_page(went_on.location) == f"{DISCOUNT}/about-you"
    assert drafts(app)[0].contact_channel == "webchat"


def test_resuming_takes_a_draft_up_only_once_the_channel_is_answered(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """An agent's trial: Resume on a call that was ended opened it at once, so leaving the
    'how did they contact us' page unanswered skipped the question and kept the old channel.
    Until it is answered the call stays ended (or handed back), and nobody's."""
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    client.post(f"/staff/drafts/{reference}/end")
    other = app.test_client()
    sign_in(other, "other@example.com")
    resumed = other.post(f"/staff/drafts/{reference}/resume")
    assert "How did the resident contact us?" in other.get(resumed.location).text
    (draft,) = drafts(app)
    assert draft.ended_at is not None and draft.staff_user_id == staff["agent@example.com"]
    page = other.get(f"{DISCOUNT}/about-you?draft_reference={reference}")  # left unanswered
    assert on_page(page.location) == f"/staff/drafts/{reference}"
    also = client.post(f"/staff/drafts/{reference}/resume")  # the first agent, meanwhile
    assert (
        client.post(also.location, data={"contact_channel": "letter_or_email"}).status_code == 302
    )
    late = other.post(resumed.location, data={"contact_channel": "webchat"})
    assert on_page(late.location) == f"/staff/drafts/{reference}"  # taken up since
    assert "Another agent has this draft now" in other.get(late.location).text
    (draft,) = drafts(app)
    assert (draft.ended_at, draft.staff_user_id) == (None, staff["agent@example.com"])
    assert draft.contact_channel == "letter_or_email"
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions.count("resumed") == 1 and actions[-1] == "changed"
    # handed back; the other agent is asked again, and the first sends it meanwhile (a trial)
    client.post(f"/staff/drafts/{reference}/hand-back")
    asked = other.post(f"/staff/drafts/{reference}/resume").location
    with app.app_context():  # sent, as far as this page can tell
        (draft,) = db.session.scalars(select(Draft)).all()
        db.session.add(
            Submission(
                reference="CTD-SENT-0001",
                service_id=draft.service_id,
                definition_version="v",
                channel="assisted",
                answers={},
                draft_id=draft.id,
            )
        )
        db.session.commit()
    late = other.post(asked, data={"contact_channel": "webchat"})
    told = other.get(late.location, follow_redirects=True).text
    assert "This draft was sent by another agent" in told


def test_a_page_opened_again_never_takes_up_a_draft_handed_back(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Only a form (under CSRF) or the Resume button takes a draft up: Back or a reload of a
    page of a draft handed back since shows where it stands, and changes nothing."""
    sign_in(client, "agent@example.com")
    page = client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"}).location
    (draft,) = drafts(app)
    client.post(f"/staff/drafts/{draft.reference}/hand-back")
    reloaded = client.get(page)
    assert reloaded.location == f"/staff/drafts/{draft.reference}"
    (draft,) = drafts(app)
    assert draft.staff_user_id is None
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions[-1] == "handed-back" and "resumed" not in actions


def test_a_form_from_a_tab_still_open_never_undoes_a_hand_back(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """An agent's trial: a form sent from a second tab took the draft back up, unasked how the
    resident made contact again. It is refused, as after an ended call or a take-over."""
    sign_in(client, "agent@example.com")
    client.post(f"{DISCOUNT}/", data={"contact_channel": "phone"})
    (draft,) = drafts(app)
    client.post(f"/staff/drafts/{draft.reference}/hand-back")
    sent = client.post(
        f"{DISCOUNT}/account-number",
        data={"account_number": "51234567", "draft_reference": draft.reference},
    )
    assert on_page(sent.location) == f"/staff/drafts/{draft.reference}"
    told = client.get(sent.location).get_data(as_text=True)
    assert "This draft was handed back for any agent" in told and "was not saved" in told
    (draft,) = drafts(app)
    assert draft.staff_user_id is None and "account_number" not in draft.data["answers"]
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert actions[-1] == "handed-back" and "resumed" not in actions
    assert "Draft, handed back" in find(client, utcnow().strftime("%d/%m/%Y")).text


def test_staff_in_a_team_find_and_take_up_only_their_teams_drafts(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")  # in no team: answers calls for every service
    reference = start_to_date_alone(client)  # a revenues draft
    client.post(f"/staff/drafts/{reference}/pause")
    other = app.test_client()
    sign_in(other, "other@example.com")
    with app.app_context():
        set_teams(db.session.get(StaffUser, staff["other@example.com"]), ["waste"])
        db.session.commit()
    found = find(other, "51234567")
    assert "No draft or sent form matches" in found.text
    assert "No draft or sent form matches" in find(other, f"{reference}").text
    assert other.get(f"/staff/drafts/{reference}").status_code == 404
    for action in ("resume", "take-over", "hand-back", "pause"):
        assert other.post(f"/staff/drafts/{reference}/{action}").status_code == 404
    client.post(f"/staff/drafts/{reference}/hand-back")  # nobody holds it now
    assert reference not in other.get("/staff/").text  # not listed for another team
    named = {"draft_reference": reference, "account_number": "59999999"}  # a form naming it
    posted = other.post(f"{DISCOUNT}/account-number", data=named)
    assert posted.status_code == 302 and on_page(posted.location) == "/staff/"
    (draft,) = drafts(app)
    assert draft.staff_user_id is None and draft.data["answers"]["account_number"] == "51234567"
    with app.app_context():
        set_teams(db.session.get(StaffUser, staff["other@example.com"]), ["revenues"])
        db.session.commit()
    assert reference in find(other, "51234567").text
    assert other.post(f"/staff/drafts/{reference}/take-over").status_code == 302
    sign_in(client, "agent@example.com")
    assert reference in find(client, "51234567").text  # no team: all


def test_only_the_agent_holding_a_draft_can_save_and_leave_it(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    reference, other = a_call_and_a_colleague(app, client, "other@example.com")  # agent@'s
    refused = other.post(f"/staff/drafts/{reference}/pause")
    assert on_page(refused.location) == f"/staff/drafts/{reference}"  # to see who has it
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert "paused" not in actions
    assert on_page(client.post(f"/staff/drafts/{reference}/pause").location) == "/staff/"


def test_search_keeps_to_the_teams_drafts_before_its_limit(
    app: Flask, client: FlaskClient, staff: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from service_builder.models import utcnow
    from service_builder.staff import callers

    sign_in(client, "agent@example.com")  # in no team
    reference = start_to_date_alone(client)  # revenues
    client.post(f"/staff/drafts/{reference}/pause")
    client.post(f"{FLY}/", data={"contact_channel": "phone"})  # street-scene, newer
    other = app.test_client()
    sign_in(other, "other@example.com")
    with app.app_context():
        set_teams(db.session.get(StaffUser, staff["other@example.com"]), ["revenues"])
        db.session.commit()
    monkeypatch.setattr(callers, "LIMIT", 1)  # one result: it must be one they may see
    today = utcnow().strftime("%d/%m/%Y")  # drafts are found by the day they were saved
    assert reference in find(other, f"{today}").text


def test_a_cut_short_list_holds_only_the_most_recent_of_either_kind(
    app: Flask, client: FlaskClient, staff: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review: with the sent forms cut at the limit, an older draft was listed among 'the
    most recent results' although sent forms newer than it were left out."""
    from service_builder.staff import callers

    sign_in(client, "agent@example.com")
    old_draft = start_to_date_alone(client)
    answer_about_you(client, "/staff")
    client.post(f"/staff/drafts/{old_draft}/pause")
    for _ in range(2):  # two sent forms, both newer than the draft
        start_to_date_alone(client)
        finish_discount(client)
    with app.app_context():  # the draft last changed before both were sent
        draft = db.session.scalars(select(Draft).where(Draft.reference == old_draft)).one()
        draft.updated_at -= dt.timedelta(hours=1)
        db.session.commit()
    assert "3 results" in find(client, "Pat Caller").text
    monkeypatch.setattr(callers, "LIMIT", 1)  # the newest sent form only: the other is cut
    page = find(client, "Pat Caller").text
    assert "The most recent result for" in page and old_draft not in page


def csrf_client() -> FlaskClient:
    """A browser on an app with CSRF on, as in production, with one agent's account, on an
    empty database (on PostgreSQL it is shared)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    empty_database(app)
    with app.app_context():
        save_user("agent@example.com", PASSWORD, "agent")
    return app.test_client()


def page_token(client: FlaskClient) -> Callable[[str], str]:
    """The CSRF token of the form on a page, as the browser would send it."""

    def token(url: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).get_data(True))
        assert found is not None, url
        return found[1]

    return token


def test_a_form_sent_after_signing_out_in_another_tab_keeps_what_was_typed() -> None:
    """CSRF on: signing out in tab 2 takes the session and its CSRF token; Continue in tab 1
    leads to sign-in and back to the page with what was typed, as after a timeout. A form
    sent from another site (its Origin) keeps nothing."""
    client = csrf_client()
    token = page_token(client)

    def sign_in_at(url: str) -> str:
        agent = {"email": "agent@example.com", "password": PASSWORD, "csrf_token": token(url)}
        return str(client.post(url, data=agent).location)

    sign_in_at("/staff/sign-in")
    assert client.get("/staff/sign-in").location == "/staff/"  # signed in already
    channel = {"contact_channel": "phone", "csrf_token": token(f"{DISCOUNT}/")}
    page = client.post(f"{DISCOUNT}/", data=channel).location
    for origin, kept in (("http://localhost", True), ("https://evil.example", False)):
        typed = {"account_number": "51234567", "csrf_token": token(page)}  # tab 1
        client.post("/staff/sign-out", data={"csrf_token": token("/staff/")})  # tab 2
        client.get("/staff/sign-in?signed_out=1")  # where tab 2 lands: a new CSRF token
        late = client.post(page, data=typed, headers={"Origin": origin})
        assert late.status_code == 302 and late.location.startswith("/staff/sign-in?next=")
        assert "You have signed out" in client.get(late.location).get_data(as_text=True)
        back = sign_in_at(late.location)
        assert back == page  # the same page, of the same call (its draft_reference)
        shown = client.get(back).get_data(as_text=True)
        assert ('value="51234567"' in shown) is kept
        assert ("Check the page and send it again" in shown) is kept


def test_a_form_sent_after_signing_in_again_in_another_tab_keeps_what_was_typed() -> None:
    """CSRF on: signing out and in again in tab 2 gives the session a new CSRF token; Continue
    in tab 1 shows its page again with what was typed, unsaved, to check and send (a form
    from another site keeps nothing). The sign-in page itself, left open, asks again."""
    client = csrf_client()
    app, token = client.application, page_token(client)

    def sign_in_with(csrf: str) -> str:
        agent = {"email": "agent@example.com", "password": PASSWORD, "csrf_token": csrf}
        return str(client.post("/staff/sign-in", data=agent).location)

    stale_sign_in = token("/staff/sign-in")
    client.get("/staff/sign-in?x=1")
    with client.session_transaction() as cookie:
        cookie.clear()  # the session that page was given has gone (a restart, a new key)
    expired = sign_in_with(stale_sign_in)
    assert expired.startswith("/staff/sign-in?") and "expired=1" in expired
    assert "open for a long time" in client.get(expired).get_data(as_text=True)
    assert sign_in_with(token("/staff/sign-in")) == "/staff/"
    channel = {"contact_channel": "phone", "csrf_token": token(f"{DISCOUNT}/")}
    page = client.post(f"{DISCOUNT}/", data=channel).location
    for origin, kept in (("http://localhost", True), ("https://evil.example", False)):
        typed = {"account_number": "51234567", "csrf_token": token(page)}  # tab 1
        client.post("/staff/sign-out", data={"csrf_token": token("/staff/")})  # tab 2
        assert sign_in_with(token("/staff/sign-in")) == "/staff/"  # and in again
        late = client.post(page, data=typed, headers={"Origin": origin})
        if not kept:
            assert late.status_code == 400 and "expired" in late.get_data(as_text=True)
            continue
        assert late.status_code == 303 and late.location == page
        shown = client.get(page).get_data(as_text=True)
        assert 'value="51234567"' in shown and "Check the page and send it again" in shown
        with app.app_context():
            draft = db.session.scalars(select(Draft)).one()
            assert "account_number" not in draft.data["answers"]  # unsaved until sent again
    # any other page (check your answers, a POST-only action): nothing sent, and it says so
    (draft,) = drafts(app)
    summary = f"{DISCOUNT}/check-answers?draft_reference={draft.reference}"
    for url, lands in ((summary, summary), (f"{DISCOUNT}/start-again", "/staff/")):
        stale = {"declaration_agreed": "yes", "csrf_token": token(page)}
        client.post("/staff/sign-out", data={"csrf_token": token("/staff/")})
        assert sign_in_with(token("/staff/sign-in")) == "/staff/"
        late = client.post(url, data=stale, headers={"Origin": "http://localhost"})
        assert late.status_code == 303 and late.location == lands, url
        shown = client.get(late.location, follow_redirects=True).get_data(as_text=True)
        assert "What you sent from this page was not saved" in shown, url
    assert sent(app) == []


def test_another_service_for_the_caller_after_signing_in_again_keeps_channel_and_caller() -> None:
    """CSRF on: a confirmation left open while the agent signed out and in again in another
    tab; 'Start another service for this caller' there starts nothing, and the channel page
    says so, with the channel and the caller (whose answers the new form starts with) kept."""
    client = csrf_client()
    app, token = client.application, page_token(client)

    def sign_in() -> None:
        agent = {"email": "agent@example.com", "password": PASSWORD}
        client.post("/staff/sign-in", data={**agent, "csrf_token": token("/staff/sign-in")})

    def sign_in_again() -> None:
        client.post("/staff/sign-out", data={"csrf_token": token("/staff/")})
        sign_in()

    sign_in()
    channel = {"contact_channel": "webchat", "csrf_token": token(f"{DISCOUNT}/")}
    page = client.post(f"{DISCOUNT}/", data=channel).location
    (draft,) = drafts(app)
    reference = draft.reference
    confirmation_form = {  # as the confirmation's button sends them (the sent form's reference)
        "contact_channel": "webchat",
        "caller_from": reference,
        "csrf_token": token(page),  # the open page's token, from before signing in again
    }
    sign_in_again()
    late = client.post(f"{FLY}/", data=confirmation_form, headers={"Origin": "http://localhost"})
    assert late.status_code == 303 and on_page(late.location) == f"{FLY}/"
    shown = client.get(late.location).get_data(as_text=True)
    assert "What you sent from this page was not saved" in shown
    assert re.search(r'value="webchat"\s+checked', shown)
    assert f'name="caller_from" value="{reference}"' in shown
    assert len(drafts(app)) == 1  # nothing started


def test_the_banner_and_the_draft_page_say_who_the_call_is_for(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    draft_page = client.get(f"/staff/drafts/{reference}").get_data(as_text=True)
    assert "Not known yet" in draft_page  # no name given yet
    client.post(f"{DISCOUNT}/about-you", data=ABOUT_YOU)
    page = client.get(f"{DISCOUNT}/security").get_data(as_text=True)
    assert "For <strong>Pat Caller</strong>." in page
    draft_page = client.get(f"/staff/drafts/{reference}").get_data(as_text=True)
    assert re.search(r"For\s*</dt>\s*<dd[^>]*>\s*Pat Caller", draft_page)


def test_the_contact_centre_reads_any_sent_form_a_caller_rings_back_about(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Staff in no team answer calls for every service: a caller's form sent by another agent
    (or online) is found by its reference or the caller's name, and read (audited). Staff in
    a team find only their teams' services' forms, as before."""
    sign_in(client, "agent@example.com")
    start_to_date_alone(client)
    finish_discount(client)
    with app.app_context():
        reference = db.session.scalars(select(Submission.reference)).one()
    other = app.test_client()
    sign_in(other, "other@example.com")  # another agent in no team, the next day
    found = find(other, f"{reference.lower()}")
    assert on_page(found.location) == f"/staff/submissions/{reference}"
    assert "Pat Caller" in other.get(f"/staff/submissions/{reference}").text
    assert reference in find(other, "Pat Caller").text
    with app.app_context():
        viewed = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert viewed is not None and viewed.action == "viewed-submission"
        assert viewed.staff_user_id == staff["other@example.com"]
        set_teams(db.session.get(StaffUser, staff["other@example.com"]), ["waste"])
        db.session.commit()
    assert other.get(f"/staff/submissions/{reference}").status_code == 404
    assert "No draft or sent form matches" in find(other, f"{reference}").text
    assert reference not in find(other, "Pat Caller").text


def test_several_notices_at_once_share_one_banner(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    for missing in ("DR-NONE-SUCH", "DR-NONE-ELSE"):
        client.get(f"{DISCOUNT}/account-number?draft_reference={missing}")
    home = client.get("/staff/").get_data(as_text=True)
    assert home.count('data-module="govuk-notification-banner"') == 1
    assert "DR-NONE-SUCH could not be found" in home and "DR-NONE-ELSE could not be found" in home


def test_back_to_check_answers_after_sending_says_the_form_was_sent(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Not the channel page of a new call: the agent might key the call again."""
    sign_in(client, "agent@example.com")
    reference = start_to_date_alone(client)
    finish_discount(client)
    back = client.get(f"{DISCOUNT}/check-answers?draft_reference={reference}")
    assert back.status_code == 200
    assert "This form has already been sent" in back.get_data(as_text=True)


def test_a_draft_with_only_an_address_so_far_is_labelled_by_it() -> None:
    from service_builder.staff.callers import who

    catalog = Catalog.load(EXAMPLES)
    home = {"line_1": "1 High Street", "town": "Aldermoor", "postcode": "AL1 1AA"}
    label = who(catalog, "apply-parking-permit", {"home_address": home})
    assert label == "1 High Street, AL1 1AA"
    named = {"home_address": home, "applicant_name": "Pat Caller"}
    assert who(catalog, "apply-parking-permit", named) == "Pat Caller"  # a name comes first
    where_it_was_left = {"postcode": "AL1 2CD"}  # autocomplete "off": not theirs
    assert who(catalog, "report-fly-tipping", where_it_was_left) == ""


def test_the_audit_trail_names_each_item_of_a_list_and_says_what_was_done_to_it(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    permit = "/staff/apply-recycling-centre-permit"
    client.post(f"{permit}/", data={"contact_channel": "phone"})
    client.post(f"{permit}/permit-for", data={"permit_for": "household"})
    for number, registration in ((1, "CU57 ABC"), (2, "VN22 BBB")):
        client.get(f"{permit}/vehicles/{number}")
        item = {"registration": registration, "vehicle_type": "van"}
        assert on_page(client.post(f"{permit}/vehicles/{number}", data=item).location) == (
            f"{permit}/vehicles"
        )
        if number == 1:
            client.post(f"{permit}/vehicles", data={"add_another": "yes"})
    client.get(f"{permit}/vehicles")
    client.post(f"{permit}/vehicles/1/remove", data={"confirm": "yes"})
    client.post(f"{permit}/vehicles", data={"add_another": "no"})
    with app.app_context():
        trail = [
            (e.action, e.detail or "")
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
    assert not any(detail.startswith("Contact channel") for _, detail in trail)  # never changed
    assert (
        "viewed",
        "Your vehicles: vehicle 2 (vehicles/2: registration, vehicle_type, charity_owned)",
    ) in trail
    changed = [detail.split(" (")[0] for action, detail in trail if action == "changed"]
    assert changed[-3:] == ["Your vehicles: vehicle 1", "Your vehicles: vehicle 2", "Your vehicles"]
    assert [d.split(" (")[0] for a, d in trail if a == "removed-item"] == [
        "Your vehicles: vehicle 1"
    ]
    assert ("viewed", "Your vehicles (vehicles: registration, vehicle_type, charity_owned)") in (
        trail
    )


def test_each_call_keeps_its_callers_language_in_every_tab_and_for_every_agent(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    permit, parking = "/staff/apply-recycling-centre-permit", "/staff/apply-parking-permit"
    welsh = client.post(f"{permit}/?lang=cy", data={"contact_channel": "phone"}).location
    english = client.post(f"{parking}/", data={"contact_channel": "phone"}).location
    first_tab = client.get(welsh).get_data(as_text=True)
    assert 'lang="cy"' in first_tab[:200]  # the first tab
    for staff_text in (  # what the agent reads stays marked as English (WCAG 3.1.2)
        '<li class="govuk-service-navigation__item" lang="en">',  # Sign out
        '<div class="govuk-width-container" lang="en">',  # the time-out warning
    ):
        assert staff_text in first_tab
    channel_url = f"{permit}/?draft=current&draft_reference={welsh.split('=')[-1]}"
    channel = client.get(channel_url)
    assert '<form method="post" novalidate lang="en">' in channel.get_data(as_text=True)
    unchosen = client.post(channel_url, data={}).get_data(as_text=True)  # an error of its own
    assert "<title>Error: How did the resident contact us?" in unchosen
    assert re.search(r'class="govuk-error-summary"[^>]*lang="en"', unchosen)
    assert re.search(r'class="govuk-back-link"[^>]*lang="en"', unchosen)
    assert 'lang="en"' in client.get(english).get_data(as_text=True)[:200]  # the second
    assert 'lang="cy"' in client.get(welsh).get_data(as_text=True)[:200]  # still, reloaded
    client.post(welsh, data={"permit_for": "household", "page_language": "cy"})
    new_call = client.post(f"{permit}/", data={"contact_channel": "phone"}).location
    assert 'lang="en"' in client.get(new_call).get_data(as_text=True)[:200]  # not a guess
    (welsh_draft,) = [d for d in drafts(app) if d.language == "cy"]
    assert welsh_draft.service_id == "apply-recycling-centre-permit"
    client.post(f"/staff/drafts/{welsh_draft.reference}/pause")
    assert "Phone, in Welsh (Cymraeg)" in client.get("/staff/").get_data(as_text=True)
    draft_page = client.get(f"/staff/drafts/{welsh_draft.reference}").get_data(as_text=True)
    assert re.search(r"Language\s*</dt>\s*<dd[^>]*>\s*Welsh \(Cymraeg\)", draft_page)
    other = app.test_client()  # the caller rang back, and another agent answered
    sign_in(other, "other@example.com")
    resumed = other.post(f"/staff/drafts/{welsh_draft.reference}/take-over").location
    page = other.get(resumed, follow_redirects=True).get_data(as_text=True)  # vehicle 1
    assert 'lang="cy"' in page[:200] and "cerbyd" in page  # the caller's language
    # the caller asked for English after all
    switched = other.get(f"{resumed}&lang=en", follow_redirects=True)
    assert 'lang="en"' in switched.get_data(as_text=True)[:200]
    assert [d.language for d in drafts(app) if d.id == welsh_draft.id] == ["en"]
    title = parse_page(page).title  # tabs of several calls are told apart
    assert f" – {welsh_draft.reference} – " in title
    with app.app_context():  # the trail is read by supervisors: in one language, English
        details = [e.detail or "" for e in db.session.scalars(select(AuditEvent))]
    assert any(d.startswith("Who is the permit for? (permit-for") for d in details)
    assert not any("Ar gyfer pwy" in d for d in details)


def test_another_service_from_a_form_sent_earlier_asks_how_the_caller_made_contact(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_to_date_alone(client, channel="face_to_face")
    finish_discount(client)
    (submission,) = sent(app)
    page = client.get(f"/staff/submissions/{submission.reference}").get_data(as_text=True)
    assert 'name="contact_channel" value="face_to_face"' not in page  # a call back, not that visit
    recycling = "/staff/apply-recycling-centre-permit"
    link = f'href="{recycling}/?caller_from={submission.reference}"'
    assert link in page
    channel_page = client.get(f"{recycling}/?caller_from={submission.reference}")
    assert " checked" not in channel_page.get_data(as_text=True)
    started = client.post(
        f"{recycling}/?caller_from={submission.reference}", data={"contact_channel": "phone"}
    )
    assert on_page(started.location) == f"{recycling}/permit-for"
    new = drafts(app)[-1]
    assert new.contact_channel == "phone" and new.data["answers"]  # what both services ask


def test_on_a_welsh_call_the_agents_own_words_are_english_and_marked_so(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    """WCAG 3.1.2: what the agent reads is English, marked so; what the caller hears (the
    declaration) is in their language, marked so."""
    sign_in(client, "agent@example.com")
    service = EXAMPLE_SERVICES.services["apply-parking-permit"]
    assert service.declaration and "cy" in service.languages
    client.post(f"/staff/{service.id}/?lang=cy", data={"contact_channel": "phone"})
    route = next(r for r in explore(service, "staff") if not r.exit_page)
    Walker(client, service, "/staff").walk(route)
    page = client.get(f"/staff/{service.id}/check-answers").get_data(as_text=True)
    assert 'lang="cy"' in page[:200]
    assert '<h1 class="govuk-heading-l" lang="en">Check the resident’s answers' in page
    assert re.search(r'<div lang="en">\s*<h2 class="govuk-heading-m">Read this declaration', page)
    assert re.search(r'class="govuk-inset-text"\s+lang="cy"', page)
    assert "The resident has heard the declaration and agrees with it" in page
    assert re.search(r'class="govuk-!-margin-bottom-0" lang="en">', page)  # Save and leave
    seen = re.search(r'name="answers_seen" value="([^"]+)"', page)
    assert seen is not None
    changed = client.post(  # as another tab left it before an answer changed
        f"/staff/{service.id}/check-answers",
        data={"answers_seen": seen.group(1) + "x", "page_language": "cy"},
    ).get_data(as_text=True)
    assert re.search(r'class="govuk-notification-banner"[^>]*lang="en"', changed)
    refused = client.post(  # the declaration not confirmed: an error of the agent's
        f"/staff/{service.id}/check-answers",
        data={"answers_seen": seen.group(1), "declaration_shown": "1", "page_language": "cy"},
    ).get_data(as_text=True)
    assert "<title>Error: Check the resident’s answers" in refused
    assert re.search(r'class="govuk-error-summary"[^>]*lang="en"', refused)
    assert "There is a problem" in refused and "Gwall" not in refused
    assert "Nothing has been sent. Check the answers below, then send them." in changed


def test_a_form_sent_in_welsh_is_confirmed_in_welsh_whatever_another_tab_chose(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    service = EXAMPLE_SERVICES.services["apply-recycling-centre-permit"]
    client.post(f"/staff/{service.id}/?lang=cy", data={"contact_channel": "phone"})
    route = next(r for r in explore(service, "staff") if not r.exit_page)
    Walker(client, service, "/staff").walk(route)
    summary = f"/staff/{service.id}/check-answers"
    welsh_tab = client.get(summary).get_data(as_text=True)
    assert 'lang="cy"' in welsh_tab[:200]
    client.get(f"{summary}?lang=en")  # another tab: the caller asked for English, then not
    sending = client.post(summary, data={"page_language": "cy"})  # from the Welsh tab
    assert on_page(sending.location) == f"/staff/{service.id}/confirmation"
    confirmation = client.get(sending.location).get_data(as_text=True)
    (submission,) = sent(app)
    assert submission.language == "cy" and 'lang="cy"' in confirmation[:200]
    assert f"/staff/submissions/{submission.reference}/print?lang=cy" in confirmation


SOURCE = """
id: source
title: Source
pages:
  - id: where
    questions:
      - {id: postcode, type: postcode, label: "Nearest postcode?", autocomplete: "off"}
  - id: you
    title: About you
    questions:
      - {id: your_email, type: email, label: "Your email?"}
      - {id: mobile, type: phone, label: "Your phone?", autocomplete: tel}
"""
TARGET = """
id: target
title: Target
pages:
  - id: home
    questions:
      - {id: postcode, type: postcode, label: "Your postcode?", autocomplete: postal-code}
  - id: landlord
    title: Contacts
    questions:
      - {id: landlord_email, type: email, label: "Your landlord's email?"}
      - {id: phone, type: phone, label: "Your phone?", autocomplete: tel}
"""


def test_only_what_is_said_to_be_the_callers_own_is_carried_to_another_service() -> None:
    """An email question says nothing of whose it is (a landlord's?), and a nearest postcode
    (autocomplete off) is not the caller's: neither is carried; a `tel` the author gave is."""
    from service_builder.definitions.loader import load_text
    from service_builder.staff.callers import carried_answers

    source, target = (load_text(text, "x.yaml").service for text in (SOURCE, TARGET))
    assert source is not None and target is not None
    given = {"postcode": "AL1 2CD", "your_email": "pat@example.com", "mobile": "07700900123"}
    assert carried_answers(source, given, target) == {"phone": "07700900123"}
