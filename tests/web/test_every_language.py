"""Every route of every example service that offers more than one language, walked over HTTP
in each of its other languages: the pages change language, the stored answers do not."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from service_builder.catalog import Catalog
from service_builder.definitions import Service
from service_builder.explorer import Route, explore
from service_builder.models import Submission, db
from tests.conftest import EXAMPLES
from tests.web.walker import Walker

CATALOG = Catalog.load(EXAMPLES)
WALKS = [
    (service, language, route)
    for service in sorted(CATALOG.services.values(), key=lambda s: s.id)
    for language in service.languages[1:]
    for route in explore(service, "resident")
]


def test_some_example_service_is_bilingual() -> None:
    assert any(language == "cy" for _, language, _ in WALKS)


def _walk_id(value: Any) -> str:
    if isinstance(value, Route):
        return "+".join(value.page_ids)
    return str(getattr(value, "id", value))


@pytest.mark.parametrize(("service", "language", "route"), WALKS, ids=_walk_id)
def test_route_in_another_language_stores_the_same_answers(
    client: FlaskClient, app: Flask, service: Service, language: str, route: Route
) -> None:
    walker = Walker(client, service)
    client.get(f"{walker.base}/?lang={language}")
    last = walker.walk(route)
    translated = service.in_language(language)
    if route.exit_page:
        html = last.get_data(as_text=True)
        assert f'<html lang="{language}"' in html
        page = translated.page(route.ends_in)
        assert page is not None and page.title and page.title in html
        return
    summary = client.get(walker.url("check-answers")).get_data(as_text=True)
    assert f'<html lang="{language}"' in summary
    for answer_id in route.answers:
        question = translated.question(answer_id)
        repeat = translated.page(answer_id)
        if question is None and repeat is not None and repeat.repeats:  # one row per item
            assert re.search(rf">\s*{repeat.item_noun.capitalize()} 1\s*<", summary)
            continue
        assert question is not None and question.label in summary
    assert client.post(walker.url("check-answers")).location == walker.url("confirmation")
    confirmation = client.get(walker.url("confirmation")).get_data(as_text=True)
    assert translated.confirmation.title in confirmation
    assert re.search(rf'<html lang="{language}"', confirmation)
    with app.app_context():
        submission = db.session.scalars(select(Submission)).one()
        assert submission.answers == route.answers
