"""Bare reference apps on the same stack, for `bench/http_bench.py` to measure the product against.

- GET /page: a GOV.UK page (govuk-frontend-jinja's template, one govukInput, a button);
- GET /page-with-draft: the same page, with a signed session and one SELECT;
- POST /answer: a bare WTForms validate, one upsert, a commit and a 302.

The database is REFERENCE_DATABASE_URL (default: a SQLite file with SQLite's defaults).
Run it with gunicorn: `gunicorn 'bench.reference_app:create()'`.
"""

from __future__ import annotations

import os

from flask import Flask, redirect, render_template_string, request, session
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader
from sqlalchemy import Column, MetaData, String, Table, Text, create_engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from werkzeug.wrappers import Response
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Length

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
    "answers",
    metadata,
    Column("token", String(64), primary_key=True),
    Column("data", Text),
)


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
        form = AnswerForm(request.form)
        if not form.validate():
            return render_template_string("invalid"), 400
        token = request.cookies.get("token", "bench-token")
        statement = insert(answers).values(token=token, data=form.account_number.data)
        with engine.begin() as connection:
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["token"], set_={"data": statement.excluded.data}
                )
            )
        return redirect("/page-with-draft")

    return app
