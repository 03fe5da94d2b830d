"""GOV.UK components as Jinja globals, and the environment that keeps imports cheap."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, render_template_string
from markupsafe import Markup

from service_builder.web.components import COMPONENTS, Globals, component_names, macro_name

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_every_component_macro_is_a_global_under_its_own_name(app: Flask) -> None:
    names = component_names()
    assert {"button", "summary-list", "file-upload", "exit-this-page"} <= set(names)
    for component in names:
        source = (COMPONENTS / component / "macro.html").read_text()
        name = macro_name(component)
        assert re.search(rf"macro {name} ?\(params\)", source), component
        assert callable(app.jinja_env.globals[name])


def test_a_page_calls_a_component_without_importing_it(app: Flask) -> None:
    with app.test_request_context():
        html = render_template_string('{{ govukButton({"text": "Continue"}) }}')
    assert 'class="govuk-button"' in html and "Continue" in html


def test_templates_import_no_component(app: Flask) -> None:
    """An import runs on every render; the globals are made once."""
    importing = [
        path.relative_to(TEMPLATES)
        for path in TEMPLATES.rglob("*.html")
        if "govuk_frontend_jinja/components/" in path.read_text()
    ]
    assert importing == []


def test_globals_keys_are_those_of_every_layer() -> None:
    template_globals = Globals({"only_here": 1}, {"shared": 2, "also": 3})
    assert set(template_globals.keys()) == {"only_here", "shared", "also"}
    assert {"shared", "new"} - template_globals.keys() == {"new"}


def test_a_template_global_still_reaches_an_imported_template(app: Flask) -> None:
    """Jinja's rule kept: an import sees the importer's own globals."""
    app.jinja_env.globals["greeting"] = "hello"
    app.jinja_loader.loaders.insert(  # type: ignore[union-attr]
        0, __import__("jinja2").DictLoader({"m.html": "{% macro hi() %}{{ extra }}{% endmacro %}"})
    )
    page = app.jinja_env.from_string(
        '{% from "m.html" import hi with context %}{{ hi() }}', globals={"extra": "yes"}
    )
    assert page.render() == "yes"


def test_the_page_chrome_is_rendered_once_for_the_same_parameters(app: Flask) -> None:
    back = app.jinja_env.globals["govukBackLink"]
    page = '{{ govukBackLink({"text": text, "href": "/a"}) }}'
    with app.test_request_context():
        first = render_template_string(page, text="Back")
        calls = []
        macro = back.macro
        back.macro = lambda *args: calls.append(args) or macro(*args)
        again = render_template_string(page, text="Back")
        welsh = render_template_string(page, text="Yn ôl")
    assert again == first and 'href="/a"' in first and "Back" in first
    assert len(calls) == 1 and "Yn ôl" in welsh  # only the parameters not seen before


def test_remembered_chrome_tells_html_from_text(app: Flask) -> None:
    page = '{{ govukBackLink({"text": text, "href": "/a"}) }}'
    with app.test_request_context():
        text = render_template_string(page, text="<b>Back</b>")
        html = render_template_string(page, text=Markup("<b>Back</b>"))
    assert "&lt;b&gt;Back" in text and "<b>Back</b>" in html


def test_a_component_that_shows_answers_is_never_remembered(app: Flask) -> None:
    page = '{{ govukInput({"name": "n", "id": "n", "label": {"text": "N"}, "value": v}) }}'
    with app.test_request_context():
        first = render_template_string(page, v="one")
        second = render_template_string(page, v="two")
    assert 'value="one"' in first and 'value="two"' in second
    assert not hasattr(app.jinja_env.globals["govukInput"], "rendered")


def test_chrome_with_parameters_that_are_not_plain_data_still_renders(app: Flask) -> None:
    with app.test_request_context():
        html = render_template_string(
            '{{ govukBackLink({"text": "Back", "href": "/a", "x": s}) }}', s={1}
        )
    assert 'href="/a"' in html


def test_the_layout_uses_the_remembered_chrome_that_the_page_template_would_hide(
    app: Flask, client: object
) -> None:
    """govuk-frontend-jinja's template.html imports these two itself."""
    skip = app.jinja_env.globals["chrome"].govukSkipLink
    navigation = app.jinja_env.globals["chrome"].govukServiceNavigation
    client.get("/")  # type: ignore[attr-defined]
    assert skip.rendered and navigation.rendered
