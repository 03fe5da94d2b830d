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


def test_gunicorn_s_own_lines_and_worker_tracebacks_are_json(tmp_path: Path) -> None:
    log_file = tmp_path / "app.log"
    site = tmp_path / "site.yaml"
    site.write_text("council: [\n", encoding="utf-8")  # broken: the worker fails to boot
    env = {
        **os.environ,
        "SECRET_KEY": "conf-test",
        "SERVICE_BUILDER_LOG_FILE": str(log_file),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        "SERVICE_BUILDER_SITE": str(site),
        "BIND": "127.0.0.1:5361",
        "WEB_CONCURRENCY": "2",
        "SERVICE_BUILDER_ENV": "production",
    }
    env.pop("RATELIMIT_STORAGE_URI", None)  # the default: counts in each worker alone
    gunicorn = Path(sys.executable).parent / "gunicorn"
    upgrade = [str(Path(sys.executable).parent / "service-builder"), "db", "upgrade"]
    subprocess.run(upgrade, env=env, cwd=ROOT, capture_output=True, timeout=120, check=True)
    log_file.unlink(missing_ok=True)  # only gunicorn's lines from here
    done = subprocess.run(
        [str(gunicorn), "--config", str(CONF)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0  # the master gives up when a worker cannot boot
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    gunicorns = [line for line in lines if line["logger"] == "gunicorn.error"]
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
    log_file = tmp_path / "app.log"
    (tmp_path / "tmp").mkdir()
    env = {
        **os.environ,
        "SECRET_KEY": "conf-test-with-a-long-enough-secret-key",
        "SERVICE_BUILDER_LOG_FILE": str(log_file),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",  # no tables: behind the code
        "BIND": "127.0.0.1:5362",
        "WEB_CONCURRENCY": "1",
        "TMPDIR": str(tmp_path / "tmp"),
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    gunicorn = Path(sys.executable).parent / "gunicorn"
    done = subprocess.run(
        [str(gunicorn), "--config", str(CONF)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0 and "service-builder db upgrade" in done.stderr
    lines = [json.loads(line) for line in log_file.read_text().splitlines()]
    assert any(line["message"].startswith("not starting: the database schema") for line in lines)
    assert list((tmp_path / "tmp").iterdir()) == []  # its metrics folder went with it
