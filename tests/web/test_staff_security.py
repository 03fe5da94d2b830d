"""Staff security: revocable sessions, POST sign-out, atomic lock-out, throttling, passwords."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from service_builder.cli import main
from service_builder.models import StaffUser, db
from service_builder.staff import accounts, devices
from service_builder.staff.accounts import AccountError, save_user
from service_builder.staff.passwords import MAX_LENGTH
from service_builder.staff.sessions import end_lapsed
from tests.conftest import DATABASE_URL, empty_database, make_app
from tests.web.test_staff import PASSWORD, age_sessions, sign_in

AGENT = "agent@example.com"
DEVICE_COOKIE = "staff_device"  # (production's is __Secure-staff_device: test_production)


@pytest.fixture
def agent(app: Flask) -> int:
    with app.app_context():
        save_user(AGENT, PASSWORD, "agent")
        return db.session.scalars(select(StaffUser.id)).one()


def copy_cookie(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of the first one's session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_sign_out_ends_every_copy_of_the_session(
    app: Flask, client: FlaskClient, agent: int
) -> None:
    sign_in(client, AGENT)
    thief = copy_cookie(app, client)
    assert thief.get("/staff/").status_code == 200
    assert client.post("/staff/sign-out").location == "/staff/sign-in?signed_out=1"
    refused = thief.get("/staff/")
    assert refused.location.startswith("/staff/sign-in") and "timed_out" not in refused.location
    sign_in_page = thief.get(refused.location).get_data(as_text=True)
    assert "did nothing" not in sign_in_page  # it was ended, not left idle


def test_a_password_change_ends_all_the_users_sessions(
    app: Flask, client: FlaskClient, agent: int
) -> None:
    sign_in(client, AGENT)
    other_browser = app.test_client()
    sign_in(other_browser, AGENT)
    with app.app_context():
        save_user(AGENT, "a brand new passphrase", "agent")
    for browser in (client, other_browser):
        assert browser.get("/staff/").location.startswith("/staff/sign-in")
    assert sign_in(client, AGENT).status_code == 400
    assert sign_in(client, AGENT, "a brand new passphrase").status_code == 302


def test_sessions_have_an_absolute_lifetime(app: Flask, client: FlaskClient, agent: int) -> None:
    sign_in(client, AGENT)
    with app.app_context():
        # used a minute ago, but started 12 hours and a minute ago
        age_sessions(dt.timedelta(hours=12, minutes=1), created_too=True)
        for found in db.session.scalars(select(accounts.sessions.StaffSession)):
            found.last_seen_at = found.created_at + dt.timedelta(hours=12)
        db.session.commit()
    assert client.get("/staff/").location.startswith("/staff/sign-in")


def test_sign_ins_that_timed_out_unseen_are_deleted_with_the_words_they_searched(
    app: Flask, client: FlaskClient, agent: int
) -> None:
    left = app.test_client()  # a browser closed, or left, after a search
    sign_in(left, AGENT)
    assert left.post("/staff/cases", data={"q": "Sam Jones 07700900123"}).status_code == 302
    with app.app_context():
        age_sessions(dt.timedelta(hours=12, minutes=1))  # past its lifetime: not yet purged
        config = app.config
        assert end_lapsed(config["STAFF_IDLE_TIMEOUT"], config["STAFF_SESSION_LIFETIME"]) == 0
        age_sessions(dt.timedelta(hours=12))  # a day unseen
    sign_in(client, AGENT)  # a sign-in still in use
    with app.app_context():
        assert end_lapsed(config["STAFF_IDLE_TIMEOUT"], config["STAFF_SESSION_LIFETIME"]) == 1
        assert db.session.scalars(select(accounts.sessions.StaffSearch.words)).all() == []
    assert client.get("/staff/").status_code == 200


def test_disable_user_ends_sessions_and_refuses_sign_in(
    app: Flask, client: FlaskClient, agent: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    sign_in(client, AGENT)
    assert client.get("/staff/").status_code == 200
    monkeypatch.setenv("DATABASE_URL", app.config["SQLALCHEMY_DATABASE_URI"])
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    if DATABASE_URL == "sqlite://":
        pytest.skip("the command needs a database it can share: run with a file or PostgreSQL")
    result = CliRunner().invoke(main, ["disable-user", "Agent@Example.com"])
    assert result.exit_code == 0, result.output
    assert "Disabled agent@example.com" in result.stdout
    assert client.get("/staff/").location.startswith("/staff/sign-in")
    assert sign_in(client, AGENT).status_code == 400
    unknown = CliRunner().invoke(main, ["disable-user", "nobody@example.com"])
    assert unknown.exit_code == 1


def test_disable_user_on_a_file_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'staff.db'}"
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        save_user(AGENT, PASSWORD, "agent")
    client = app.test_client()
    sign_in(client, AGENT)
    assert client.get("/staff/").status_code == 200
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    result = CliRunner().invoke(main, ["disable-user", AGENT])
    assert result.exit_code == 0, result.output
    assert client.get("/staff/").location.startswith("/staff/sign-in")
    assert sign_in(client, AGENT).status_code == 400
    with app.app_context():
        save_user(AGENT, "a brand new passphrase", "agent")  # a reset alone: still disabled
    assert sign_in(client, AGENT, "a brand new passphrase").status_code == 400
    with app.app_context():
        save_user(AGENT, "a brand new passphrase", "agent", enable=True)  # create-user --enable
    assert sign_in(client, AGENT, "a brand new passphrase").status_code == 302


def test_sign_out_is_post_only_and_needs_the_csrf_token() -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    empty_database(app)
    with app.app_context():
        save_user(AGENT, PASSWORD, "agent")
    client = app.test_client()
    page = client.get("/staff/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    signed_in = client.post(
        "/staff/sign-in", data={"email": AGENT, "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    home = client.get("/staff/").get_data(as_text=True)
    assert 'action="/staff/sign-out"' in home and 'href="/staff/sign-out"' not in home
    confirm = client.get("/staff/sign-out")  # a typed address gets the button, not a 404
    assert confirm.status_code == 200
    assert 'action="/staff/sign-out"' in confirm.get_data(as_text=True)
    assert client.get("/staff/").status_code == 200  # a link or image cannot sign you out
    assert client.post("/staff/sign-out").status_code == 400  # another site cannot sign you out
    assert client.get("/staff/").status_code == 200
    token = home.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/staff/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/staff/").status_code == 302
    assert client.get("/staff/sign-out").location == "/staff/sign-in"
    empty_database(app)


def _guess_concurrently(app: Flask, guesses: int) -> int:
    """Wrong guesses from many threads at once; returns how many passwords were checked."""
    checked: list[str] = []
    real_verify = accounts.verify

    def counting_verify(stored: str, password: str) -> bool:
        if stored != accounts._DUMMY_HASH:
            checked.append(stored)
        return real_verify(stored, password)

    accounts.verify = counting_verify  # type: ignore[assignment]
    barrier = threading.Barrier(guesses)
    statuses: list[int] = []

    def guess() -> None:
        client = app.test_client()
        barrier.wait()
        response = client.post("/staff/sign-in", data={"email": AGENT, "password": "wrong"})
        statuses.append(response.status_code)

    try:
        threads = [threading.Thread(target=guess) for _ in range(guesses)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        accounts.verify = real_verify  # type: ignore[assignment]
    assert statuses == [400] * guesses
    return len(checked)


@pytest.mark.parametrize("where", ["file", "configured"])
def test_lock_out_holds_under_concurrent_guesses(tmp_path: Path, where: str) -> None:
    if where == "file":
        url = f"sqlite:///{tmp_path / 'race.db'}"
    elif DATABASE_URL.startswith("postgresql"):
        url = DATABASE_URL
    else:
        pytest.skip("set DATABASE_URL to a PostgreSQL database to run this on PostgreSQL")
    app = make_app(
        SQLALCHEMY_DATABASE_URI=url,
        SIGN_IN_RATE_LIMIT="1000 per minute",
        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 30}} if where == "file" else {},
    )
    empty_database(app)
    with app.app_context():
        save_user(AGENT, PASSWORD, "agent")
    assert _guess_concurrently(app, 20) <= accounts.MAX_FAILURES
    assert sign_in(app.test_client(), AGENT).status_code == 400  # locked, right password or not
    with app.app_context():
        user = accounts.find_user(AGENT)
        assert user is not None and user.locked_until is not None
    empty_database(app)


def test_sign_in_is_throttled_per_address() -> None:
    app = make_app(SIGN_IN_RATE_LIMIT="3 per minute")
    empty_database(app)
    with app.app_context():
        save_user(AGENT, PASSWORD, "agent")
    attacker = app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "192.0.2.1"
    for _ in range(3):
        assert sign_in(attacker, "someone@example.com", "guess").status_code == 400
    throttled = sign_in(attacker, AGENT, "guess")
    assert throttled.status_code == 429
    assert "Too many attempts" in throttled.get_data(as_text=True)
    assert attacker.get("/staff/sign-in").status_code == 200  # the page itself still loads
    colleague = app.test_client()
    colleague.environ_base["REMOTE_ADDR"] = "192.0.2.2"
    assert sign_in(colleague, AGENT).status_code == 302  # throttled guesses did not count
    empty_database(app)


def test_a_contact_centre_behind_one_address_can_all_sign_in_at_a_shift_change() -> None:
    app = make_app()  # the default limits
    empty_database(app)
    with app.app_context():
        save_user(AGENT, PASSWORD, "agent")
    for agent in range(60):  # agents behind the centre's one NAT address, a mistype now and then
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = "192.0.2.10"
        if agent % 6 == 0:
            assert sign_in(browser, AGENT, "mistyped password").status_code == 400
        assert sign_in(browser, AGENT).status_code == 302, agent
    empty_database(app)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "at least 12 characters"),
        ("x" * (MAX_LENGTH + 1), f"{MAX_LENGTH} characters or fewer"),
        ("Password1234", "too common"),
        ("qwertyuiop123", "too common"),
        ("aaaaaaaaaaaaaaaa", "too common"),
        ("tab\there in it!", "characters you can type"),
        (" leading space pass", "start or end with a space"),
    ],
)
def test_password_policy(app: Flask, password: str, message: str) -> None:
    with app.app_context(), pytest.raises(AccountError, match=message):
        save_user(AGENT, password, "agent")


def test_password_policy_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("SECRET_KEY", "cli-test")
    for password, message in (
        ("password1234", "too common"),
        ("y" * (MAX_LENGTH + 1), f"{MAX_LENGTH} characters or fewer"),
    ):
        result = CliRunner().invoke(
            main,
            ["create-user", AGENT, "--role", "agent", "--password-stdin"],
            input=password + "\n",
        )
        assert result.exit_code == 1 and message in result.stderr


def test_the_form_takes_the_longest_password_the_command_line_allows(app: Flask) -> None:
    longest = "z" * (MAX_LENGTH - 5) + " 1a2b"
    with app.app_context():
        save_user(AGENT, longest, "agent")
    client = app.test_client()
    assert sign_in(client, AGENT, longest).status_code == 302
    too_long = sign_in(app.test_client(), AGENT, longest + "x")
    assert too_long.status_code == 400
    assert f"{MAX_LENGTH} characters or fewer" in too_long.get_data(as_text=True)


def test_passwords_are_argon2id_and_old_hashes_are_upgraded_at_sign_in(
    app: Flask, client: FlaskClient, agent: int
) -> None:
    with app.app_context():
        user = db.session.get(StaffUser, agent)
        assert user is not None and user.password_hash.startswith("$argon2id$")
        user.password_hash = generate_password_hash(PASSWORD, method="scrypt")  # 2^15
        db.session.commit()
    assert sign_in(client, AGENT).status_code == 302
    with app.app_context():
        user = db.session.get(StaffUser, agent)
        assert user is not None and user.password_hash.startswith("$argon2id$v=19$m=19456,t=2")


def test_the_home_page_shows_no_text_from_the_address(client: FlaskClient, agent: int) -> None:
    sign_in(client, AGENT)
    page = client.get("/staff/?notice=Your+account+is+suspended").get_data(as_text=True)
    assert "suspended" not in page
    assert "govuk-notification-banner--success" not in page


def test_strangers_guesses_lock_the_account_but_not_a_browser_that_signed_in_before(
    app: Flask, agent: int
) -> None:
    """OWASP's device cookies: anyone knowing the email could otherwise keep its owner out."""
    own = app.test_client()
    assert sign_in(own, AGENT).status_code == 302
    cookie = own.get_cookie(DEVICE_COOKIE, path="/staff/sign-in")
    assert cookie is not None and cookie.http_only and len(cookie.value) >= 40
    own.post("/staff/sign-out")
    stranger = app.test_client()
    for _ in range(accounts.MAX_FAILURES + 1):
        assert sign_in(stranger, AGENT, "guess").status_code == 400
    assert sign_in(stranger, AGENT).status_code == 400  # locked: the right password too
    assert sign_in(app.test_client(), AGENT).status_code == 400  # any new browser
    assert sign_in(own, AGENT).status_code == 302  # its owner's browser signs in
    own.post("/staff/sign-out")
    for _ in range(accounts.MAX_FAILURES + 1):  # that browser's own guesses lock it alone
        assert sign_in(own, AGENT, "guess").status_code == 400
    assert sign_in(own, AGENT).status_code == 400
    thief = app.test_client()  # a copy of the cookie is that browser, locked too
    thief.set_cookie(DEVICE_COOKIE, cookie.value, path="/staff/sign-in")
    assert sign_in(thief, AGENT).status_code == 400
    forged = app.test_client()
    forged.set_cookie(DEVICE_COOKIE, "x" * 43, path="/staff/sign-in")
    assert sign_in(forged, AGENT).status_code == 400  # counted as a stranger: still locked
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(devices.StaffDevice)) == 1


