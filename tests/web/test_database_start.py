"""Production and its database: starting while it is down, and recovering by itself."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import create_engine, func, make_url, select, text

from service_builder.cli import main
from service_builder.config import ConfigError, load_config
from service_builder.database import (
    MIGRATIONS,
    SchemaBehind,
    alembic_config,
    refuse_a_schema_behind,
)
from service_builder.database import upgrade as upgrade_on
from service_builder.models import DefinitionVersion, db
from tests.conftest import DATABASE_URL, make_app
from tests.web.discount import SERVICE

HTTPS = {"base_url": "https://localhost"}
NOWHERE = "postgresql+psycopg://sb:sb@127.0.0.1:5399/nothing_listens_here"
ANSWER = f"/{SERVICE}/account-number"
SCRIPT = ScriptDirectory(str(MIGRATIONS))
HEAD = SCRIPT.get_current_head()
PREVIOUS = SCRIPT.get_revision(HEAD).down_revision  # type: ignore[union-attr]


@pytest.fixture
def production() -> Iterator[Any]:
    """Makes production apps, without leaving production's log handler to other tests."""
    root = logging.getLogger()
    before = list(root.handlers)

    def make(url: str) -> Flask:
        return make_app(
            SERVICE_BUILDER_ENV="production",
            SQLALCHEMY_DATABASE_URI=url,
            TESTING=False,
            WTF_CSRF_ENABLED=False,
        )

    yield make
    for handler in set(root.handlers) - set(before):
        root.removeHandler(handler)


def upgrade(url: str) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output


def migrate(url: str, sql: str = "") -> None:
    """Bring the database up to date, then (as a release that skipped a step) run `sql`."""
    engine = create_engine(url)
    with engine.begin() as connection:
        upgrade_on(connection)
        if sql == "downgrade":
            command.downgrade(alembic_config(connection), str(PREVIOUS))
        elif sql:
            connection.execute(text(sql))
    engine.dispose()


def assert_unavailable(app: Flask) -> None:
    client = app.test_client()
    page = client.post(ANSWER, data={"account_number": "51234567"}, **HTTPS)
    assert page.status_code == 503
    assert "may not have been saved" in page.get_data(as_text=True)
    health = client.get("/healthz", **HTTPS)
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": "unreachable"}


def test_production_starts_while_its_database_is_down_and_recovers_by_itself(
    tmp_path: Path, production: Any
) -> None:
    folder = tmp_path / "not-yet"
    url = f"sqlite:///{folder}/app.db"  # cannot be opened until the folder exists
    app = production(url)
    assert_unavailable(app)
    folder.mkdir()
    upgrade(url)
    client = app.test_client()
    assert client.get("/", **HTTPS).status_code == 200
    assert client.get("/healthz", **HTTPS).status_code == 200
    with app.app_context():  # the start-up work was done once the database answered
        assert db.session.scalar(select(func.count()).select_from(DefinitionVersion)) > 0


def test_production_starts_while_postgresql_refuses_connections(production: Any) -> None:
    assert_unavailable(production(NOWHERE))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def forwarding(port: int, host: str, target: int) -> Iterator[None]:
    """PostgreSQL reachable on `port` for a while: leaving cuts every connection, as a
    database restart does."""
    open_sockets: list[socket.socket] = []

    def pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            upstream = socket.create_connection((host, target))
            open_sockets.extend([self.request, upstream])
            back = threading.Thread(target=pump, args=(upstream, self.request), daemon=True)
            back.start()
            pump(self.request, upstream)
            back.join()

    socketserver.ThreadingTCPServer.allow_reuse_address = True
    server = socketserver.ThreadingTCPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
        for each in open_sockets:
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            each.close()


@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql"),
    reason="set DATABASE_URL to a PostgreSQL database to run this on PostgreSQL",
)
def test_production_on_postgresql_rides_out_outages_before_and_after_start(
    production: Any,
) -> None:
    upgrade(DATABASE_URL)
    real = make_url(DATABASE_URL)
    port = free_port()
    url = real.set(drivername="postgresql+psycopg", port=port)
    app = production(url.render_as_string(hide_password=False))  # down at start
    assert_unavailable(app)
    for _blip in range(2):
        with forwarding(port, real.host or "127.0.0.1", real.port or 5432):
            client = app.test_client()
            assert client.get("/healthz", **HTTPS).status_code == 200
            assert client.get("/", **HTTPS).status_code == 200
            answer = client.post(ANSWER, data={"account_number": "51234567"}, **HTTPS)
            assert answer.status_code == 302
        assert_unavailable(app)  # and down again, after start


def test_postgresql_connections_give_up_when_the_database_does_not_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db/council")
    monkeypatch.delenv("DATABASE_CONNECT_TIMEOUT", raising=False)
    connect = load_config({"SECRET_KEY": "k"})["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]
    assert connect["connect_timeout"] == 5
    assert connect["tcp_user_timeout"] == 10_000
    assert connect["keepalives"] == 1
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "2")
    assert (
        load_config({"SECRET_KEY": "k"})["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"][
            "connect_timeout"
        ]
        == 2
    )
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db/council?connect_timeout=9")
    options = load_config({"SECRET_KEY": "k"})["SQLALCHEMY_ENGINE_OPTIONS"]
    assert "connect_timeout" not in options["connect_args"]  # the URL's own setting stands
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "0")  # libpq: wait for ever
    with pytest.raises(ConfigError, match="DATABASE_CONNECT_TIMEOUT must be at least 1"):
        load_config({"SECRET_KEY": "k"})


