"""The resident journey over HTTP: bad input, tampering, restarts, tabs, expiry and CSRF."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from service_builder.models import Draft, Submission, db
from tests.conftest import app_for, copy_fixture, make_app
from tests.html_checks import parse_page

BASE = "/branching"


@pytest.fixture
def app(definitions_dir: Path) -> Flask:
    return app_for(definitions_dir, "branching.yaml")


def answer_to_contact(client: FlaskClient, dog: bool = False) -> None:
    assert client.post(f"{BASE}/age", data={"age": "30"}).status_code == 302
    pets = ["cat", "dog"] if dog else ["cat"]
    assert client.post(f"{BASE}/pets", data={"pets": pets}).status_code == 302
    if dog:
        assert client.post(f"{BASE}/dog-name", data={"dog_name": "Rex"}).status_code == 302
    assert client.post(f"{BASE}/notice").location == f"{BASE}/contact"


def test_start_page_then_first_question(client: FlaskClient) -> None:
    start = client.get(f"{BASE}/")
    assert start.status_code == 200
    assert f'href="{BASE}/age"' in start.get_data(as_text=True)
    page = client.get(f"{BASE}/age")
    assert f'href="{BASE}/"' in page.get_data(as_text=True)  # back to the start page


def test_deep_links_past_unanswered_pages_go_to_the_first_page_needed(client: FlaskClient) -> None:
    assert client.get(f"{BASE}/contact").location == f"{BASE}/age"
    assert client.get(f"{BASE}/check-answers").location == f"{BASE}/age"
    client.post(f"{BASE}/age", data={"age": "30"})
    assert client.get(f"{BASE}/dog-name").location == f"{BASE}/pets"
    assert client.post(f"{BASE}/notice").location == f"{BASE}/pets"


def test_unknown_services_and_pages_get_a_404_page(client: FlaskClient) -> None:
    for url in ("/no-such-service/", "/no-such-service/age", f"{BASE}/no-such-page"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page not found" in response.get_data(as_text=True)


def test_exit_pages_have_no_way_on(client: FlaskClient) -> None:
    assert client.post(f"{BASE}/age", data={"age": "5"}).location == f"{BASE}/too-young"
    page = client.get(f"{BASE}/too-young").get_data(as_text=True)
    assert "You are too young" in page and "govuk-button" not in page
    assert client.post(f"{BASE}/too-young").location == f"{BASE}/too-young"
    assert client.get(f"{BASE}/check-answers").location == f"{BASE}/too-young"


def test_malformed_posts_get_messages_not_crashes(client: FlaskClient) -> None:
    response = client.post(f"{BASE}/age", data={"unexpected": "x"})
    assert response.status_code == 400
    # A repeated field counts once: the first value (werkzeug's MultiDict.get), so 1 is too young.
    response = client.post(f"{BASE}/age", data={"age": ["1", "40"]})
    assert response.status_code == 302
    assert response.location == f"{BASE}/too-young"
    client.post(f"{BASE}/age", data={"age": "30"})
    response = client.post(f"{BASE}/pets", data={"pets": ["lizard"]})
    assert response.status_code == 400
    assert parse_page(response.get_data(as_text=True)).error_messages == [
        "Select the answer to ‘Which pets do you have?’"
    ]


def test_an_oversized_body_gets_a_413_page(client: FlaskClient) -> None:
    response = client.post(f"{BASE}/age?change=1", data={"age": "1" * 300_000})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "too large" in html  # and a way back to the page, without JavaScript:
    assert f'href="{BASE}/age?change=1" class="govuk-back-link"' in html


def test_input_is_kept_exactly_as_typed_on_error(client: FlaskClient) -> None:
    response = client.post(f"{BASE}/age", data={"age": " twelve & <b>"})
    html = response.get_data(as_text=True)
    assert 'value=" twelve &amp; &lt;b&gt;"' in html
    assert "<b>" not in html.split("govuk-template__body")[1]


def test_change_links_return_to_check_answers_via_new_pages(client: FlaskClient) -> None:
    answer_to_contact(client)
    assert client.post(f"{BASE}/contact", data={"newsletter": "no"}).location == (
        f"{BASE}/check-answers"
    )
    summary = client.get(f"{BASE}/check-answers").get_data(as_text=True)
    assert f"{BASE}/pets?change=1" in summary
    change = client.get(f"{BASE}/pets?change=1").get_data(as_text=True)
    assert f'href="{BASE}/check-answers"' in change  # back goes to the summary
    response = client.post(f"{BASE}/pets?change=1", data={"pets": ["dog"]})
    assert response.location == f"{BASE}/dog-name?change=1"
    response = client.post(f"{BASE}/dog-name?change=1", data={"dog_name": "Rex"})
    assert response.location == f"{BASE}/check-answers"
    assert "Rex" in client.get(f"{BASE}/check-answers").get_data(as_text=True)
    response = client.post(f"{BASE}/pets?change=1", data={"pets": ["cat"]})
    assert response.location == f"{BASE}/check-answers"
    assert "Rex" not in client.get(f"{BASE}/check-answers").get_data(as_text=True)


def test_answers_survive_a_server_restart(tmp_path: Path, definitions_dir: Path) -> None:
    copy_fixture("branching.yaml", definitions_dir)
    database = f"sqlite:///{tmp_path / 'restart.db'}"
    app = make_app(definitions_dir, SQLALCHEMY_DATABASE_URI=database)
    first = app.test_client()
    first.post(f"{BASE}/age", data={"age": "44"})
    cookie = first.get_cookie("session")
    assert cookie is not None
    # answers never in the cookie: what it holds, but for the draft's random token (which,
    # like the signature, may hold '44' by chance), read as the app reads it
    held = app.session_interface.get_signing_serializer(app).loads(cookie.value)  # type: ignore[attr-defined]
    tokens = held.pop("drafts")
    assert list(tokens) == ["branching"] and "44" not in json.dumps(held)
    second = make_app(definitions_dir, SQLALCHEMY_DATABASE_URI=database).test_client()
    second.set_cookie("session", cookie.value)
    assert 'value="44"' in second.get(f"{BASE}/age").get_data(as_text=True)


def test_two_tabs_share_one_draft(client: FlaskClient) -> None:
    client.post(f"{BASE}/age", data={"age": "30"})
    tab_one = client.get(f"{BASE}/pets")
    tab_two = client.get(f"{BASE}/age")
    assert tab_one.status_code == tab_two.status_code == 200
    client.post(f"{BASE}/pets", data={"pets": ["cat"]})
    client.post(f"{BASE}/age", data={"age": "31"})  # the other tab changes an earlier answer
    assert "cat" in client.get(f"{BASE}/pets").get_data(as_text=True)
    assert 'value="31"' in client.get(f"{BASE}/age").get_data(as_text=True)


def test_a_tampered_session_cookie_starts_afresh(client: FlaskClient) -> None:
    client.post(f"{BASE}/age", data={"age": "30"})
    client.set_cookie("session", "eyJkcmFmdHMiOnsiYnJhbmNoaW5nIjoieCJ9fQ.forged.sig")
    response = client.get(f"{BASE}/pets")
    assert response.location == f"{BASE}/age"


def test_an_expired_draft_shows_the_session_expired_page(client: FlaskClient, app: Flask) -> None:
    client.post(f"{BASE}/age", data={"age": "30"})
    with app.app_context():
        old = dt.datetime(2020, 1, 1)
        db.session.execute(update(Draft).values(updated_at=old))
        db.session.commit()
    response = client.get(f"{BASE}/pets")
    assert response.location == "/session-expired?service=branching"
    page = client.get(response.location).get_data(as_text=True)
    assert "Your session has timed out" in page
    assert client.get(f"{BASE}/pets").location == f"{BASE}/age"


def test_submission_revalidates_every_answer(client: FlaskClient, app: Flask) -> None:
    """Say the definition changed under a live draft: sending stops at the first answer that
    fails its checks now, at that page's own address, showing what was stored and why."""
    answer_to_contact(client)
    client.post(f"{BASE}/contact", data={"newsletter": "no"})
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        draft.data = {**draft.data, "answers": {**draft.data["answers"], "age": 500}}
        db.session.commit()
    response = client.post(f"{BASE}/check-answers")
    assert response.status_code == 303 and response.location == f"{BASE}/age?change=1"
    with app.app_context():
        assert db.session.scalars(select(Submission)).all() == []
    page = client.get(response.location).get_data(as_text=True)
    facts = parse_page(page)
    assert facts.title.startswith("Error:") and "must be between 0 and 120" in page
    assert 'value="500"' in page  # what was stored, to correct
    assert client.post(response.location, data={"age": "30"}).location == f"{BASE}/check-answers"
    assert client.post(f"{BASE}/check-answers").location == f"{BASE}/confirmation"
    with app.app_context():
        assert db.session.scalars(select(Submission)).one().answers["age"] == 30


