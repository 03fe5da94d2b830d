"""Times as staff read them: UK time, written as GOV.UK writes dates and times."""

from __future__ import annotations

import datetime as dt

import pytest

from service_builder.staff.audit import london


@pytest.mark.parametrize(
    ("utc", "shown"),
    [
        (dt.datetime(2026, 12, 1, 17, 30, 59), "1 December 2026, 5:30pm"),  # GMT: no seconds
        (dt.datetime(2026, 7, 1, 11, 30), "1 July 2026, 12:30pm"),  # BST
        (dt.datetime(2026, 7, 1, 8, 0), "1 July 2026, 9am"),
        (dt.datetime(2026, 1, 1, 12, 0), "1 January 2026, midday"),
        (dt.datetime(2026, 1, 1, 0, 0, 30), "1 January 2026, midnight"),
        (dt.datetime(2026, 6, 30, 23, 5), "1 July 2026, 12:05am"),  # the UK's day, not UTC's
    ],
)
def test_a_stored_time_is_shown_in_uk_time_in_gov_uk_style(utc: dt.datetime, shown: str) -> None:
    assert london(utc) == shown


def test_no_time_is_shown_as_nothing() -> None:
    assert london(None) == ""


def test_an_audit_trail_time_is_exact_and_says_its_zone() -> None:
    """A review: two events in a minute, or in the hour the clocks go back, were alike."""
    back = [dt.datetime(2026, 10, 25, 0, 30, 5), dt.datetime(2026, 10, 25, 1, 30, 5)]  # UTC
    assert [london(when, exact=True) for when in back] == [
        "25 October 2026, 1:30:05am BST",
        "25 October 2026, 1:30:05am GMT",
    ]
    assert london(dt.datetime(2026, 1, 1, 12, 0), exact=True) == "1 January 2026, 12:00:00pm GMT"
