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
