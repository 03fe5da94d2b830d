"""The feedback page: the GOV.UK satisfaction question, errors, and where it is linked from."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import db
from service_builder.performance.models import Event, FeedbackComment
from tests.conftest import empty_database, make_app
from tests.html_checks import parse_page

SERVICE = "apply-parking-permit"
URL = f"/{SERVICE}/feedback"


def test_the_page_asks_the_satisfaction_question(client: FlaskClient) -> None:
    html = client.get(URL).get_data(as_text=True)
    for value in ("very_satisfied", "satisfied", "neither", "dissatisfied", "very_dissatisfied"):
        assert f'value="{value}"' in html
    assert 'name="comments"' in html
    assert "Give feedback" in parse_page(html).title


def test_nothing_chosen_is_an_error(client: FlaskClient) -> None:
    response = client.post(URL, data={"comments": "hello"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert parse_page(html).title.startswith("Error: ")
    assert 'href="#satisfaction"' in html
    assert "Select how you feel about this service" in html


def test_comments_longer_than_1200_characters_are_refused(app: Flask, client: FlaskClient) -> None:
    response = client.post(URL, data={"satisfaction": "neither", "comments": "x" * 1201})
    assert response.status_code == 400
    assert "1,200 characters or less" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(Event)).all() == []


def test_an_answer_is_recorded_and_thanked(app: Flask, client: FlaskClient) -> None:
    response = client.post(URL, data={"satisfaction": "neither", "comments": "x" * 1200})
    assert response.location == f"{URL}/thank-you"
    assert "Thank you" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(select(Event)).one()
        assert (event.kind, event.satisfaction, event.channel) == ("feedback", "neither", "online")
        comment = db.session.scalars(select(FeedbackComment)).one()
        assert comment.comments == "x" * 1200


def test_feedback_given_part_way_leads_back_to_the_form(client: FlaskClient) -> None:
    thanks = client.get(f"{URL}/thank-you").get_data(as_text=True)
    assert "Go back to your form" not in thanks  # no form begun
    assert "We will use it to improve this service." in thanks
    assert client.post(f"/{SERVICE}/zone", data={"zone": "A"}).status_code == 302
    sent = client.post(URL, data={"satisfaction": "satisfied"})
    thanks = client.get(sent.location).get_data(as_text=True)
    assert f'href="/{SERVICE}/home-address">Go back to your form</a>' in thanks


def test_comments_are_never_shown_back(client: FlaskClient) -> None:
    client.post(URL, data={"satisfaction": "satisfied", "comments": "secret words"})
    assert "secret words" not in client.get(URL).get_data(as_text=True)
    assert "secret words" not in client.get(f"{URL}/thank-you").get_data(as_text=True)


def test_the_phase_banner_links_to_the_service_feedback_page(client: FlaskClient) -> None:
    html = client.get(f"/{SERVICE}/").get_data(as_text=True)
    assert f'href="{URL}"' in html


def test_an_unknown_service_has_no_feedback_page(client: FlaskClient) -> None:
    assert client.get("/no-such-service/feedback").status_code == 404


def test_feedback_is_limited_per_address() -> None:
    app = make_app(FEEDBACK_RATE_LIMIT="3 per minute")
    empty_database(app)
    client = app.test_client()
    codes = [client.post(URL, data={"satisfaction": "neither"}).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 429]
    assert "Too many attempts" in client.post(URL, data={}).get_data(as_text=True)
    assert client.get(URL).status_code == 200  # the form itself is not limited
    with app.app_context():
        assert len(db.session.scalars(select(Event)).all()) == 3
    empty_database(app)
