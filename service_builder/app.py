"""The app factory: configuration, extensions, the catalog of services and the blueprints."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Flask, request
from flask_compress import Compress
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.exceptions import ServiceUnavailable

from service_builder.catalog import Catalog
from service_builder.config import ROOT, load_config
from service_builder.database import UNREACHABLE, SchemaBehind
from service_builder.database import reason as unreachable_reason
from service_builder.database import schema as database_schema
from service_builder.database import tune as tune_database
from service_builder.database import upgrade as upgrade_database
from service_builder.logs import configure as configure_logging
from service_builder.models import db
from service_builder.payments.pay import warn_without_pay_key
from service_builder.site import SiteSettings, load_site
from service_builder.text import render_text
from service_builder.versions import record_versions
from service_builder.web.components import TemplateEnvironment
from service_builder.web.security import OriginAwareCSRF

log = logging.getLogger(__name__)
csrf = OriginAwareCSRF()
compress = Compress()  # pages are compressed as served; assets are pre-compressed at build


@dataclass
class State:
    """What the app loads once at start-up (and again in development when files change)."""

    catalog: Catalog
    site: SiteSettings
    reload: bool
    database_ready: bool = False
    """Whether the start-up work on the database is done: production starts without it when
    the database cannot be reached, and does it on the first request that can."""
    checks_schema: bool = False
    """Production, which does not migrate at start: whether the database's schema is the
    code's is checked at start (or once the database answers) and by /healthz."""

    def refresh(self) -> None:
        if self.reload and self.catalog.current_stamp() != self.catalog.stamp:
            log.info("definitions changed: reloading")
            self.catalog = Catalog.load(self.catalog.folder)
            record_versions(self.catalog)

    def prepare_database(self) -> None:
        """The start-up work that needs the database: check its schema (production), note
        the definitions' versions."""
        if self.checks_schema:
            self.check_schema()
        record_versions(self.catalog)
        self.database_ready = True

    def check_schema(self) -> None:
        """Raise SchemaBehind when the database's schema is older than the code's; a newer
        one (a later release migrated it, this server is not yet replaced) is only noted."""
        with db.engine.connect() as connection:
            found = database_schema(connection)
        if found.behind:
            self.database_ready = False  # pages check again, and answer 503 until it is fixed
            raise SchemaBehind(found.problem())
        if not found.current and not self.database_ready:
            log.warning(
                "the database schema is at revision %s, which this code does not have (a newer "
                "release migrated it?): carrying on",
                ", ".join(found.found),
            )


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, static_folder=None, instance_path=str(ROOT / "instance"))
    app.config.from_mapping(load_config(config))
    configure_logging(app.config["SERVICE_BUILDER_ENV"])
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(ROOT / "templates"),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    app.jinja_options = {**app.jinja_options, "trim_blocks": True, "lstrip_blocks": True}
    app.jinja_environment = TemplateEnvironment
    state = State(
        Catalog.load(app.config["SERVICE_BUILDER_DEFINITIONS"]),
        load_site(app.config["SERVICE_BUILDER_SITE"]),
        bool(app.config["SERVICE_BUILDER_RELOAD"]),
        checks_schema=not _migrates_at_start(app),
    )
    app.extensions["service_builder"] = state

    db.init_app(app)
    csrf.init_app(app)
    compress.init_app(app)
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
            (ROOT / "instance").mkdir(exist_ok=True)
        tune_database(db.engine)
        if _migrates_at_start(app):
            with db.engine.begin() as connection:
                upgrade_database(connection)
            state.prepare_database()
        else:
            _prepare_if_reachable(state, retries=not app.config.get("SERVICE_BUILDER_COMMAND"))
    if not app.config.get("SERVICE_BUILDER_COMMAND"):  # `validate` says it to designers
        warn_without_pay_key(state.catalog, app.config)

    from service_builder.web import (
        admin,
        assets,
        assisted,
        banners,
        case_files,
        components,
        errors,
        feedback,
        language,
        limits,
        observe,
        performance,
        preview,
        resident,
        save_return,  # before the resident runner: adds its button
        security,
        site,
        staff,
        status,
        uploads,
    )
    from service_builder.web import cases as case_pages
    from service_builder.web import deliveries as delivery_pages

    observe.register(app)
    app.register_blueprint(site.blueprint)
    app.register_blueprint(admin.blueprint)
    app.register_blueprint(staff.blueprint)
    app.register_blueprint(case_pages.blueprint)
    app.register_blueprint(case_files.blueprint)
    app.register_blueprint(case_files.webhook_blueprint)
    app.register_blueprint(delivery_pages.blueprint)
    app.register_blueprint(status.blueprint)
    app.register_blueprint(assisted.runner.blueprint)
    app.register_blueprint(feedback.blueprint)
    app.register_blueprint(performance.blueprint)
    app.register_blueprint(save_return.blueprint)
    app.register_blueprint(resident.runner.blueprint)
    for preview_runner in preview.runners.values():
        app.register_blueprint(preview_runner.blueprint)
    errors.register(app)
    assets.register(app)
    security.register(app)
    uploads.register(app)
    limits.register(app)
    language.register(app)
    banners.register(app)

    @app.before_request
    def _refresh() -> None:
        if request.endpoint and not request.endpoint.startswith("assets"):
            state.refresh()
            if not state.database_ready and request.endpoint not in ANSWER_WITHOUT_DATABASE:
                _prepare_for_a_request(state)

    app.jinja_env.filters["text"] = render_text
    components.register(app.jinja_env)  # govukButton and the rest, without an import a page
    # The field dispatcher, built once, not on every render.
    app.jinja_env.globals["render_field"] = app.jinja_env.get_template(
        "macros/fields.html"
    ).module.render_field  # type: ignore[attr-defined]

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {"site": state.site}

    return app


ANSWER_WITHOUT_DATABASE = ("site.healthz", "metrics")
"""Endpoints that answer whether or not the start-up work on the database is done."""


def _prepare_if_reachable(state: State, retries: bool = True) -> None:
    """Production starts whether or not the database answers: a blip while gunicorn starts
    or recycles a worker must not stop the whole server, which would stay down after the
    database came back. A schema behind the code's stops it (SchemaBehind). A command
    (`retries` false) does not say it will try again: it reports the database itself."""
    try:
        state.prepare_database()
    except UNREACHABLE as error:
        if retries:
            log.warning(
                "database unreachable at start (%s): trying again when it is next needed",
                unreachable_reason(error),
            )
        db.session.remove()
        db.engine.dispose()


def _prepare_for_a_request(state: State) -> None:
    """The start-up work, on a request: while the database cannot be reached the page is
    a 503 (web/errors.py); while its schema is behind the code's, a 503 and a log line."""
    try:
        state.prepare_database()
    except SchemaBehind as error:
        log.error("%s", error)
        raise ServiceUnavailable() from None


def _migrates_at_start(app: Flask) -> bool:
    """Production migrates only in its release step (`service-builder db upgrade`), never
    as several servers start at once; an in-memory database, which nothing else can reach,
    is the exception."""
    return (
        app.config["SERVICE_BUILDER_ENV"] != "production"
        or app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    )