def test_a_service_that_sends_no_email_says_nothing_of_one(client: FlaskClient) -> None:
    answer_to_contact(client)
    client.post(f"{BASE}/contact", data={"email": "a@example.com", "newsletter": "no"})
    assert client.post(f"{BASE}/check-answers").location == f"{BASE}/confirmation"
    page = client.get(f"{BASE}/confirmation").get_data(as_text=True)
    assert "Your reference number" in page and "confirmation email" not in page  # no notify


def test_confirmation_without_a_submission_goes_to_the_start(client: FlaskClient) -> None:
    assert client.get(f"{BASE}/confirmation").location == f"{BASE}/"


def test_a_new_journey_after_submitting_starts_empty(client: FlaskClient, app: Flask) -> None:
    answer_to_contact(client)
    client.post(f"{BASE}/contact", data={"newsletter": "no"})
    client.post(f"{BASE}/check-answers")
    assert 'value="30"' not in client.get(f"{BASE}/age").get_data(as_text=True)
    client.post(f"{BASE}/age", data={"age": "40"})
    assert client.get(f"{BASE}/confirmation").location == f"{BASE}/"
    with app.app_context():
        assert len(db.session.scalars(select(Draft)).all()) == 2


def test_csrf_is_on_by_default(definitions_dir: Path) -> None:
    copy_fixture("branching.yaml", definitions_dir)
    app = make_app(definitions_dir, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    refused = client.post(f"{BASE}/age", data={"age": "30"})
    assert refused.status_code == 400
    assert "This form has expired" in refused.get_data(as_text=True)
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get(f"{BASE}/age").get_data(as_text=True)
    )
    assert token is not None
    accepted = client.post(f"{BASE}/age", data={"age": "30", "csrf_token": token.group(1)})
    assert accepted.status_code == 302
    # with the session in hand, only the page is lost; without it (a new browser, or the
    # council rotated its secret key) the earlier answers cannot be reached: say which
    stale = client.post(f"{BASE}/age", data={"age": "31", "csrf_token": "stale"})
    assert "Your earlier answers have been saved" in stale.get_data(as_text=True)
    elsewhere = app.test_client().post(
        f"{BASE}/age", data={"age": "31", "csrf_token": token.group(1)}
    )
    assert "could not be kept" in elsewhere.get_data(as_text=True)


