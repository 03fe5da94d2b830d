"""Bare reference apps on the same stack, for `bench/http_bench.py` to measure the product against.

- GET /page: a GOV.UK page (govuk-frontend-jinja's template, one govukInput, a button);
- GET /page-with-draft: the same page, with a signed session and one SELECT;
- POST /answer: a bare WTForms validate, one upsert, a commit and a 302;
- POST /answer-tuned: the same on SQLite set up as the product sets it up (WAL,
  synchronous=NORMAL), in a file of its own (on PostgreSQL, the same database);
- POST /answer-with-csrf: that, behind Flask-WTF's CSRF check, for the person the signed
  session names (`GET /csrf-token` starts that session and gives the form's token);
- POST /answer-with-its-duties: that, doing the least any answer POST of the product must:
  read the draft, write it back only if unchanged (two tabs), an event row in the same
  transaction (the performance data), one JSON access-log line with a request id, and a
  request counter and latency histogram (prometheus-client, multiprocess under gunicorn).

The last three are a ladder up to the floor under the product's POST: what its database
settings save, and what CSRF on, the data and the operations' logs and metrics cost on this
stack before any of the engine's own work.

The database is REFERENCE_DATABASE_URL (default: a SQLite file with SQLite's defaults).
Run it with gunicorn: `gunicorn 'bench.reference_app:create()'`.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import tempfile
import time
from typing import Any

from flask import Flask, redirect, render_template_string, request, session
from flask_wtf.csrf import CSRFProtect, generate_csrf
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from prometheus_client import Counter, Histogram
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    bindparam,
    create_engine,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from werkzeug.wrappers import Response
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length

from service_builder.database import tune

PAGE = """
{% extends "govuk_frontend_jinja/template.html" %}
{% from "govuk_frontend_jinja/components/input/macro.html" import govukInput %}
{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}
{% from "govuk_frontend_jinja/components/header/macro.html" import govukHeader %}
{% from "govuk_frontend_jinja/components/footer/macro.html" import govukFooter %}
{% block header %}{{ govukHeader({"serviceName": "Reference"}) }}{% endblock %}
{% block footer %}{{ govukFooter({}) }}{% endblock %}
{% block pageTitle %}What is your account number? - GOV.UK{% endblock %}
{% block content %}
<form method="post" novalidate>
  {{ govukInput({"label": {"text": "What is your account number?", "isPageHeading": true,
                 "classes": "govuk-label--l"}, "id": "account_number",
                 "name": "account_number", "value": value,
                 "classes": "govuk-input--width-10"}) }}
  {{ govukButton({"text": "Continue"}) }}
