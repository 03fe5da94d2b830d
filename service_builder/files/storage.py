"""Where uploaded files' bytes are kept: one small interface, on local disk or in S3.

`SERVICE_BUILDER_FILES` chooses: a folder (default `instance/files/`), or `s3://bucket/prefix`
for several app servers (any S3-compatible store; `AWS_ENDPOINT_URL` points boto3 elsewhere).
Files are named by their `file_id` only: the resident's file name is in the answer, never in a
path or key.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, Protocol

FILE_ID = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 64 * 1024


class FileStore(Protocol):
    """Keeps bytes under a file id."""

    def save(self, file_id: str, stream: IO[bytes]) -> None: ...
    def open(self, file_id: str) -> Iterator[bytes]:
        """The file's bytes in chunks; FileNotFoundError when there is no such file."""
        ...

    def delete(self, file_id: str) -> None:
        """Removes the file; nothing happens when it is already gone."""
        ...

    def exists(self, file_id: str) -> bool: ...
    def listing(self) -> Iterator[tuple[str, dt.datetime]]:
        """Every stored file's id and when it was saved (UTC)."""
        ...


def _checked(file_id: str) -> str:
    if not FILE_ID.match(file_id):
        raise ValueError("not a file id")  # never a path of someone's choosing
    return file_id


class LocalStore:
    """Files in a folder on this server's disk, two levels deep by id."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, file_id: str) -> Path:
        _checked(file_id)
        return self.folder / file_id[:2] / file_id

    def save(self, file_id: str, stream: IO[bytes]) -> None:
        path = self.path(file_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        with partial.open("wb") as out:
            shutil.copyfileobj(stream, out, CHUNK)
        partial.replace(path)  # a half-written file is never served

    def open(self, file_id: str) -> Iterator[bytes]:
        handle = self.path(file_id).open("rb")  # raises FileNotFoundError before streaming

        def chunks() -> Iterator[bytes]:
            with handle:
                while chunk := handle.read(CHUNK):
                    yield chunk

        return chunks()

    def delete(self, file_id: str) -> None:
        self.path(file_id).unlink(missing_ok=True)

    def exists(self, file_id: str) -> bool:
        return self.path(file_id).is_file()

    def listing(self) -> Iterator[tuple[str, dt.datetime]]:
        for path in self.folder.glob("??/*"):
            if FILE_ID.match(path.name):
                saved = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
                yield path.name, saved.replace(tzinfo=None)


class S3Store:
    """Files as objects under `prefix` in an S3 bucket, through boto3."""

    def __init__(self, bucket: str, prefix: str, client: Any = None) -> None:
        import boto3  # only deployments that use S3 need it loaded

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client or boto3.client("s3")

    def key(self, file_id: str) -> str:
        _checked(file_id)
        return f"{self.prefix}/{file_id}" if self.prefix else file_id

    def save(self, file_id: str, stream: IO[bytes]) -> None:
        self.client.upload_fileobj(stream, self.bucket, self.key(file_id))

    def open(self, file_id: str) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.key(file_id))["Body"]
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(file_id) from None
        return iter(body.iter_chunks(CHUNK))

    def delete(self, file_id: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(file_id))

    def exists(self, file_id: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(file_id))
        except ClientError:
            return False
        return True

    def listing(self) -> Iterator[tuple[str, dt.datetime]]:
        start = f"{self.prefix}/" if self.prefix else ""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=start
        )
        for page in pages:
            for item in page.get("Contents", []):
                file_id = item["Key"][len(start) :]
                if FILE_ID.match(file_id):
                    yield file_id, item["LastModified"].astimezone(dt.UTC).replace(tzinfo=None)


def file_store(where: str, root: Path) -> FileStore:
    """The store `SERVICE_BUILDER_FILES` names; a relative folder is under `root`."""
    if where.startswith("s3://"):
        bucket, _, prefix = where[len("s3://") :].partition("/")
        return S3Store(bucket, prefix)
    folder = Path(where)
    return LocalStore(folder if folder.is_absolute() else root / folder)
