"""Assisted digital: sign-in, roles, lock-out, the assisted journey, drafts and the audit trail."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.exports import as_record
from service_builder.models import AuditEvent, Draft, StaffUser, Submission, db
from service_builder.staff.accounts import save_user
from service_builder.staff.sessions import StaffSession
from tests.html_checks import parse_page
from tests.web.discount import answer_about_you, answer_to_about_you
from tests.web.walker import on_page

PASSWORD = "correct horse battery"
DISCOUNT = "/staff/council-tax-single-person-discount"


@pytest.fixture
def staff(app: Flask) -> dict[str, int]:
    with app.app_context():
        for email, role in (
            ("agent@example.com", "agent"),
            ("other@example.com", "agent"),
            ("boss@example.com", "supervisor"),
        ):
            save_user(email, PASSWORD, role)
        return {u.email: u.id for u in db.session.scalars(select(StaffUser))}


def age_sessions(by: dt.timedelta, created_too: bool = False) -> None:
    """Make every staff session look as if it was last used (and started) `by` ago."""
    for found in db.session.scalars(select(StaffSession)):
        found.last_seen_at -= by
        if created_too:
            found.created_at -= by
    db.session.commit()


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> object:
    return client.post("/staff/sign-in", data={"email": email, "password": password})


def find(client: FlaskClient, words: str) -> Any:
    """The staff home's Find box: an exact reference answers with its page's address (a
    redirect); anything else with the results page (the redirect to its address followed)."""
    sent = client.post("/staff/find", data={"reference": words})
    if sent.status_code == 302 and sent.location.startswith("/staff/find?"):
        return client.get(sent.location)
    return sent


def start_discount(client: FlaskClient, channel: str = "phone") -> str:
    response = client.post(f"{DISCOUNT}/", data={"contact_channel": channel})
    assert on_page(response.location) == f"{DISCOUNT}/account-number"
    answer_to_about_you(client, "/staff")
    page = client.get(f"{DISCOUNT}/date-alone").get_data(as_text=True)
    reference = re.search(r"Draft reference: <strong>(DR-[A-Z0-9-]+)</strong>", page)
    assert reference is not None
    return reference.group(1)


def finish_discount(client: FlaskClient) -> Any:
    response = answer_about_you(client, "/staff", email="pat@example.com")
    assert on_page(response.location) == f"{DISCOUNT}/security"  # staff-only; paperless is hidden
    assert (
        on_page(client.post(f"{DISCOUNT}/security", data={"security_passed": "passed"}).location)
        == f"{DISCOUNT}/check-answers"
    )
    return client.post(f"{DISCOUNT}/check-answers", data={"declaration_agreed": "yes"})


@pytest.mark.parametrize(
    "url",
    [
        "/staff/",
        f"{DISCOUNT}/",
        f"{DISCOUNT}/account-number",
        f"{DISCOUNT}/check-answers",
        "/staff/drafts/DR-XXXX-XXXX",
        "/staff/submissions/CTD-XXXX-XXXX",
        "/staff/find?reference=x",
    ],
)
def test_staff_pages_need_sign_in(client: FlaskClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response.location.startswith("/staff/sign-in?next=")


def test_staff_search_needs_sign_in(client: FlaskClient) -> None:
    searched = client.post("/staff/find", data={"reference": "Pat Caller"})
    assert searched.location.startswith("/staff/sign-in?next=")


def test_residents_never_need_to_sign_in(client: FlaskClient) -> None:
    assert client.get("/council-tax-single-person-discount/").status_code == 200


def test_sign_in_errors_do_not_reveal_whether_an_account_exists(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    wrong_password = sign_in(client, "agent@example.com", "not the password")
    no_account = sign_in(client, "nobody@example.com", "not the password")
    assert wrong_password.status_code == no_account.status_code == 400
    first = parse_page(wrong_password.get_data(as_text=True))
    second = parse_page(no_account.get_data(as_text=True))
    assert first.error_messages == second.error_messages
    assert first.title.startswith("Error: ")
    empty = client.post("/staff/sign-in", data={})
    assert parse_page(empty.get_data(as_text=True)).error_messages == [
        "Enter your email address",
        "Enter your password",
    ]


def test_accounts_lock_after_repeated_failures(client: FlaskClient, staff: dict[str, int]) -> None:
    for _ in range(5):
        assert sign_in(client, "agent@example.com", "wrong").status_code == 400
    locked = sign_in(client, "agent@example.com")
    assert locked.status_code == 400
    assert sign_in(client, "other@example.com").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_and_only_there(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    response = client.post(
        f"/staff/sign-in?next={DISCOUNT}/",
        data={"email": "agent@example.com", "password": PASSWORD},
    )
    assert on_page(response.location) == f"{DISCOUNT}/"
    client.post("/staff/sign-out")
    for elsewhere in ("https://evil.example/", "/staff/%0Ax", "/staff/%0D%0AX-Injected:%201"):
        client.post("/staff/sign-out")
        response = client.post(
            f"/staff/sign-in?next={elsewhere}",
            data={"email": "agent@example.com", "password": PASSWORD},
        )
        assert on_page(response.location) == "/staff/", elsewhere
    response = client.get("/staff/sign-in?next=/staff/%0Ax")  # signed in already
    assert on_page(response.location) == "/staff/"
    response = client.post("/staff/stay-signed-in", data={"next": "/staff/\r\nX: 1"})
    assert on_page(response.location) == "/staff/"


def test_idle_staff_are_signed_out(app: Flask, client: FlaskClient, staff: dict[str, int]) -> None:
    sign_in(client, "agent@example.com")
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    response = client.get("/staff/")
    assert response.location.startswith("/staff/sign-in?next=")
    assert "timed_out=1" in response.location
    assert "did nothing for 30 minutes" in client.get(response.location).get_data(as_text=True)


def test_the_channel_must_be_chosen(client: FlaskClient, staff: dict[str, int]) -> None:
    sign_in(client, "agent@example.com")
    response = client.post(f"{DISCOUNT}/", data={"contact_channel": "pigeon"})
    assert response.status_code == 400
    assert parse_page(response.get_data(as_text=True)).error_messages == [
        "Select how the resident contacted us"
    ]
    assert on_page(client.get(f"{DISCOUNT}/account-number").location) == f"{DISCOUNT}/"


@pytest.mark.parametrize(
    ("channel", "sentence"),
    [
        ("phone", "The resident contacted us <strong>by phone</strong>."),
        ("face_to_face", "The resident contacted us <strong>face to face</strong>."),
        ("webchat", "The resident contacted us <strong>by webchat</strong>."),
        ("letter_or_email", "The resident contacted us <strong>by letter or email</strong>."),
    ],
)
def test_the_banner_says_how_the_resident_contacted_us_in_plain_words(
    client: FlaskClient, staff: dict[str, int], channel: str, sentence: str
) -> None:
    sign_in(client, "agent@example.com")
    start_discount(client, channel)
    page = client.get(f"{DISCOUNT}/about-you").get_data(as_text=True)
    assert sentence in page and "contacted us by face" not in page


def test_an_assisted_journey_records_channel_staff_and_audit(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_discount(client, "face_to_face")
    page = client.get(f"{DISCOUNT}/about-you").get_data(as_text=True)
    assert "The resident contacted us <strong>face to face</strong>." in page
    without_declaration = client.post(f"{DISCOUNT}/check-answers")  # not yet complete
    assert on_page(without_declaration.location) == f"{DISCOUNT}/about-you"
    response = finish_discount(client)
    assert on_page(response.location) == f"{DISCOUNT}/confirmation"
    assert (
        on_page(
            client.post(f"{DISCOUNT}/check-answers", data={"declaration_agreed": "yes"}).location
        )
        == f"{DISCOUNT}/confirmation"
    )  # a double submit
    confirmation = client.get(f"{DISCOUNT}/confirmation").get_data(as_text=True)
    assert "Assisted digital" in confirmation and "Save and leave" not in confirmation
    assert re.search(
        r"Letters as words, if they are hard to hear: Charlie Tango Delta, ", confirmation
    )
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        assert submission.channel == "assisted"
        assert submission.contact_channel == "face_to_face"
        assert submission.staff_user_id == staff["agent@example.com"]
        assert submission.answers["security_passed"] == "passed"
        assert "paperless_billing" not in submission.answers
        assert "Pat Caller" not in json.dumps(
            [e.detail for e in db.session.scalars(select(AuditEvent))]
        )
        actions = [
            (e.action, e.staff_user_id)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
        assert actions[0] == ("started", staff["agent@example.com"])
        assert {"viewed", "changed", "submitted"} <= {a for a, _ in actions}
        assert {who for _, who in actions} == {staff["agent@example.com"]}
        record = as_record(submission)
        assert record["staff"] == "agent@example.com"
        assert record["contact_channel"] == "face_to_face"
        assert " ".join(submission.reference.split("-")[1]) in confirmation  # read aloud
    main = confirmation[confirmation.index("<main") :]
    assert "Pat Caller" not in main  # the answers are on the printable copy, not here
    assert "For <strong>Pat Caller</strong>." in confirmation  # the agent's bar says whose call
    printable = client.get(f"/staff/submissions/{submission.reference}/print")
    assert "Pat Caller" in printable.get_data(as_text=True)  # the printable summary


def at_check_answers(client: FlaskClient) -> None:
    """An agent's call for Pat, every question answered: at check your answers."""
    sign_in(client, "agent@example.com")
    start_discount(client)
    client.post(
        f"{DISCOUNT}/about-you",
        data={
            "full_name": "Pat",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "1960",
        },
    )
    client.post(f"{DISCOUNT}/security", data={"security_passed": "passed"})