</form>
{% endblock %}
"""

metadata = MetaData()
answers = Table(
    "reference_answers",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("data", Text),
    Column("version", Integer, nullable=False, server_default="0"),
)
events = Table(
    "reference_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20)),
    Column("at", DateTime),
    Column("token", String(64)),
    Column("page_id", String(64)),
)
READ = select(answers.c.data, answers.c.version).where(answers.c.token == bindparam("person"))
WRITE = (
    update(answers)
    .where(answers.c.token == bindparam("person"), answers.c.version == bindparam("read"))
    .values(data=bindparam("data"), version=answers.c.version + 1)
)
EVENT = events.insert().values(kind="saved", at=func.now())
requests_total = Counter("reference_requests", "Requests", ["route", "status"])
latency = Histogram("reference_seconds", "Latency", ["route"])
access = logging.getLogger("reference.access")


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"message": record.getMessage(), **getattr(record, "fields", {})})


class AnswerForm(Form):
    account_number = StringField(
        "What is your account number?", [DataRequired(), Length(min=8, max=8)]
    )


def create() -> Flask:
    app = Flask(__name__)
    app.secret_key = "reference"
    app.jinja_loader = ChoiceLoader(
        [PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
    )
    url = os.environ.get("REFERENCE_DATABASE_URL", "sqlite:////tmp/bench-reference.db")
    engine = create_engine(url)
    metadata.create_all(engine)
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    template = app.jinja_env.from_string(PAGE)
    handler = logging.FileHandler(
        os.environ.get("REFERENCE_LOG_FILE", f"{tempfile.gettempdir()}/bench-reference.log")
    )
    handler.setFormatter(JsonLines())
    access.addHandler(handler)
    access.setLevel(logging.INFO)

    @app.get("/healthz")
    def healthz() -> str:
        return "ok"

    @app.get("/page")
    def page() -> str:
        return template.render(value="")

    @app.get("/page-with-draft")
    def page_with_draft() -> str:
        token = session.setdefault("token", "bench-token")
        with engine.connect() as connection:
            value = connection.scalar(select(answers.c.data).where(answers.c.token == token))
        return template.render(value=value or "")

    @app.post("/answer")
    def answer() -> Response | tuple[str, int]:
        return bare_answer(engine, insert, request.cookies.get("token", "bench-token"))

    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # only the floor's views check it
    add_the_floor(app, CSRFProtect(app), engine, tuned_like_the_product(engine), insert)
    return app


def bare_answer(engine: Engine, insert: Any, token: str) -> Response | tuple[str, int]:
    """A bare WTForms validate, one upsert, a commit and a 302."""
    form = AnswerForm(request.form)
    if not form.validate():
        return render_template_string("invalid"), 400
    statement = insert(answers).values(token=token, data=form.account_number.data)
    with engine.begin() as connection:
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=["token"], set_={"data": statement.excluded.data}
            )
        )
    return redirect("/page-with-draft")


def tuned_like_the_product(engine: Engine) -> Engine:
    """SQLite set up as the product sets it up (WAL, synchronous=NORMAL, a busy timeout), in a
    file of its own: with SQLite's defaults a read-then-write transaction waits on locks that
    the product's WAL database does not, which would make the floor lower than it is."""
    if engine.dialect.name != "sqlite":
        return engine
    tuned = create_engine(f"{engine.url}-tuned")
    tune(tuned)
    metadata.create_all(tuned)
    return tuned


def add_the_floor(
    app: Flask, csrf: CSRFProtect, engine: Engine, tuned: Engine, insert: Any
) -> None:
    """The bare POST on a database tuned like the product's, then with the duties every answer
    POST of the product has (module docstring)."""

    @app.get("/csrf-token")
    def csrf_token() -> str:
        token = session.setdefault("token", secrets.token_hex(8))
        for database in {engine, tuned}:
            with database.begin() as connection:
                connection.execute(
                    insert(answers).values(token=token, data="").on_conflict_do_nothing()
                )
        return generate_csrf()

    @app.post("/answer-tuned")
    def answer_tuned() -> Response | tuple[str, int]:
        return bare_answer(tuned, insert, request.cookies.get("token", "bench-token"))

    @app.post("/answer-with-csrf")
    def answer_with_csrf() -> Response | tuple[str, int]:
        csrf.protect()
        return bare_answer(tuned, insert, session["token"])

    @app.post("/answer-with-its-duties")
    def answer_with_its_duties() -> Response | tuple[str, int]:
        started, request_id = time.perf_counter(), secrets.token_hex(8)
        csrf.protect()
        form = AnswerForm(request.form)
        if not form.validate():
            return render_template_string("invalid"), 400
        token = session["token"]
        with tuned.begin() as connection:
            read = connection.execute(READ, {"person": token}).one()
            written = connection.execute(
                WRITE, {"person": token, "read": read.version, "data": form.account_number.data}
            )
            if written.rowcount == 1:
                connection.execute(EVENT, {"token": token, "page_id": "account-number"})
        response = redirect("/page-with-draft")
        seconds = time.perf_counter() - started
        requests_total.labels(route=request.path, status="302").inc()
        latency.labels(route=request.path).observe(seconds)
        access.info(
            "POST",
            extra={
                "fields": {
                    "route": request.path,
                    "status": 302,
                    "request_id": request_id,
                    "ms": seconds * 1000,
                }
            },
        )
        return response
