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
