"""config/gunicorn.conf.py, the settings `make serve` runs gunicorn with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

CONF = ROOT / "config" / "gunicorn.conf.py"


def settings(**env: str) -> dict[str, Any]:
    """The settings the file makes, read in a process of its own (it sets the environment)."""
    script = (
        "import json, runpy, sys; s = runpy.run_path(sys.argv[1]); "
        "print(json.dumps({k: v for k, v in s.items() if k.islower() and not k.startswith('_')}"
        ", default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(CONF)],
        env={**os.environ, "SECRET_KEY": "conf-test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return dict(json.loads(done.stdout.splitlines()[-1]))


def test_only_prometheus_files_are_removed_from_the_metrics_folder(tmp_path: Path) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_123.db").write_bytes(b"stale")
    (folder / "histogram_123.db").write_bytes(b"stale")
    (folder / "notes.txt").write_text("the operator's")
    (folder / "keep").mkdir()
    settings(PROMETHEUS_MULTIPROC_DIR=str(folder))
    assert sorted(path.name for path in folder.iterdir()) == ["keep", "notes.txt"]
    missing = tmp_path / "new" / "metrics"
    settings(PROMETHEUS_MULTIPROC_DIR=str(missing))
    assert missing.is_dir()


GUNICORN = [str(Path(sys.executable).parent / "gunicorn"), "--config", str(CONF)]


def served_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment `make serve` gives gunicorn, logging to tmp_path / 'app.log', on a
    SQLite database there, with the migrations run."""
    env = {
        **os.environ,
        "SECRET_KEY": "conf-test-with-a-long-enough-secret-key",
        "SERVICE_BUILDER_LOG_FILE": str(tmp_path / "app.log"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "SERVICE_BUILDER_ENV": "production",
        **settings,
    }
    env.pop("RATELIMIT_STORAGE_URI", None)  # the default: counts in each worker alone
    upgrade = [str(Path(sys.executable).parent / "service-builder"), "db", "upgrade"]
    subprocess.run(upgrade, env=env, cwd=ROOT, capture_output=True, timeout=120, check=True)
    (tmp_path / "app.log").unlink(missing_ok=True)  # only gunicorn's lines from here
    return env


def serve(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(GUNICORN, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def without_a_metrics_folder(tmp_path: Path, env: dict[str, str]) -> dict[str, str]:
    """One worker, and no PROMETHEUS_MULTIPROC_DIR: the server makes one in tmp_path / 'tmp'."""
    (tmp_path / "tmp").mkdir()
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return {**env, "TMPDIR": str(tmp_path / "tmp"), "WEB_CONCURRENCY": "1"}


def log_lines(tmp_path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (tmp_path / "app.log").read_text().splitlines()]


def test_gunicorn_s_own_lines_and_worker_tracebacks_are_json(tmp_path: Path) -> None:
    site = tmp_path / "site.yaml"
    site.write_text("council: [\n", encoding="utf-8")  # broken: the worker fails to boot
    done = serve(
        served_env(
            tmp_path,
            PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
            SERVICE_BUILDER_SITE=str(site),
            BIND="127.0.0.1:5361",
            WEB_CONCURRENCY="2",
        )
    )
    assert done.returncode != 0  # the master gives up when a worker cannot boot
    gunicorns = [line for line in log_lines(tmp_path) if line["logger"] == "gunicorn.error"]
    assert any("Booting worker" in line["message"] for line in gunicorns)
    assert any("each of the 2 workers counts on its own" in line["message"] for line in gunicorns)
    assert any("site.yaml" in line.get("traceback", "") for line in gunicorns)
    assert not any("Control socket" in line["message"] for line in gunicorns)
    # gunicorn prints the bare exception message to standard error itself, and when both
    # workers fail at once its master can crash on its own HaltServer while halting
    # (gunicorn 27): that traceback is gunicorn's alone, never the worker's.
    assert "[INFO]" not in done.stderr
    for traceback in done.stderr.split("Traceback (most recent call last):")[1:]:
        assert "HaltServer" in traceback and "site.yaml" not in traceback, traceback


def test_a_moved_log_file_is_reopened(tmp_path: Path, monkeypatch: Any) -> None:
    import logging

    from service_builder.logs import app_handler

    log_file = tmp_path / "app.log"
    monkeypatch.setenv("SERVICE_BUILDER_LOG_FILE", str(log_file))
    handler = app_handler("production")
    logger = logging.getLogger("tests.rotated")
    logger.addHandler(handler)
    try:
        logger.warning("before")
        log_file.rename(tmp_path / "app.log.1")  # as logrotate does, without copytruncate
        logger.warning("after")
    finally:
        logger.removeHandler(handler)
        handler.close()
    assert [json.loads(line)["message"] for line in log_file.read_text().splitlines()] == ["after"]


def test_no_instance_takes_another_s_control_socket() -> None:
    from gunicorn.config import KNOWN_SETTINGS

    assert "control_socket_disable" in {setting.name for setting in KNOWN_SETTINGS}
    assert settings()["control_socket_disable"] is True


def test_each_instance_is_named_by_its_address_in_the_process_list() -> None:
    assert settings(BIND="127.0.0.1:5400")["proc_name"] == "service-builder 127.0.0.1:5400"


def test_a_schema_behind_is_logged_and_a_metrics_folder_made_here_is_removed(
    tmp_path: Path,
) -> None:
    env = without_a_metrics_folder(tmp_path, served_env(tmp_path, BIND="127.0.0.1:5362"))
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.db'}"  # no tables: behind the code
    done = serve(env)
    assert done.returncode != 0 and "service-builder db upgrade" in done.stderr
    messages = [line["message"] for line in log_lines(tmp_path)]
    assert any(message.startswith("not starting: the database schema") for message in messages)
    assert list((tmp_path / "tmp").iterdir()) == []  # its metrics folder went with it


def test_a_metrics_folder_made_here_goes_when_the_server_stops_after_reloads(
    tmp_path: Path,
) -> None:
    import signal
    import time

    env = without_a_metrics_folder(tmp_path, served_env(tmp_path, BIND="127.0.0.1:5363"))
    server = subprocess.Popen(GUNICORN, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        for wanted in ("Booting worker", "Hang up"):
            deadline = time.monotonic() + 60
            while not any(wanted in line["message"] for line in _lines_so_far(tmp_path)):
                assert time.monotonic() < deadline, wanted
                time.sleep(0.2)
            if wanted == "Booting worker":
                assert len(list((tmp_path / "tmp").iterdir())) == 1
                server.send_signal(signal.SIGHUP)  # the config file runs again
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    finally:
        server.kill()
    assert list((tmp_path / "tmp").iterdir()) == []  # not one left, nor a second made


def _lines_so_far(tmp_path: Path) -> list[dict[str, Any]]:
    return log_lines(tmp_path) if (tmp_path / "app.log").exists() else []


def test_gunicorn_s_own_lines_never_name_a_client_s_address_or_what_it_sent(
    tmp_path: Path,
) -> None:
    log_file = tmp_path / "app.log"
    script = (
        "import logging, logging.config; from service_builder.logs import gunicorn_logconfig; "
        "logging.config.dictConfig(gunicorn_logconfig('production')); "
        "log = logging.getLogger('gunicorn.error'); "
        "log.warning('Invalid request from ip=192.0.2.10: limit request headers fields size'); "
        "log.warning('Invalid request from ip=2001:db8::7: Invalid HTTP method'); "
        "log.warning('Invalid request from ip=192.0.2.10: Invalid HTTP Version: %r', "
        "'Sam Jones HTTP/1.1'); "
        "log.warning('Invalid request from ip=192.0.2.10: Invalid HTTP request line: %r', "
        '"GET /x?q=O\'Brien HTTP/1.1"); '
        "log.error('Error handling request %s %s', 'GET', '/staff/cases?q=Sam+Jones'); "
        "log.warning('Invalid request from ip=203.0.113.9: Proxy request from %r not allowed', "
        "'203.0.113.9'); "
        "log.info('Listening at: http://127.0.0.1:5000 (%s)', 42)"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "SERVICE_BUILDER_LOG_FILE": str(log_file)},
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    assert [json.loads(line)["message"] for line in log_file.read_text().splitlines()] == [
        "Invalid request from ip=(hidden): limit request headers fields size",
        "Invalid request from ip=(hidden): Invalid HTTP method",
        "Invalid request from ip=(hidden): Invalid HTTP Version (what was sent is not logged)",
        "Invalid request from ip=(hidden): Invalid HTTP request line (what was sent is not logged)",
        "Error handling request GET /staff/cases?(query not logged)",
        "Invalid request from ip=(hidden): Proxy request from (what was sent is not logged)",
        "Listening at: http://127.0.0.1:5000 (42)",  # the server's own address stays
    ]


def test_gunicorn_believes_no_proxy_header_of_its_own() -> None:
    """An operator's trial: with no proxy trusted, gunicorn still took the scheme from
    X-Forwarded-Proto (or -Ssl, -Protocol) sent from 127.0.0.1, its default."""
    made = settings()
    assert made["forwarded_allow_ips"] == "" and made["secure_scheme_headers"] == {}