FORWARDER = """
import socket, sys, threading
listener = socket.create_server(("127.0.0.1", int(sys.argv[1])))
def pump(source, sink):
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    for each in (source, sink):
        each.close()
while True:
    client, _ = listener.accept()
    upstream = socket.create_connection((sys.argv[2], int(sys.argv[3])))
    threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
    threading.Thread(target=pump, args=(upstream, client), daemon=True).start()
"""


@pytest.mark.skipif(
    not DATABASE_URL.startswith("postgresql"),
    reason="set DATABASE_URL to a PostgreSQL database to run this on PostgreSQL",
)
def test_a_database_that_stops_answering_is_a_503_in_seconds_not_a_hung_worker(
    production: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A frozen database accepts the connection but never answers: without connect_timeout
    the worker waited until gunicorn killed it (30 s) and the resident got no page."""
    monkeypatch.setenv("DATABASE_CONNECT_TIMEOUT", "2")
    upgrade(DATABASE_URL)
    real = make_url(DATABASE_URL)
    port = free_port()
    forwarder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            FORWARDER,
            str(port),
            real.host or "127.0.0.1",
            str(real.port or 5432),
        ]
    )
    try:
        url = real.set(drivername="postgresql+psycopg", host="127.0.0.1", port=port)
        for _wait in range(50):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.1)
        app = production(url.render_as_string(hide_password=False))
        assert app.test_client().get("/healthz", **HTTPS).status_code == 200
        with app.app_context():
            db.engine.dispose()  # as a worker gunicorn has just started: no pooled connection
        os.kill(forwarder.pid, signal.SIGSTOP)
        answers: list[int] = []
        started = time.monotonic()
        request = threading.Thread(
            target=lambda: answers.append(
                app.test_client()
                .post(ANSWER, data={"account_number": "51234567"}, **HTTPS)
                .status_code
            ),
            daemon=True,
        )
        request.start()
        request.join(timeout=15)
        assert answers == [503], f"no answer after {time.monotonic() - started:.0f} s"
        assert time.monotonic() - started < 10
    finally:
        os.kill(forwarder.pid, signal.SIGCONT)
        forwarder.kill()
        forwarder.wait()


# -- the schema against the code --------------------------------------------------------------
@pytest.mark.parametrize("behind", ["no tables", "one migration"])
def test_production_refuses_to_start_on_a_schema_behind_the_code_in_one_line(
    tmp_path: Path, production: Any, behind: str
) -> None:
    url = f"sqlite:///{tmp_path}/app.db"
    if behind == "one migration":
        migrate(url, "downgrade")
    with pytest.raises(SchemaBehind) as refused:
        production(url)
    found = "none (no tables)" if behind == "no tables" else PREVIOUS
    assert str(refused.value) == (
        f"the database schema is at revision {found}, this code needs {HEAD}: "
        "run: service-builder db upgrade"
    )


def test_a_schema_found_behind_later_is_a_503_until_it_is_upgraded(
    tmp_path: Path, production: Any, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite:///{tmp_path}/app.db"
    upgrade(url)
    client = production(url).test_client()
    assert client.get("/healthz", **HTTPS).status_code == 200
    migrate(url, "downgrade")  # a restored backup, say
    health = client.get("/healthz", **HTTPS)
    assert health.status_code == 503
    assert health.get_json() == {"status": "unavailable", "database": "schema is behind the code"}
    page = client.get("/", **HTTPS)
    assert page.status_code == 503
    assert "Sorry, the service is unavailable" in page.get_data(as_text=True)
    assert f"at revision {PREVIOUS}, this code needs {HEAD}" in caplog.text
    upgrade(url)
    assert client.get("/healthz", **HTTPS).status_code == 200
    assert client.get("/", **HTTPS).status_code == 200


def test_a_database_unreachable_at_start_is_checked_once_it_answers(
    tmp_path: Path, production: Any
) -> None:
    folder = tmp_path / "not-yet"
    url = f"sqlite:///{folder}/app.db"
    client = production(url).test_client()
    folder.mkdir()
    migrate(url, "downgrade")
    assert client.get("/", **HTTPS).status_code == 503
    assert client.get("/healthz", **HTTPS).get_json()["database"] == "schema is behind the code"
    upgrade(url)
    assert client.get("/", **HTTPS).status_code == 200


def test_a_schema_a_newer_release_migrated_does_not_stop_this_one(
    tmp_path: Path, production: Any
) -> None:
    """During a rolling release the database is migrated before every server is replaced:
    the old servers (and their recycled workers) keep serving."""
    url = f"sqlite:///{tmp_path}/app.db"
    migrate(url, "UPDATE alembic_version SET version_num = '9999_from_the_future'")
    client = production(url).test_client()
    assert client.get("/healthz", **HTTPS).status_code == 200


def test_gunicorns_master_refuses_a_schema_behind_and_starts_without_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVICE_BUILDER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "master-test")
    url = f"sqlite:///{tmp_path}/app.db"
    migrate(url, "downgrade")
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(SchemaBehind, match="run: service-builder db upgrade"):
        refuse_a_schema_behind()
    upgrade(url)
    refuse_a_schema_behind()
    monkeypatch.setenv("DATABASE_URL", NOWHERE)
    refuse_a_schema_behind()  # the workers wait for it
