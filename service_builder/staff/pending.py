"""What a member of staff sent as their session ended (a timeout, or signed out and in again
in another tab): kept, sealed, in the cookie until they sign in again, and shown again,
unsaved, on the page it was sent from (`take_posted_answers`), saying it was not saved."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app, flash, request, session

from service_builder.config import signing_keys

PENDING = "pending_answers"
PENDING_MAX_BYTES = 2400
"""The most the sealed forms may take in the cookie (which also holds the session, and must
stay under the 4 KB browsers keep): each tab's form, the newest first when not all fit."""
WARNING = "warning"
"""The flash category of a notice that something went wrong (an 'Important' banner); Flask's
default category is a notice that something was done (a 'Success' banner on the home page)."""
NOT_SAVED = (
    "What you sent from this page was not saved: you signed out, or signed in again, after "
    "it was opened. Check the page and send it again."
)
"""Said on the page the agent lands on (a question page also shows what was typed): the
sign-in page shows no notices, so this one waits for the journey's page."""


def keep_posted_answers() -> None:
    """Without JavaScript the warning may go unseen: what was typed survives the sign-in.
    Each tab's form is kept (by its address and the draft it names), the newest first."""
    fields = [
        [name, value]
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", "save_and_leave")
    ]
    mine = {"path": request.path, "draft": _draft_named(), "fields": fields}
    kept = [entry for entry in _pending() if not _same_form(entry, mine)] + [mine]
    sealed = _fitted(kept)
    if sealed:
        session[PENDING] = sealed
    else:
        session.pop(PENDING, None)
    say_not_saved()  # kept over sign-in (auth.KEPT_OVER_TIMEOUT) for the page after it


def _fitted(kept: list[dict[str, Any]]) -> str:
    """The forms sealed, within PENDING_MAX_BYTES: when they do not all fit, the oldest tabs'
    answers give way first, but not the mark that their page was sent (so that page still
    says it was not saved); then the oldest marks. "" when nothing fits."""
    for entry in kept:
        sealed = _seal({"forms": kept})
        if len(sealed) <= PENDING_MAX_BYTES:
            return sealed
        entry["fields"] = None  # a mark only: shown again, the page says it was not saved
    while kept:
        sealed = _seal({"forms": kept})
        if len(sealed) <= PENDING_MAX_BYTES:
            return sealed
        kept.pop(0)
    return ""


def say_not_saved() -> None:
    """Flash NOT_SAVED for the next page shown, unless it is already waiting to be shown."""
    waiting = session.get("_flashes", [])
    if not any(message == NOT_SAVED for _category, message in waiting):
        flash(NOT_SAVED, WARNING)


def take_posted_answers(path: str, draft: str = "") -> list[tuple[str, str]] | None:
    """The answers posted to this page (for this draft, if the form named one) as the
    session ended, once. The page that shows them again says they were not saved."""
    kept = _pending()
    mine = (entry for entry in kept if entry.get("path") == path)
    found = next((entry for entry in mine if entry.get("draft") in ("", draft)), None)
    if found is None:
        return None
    rest = [entry for entry in kept if entry is not found]
    if rest:
        session[PENDING] = _seal({"forms": rest})
    else:
        session.pop(PENDING)
    say_not_saved()
    fields = found.get("fields")
    if not isinstance(fields, list):  # a mark only: its answers did not fit
        return None
    return [(str(name), str(value)) for name, value in fields]


def _pending() -> list[dict[str, Any]]:
    sealed = session.get(PENDING)
    pending = _unseal(sealed) if isinstance(sealed, str) else None
    forms = pending.get("forms") if isinstance(pending, dict) else None
    return [entry for entry in forms if isinstance(entry, dict)] if isinstance(forms, list) else []


def _draft_named() -> str:
    """The draft an assisted form was sent for (`draft_reference`), if it names one."""
    named = request.form.get("draft_reference") or request.args.get("draft_reference") or ""
    return str(named)[:40]


def _same_form(one: dict[str, Any], other: dict[str, Any]) -> bool:
    return bool(one.get("path") == other.get("path") and one.get("draft") == other.get("draft"))


def _box() -> MultiFernet:
    """The cookie is signed, not encrypted: a caller's answers in it are sealed as well, so
    nobody at that computer can read them before the agent signs in again (sealed with the
    current key, opened with it or a previous one: `config.signing_keys`)."""
    return MultiFernet([_fernet(secret) for secret in signing_keys(current_app.config)])


def _fernet(secret: bytes) -> Fernet:
    key = hashlib.sha256(b"service-builder pending answers\0" + secret).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _seal(pending: dict[str, Any]) -> str:
    return _box().encrypt(json.dumps(pending).encode()).decode()


def _unseal(sealed: str) -> Any:
    lifetime = current_app.config["STAFF_SESSION_LIFETIME"]
    try:
        return json.loads(_box().decrypt(sealed, ttl=int(lifetime.total_seconds())))
    except (InvalidToken, ValueError):
        return None
