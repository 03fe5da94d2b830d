"""What a member of staff sent as their session ended: kept in the cookie (within the 4 KB a
browser keeps), shown again once, and only for a recent timeout."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.models import Draft, db
from service_builder.staff.auth import TIMED_OUT
from tests.web import test_staff
from tests.web.test_staff import DISCOUNT, PASSWORD, age_sessions, sign_in, start_discount

staff = test_staff.staff
COOKIE_MOST = 4093
"""The most a browser keeps of one cookie (name, value and attributes)."""


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Pat Caller", True),
        ("Gwenllïan ŵyr " * 20, True),  # Welsh letters take 6 bytes each once sealed
        ("a" * 2400, False),  # too much to keep: said, not kept
        ("Gwenllïan ŵyr " * 170, False),
    ],
)
def test_a_form_kept_over_the_timeout_fits_in_the_cookie(
    app: Flask, client: FlaskClient, staff: dict[str, int], typed: str, kept: bool
) -> None:
    sign_in(client, "agent@example.com")
    start_discount(client)
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    late = client.post(f"{DISCOUNT}/about-you", data={"full_name": typed})
    assert len(late.headers.get("Set-Cookie", "")) <= COOKIE_MOST
    back = client.post(late.location, data={"email": "agent@example.com", "password": PASSWORD})
    page = client.get(back.location).get_data(as_text=True)
    assert "What you sent from this page was not saved" in page
    assert (f'value="{typed.strip()}' in page) is kept


def test_a_timeout_long_past_is_not_told_nor_keeps_what_is_sent(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    """Someone at that browser much later (as long again as the idle timeout) is not told
    they were signed out, and what they send is not kept for whoever signed in last."""
    sign_in(client, "agent@example.com")
    start_discount(client)
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    assert "timed_out=1" in client.get("/staff/").location  # the timeout, found
    with client.session_transaction() as cookie:
        cookie[TIMED_OUT] -= 31 * 60
    later = client.post(f"{DISCOUNT}/about-you", data={"full_name": "Someone Else"})
    assert "timed_out=1" not in later.location
    back = client.post(later.location, data={"email": "agent@example.com", "password": PASSWORD})
    page = client.get(back.location).get_data(as_text=True)
    assert "Someone Else" not in page and "was not saved" not in page


def test_every_tab_whose_answers_did_not_fit_still_says_they_were_not_saved(
    app: Flask, client: FlaskClient, staff: dict[str, int]
) -> None:
    sign_in(client, "agent@example.com")
    tabs = []
    for _ in range(3):  # three calls, three tabs at the same page
        start_discount(client)
        tabs.append(drafts_newest(app))
    with app.app_context():
        age_sessions(dt.timedelta(minutes=31))
    late = None
    for number, reference in enumerate(tabs):
        typed = {"full_name": f"{number}" * 1000, "draft_reference": reference}
        late = client.post(f"{DISCOUNT}/about-you?draft_reference={reference}", data=typed)
    assert late is not None
    client.post(late.location, data={"email": "agent@example.com", "password": PASSWORD})
    for number, reference in reversed(list(enumerate(tabs))):
        page = client.get(f"{DISCOUNT}/about-you?draft_reference={reference}").text
        assert "What you sent from this page was not saved" in page, number
        kept = f'value="{str(number) * 1000}"' in page
        assert kept is (number == 2), number  # the newest's answers; the others' did not fit


def drafts_newest(app: Flask) -> str:
    with app.app_context():
        newest = db.session.scalars(select(Draft.reference).order_by(Draft.id.desc())).first()
    return str(newest)
