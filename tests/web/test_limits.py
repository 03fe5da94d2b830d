"""Rate limits: a view's own limit holds, and operators' default limits still apply to every
request when they are set, although the check before each request is skipped without them."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from flask import Flask
from flask_limiter.util import get_remote_address

from service_builder.config import ConfigError, load_config
from service_builder.staff.accounts import save_user
from service_builder.web.limits import ViewLimiter, address_lookup_limit, charge
from tests.conftest import empty_database, make_app


def tiny_app(limiter: ViewLimiter) -> Flask:
    app = Flask(__name__)
    app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    limiter.init_app(app)

    @app.get("/limited")
    @limiter.limit("2 per minute")
    def limited() -> str:
        return "ok"

    @app.get("/open")
    def open_page() -> str:
        return "ok"

    return app


def statuses(app: Flask, url: str, times: int) -> list[int]:
    client = app.test_client()
    return [client.get(url).status_code for _ in range(times)]


def test_a_view_s_own_limit_holds_and_other_views_are_not_limited() -> None:
    app = tiny_app(ViewLimiter(key_func=get_remote_address, default_limits=[]))
    assert statuses(app, "/limited", 3) == [200, 200, 429]
    assert statuses(app, "/open", 5) == [200] * 5


def test_default_limits_an_operator_sets_apply_to_every_request() -> None:
    app = tiny_app(ViewLimiter(key_func=get_remote_address, default_limits=["3 per minute"]))
    assert statuses(app, "/open", 4) == [200, 200, 200, 429]


def test_application_limits_apply_to_every_request() -> None:
    limiter = ViewLimiter(key_func=get_remote_address, application_limits=["2 per minute"])
    assert statuses(tiny_app(limiter), "/open", 3) == [200, 200, 429]


def test_a_limit_reached_logs_no_ip_address(caplog: pytest.LogCaptureFixture) -> None:
    app = make_app(SIGN_IN_RATE_LIMIT="1 per minute")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.77"
    with caplog.at_level(logging.DEBUG):
        for _ in range(2):
            client.post("/staff/sign-in", data={"email": "x@example.com", "password": "guess"})
        assert client.post("/staff/sign-in", data={"email": "x@example.com"}).status_code == 429
    assert "198.51.100.77" not in caplog.text


@pytest.mark.parametrize(
    "name", ["SIGN_IN_RATE_LIMIT", "SAVE_AND_RETURN_RATE_LIMIT", "SUBMIT_RATE_LIMIT"]
)
def test_a_malformed_rate_limit_is_refused_at_start(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, "lots")  # Flask-Limiter would skip it: no limit at all
    with pytest.raises(ConfigError, match=f"{name} must be limits like .*'lots'"):
        load_config()


def test_a_shared_redis_store_can_be_configured_without_a_running_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from limits.storage import RedisStorage, storage_from_string

    uri = "redis://127.0.0.1:5369/0"  # nothing listens: the storage connects when first used
    assert isinstance(storage_from_string(uri), RedisStorage)
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", uri)
    assert load_config()["RATELIMIT_STORAGE_URI"] == uri
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "nosuchstore://x")
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        load_config()


@pytest.fixture
def dead_store() -> Iterator[str]:
    """A redis:// URI on a port bound but not listening: every connection is refused."""
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        yield f"redis://127.0.0.1:{bound.getsockname()[1]}/0"


def test_limits_fail_open_with_one_line_logged_when_the_shared_store_is_down(
    dead_store: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(RATELIMIT_STORAGE_URI=dead_store)
    empty_database(app)
    with app.app_context():
        save_user("agent@example.com", "correct horse battery", "agent")
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "198.51.100.78"
    sign_in = {"email": "agent@example.com", "password": "correct horse battery"}
    with caplog.at_level(logging.INFO):
        assert client.post("/staff/sign-in", data=sign_in).status_code == 302
        other = app.test_client()
        refused = other.post("/staff/sign-in", data={**sign_in, "password": "guess"})
        assert refused.status_code == 400  # the error page: its count (deduct_when) failed open
        feedback = {"satisfaction": "satisfied"}
        assert other.post("/book-bulky-waste/feedback", data=feedback).status_code == 302
        with app.test_request_context(environ_base={"REMOTE_ADDR": "198.51.100.78"}):
            charge(address_lookup_limit, "address-lookup")  # no 429, no error
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.name for r in failures] == ["flask-limiter"] * 5  # check+check+deduct+check+charge
    for record in failures:
        assert record.exc_info is None and "\n" not in record.getMessage()
        assert record.getMessage().startswith("rate limits not applied: the store failed")
    assert "198.51.100.78" not in caplog.text and "guess" not in caplog.text
    empty_database(app)
