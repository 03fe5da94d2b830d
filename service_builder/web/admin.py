"""The admin area: services, their versions, route maps, and a preview of any route."""

from __future__ import annotations

import datetime as dt
from itertools import chain
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from sqlalchemy import func, select
from werkzeug.wrappers import Response as WerkzeugResponse

from service_builder.definitions import Service
from service_builder.explorer import Route, explore, step_notes
from service_builder.exports import export_chunks
from service_builder.graph import describe, svg
from service_builder.models import Submission, db
from service_builder.staff import audit
from service_builder.staff.auth import current_staff, require_role
from service_builder.submissions import new_draft, save_state
from service_builder.versions import history
from service_builder.web.preview import runners as preview_runners
from service_builder.web.runner import JourneyRunner

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
blueprint.before_request(require_role("admin"))
RUNNERS: dict[str, JourneyRunner] = dict(preview_runners)
"""The preview of each audience: it stores no submission and sends nothing."""


def _catalog() -> Any:
    return current_app.extensions["service_builder"].catalog


def _service(service_id: str) -> Service:
    return _catalog().get(service_id) or abort(404)


@blueprint.get("/")
def home() -> str:
    catalog = _catalog()
    counts = dict(
        db.session.execute(
            select(Submission.service_id, func.count()).group_by(Submission.service_id)
        ).all()
    )
    services = sorted(catalog.services.values(), key=lambda s: s.title)
    return render_template(
        "admin/home.html",
        services=services,
        counts=counts,
        histories={s.id: history(s.id) for s in services},
        refused=catalog.refused,
    )


@blueprint.get("/services/<service_id>")
def service(service_id: str) -> str:
    found = _service(service_id)
    routes = {audience: explore(found, audience) for audience in RUNNERS}
    notes = {audience: step_notes(walked) for audience, walked in routes.items()}
    path = _catalog().files.get(found.id)
    changed = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC) if path else None
    return render_template(
        "admin/service.html",
        service=found,
        routes=routes,
        notes=notes,
        graph=svg(found),
        graph_text=describe(found),
        versions=history(found.id),
        file=path,
        changed=changed,
    )


LATEST = 20
"""How many of a service's newest sent forms its submissions page lists."""
DOWNLOADS = {"csv": "text/csv", "json": "application/json"}
DOWNLOAD_MOST = 100_000
"""The most sent forms a download here holds: written in about 10 s, well inside a sync
worker's 30 s (a worker stopped half-way would leave a file cut short). More: `export`."""


def _sent_count(service_id: str) -> int:
    where = Submission.service_id == service_id
    return db.session.scalar(select(func.count()).select_from(Submission).where(where)) or 0


@blueprint.get("/services/<service_id>/submissions")
def submissions(service_id: str) -> str:
    found = _service(service_id)
    newest = select(Submission).where(Submission.service_id == found.id)
    newest = newest.order_by(Submission.submitted_at.desc()).limit(LATEST)
    return render_template(
        "admin/submissions.html",
        service=found,
        total=_sent_count(found.id),
        most=DOWNLOAD_MOST,
        latest=db.session.scalars(newest).all(),
    )


@blueprint.get("/services/<service_id>/submissions.<fmt>")
def download(service_id: str, fmt: str) -> WerkzeugResponse:
    """Every sent form of the service (up to DOWNLOAD_MOST), streamed in constant memory,
    as the `export` command gives it; a CSV starts with a byte order mark, so that
    spreadsheets read its Welsh and other letters as UTF-8."""
    found = _service(service_id)
    mimetype = DOWNLOADS.get(fmt) or abort(404)
    if _sent_count(found.id) > DOWNLOAD_MOST:
        return redirect(url_for("admin.submissions", service_id=found.id))  # it says why
    with_case = request.args.get("with") == "case"
    detail = f"{found.id}, as {fmt.upper()}{', with cases' if with_case else ''}"
    audit.record("exported", current_staff(), detail=detail)
    chunks = export_chunks(found, found.id, fmt, with_case=with_case)
    body = chain(["\ufeff"], chunks) if fmt == "csv" else chunks
    name = f"{found.id}-{dt.date.today().isoformat()}.{fmt}"
    return Response(
        stream_with_context(body),
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@blueprint.get("/services/<service_id>/graph.svg")
def graph(service_id: str) -> Response:
    return Response(svg(_service(service_id)), mimetype="image/svg+xml")


@blueprint.post("/services/<service_id>/preview")
def preview(service_id: str) -> WerkzeugResponse:
    """Open the journey at a page, with the answers the chosen route gives up to it."""
    found = _service(service_id)
    audience = request.form.get("audience", "")
    runner = RUNNERS.get(audience) or abort(400)
    routes = explore(found, audience)
    try:
        route: Route = routes[int(request.form.get("route", ""))]
        stop = int(request.form.get("step", ""))
        route.steps[stop]
    except (ValueError, IndexError):
        abort(400)
    user = current_staff()
    draft = new_draft(
        found,
        channel=runner.mode.channel,
        contact_channel="phone" if audience == "staff" else None,
        staff_user_id=user.id if user else None,
    )
    journey = runner.journey(found, draft)
    for step in route.steps[:stop]:
        step.apply(journey)
    save_state(draft, journey.state)
    runner.hold(found, draft)
    return redirect(runner.url(found, route.steps[stop].page.id))
