"""Site pages: the service index, health check and the pages every council service must have."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from service_builder.a11y_report import last_sweep
from service_builder.database import SchemaBehind
from service_builder.models import db
from service_builder.save_return import lifetime
from service_builder.web.language import use_service_language

blueprint = Blueprint("site", __name__)


def _state() -> Any:
    return current_app.extensions["service_builder"]


@blueprint.get("/")
def index() -> str:
    catalog = _state().catalog
    services = sorted(catalog.services.values(), key=lambda service: service.title)
    show_problems = current_app.config["SERVICE_BUILDER_ENV"] != "production"
    return render_template(
        "index.html", services=services, refused=catalog.refused, show_problems=show_problems
    )


@blueprint.get("/healthz")
def healthz() -> tuple[dict[str, Any], int]:
    state = _state()
    try:
        if not state.database_ready:
            state.prepare_database()  # what a start without the database left to do
        elif state.checks_schema:
            state.check_schema()  # a restored backup, a release that skipped `db upgrade`
        else:
            db.session.execute(text("SELECT 1"))
    except SchemaBehind:
        return {"status": "unavailable", "database": "schema is behind the code"}, 503
    except SQLAlchemyError:
        return {"status": "unavailable", "database": "unreachable"}, 503
    return {"status": "ok", "services": len(state.catalog.services)}, 200


@blueprint.get("/manifest.webmanifest")
def manifest() -> Response:
    site = _state().site
    body = {
        "name": site.council.name,
        "short_name": site.council.name,
        "start_url": "/",
        "display": "browser",
        "theme_color": site.brand_colour,
        "background_color": "#ffffff",
        "icons": [{"src": "/assets/brand/favicon.svg", "type": "image/svg+xml", "sizes": "any"}],
    }
    return Response(json.dumps(body), mimetype="application/manifest+json")


@blueprint.get("/session-expired")
def session_expired() -> str:
    service = _state().catalog.get(request.args.get("service", ""))
    if service is not None:
        service = use_service_language(service)
    return render_template("session_expired.html", service=service)


@blueprint.get("/cookies")
def cookies() -> str:
    return render_template("pages/cookies.html")


@blueprint.get("/privacy")
def privacy() -> str:
    """How long answers are kept is said from the settings (a trial: the notice said 1 day
    where a saved form is kept for 28)."""
    return render_template("pages/privacy.html", save_days=lifetime(current_app.config).days)


@blueprint.get("/contact")
def contact() -> str:
    return render_template("pages/contact.html")


@blueprint.get("/accessibility-statement")
def accessibility_statement() -> str:
    return render_template("pages/accessibility_statement.html", sweep=last_sweep())