def test_the_declaration_must_be_confirmed_by_the_agent(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    at_check_answers(client)
    page = client.get(f"{DISCOUNT}/check-answers").get_data(as_text=True)
    assert '<input type="hidden" name="declaration_shown" value="1">' in page
    response = client.post(f"{DISCOUNT}/check-answers", data={"declaration_shown": "1"})
    assert response.status_code == 400
    assert parse_page(response.get_data(as_text=True)).error_messages == [
        "Confirm that the resident agrees with the declaration"
    ]


def test_a_client_posting_only_the_contract_s_fields_sends_an_assisted_form(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    """The contract names no field for check answers: the declaration's box is asked for
    only by the form that shows it (`declaration_shown`)."""
    at_check_answers(client)
    sent = client.post(f"{DISCOUNT}/check-answers")
    assert on_page(sent.location) == f"{DISCOUNT}/confirmation"
    with client.application.app_context():
        [detail] = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "submitted")
        )
    assert detail is None  # sent without the box: the trail does not claim it was ticked


def test_the_audit_trail_records_the_agent_confirmed_the_declaration(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    at_check_answers(client)
    sent = client.post(
        f"{DISCOUNT}/check-answers", data={"declaration_shown": "1", "declaration_agreed": "yes"}
    )
    assert on_page(sent.location) == f"{DISCOUNT}/confirmation"
    with client.application.app_context():
        [detail] = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "submitted")
        )
    assert detail == "The agent confirmed the resident agrees with the declaration"


