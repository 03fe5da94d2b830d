"""Definition text as HTML: the small, safe Markdown subset, and links that are never unsafe."""

from __future__ import annotations

from service_builder.definitions.loader import load_text
from service_builder.lint import lint
from service_builder.text import plain_text, render_text


def test_a_link_whose_address_has_balanced_parentheses_is_kept_whole() -> None:
    html = render_text("See [the guidance](https://example.com/Parking_(permits)) now.")
    assert html == (
        '<p class="govuk-body">See <a class="govuk-link" '
        'href="https://example.com/Parking_(permits)">the guidance</a> now.</p>'
    )
    assert plain_text("See [the guidance](https://example.com/Parking_(permits)) now.") == (
        "See the guidance now."
    )


def test_unsafe_and_relative_links_show_their_label_as_plain_text_only() -> None:
    html = render_text("Bad [x](javascript:alert(1)) link and [rel](help/page) link.")
    assert html == '<p class="govuk-body">Bad x link and rel link.</p>'
    assert "<a" not in render_text("[x](JavaScript:alert(1)) [y](data:text/html,hi)")


def test_bold_escaping_and_a_closing_bracket_after_the_link_are_unchanged() -> None:
    html = render_text('**see [x](/a?b=1&c="2") here** [z](https://e.f/g)h) <b>')
    assert html == (
        '<p class="govuk-body"><strong>see <a class="govuk-link" href="/a?b=1&amp;c=&#34;2&#34;">'
        'x</a> here</strong> <a class="govuk-link" href="https://e.f/g">z</a>h) &lt;b&gt;</p>'
    )


def test_lint_names_each_link_that_will_be_shown_as_plain_text() -> None:
    text = (
        "id: links\ntitle: Links\nteam: testers\nstart:\n  body: |\n"
        "    Bad [x](javascript:alert(1)) and [rel](help/page), good [g](/help).\n"
        "pages:\n  - id: one\n    type: content\n    title: Hello\n    body: Hi\n"
    )
    result = load_text(text, "links.yaml")
    assert result.service is not None
    found = [f"{w.where}: {w.message}" for w in lint(result.service) if "link" in w.message]
    assert found == [
        "start.body: the link 'x' is shown as plain text: its address 'javascript:alert(1)' "
        "must start with https://, mailto:, tel:, / (a page on this site) or #",
        "start.body: the link 'rel' is shown as plain text: its address 'help/page' "
        "must start with https://, mailto:, tel:, / (a page on this site) or #",
    ]
