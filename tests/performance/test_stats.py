"""`stats` reports every figure exactly, for known journeys driven over HTTP."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select

from service_builder.cli import main
from service_builder.models import db
from service_builder.performance.models import Event, FeedbackComment
from tests.conftest import DATABASE_URL, empty_database, make_app
from tests.performance.journeys import FOLDER, SERVICE, assisted, complete, go, online


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """On a database file, so that the `stats` command sees what the app recorded."""
    url = DATABASE_URL if DATABASE_URL != "sqlite://" else f"sqlite:///{tmp_path / 'stats.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    app = make_app(FOLDER, SQLALCHEMY_DATABASE_URI=url)
    empty_database(app)
    yield app
    empty_database(app)


def drive_known_journeys(app: Flask) -> None:
    # Online: one completes after a validation error, one leaves at details, one exits.
    done = online(app)
    go(done, "", "where", in_area="yes")
    assert go(done, "", "details", size="") == 400
    assert go(done, "", "details", size="a pothole wider than a car") == 400  # too long
    complete(done)
    confirmation = done.get(f"/{SERVICE}/confirmation").get_data(as_text=True)
    assert f'href="/{SERVICE}/feedback"' in confirmation
    left = online(app)
    go(left, "", "where", in_area="yes")
    go(left, "", "details")
    exited = online(app)
    go(exited, "", "where", in_area="no")
    assert exited.get(f"/{SERVICE}/not-ours").status_code == 200
    looked = online(app)  # looks, gets an error, never saves: no draft
    assert go(looked, "", "where", in_area="") == 400
    # Assisted: one completes by phone; one is started by an agent and left at the first page.
    complete(assisted(app), "/staff")
    go(assisted(app, "other@example.com"), "/staff", "where")
    # Feedback: two residents.
    assert (
        done.post(f"/{SERVICE}/feedback", data={"satisfaction": "very_satisfied"}).status_code
        == 302
    )
    assert (
        left.post(
            f"/{SERVICE}/feedback", data={"satisfaction": "dissatisfied", "comments": "Too long"}
        ).status_code
        == 302
    )


def run_stats(app: Flask, *args: str) -> str:
    result = CliRunner().invoke(
        main,
        ["stats", "--service", SERVICE, "--definitions", str(FOLDER), *args],
    )
    assert result.exit_code == 0, result.output
    return result.stdout  # logs, if any, go to stderr


def figures(app: Flask) -> dict[str, Any]:
    from service_builder.performance.stats import stats, window

    with app.app_context():
        service = app.extensions["service_builder"].catalog.get(SERVICE)
        return stats(service, window(SERVICE, None, None))


def test_every_figure_is_exact(app: Flask) -> None:
    drive_known_journeys(app)
    result = figures(app)
    satisfaction = {
        "responses": 2,
        "very_satisfied": 1,
        "satisfied": 0,
        "neither": 0,
        "dissatisfied": 1,
        "very_dissatisfied": 0,
    }
    nobody = {key: 0 for key in satisfaction}
    assert result["by_channel"]["online"] | {"median_seconds_to_submit": None} == {
        "started": 3,
        "submitted": 1,
        "exited": 1,
        "completion_rate": 1 / 3,
        "median_seconds_to_submit": None,
        "pages": [
            {"page": "where", "reached": 3, "last_seen_here": 0},
            {"page": "not-ours", "reached": 1, "last_seen_here": 0},
            {"page": "details", "reached": 2, "last_seen_here": 1},
        ],
        "validation_errors": [
            {"question": "in_area", "check": "required", "count": 1},
            {"question": "size", "check": "max_length", "count": 1},
            {"question": "size", "check": "required", "count": 1},
        ],
        "satisfaction": satisfaction,
    }
    assert result["by_channel"]["assisted"] | {"median_seconds_to_submit": None} == {
        "started": 1,
        "submitted": 1,
        "exited": 0,
        "completion_rate": 1.0,
        "median_seconds_to_submit": None,
        "pages": [
            {"page": "where", "reached": 2, "last_seen_here": 1},
            {"page": "not-ours", "reached": 0, "last_seen_here": 0},
            {"page": "details", "reached": 1, "last_seen_here": 0},
        ],
        "validation_errors": [],
        "satisfaction": nobody,
    }
    everything = result["by_channel"]["all"]
    assert (everything["started"], everything["submitted"], everything["exited"]) == (4, 2, 1)
    assert everything["completion_rate"] == 0.5
    assert everything["pages"][0] == {"page": "where", "reached": 5, "last_seen_here": 1}
    assert everything["pages"][2] == {"page": "details", "reached": 3, "last_seen_here": 1}
    assert sum(e["count"] for e in everything["validation_errors"]) == 3
    assert everything["satisfaction"] == satisfaction
    assert result["digital_take_up"] == 0.5
    assert isinstance(everything["median_seconds_to_submit"], int)


def test_the_cli_prints_the_contract_json_and_csv(app: Flask) -> None:
    drive_known_journeys(app)
    printed = json.loads(run_stats(app, "--format", "json"))
    assert printed == figures(app)
    assert set(printed) == {"service", "since", "until", "by_channel", "digital_take_up"}
    rows = list(csv.DictReader(io.StringIO(run_stats(app, "--format", "csv"))))
    assert [(row["channel"], row["page"]) for row in rows] == [
        (channel, page)
        for channel in ("all", "online", "assisted")
        for page in ("where", "not-ours", "details")
    ]
    details = rows[5]
    assert (details["channel"], details["reached"], details["last_seen_here"]) == (
        "online",
        "2",
        "1",
    )
    assert (details["started"], details["submitted"], details["validation_errors"]) == (
        "3",
        "1",
        "2",
    )


def test_a_date_range_leaves_out_other_days(app: Flask) -> None:
    drive_known_journeys(app)
    before = json.loads(run_stats(app, "--since", "2020-01-01", "--until", "2020-01-31"))
    assert before["since"] == "2020-01-01"
    assert before["by_channel"]["all"]["started"] == 0
    assert before["by_channel"]["all"]["completion_rate"] == 0
    assert before["digital_take_up"] == 0


def test_events_hold_no_answers_names_emails_or_addresses(app: Flask) -> None:
    drive_known_journeys(app)
    with app.app_context():
        rows = db.session.scalars(select(Event)).all()
        assert {row.kind for row in rows} == {
            "viewed",
            "saved",
            "error",
            "started",
            "exited",
            "submitted",
            "feedback",
        }
        text = " ".join(str(vars(row)) for row in rows)
        for secret in ("big", "a pothole wider", "127.0.0.1", "agent@example.com", "Too long"):
            assert secret not in text
        comments = db.session.scalars(select(FeedbackComment)).all()
        assert [(c.satisfaction, c.comments) for c in comments] == [("dissatisfied", "Too long")]


def test_the_open_data_file_holds_weekly_counts_only(app: Flask, tmp_path: Path) -> None:
    drive_known_journeys(app)
    out = tmp_path / "open.csv"
    result = CliRunner().invoke(
        main, ["open-data", "--service", SERVICE, "--definitions", str(FOLDER), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "service",
        "week_starting",
        "channel",
        "started",
        "submitted",
        "completion_rate",
        "digital_take_up",
        "days_counted",
    ]
    assert [(r["channel"], r["started"], r["submitted"]) for r in rows] == [
        ("all", "4", "2"),
        ("online", "3", "1"),
        ("assisted", "1", "1"),
    ]
    assert rows[0]["completion_rate"] == "0.5" and rows[0]["digital_take_up"] == "0.5"


REVERSED = ("--since", "2026-11-29", "--until", "2026-11-01")


@pytest.mark.parametrize("command", ["stats", "open-data"])
def test_the_cli_refuses_a_start_after_the_end(app: Flask, command: str) -> None:
    result = CliRunner().invoke(
        main,
        [command, "--service", SERVICE, "--definitions", str(FOLDER), *REVERSED],
    )
    assert result.exit_code == 2
    assert "--since (2026-11-29) must be the same as or before --until (2026-11-01)" in (
        result.output
    )


@pytest.mark.parametrize("command", ["stats", "open-data"])
@pytest.mark.parametrize("since", ["2026-11-01", "9999-12-30"])
def test_the_cli_reports_a_window_to_the_last_day_there_is(
    app: Flask, command: str, since: str
) -> None:
    window = ["--since", since, "--until", "9999-12-31"]
    result = CliRunner().invoke(
        main, [command, "--service", SERVICE, "--definitions", str(FOLDER), *window]
    )
    assert result.exit_code == 0, result.output
    if command == "stats":
        figures = json.loads(result.output)
        assert (figures["since"], figures["until"]) == (since, "9999-12-31")
    else:
        weeks = {row["week_starting"] for row in csv.DictReader(io.StringIO(result.output))}
        assert len(weeks) == (1 if since.startswith("9999") else 104)


def test_open_data_says_how_many_days_of_a_week_cut_short_it_counts(app: Flask) -> None:
    """2026-11-04 is a Wednesday, 2026-11-17 a Tuesday: 5 days, 7, then 2."""
    window = ["--since", "2026-11-04", "--until", "2026-11-17"]
    result = CliRunner().invoke(
        main, ["open-data", "--service", SERVICE, "--definitions", str(FOLDER), *window]
    )
    assert result.exit_code == 0, result.output
    counted = {
        (row["week_starting"], row["days_counted"])
        for row in csv.DictReader(io.StringIO(result.output))
    }
    assert counted == {("2026-11-02", "5"), ("2026-11-09", "7"), ("2026-11-16", "2")}
