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


def kept(app: Flask, name: str) -> str:
    """Everything a remembered component keeps, keys and HTML, as one text."""
    return repr(app.jinja_env.globals[name].rendered)


def test_a_text_field_is_kept_without_its_answer_and_shows_each_answer(app: Flask) -> None:
    page = '{{ govukInput({"name": "n", "id": "n", "label": {"text": "N"}, "value": v}) }}'
    with app.test_request_context():
        first = render_template_string(page, v="apricot")
        field = app.jinja_env.globals["govukInput"]
        calls = []
        macro = field.macro
        field.macro = lambda *args: calls.append(args) or macro(*args)
        second = render_template_string(page, v='<b>"two" & 3</b>')
        empty = render_template_string(page, v="")
        none = render_template_string(page, v=None)
    assert 'value="apricot"' in first
    assert 'value="&lt;b&gt;&#34;two&#34; &amp; 3&lt;/b&gt;"' in second  # escaped as the macro does
    assert 'value=""' in empty and "value=" not in none
    assert len(calls) == 1  # only the field without an answer (no value attribute) is new
    assert second.replace("&lt;b&gt;&#34;two&#34; &amp; 3&lt;/b&gt;", "apricot") == first
    assert "apricot" not in kept(app, "govukInput") and "two" not in kept(app, "govukInput")


def test_the_answers_of_a_date_and_a_textarea_are_left_out_too(app: Flask) -> None:
    date = """{{ govukDateInput({"id": "d", "namePrefix": "d", "fieldset": {"legend": {"text": "D"}},
        "items": [{"name": "day", "value": a}, {"name": "month", "value": b},
                  {"name": "year", "value": c}]}) }}"""
    text = '{{ govukTextarea({"name": "t", "id": "t", "label": {"text": "T"}, "value": a}) }}'
    with app.test_request_context():
        html = render_template_string(date, a="17", b="<11>", c="1999")
        other = render_template_string(date, a="1", b="2", c="3")
        area = render_template_string(text, a="line one\n<line two>")
    assert 'name="d-day" type="text" value="17"' in html or 'value="17"' in html
    assert 'value="&lt;11&gt;"' in html and 'value="1999"' in html
    assert 'value="1"' in other and 'value="2"' in other and 'value="3"' in other
    assert ">line one\n&lt;line two&gt;</textarea>" in area
    for name in ("govukDateInput", "govukTextarea"):
        assert "1999" not in kept(app, name) and "line one" not in kept(app, name)


def test_a_text_field_with_an_error_or_an_answer_that_is_not_text_is_not_kept(app: Flask) -> None:
    page = """{{ govukInput({"name": "n", "id": "n", "label": {"text": "N"}, "value": v,
        "errorMessage": e}) }}"""
    with app.test_request_context():
        error = render_template_string(page, v="typed", e={"text": "Enter 'typed' again"})
        number = render_template_string(page, v=42, e=None)
    assert 'value="typed"' in error and "Enter &#39;typed&#39; again" in error
    assert 'value="42"' in number
    assert "typed" not in kept(app, "govukInput") and "42" not in kept(app, "govukInput")


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
