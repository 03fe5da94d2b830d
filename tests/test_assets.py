"""The asset build: the crown comes out of the CSS cleanly, and CSS that does not parse is refused."""

from __future__ import annotations

import re

import tinycss2

from service_builder.assets import css_problems, without_crown
from tests.conftest import ROOT

FOOTER = (
    ".govuk-footer__copyright-logo::before{background-image:url("
    '"/assets/images/govuk-crest.svg")}'
    "@supports(-webkit-mask-position: initial) or (mask-position: initial){"
    ".govuk-footer__copyright-logo::before{mask-image:url("
    '"/assets/images/govuk-crest.svg")}'
    "@media screen and (forced-colors: active){"
    ".govuk-footer__copyright-logo::before{background:linktext}}}"
    ".govuk-footer__list{margin:0;padding:0;list-style:none}"
)


def rule_preludes(css: str) -> list[str]:
    return [
        tinycss2.serialize(node.prelude).strip()
        for node in tinycss2.parse_stylesheet(css, skip_whitespace=True)
        if node.type in ("qualified-rule", "at-rule")
    ]


def test_the_crown_goes_and_every_brace_stays_matched() -> None:
    css = without_crown(FOOTER)
    assert "govuk-crest" not in css
    assert css_problems(css) == []
    # The rule after the @supports block is still a rule of its own, so browsers keep it.
    assert rule_preludes(css)[-1] == ".govuk-footer__list"
    assert css.endswith(".govuk-footer__list{margin:0;padding:0;list-style:none}")


def test_a_block_left_empty_goes_too() -> None:
    css = '@media print{.x{background:url("govuk-crest.svg")}}.b{color:blue}'
    assert without_crown(css) == ".b{color:blue}"


def test_the_old_pattern_s_stray_brace_is_refused() -> None:
    stray = ".a{color:red}}.govuk-footer__list{padding:0}"
    assert css_problems(stray) == ["unbalanced braces: 3 '}' for 2 blocks"]


def test_an_unclosed_block_or_a_broken_declaration_is_refused() -> None:
    assert css_problems(".a{color:red}.b{padding:0") == ["unbalanced braces: 1 '}' for 2 blocks"]
    assert css_problems("@media (min-width: 40em){.a{color:red}") != []
    assert css_problems(".a{color red}") != []


def test_braces_inside_strings_and_comments_are_not_counted() -> None:
    assert css_problems('.a{content:"}"}/* { */.b{color:blue}') == []
    assert css_problems(".a{color:red}@media (x){.b{color:blue}}") == []


def test_every_gov_uk_component_a_template_uses_has_its_styles_built() -> None:
    """A macro whose component's Sass is not in app.scss renders unstyled (the route map in
    words was, in the browser's own font)."""
    used = {
        re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()
        for template in (ROOT / "templates").rglob("*.html")
        for name in re.findall(r"govuk([A-Z][A-Za-z]+)\(", template.read_text())
    }
    styles = (ROOT / "static" / "src" / "app.scss").read_text()
    built = set(re.findall(r'govuk/components/([a-z-]+)"', styles))
    assert used and used - built == set()