@pytest.mark.parametrize(
    ("channel", "declaration", "reference"),
    [
        ("phone", "The resident has heard the declaration", "Read the reference to the resident"),
        ("letter_or_email", "The resident has read the declaration", "Give the resident this"),
        ("webchat", "The resident has read the declaration", "Give the resident this reference"),
    ],
)
def test_a_written_contact_is_not_read_aloud_to(
    client: FlaskClient, staff: dict[str, int], channel: str, declaration: str, reference: str
) -> None:
    sign_in(client, "agent@example.com")
    start_discount(client, channel)
    answer_about_you(client, "/staff")
    client.post(f"{DISCOUNT}/security", data={"security_passed": "passed"})
    assert declaration in client.get(f"{DISCOUNT}/check-answers").get_data(as_text=True)
    client.post(f"{DISCOUNT}/check-answers", data={"declaration_agreed": "yes"})
    sent = client.get(f"{DISCOUNT}/confirmation").get_data(as_text=True)
    assert reference in sent
    assert ("Letters as words" in sent) is (channel == "phone")  # nothing to hear in writing


def test_staff_see_staff_questions_and_residents_do_not(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    resident = client.application.test_client()
    base = "/council-tax-single-person-discount"
    answer_to_about_you(resident)
    response = answer_about_you(resident, email="pat@example.com")
    assert on_page(response.location) == f"{base}/paperless"  # resident-only question
    assert on_page(resident.get(f"{base}/security").location) == f"{base}/paperless"


def test_another_agent_can_take_over_a_paused_draft(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    reference = start_discount(client)
    paused = client.post(f"/staff/drafts/{reference}/pause")
    assert on_page(paused.location) == "/staff/"
    assert f"Draft {reference} saved" in client.get("/staff/").get_data(as_text=True)
    assert on_page(client.get(f"{DISCOUNT}/about-you").location) == f"{DISCOUNT}/"  # no longer held
    other = app.test_client()
    sign_in(other, "other@example.com")
    assert reference not in other.get("/staff/").get_data(as_text=True)  # not their draft
    found = find(other, f"{reference.lower()}")
    assert on_page(found.location) == f"/staff/drafts/{reference}"
    page = other.get(f"/staff/drafts/{reference}").get_data(as_text=True)
    assert "agent@example.com, since" in page and "Take over this draft" in page
    refused = other.post(f"/staff/drafts/{reference}/resume")  # not without taking it over
    assert on_page(refused.location) == f"/staff/drafts/{reference}"
    resumed = other.post(f"/staff/drafts/{reference}/take-over")
    assert on_page(resumed.location) == f"{DISCOUNT}/about-you"
    assert on_page(finish_discount(other).location) == f"{DISCOUNT}/confirmation"
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        assert submission.staff_user_id == staff["other@example.com"]
        events = [
            (e.action, e.staff_user_id)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
        assert ("started", staff["agent@example.com"]) in events
        assert ("paused", staff["agent@example.com"]) in events
        assert ("taken-over", staff["other@example.com"]) in events
        assert events[-1] == ("submitted", staff["other@example.com"])


def test_handed_back_drafts_are_listed_for_every_agent(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    reference = start_discount(client)
    other = app.test_client()
    sign_in(other, "other@example.com")
    assert other.post(f"/staff/drafts/{reference}/hand-back").status_code == 403
    assert client.post(f"/staff/drafts/{reference}/hand-back").status_code == 302
    assert reference in other.get("/staff/").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Draft)).one().staff_user_id is None


def test_only_supervisors_read_the_audit_trail(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_discount(client)
    finish_discount(client)
    with app.app_context():
        reference = db.session.scalars(select(Submission)).one().reference
    agent_view = client.get(f"/staff/submissions/{reference}").get_data(as_text=True)
    assert "Pat Caller" in agent_view and "Audit trail" not in agent_view
    boss = app.test_client()
    sign_in(boss, "boss@example.com")
    boss_view = boss.get(f"/staff/submissions/{reference}").get_data(as_text=True)
    assert "Audit trail" in boss_view and "Started the draft" in boss_view
    assert "agent@example.com" in boss_view
    assert "All drafts" in boss.get("/staff/").get_data(as_text=True)


def test_finding_an_unknown_reference_says_so(client: FlaskClient, staff: dict[str, int]) -> None:
    sign_in(client, "agent@example.com")
    response = find(client, "NOPE-1234")
    assert response.status_code == 200  # a search that finds nothing is a result, not an error
    assert "No draft or sent form matches ‘NOPE-1234’" in response.text
    assert parse_page(response.text).error_messages == []


def app_client_signed_in_again(client: FlaskClient) -> FlaskClient:
    """A second browser of the same member of staff (agent@example.com)."""
    other = client.application.test_client()
    sign_in(other, "agent@example.com")
    return other


def test_what_staff_search_for_is_never_in_an_address_or_a_title(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    start_discount(client)
    answer_to_about_you(client, "/staff")
    answer_about_you(client, "/staff")
    typed = client.get("/staff/find?reference=Pat+Caller")  # a bookmark, an old link
    assert typed.status_code == 302 and typed.location == "/staff/"
    assert '<form method="post" action="/staff/find"' in client.get("/staff/").text
    sent = client.post("/staff/find", data={"reference": "Pat Caller"})
    assert sent.status_code == 302 and sent.location.startswith("/staff/find?search=")
    assert "Pat" not in sent.location and "Caller" not in sent.location
    found = client.get(sent.location)  # and again, as Back or a refresh would
    assert found.status_code == 200 and "1 result" in found.text
    assert "1 result" in client.get(sent.location).text
    assert "Pat Caller" not in parse_page(found.text).title
    assert 'value="Pat Caller"' in found.text  # to search again
    assert 'class="govuk-link app-reference"' in found.text  # read out: kept on one line
    other = app_client_signed_in_again(client)
    ended = other.get(sent.location)  # another sign-in: the search is not theirs
    assert ended.location == "/staff/"
    assert "This search has ended" in other.get("/staff/").text


def test_results_are_newest_first_and_a_result_s_back_link_returns_to_them(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """An agent's trial: sent forms were listed above newer drafts, and Back from a result
    went to the staff home, losing the search."""
    sign_in(client, "agent@example.com")
    start_discount(client)
    finish_discount(client)  # sent first
    draft = start_discount(client)
    answer_about_you(client, "/staff")  # then a newer draft for the same caller
    found = find(client, "Pat Caller")
    assert "2 results" in found.text
    assert found.text.index(draft) < found.text.index("CTD-")  # newest first, either kind
    search = found.request.full_path.rstrip("?")  # /staff/find?search=TOKEN
    links = re.findall(r'href="(/staff/(?:drafts|submissions)/[^"]+)"', found.text)
    assert len(links) == 2
    for link in links:
        page = client.get(html.unescape(link)).text
        assert f'href="{search}" class="govuk-back-link"' in page, link
    assert 'href="/staff/" class="govuk-back-link"' in client.get(f"/staff/drafts/{draft}").text
    other = app_client_signed_in_again(client)  # not this sign-in's search: home
    assert 'href="/staff/" class="govuk-back-link"' in other.get(html.unescape(links[0])).text


@pytest.mark.parametrize("day", ["31/12/9999", "1/1/1"])
def test_searching_for_the_last_or_first_day_there_is_finds_nothing(
    client: FlaskClient, staff: dict[str, int], day: str
) -> None:
    sign_in(client, "agent@example.com")
    response = find(client, day)
    assert response.status_code == 200
    assert f"No draft or sent form matches ‘{day}’" in response.text


def test_assisted_mode_runs_repeat_pages_through_the_same_runner(
    client: FlaskClient, app: Flask, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    base = "/staff/apply-recycling-centre-permit"
    first = client.post(f"{base}/", data={"contact_channel": "phone"})
    assert on_page(first.location) == f"{base}/permit-for"
    assert on_page(
        client.post(f"{base}/permit-for", data={"permit_for": "household"}).location
    ) == (f"{base}/vehicles")
    assert on_page(client.get(f"{base}/vehicles").location) == f"{base}/vehicles/1"
    item = {"registration": "AB12 CDE", "vehicle_type": "van"}
    assert on_page(client.post(f"{base}/vehicles/1", data=item).location) == f"{base}/vehicles"
    listing = client.get(f"{base}/vehicles").get_data(as_text=True)
    assert f'href="{base}/vehicles/1/remove?draft_reference=DR-' in listing
    assert on_page(client.post(f"{base}/vehicles", data={"add_another": "no"}).location) == (
        f"{base}/address"
    )
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
        assert actions.count("changed") >= 3  # the item and the list are audited like pages


def test_each_agent_has_their_own_count_of_forms_sent(app: Flask, staff: dict[str, int]) -> None:
    app.config["SUBMIT_RATE_LIMIT"] = "1 per minute"  # agents share the centre's address

    def send(client: FlaskClient) -> int:
        start_discount(client)
        return int(finish_discount(client).status_code)

    agent, other = app.test_client(), app.test_client()
    sign_in(agent, "agent@example.com")
    sign_in(other, "other@example.com")
    assert send(agent) == 302
    assert send(agent) == 429
    assert send(other) == 302


def test_only_the_page_right_after_signing_out_clears_the_other_tabs(
    client: FlaskClient, staff: dict[str, int]
) -> None:
    """A review: a failed sign-in, or a reload, on the signed-out page told the browser's
    other tabs (signed in again since) to reload, losing what was typed there."""
    sign_in(client, "agent@example.com")
    after = client.post("/staff/sign-out", follow_redirects=True).text
    assert "You have signed out" in after and "data-app-signed-out" in after
    again = client.get("/staff/sign-in?signed_out=1").text
    assert "You have signed out" in again and "data-app-signed-out" not in again
    failed = client.post("/staff/sign-in?signed_out=1", data={"email": "x@example.com"}).text
    assert "data-app-signed-out" not in failed and "You have signed out" not in failed
