"""Benchmark: a question page rendered by the engine vs the same GOV.UK page written by hand.

Prints requests per second for both over the full Flask request cycle (routing, session,
draft lookup, rendering) and the ratio. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import render_template  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

from service_builder import create_app  # noqa: E402

HAND_WRITTEN = """
{% extends "layout.html" %}
{% from "govuk_frontend_jinja/components/radios/macro.html" import govukRadios %}
{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}
{% block title %}Where will you leave the items?{% endblock %}
{% block main_content %}
<form method="post" action="/book-bulky-waste/where-left" novalidate>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  {{ govukRadios({
    "name": "collection_point", "idPrefix": "collection_point",
    "fieldset": {"legend": {"text": "Where will you leave the items?", "isPageHeading": true,
                            "classes": "govuk-fieldset__legend--l"}},
    "items": [
      {"value": "kerbside", "text": "On the pavement outside my home"},
      {"value": "front_garden", "text": "In my front garden or driveway"},
      {"value": "back_garden", "text": "In my back garden"},
      {"value": "inside", "text": "Inside my home",
       "hint": {"text": "Only if you cannot move them yourself"}}
    ]
  }) }}
  {{ govukButton({"text": "Continue", "preventDoubleClick": true}) }}
</form>
{% endblock %}
"""


def timed(client: FlaskClient, url: str, rounds: int = 7, per_round: int = 200) -> list[float]:
    for _ in range(50):
        client.get(url)
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            response = client.get(url)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        rates.append(per_round / elapsed)
    return rates


def main() -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "bench",
            "SERVICE_BUILDER_ENV": "test",
            "WTF_CSRF_ENABLED": False,
        }
    )
    template = app.jinja_env.from_string(HAND_WRITTEN)  # compiled once, like a file template

    @app.get("/bench/hand-written")
    def hand_written() -> str:
        service = app.extensions["service_builder"].catalog.get("book-bulky-waste")
        return render_template(
            template,
            service=service,
            runner="resident",
            back_url="/book-bulky-waste/number-of-items",
        )

    client = app.test_client()
    base = "/book-bulky-waste"
    client.post(f"{base}/items", data={"items": ["sofa"]})
    client.post(f"{base}/number-of-items", data={"item_count": "2"})
    engine = statistics.median(timed(client, f"{base}/where-left"))
    hand = statistics.median(timed(client, "/bench/hand-written"))
    print("Whole request (routing, session, draft from the database, render):")
    print(f"  engine question page      {engine:8.0f} requests/s")
    print(f"  hand-written GOV.UK page  {hand:8.0f} requests/s")
    print(f"  engine cost / hand cost   {hand / engine:8.2f}x")

    service = app.extensions["service_builder"].catalog.get("book-bulky-waste")
    cookie = client.get_cookie("session")
    assert cookie is not None
    with app.test_request_context(
        f"{base}/where-left", headers={"Cookie": f"session={cookie.value}"}
    ):
        app.preprocess_request()
        view = app.view_functions["resident.page"]
        engine_us = per_call(lambda: view(service_id=service.id, page_id="where-left"))
        hand_us = per_call(
            lambda: render_template(
                template, service=service, runner="resident", back_url=f"{base}/number-of-items"
            )
        )
    print("Inside the view (the engine's view vs rendering the hand-written template):")
    print(f"  engine view               {engine_us:8.0f} microseconds")
    print(f"  hand-written render       {hand_us:8.0f} microseconds")
    print(f"  engine cost / hand cost   {engine_us / hand_us:8.2f}x")


def per_call(call: Callable[[], object], repeat: int = 500) -> float:
    for _ in range(50):
        call()
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            call()
        runs.append((time.perf_counter() - start) / repeat * 1e6)
    return statistics.median(runs)


if __name__ == "__main__":
    main()
