"""The answer POST's hot path: how many SQL statements and commits it costs (pinned, so it
cannot silently grow), and its performance event, stored in the save's own transaction,
kept exactly once when the optimistic save loses to another request and is retried."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, text
from sqlalchemy.engine import Engine

from service_builder.models import Draft, db
from service_builder.performance.models import DraftProgress, Event
from tests.conftest import DATABASE_URL, copy_fixture, empty_database, make_app

BASE = "/branching"


@pytest.fixture
def app(definitions_dir: Path, tmp_path: Path) -> Iterator[Flask]:
    copy_fixture("branching.yaml", definitions_dir)
    # A file, not memory: the "other tab" below writes through a connection of its own.
    url = DATABASE_URL if DATABASE_URL != "sqlite://" else f"sqlite:///{tmp_path / 'p.db'}"
    app = make_app(definitions_dir, SQLALCHEMY_DATABASE_URI=url)
    empty_database(app)
    yield app
    empty_database(app)


def summary(sql: str) -> str:
    """'SELECT drafts', 'UPDATE drafts', 'INSERT events': the verb and the table (the
    outer query's: subqueries, such as a draft's EXISTS for its submission, are left out)."""
    while (inner := re.sub(r"\([^()]*\)", "", sql)) != sql:
        sql = inner
    words = sql.split()
    if words[0] == "SELECT":
        return f"SELECT {words[words.index('FROM') + 1]}"
    return f"{words[0]} {words[2] if words[0] in ('INSERT', 'DELETE') else words[1]}"


@contextlib.contextmanager
def recorded(engine: Engine) -> Iterator[dict[str, list[str]]]:
    """The SQL statements and commits run while inside."""
    seen: dict[str, list[str]] = {"statements": [], "commits": []}

    def statement(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        seen["statements"].append(summary(sql))

    def commit(conn: Any) -> None:
        seen["commits"].append("commit")

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "commit", commit)


@contextlib.contextmanager
def another_tab_saves_first(engine: Engine, times: int) -> Iterator[list[int]]:
    """Just before this request's UPDATE of the draft (up to `times` times), another request
    saves the draft through its own connection: the optimistic UPDATE then finds a newer
    version and must retry."""
    done: list[int] = []

    def interpose(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        if sql.startswith("UPDATE drafts SET data") and len(done) < times:  # not our own
            done.append(1)
            with engine.connect() as other:
                other.execute(text("UPDATE drafts SET version = version + 1"))
                other.commit()

    event.listen(engine, "before_cursor_execute", interpose)
    try:
        yield done
    finally:
        event.remove(engine, "before_cursor_execute", interpose)


def saved_events(app: Flask, page_id: str) -> int:
    with app.app_context():
        return (
            db.session.scalar(
                select(func.count()).where(Event.kind == "saved", Event.page_id == page_id)
            )
            or 0
        )


def test_an_answer_post_costs_three_statements_and_one_commit(
    app: Flask, client: FlaskClient
) -> None:
    assert client.post(f"{BASE}/age", data={"age": "30"}).status_code == 302  # a new draft
    assert client.get(f"{BASE}/pets").status_code == 200  # counts the page reached
    with app.app_context(), recorded(db.engine) as seen:
        assert client.post(f"{BASE}/pets", data={"pets": ["cat"]}).status_code == 302
    # read the draft, save it, add the event (if its progress says the page was reached):
    # one transaction
    assert seen["statements"] == ["SELECT drafts", "UPDATE drafts", "INSERT events"]
    assert len(seen["commits"]) == 1
    assert saved_events(app, "pets") == 1


def test_a_draft_s_first_save_starts_it_in_the_same_commit(app: Flask, client: FlaskClient) -> None:
    client.get(f"{BASE}/age")
    with app.app_context(), recorded(db.engine) as seen:
        assert client.post(f"{BASE}/age", data={"age": "30"}).status_code == 302
    assert len(seen["commits"]) == 2  # the new draft, then its answers with their events
    with app.app_context():
        kinds = db.session.scalars(select(Event.kind).order_by(Event.id)).all()
        assert kinds.count("saved") == 1 and kinds.count("started") == 1
        assert db.session.scalars(select(DraftProgress.started_at)).one() is not None


def test_a_retried_save_keeps_its_event_exactly_once(app: Flask, client: FlaskClient) -> None:
    client.post(f"{BASE}/age", data={"age": "30"})
    client.get(f"{BASE}/pets")
    with app.app_context(), another_tab_saves_first(db.engine, times=1) as collided:
        response = client.post(f"{BASE}/pets", data={"pets": ["cat"]})
    assert collided and response.status_code == 302
    assert response.location == f"{BASE}/notice"
    assert saved_events(app, "pets") == 1  # not lost with the first try, not added twice
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        assert draft.data["answers"] == {"age": 30, "pets": ["cat"]}
        assert draft.version == 4  # the age save, the other tab's, then the retried save


@pytest.mark.skipif(
    DATABASE_URL.startswith("postgresql"), reason="PostgreSQL's retry locks the row: it wins"
)
def test_a_save_that_keeps_losing_stores_neither_answers_nor_event(
    app: Flask, client: FlaskClient
) -> None:
    client.post(f"{BASE}/age", data={"age": "30"})
    client.get(f"{BASE}/pets")
    with app.app_context(), another_tab_saves_first(db.engine, times=100) as collided:
        response = client.post(f"{BASE}/pets", data={"pets": ["cat"]})
    assert len(collided) == 8  # every attempt lost (SAVE_ATTEMPTS)
    assert response.status_code == 303 and response.location.endswith(f"{BASE}/pets")
    assert saved_events(app, "pets") == 0
    with app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        assert draft.data["answers"] == {"age": 30}