def test_an_account_remembers_only_its_newest_browsers(app: Flask, agent: int) -> None:
    first = app.test_client()
    sign_in(first, AGENT)
    for _ in range(devices.KEPT_PER_ACCOUNT):
        sign_in(app.test_client(), AGENT)
    with app.app_context():
        held = db.session.scalar(select(func.count()).select_from(devices.StaffDevice))
        assert held == devices.KEPT_PER_ACCOUNT
        cookie = first.get_cookie(DEVICE_COOKIE, path="/staff/sign-in")
        assert cookie is not None and devices.known(agent, cookie.value) is None  # forgotten


def test_a_new_password_forgets_every_browsers_standing(app: Flask, agent: int) -> None:
    """A browser that signed in under an old (perhaps leaked) password keeps no allowance of
    its own outside the account's lock."""
    own = app.test_client()
    sign_in(own, AGENT)
    with app.app_context():
        save_user(AGENT, PASSWORD + "!", "agent")
        assert db.session.scalar(select(func.count()).select_from(devices.StaffDevice)) == 0
    sign_in(own, AGENT, PASSWORD + "!")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(devices.StaffDevice)) == 1
        accounts.disable_user(AGENT)  # a leaver's browsers keep no standing either
        assert db.session.scalar(select(func.count()).select_from(devices.StaffDevice)) == 0
