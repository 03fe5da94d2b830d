"""Downloading uploaded files: staff from the case, and webhook receivers with a signed request.

Staff: `/staff/cases/{reference}/files/{file_id}`, for whoever may see the case (the same
team rule, and the same 404 for another team's case). Every download is audited, naming the
question and file id, never the file's name.

Webhook receivers: `/webhooks/files/{reference}/{file_id}`, with the headers
`X-Service-Builder-Timestamp` (Unix seconds) and `X-Service-Builder-Signature:
sha256={hex HMAC-SHA256 of "GET\\n{path}\\n{timestamp}", keyed with the webhook's secret}`.
The webhook body stays the export record; the receiver builds this URL from the reference and
the answer's `file_id`. A signature older than five minutes is refused (no replays later).
An unknown reference gets the same 403 as a bad signature, so an unsigned request cannot
tell which references exist; only a request signed for the case's service learns more.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import time
from urllib.parse import quote

from flask import Blueprint, abort, current_app, request
from werkzeug.wrappers import Response

from service_builder.cases import find_case
from service_builder.definitions.schema import Service
from service_builder.files.listing import HeldFile, find_file
from service_builder.files.retention import store_for
from service_builder.staff import audit
from service_builder.staff.auth import current_staff, require_role
from service_builder.web.cases import can_see

blueprint = Blueprint("case_files", __name__, url_prefix="/staff/cases")
blueprint.before_request(require_role("agent"))
webhook_blueprint = Blueprint("webhook_files", __name__, url_prefix="/webhooks/files")

SIGNATURE_LIFETIME = 300
"""Seconds a receiver's signed request stays good, either side of the server's clock."""
SIGNATURE_FORM = re.compile(r"sha256=[0-9a-f]{64}")
"""What `request_signature` gives; anything else (non-ASCII bytes included) is refused."""
TIMESTAMP_FORM = re.compile(r"[0-9]{1,12}")
"""ASCII digits only: `str.isdigit` also takes '²', which `int` cannot read."""


@blueprint.get("/<reference>/files/<file_id>")
def download(reference: str, file_id: str) -> Response:
    user = current_staff()
    found = find_case(reference)
    if user is None or found is None or not can_see(user, found.submission):
        abort(404)  # another team's case looks like no case
    held = find_file(_service(found.service_id), found.submission.answers, file_id) or abort(404)
    response = _send(held)
    audit.record(
        "downloaded-file", user, submission=found.submission, detail=_detail(held, "staff")
    )
    return response


@webhook_blueprint.get("/<reference>/<file_id>")
def webhook_fetch(reference: str, file_id: str) -> Response:
    found = find_case(reference)
    service = _service(found.service_id) if found is not None else None
    if found is None or service is None or not _signed_by_a_webhook(service, request.path):
        abort(403)  # an unknown reference answers as a bad signature: no existence oracle
    held = find_file(service, found.submission.answers, file_id) or abort(404)
    response = _send(held)
    audit.record(
        "downloaded-file", None, submission=found.submission, detail=_detail(held, "webhook")
    )
    return response


def request_signature(secret: str, path: str, timestamp: str) -> str:
    """What a receiver sends (and the server expects) for a GET of `path` at `timestamp`."""
    message = f"GET\n{path}\n{timestamp}".encode()
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _signed_by_a_webhook(service: Service, path: str) -> bool:
    timestamp = request.headers.get("X-Service-Builder-Timestamp", "")
    given = request.headers.get("X-Service-Builder-Signature", "")
    if not TIMESTAMP_FORM.fullmatch(timestamp) or not SIGNATURE_FORM.fullmatch(given):
        return False
    if abs(time.time() - int(timestamp)) > SIGNATURE_LIFETIME:
        return False
    secrets = [os.environ.get(hook.secret_env) for hook in service.webhooks or []]
    return any(
        hmac.compare_digest(request_signature(secret, path, timestamp).encode(), given.encode())
        for secret in secrets
        if secret
    )


def _send(held: HeldFile) -> Response:
    try:
        chunks = store_for(current_app.config).open(held.file_id)
    except FileNotFoundError:
        abort(404)
    fallback = held.filename.encode("ascii", "replace").decode().replace("?", "_")
    response = Response(chunks, mimetype=str(held.answer["content_type"]))
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(held.filename)}"
    )
    response.headers["Content-Length"] = str(held.answer["size"])
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def _detail(held: HeldFile, by: str) -> str:
    """The question and the file's id: never the file's name, which the resident chose."""
    return f"{held.question_id} ({held.file_id}), by {by}"


def _service(service_id: str) -> Service | None:
    service: Service | None = current_app.extensions["service_builder"].catalog.get(service_id)
    return service
