"""Virus scanning with a real clamd, loaded only with a signature we make for EICAR's test file.

clamd is Debian's `clamav-daemon`; no signatures are downloaded (no freshclam). Without clamd
the tests skip here, but fail in CI (`CI=true`), where `.ci/run` installs it.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from service_builder.files.scanning import Infected, scan
from service_builder.models import Draft, db
from service_builder.questions.files import EXAMPLE_PNG
from tests.conftest import copy_fixture, empty_database, make_app
from tests.html_checks import parse_page

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
IN_CI = os.environ.get("CI") == "true"
CLAMD = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)


@pytest.fixture(scope="module")
def clamd_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if CLAMD is None:
        if IN_CI:
            pytest.fail("clamd is missing: CI installs clamav-daemon (.ci/run)")
        pytest.skip("clamd is not installed (apt-get install clamav-daemon)")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    # a body signature (.ndb): EICAR's 68 bytes anywhere in any file
    (folder / "db" / "eicar.ndb").write_text(f"Service-Builder-EICAR:0:*:{EICAR.hex()}\n")
    socket = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket}\nDatabaseDirectory {folder / 'db'}\nForeground yes\n"
        f"LogFile {folder / 'clamd.log'}\nTemporaryDirectory {folder}\n"
    )
    process = subprocess.Popen(
        [CLAMD, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        for _ in range(300):
            if socket.exists():
                break
            if process.poll() is not None:
                pytest.fail(f"clamd stopped: {(folder / 'clamd.log').read_text()}")
            time.sleep(0.1)
        else:
            pytest.fail("clamd did not open its socket within 30 s")
        yield str(socket)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_clamd_finds_eicar_and_passes_a_clean_file(clamd_socket: str) -> None:
    with pytest.raises(Infected):
        scan(io.BytesIO(EXAMPLE_PNG + EICAR), clamd_socket)
    stream = io.BytesIO(EXAMPLE_PNG)
    scan(stream, clamd_socket)
    assert stream.tell() == 0  # ready to be stored


@pytest.fixture
def scanning_app(clamd_socket: str, definitions_dir: Path, tmp_path: Path) -> Iterator[Flask]:
    copy_fixture("evidence.yaml", definitions_dir)
    app = make_app(
        definitions_dir, SERVICE_BUILDER_FILES=str(tmp_path / "files"), CLAMD_SOCKET=clamd_socket
    )
    empty_database(app)
    yield app
    empty_database(app)


def test_an_infected_upload_is_refused_and_nothing_kept(
    scanning_app: Flask, tmp_path: Path
) -> None:
    client = scanning_app.test_client()
    client.post("/evidence/name", data={"full_name": "Sam Example"})
    response = client.post(
        "/evidence/proof", data={"proof": (io.BytesIO(EXAMPLE_PNG + EICAR), "photo.png")}
    )
    assert response.status_code == 400
    assert parse_page(response.get_data(as_text=True)).error_messages == [
        "The selected file contains a virus"
    ]
    assert not [p for p in (tmp_path / "files").rglob("*") if p.is_file()]
    with scanning_app.app_context():
        draft = db.session.scalars(db.select(Draft)).one()
        assert "proof" not in draft.data["answers"]
    # a clean file is then accepted, scanned by the same clamd
    response = client.post(
        "/evidence/proof", data={"proof": (io.BytesIO(EXAMPLE_PNG), "photo.png")}
    )
    assert response.status_code == 302
    assert len([p for p in (tmp_path / "files").rglob("*") if p.is_file()]) == 1


def test_an_upload_is_refused_with_try_again_when_clamd_is_down(
    definitions_dir: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    copy_fixture("evidence.yaml", definitions_dir)
    nobody = str(tmp_path / "no-clamd-here.sock")  # no clamd listens: needs no ClamAV
    app = make_app(
        definitions_dir, SERVICE_BUILDER_FILES=str(tmp_path / "files"), CLAMD_SOCKET=nobody
    )
    empty_database(app)
    client = app.test_client()
    client.post("/evidence/name", data={"full_name": "Sam Example"})
    response = client.post(
        "/evidence/proof", data={"proof": (io.BytesIO(EXAMPLE_PNG), "secret-name.png")}
    )
    assert response.status_code == 400
    assert parse_page(response.get_data(as_text=True)).error_messages == [
        "The selected file could not be uploaded – try again"
    ]
    assert not (tmp_path / "files").exists() or not any((tmp_path / "files").rglob("*.*"))
    assert "clamd could not be reached" in caplog.text and "secret-name" not in caplog.text
