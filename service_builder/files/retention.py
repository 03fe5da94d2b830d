"""Which stored files go when their drafts and submissions go, and the sweep for orphans.

The rule: a file lives exactly as long as the answer that holds it. When `purge` deletes an
abandoned draft or a submission past its `retention_days`, the files in its answers are
deleted too (after the database rows, so a failed purge never leaves answers pointing at
nothing). A file replaced on its page is deleted when the page is saved
(web/uploads.py). A file accepted on a page the resident never finished is held by no answer:
`orphans` finds such files once they are older than the longest draft lifetime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select

from service_builder.config import ROOT
from service_builder.files.storage import FileStore, file_store
from service_builder.models import Draft, Submission, db
from service_builder.questions.files import file_ids


def store_for(config: Mapping[str, Any] | None) -> FileStore:
    where = (config or {}).get("SERVICE_BUILDER_FILES") or "instance/files"
    return file_store(str(where), ROOT)


def files_held(submission_ids: Iterable[int], draft_ids: Iterable[int]) -> set[str]:
    """The file ids in these submissions' and drafts' answers."""
    found: set[str] = set()
    submissions = list(submission_ids)
    drafts = list(draft_ids)
    if submissions:
        for answers in db.session.scalars(
            select(Submission.answers).where(Submission.id.in_(submissions))
        ):
            found |= file_ids(answers)
    if drafts:
        for data in db.session.scalars(select(Draft.data).where(Draft.id.in_(drafts))):
            found |= file_ids(data)
    return found


def delete_files(ids: Iterable[str], config: Mapping[str, Any] | None) -> int:
    store = store_for(config)
    count = 0
    for file_id in ids:
        store.delete(file_id)
        count += 1
    return count


def all_held() -> set[str]:
    """Every file id any draft or submission still holds."""
    held: set[str] = set()
    for answers in db.session.scalars(select(Submission.answers).execution_options(yield_per=500)):
        held |= file_ids(answers)
    for data in db.session.scalars(select(Draft.data).execution_options(yield_per=500)):
        held |= file_ids(data)
    return held


def orphans(store: FileStore, older_than: dt.datetime) -> list[str]:
    """Stored files held by no answer, saved before `older_than`."""
    held = all_held()
    return [
        file_id for file_id, saved in store.listing() if file_id not in held and saved < older_than
    ]