def test_session_cookie_flags(definitions_dir: Path) -> None:
    copy_fixture("branching.yaml", definitions_dir)
    app = make_app(definitions_dir, SERVICE_BUILDER_ENV="production")
    client = app.test_client()
    response = client.post(f"{BASE}/age", data={"age": "30"}, base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_no_answers_reach_the_log(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    steps = [
        ("age", {"age": "37"}, "pets"),
        ("pets", {"pets": ["cat"]}, "notice"),
        ("notice", {}, "contact"),
        ("contact", {"email": "private.person@example.com", "newsletter": "no"}, "check-answers"),
        ("check-answers", {}, "confirmation"),
    ]
    for page, data, following in steps:
        response = client.post(f"{BASE}/{page}", data=data)
        assert response.status_code == 302, page
        assert response.location == f"{BASE}/{following}", page
    with app.app_context():
        sent = db.session.scalars(select(Submission)).one()
        assert sent.answers["email"] == "private.person@example.com"
    assert "private.person" not in caplog.text


def test_healthz_reports_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_the_index_lists_services_and_refused_definitions(definitions_dir: Path) -> None:
    copy_fixture("branching.yaml", definitions_dir)
    (definitions_dir / "broken.yaml").write_text(
        "id: broken\ntitle: Broken\npages:\n  - id: p\n    questions: []\n"
    )
    app = make_app(definitions_dir)
    client = app.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "Branching scenario" in html
    assert "broken.yaml" in html and "a question page needs at least one question" in html
    assert client.get("/broken/").status_code == 404


def test_two_tabs_saving_at_the_same_moment_lose_nothing(
    tmp_path: Path, definitions_dir: Path
) -> None:
    from sqlalchemy.orm import Session

    from service_builder.journey import DraftState, Journey
    from service_builder.submissions import save_page

    copy_fixture("branching.yaml", definitions_dir)
    app = make_app(definitions_dir, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}")
    client = app.test_client()
    client.post(f"{BASE}/age", data={"age": "30"})
    service = app.extensions["service_builder"].catalog.get("branching")
    with app.app_context():
        mine = db.session.scalars(select(Draft)).one()
        assert mine.data["answers"] == {"age": 30}
        with Session(db.engine) as other:  # the other tab's request saves first
            theirs = other.get(Draft, mine.id)
            assert theirs is not None
            journey = Journey(service, DraftState.from_json(theirs.data), "resident")
            journey.record(service.page("pets"), {"pets": ["cat"]})
            theirs.data = journey.state.to_json()
            other.commit()
        saved = save_page(
            mine,
            service.page("notice"),
            {},
            lambda d: Journey(service, DraftState.from_json(d.data), "resident"),
        )
        assert saved.state.answers == {"age": 30, "pets": ["cat"]}
        db.session.expire_all()
        fresh = db.session.scalars(select(Draft)).one()
        assert fresh.data["answers"] == {"age": 30, "pets": ["cat"]}
        assert set(fresh.data["completed"]) == {"age", "pets", "notice"}


def test_an_exit_page_reached_from_a_change_link_has_a_back_link_that_works(
    client: FlaskClient,
) -> None:
    answer_to_contact(client)
    client.post(f"{BASE}/contact", data={"newsletter": "no"})
    changed = client.post(f"{BASE}/age?change=1", data={"age": "10"})
    assert changed.location == f"{BASE}/too-young?change=1"
    html = client.get(changed.location).get_data(as_text=True)
    back = re.search(r'<a href="([^"]+)" class="govuk-back-link"', html)
    assert back is not None
    assert back.group(1) == f"{BASE}/age?change=1"  # not check-answers, which bounces back here
    assert client.get(back.group(1)).status_code == 200


def test_forms_sent_are_limited_per_person_and_a_refused_one_stores_nothing(
    definitions_dir: Path,
) -> None:
    app = app_for(definitions_dir, "branching.yaml", SUBMIT_RATE_LIMIT="2 per minute")

    def send(client: FlaskClient) -> int:
        answer_to_contact(client)
        client.post(f"{BASE}/contact", data={"newsletter": "no"})
        for _ in range(3):  # reading check answers is not sending
            assert client.get(f"{BASE}/check-answers").status_code == 200
        return client.post(f"{BASE}/check-answers").status_code

    sender = app.test_client()
    sender.environ_base["REMOTE_ADDR"] = "198.51.100.20"
    assert send(sender) == 302
    assert sender.post(f"{BASE}/check-answers").location == f"{BASE}/confirmation"  # not sent
    assert send(sender) == 302
    refused = send(sender)
    assert refused == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.21"
    assert send(other) == 302  # each person has their own count
    with app.app_context():
        assert len(db.session.scalars(select(Submission)).all()) == 3
        waiting = [draft for draft in db.session.scalars(select(Draft)) if not draft.submitted]
        assert len(waiting) == 1  # the refused one, kept to send later
