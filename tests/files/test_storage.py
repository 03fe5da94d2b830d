"""The file stores: local disk, and S3 against moto's server on 127.0.0.1 (no network)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from service_builder.files.storage import FileStore, LocalStore, S3Store, file_store
from tests.conftest import S3_FILES, serving

FILE_ID = "0123456789abcdef0123456789abcdef"
CONTENT = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 1000  # several chunks


def _round_trip(store: FileStore) -> None:
    assert not store.exists(FILE_ID)
    store.save(FILE_ID, io.BytesIO(CONTENT))
    assert store.exists(FILE_ID)
    assert b"".join(store.open(FILE_ID)) == CONTENT
    (listed_id, saved), *rest = list(store.listing())
    assert listed_id == FILE_ID and not rest
    assert abs(saved - dt.datetime.now(dt.UTC).replace(tzinfo=None)) < dt.timedelta(minutes=5)
    store.delete(FILE_ID)
    assert not store.exists(FILE_ID)
    with pytest.raises(FileNotFoundError):
        store.open(FILE_ID)
    store.delete(FILE_ID)  # already gone: no error


def test_local_round_trip(tmp_path: Path) -> None:
    store = file_store("files", tmp_path)
    assert isinstance(store, LocalStore) and store.folder == tmp_path / "files"
    _round_trip(store)


def test_s3_round_trip_through_a_real_s3_server(s3_store: S3Store) -> None:
    _round_trip(s3_store)
    s3_store.save(FILE_ID, io.BytesIO(b"x"))
    keys = [o["Key"] for o in s3_store.client.list_objects_v2(Bucket="uploads")["Contents"]]
    assert keys == [f"council/files/{FILE_ID}"]  # named by id only, under the prefix


@pytest.mark.parametrize("bad", ["../../etc/passwd", "ABC", FILE_ID + "0", ""])
def test_only_file_ids_name_files(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        LocalStore(tmp_path).path(bad)


def test_an_upload_through_the_app_lands_in_s3(s3_store: S3Store, definitions_dir: Path) -> None:
    from service_builder.models import Draft, db
    from service_builder.questions.files import EXAMPLE_PNG

    with serving(definitions_dir, "evidence.yaml", SERVICE_BUILDER_FILES=S3_FILES) as app:
        client = app.test_client()
        client.post("/evidence/name", data={"full_name": "Sam Example"})
        data = {"proof": (io.BytesIO(EXAMPLE_PNG), "photo.png")}
        assert client.post("/evidence/proof", data=data).status_code == 302
        with app.app_context():
            answer = db.session.scalars(db.select(Draft)).one().data["answers"]["proof"]
        assert b"".join(s3_store.open(answer["file_id"])) == EXAMPLE_PNG
