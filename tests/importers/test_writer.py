"""The shared pieces: ids, numbers, patterns, Markdown, page order and env var names."""

from __future__ import annotations

import re

from service_builder.importers.markdown import html_to_markdown, safe_markdown
from service_builder.importers.routing import route_order, unreachable_pages
from service_builder.importers.writer import (
    env_name,
    id_from_text,
    looks_random,
    skip_pages,
    slug,
    whole,
)
from service_builder.importers.xgov import XGovReader, _pattern


def test_ids_keep_the_meaning_of_the_text() -> None:
    assert id_from_text("What is your full name?", "x") == "full_name"
    assert id_from_text("What is your date of birth?", "x") == "date_of_birth"
    assert id_from_text("Do you own the land?", "x") == "own_land"
    assert id_from_text("???", "answer") == "answer"
    assert slug("/Applicant One/Address") == "applicant-one-address"
    assert slug("keeperEmail") == "keeper-email"


def test_random_names_are_told_from_real_ones() -> None:
    assert looks_random("gGtYsO") and looks_random("bDDfgf") and looks_random("qwrtz")
    assert not looks_random("email") and not looks_random("fullName")
    assert not looks_random("ukPassport")


def test_numbers_from_source_settings() -> None:
    assert (whole(10), whole("12"), whole(3.0), whole(""), whole(None), whole("x")) == (
        10,
        12,
        3,
        None,
        None,
        None,
    )
    assert whole(0) is None


def test_source_patterns_keep_their_meaning_under_full_matching() -> None:
    anchored = _pattern("^[0-9]{5}$")
    assert anchored == "[0-9]{5}" and re.fullmatch(anchored, "12345")
    anywhere = _pattern("[0-9]")
    assert anywhere and re.fullmatch(anywhere, "abc 1 def")
    assert _pattern("/^AB/") and _pattern("(unclosed") is None and _pattern("") is None


def test_html_keeps_only_safe_markdown() -> None:
    html = (
        '<div class="govuk-warning-text"><span aria-hidden="true">!</span>'
        "<strong>Do not</strong> touch it.</div><ol><li>one</li><li>two</li></ol>"
        '<p><a href="javascript:alert(1)">x</a> <a href="mailto:a@b.example">mail</a></p>'
        "<style>p {color: red}</style><h2>Next</h2>"
    )
    assert html_to_markdown(html) == (
        "**Do not** touch it.\n\n- one\n- two\n\nx [mail](mailto:a@b.example)\n\n**Next**"
    )
    assert safe_markdown("# Title\n\n1. first\n* second\n<b>bold</b> __also__") == (
        "**Title**\n\n- first\n- second\n**bold** **also**"
    )


def test_pages_follow_the_pages_that_lead_to_them() -> None:
    links = {"a": ["c", "b"], "b": ["c"], "c": [], "lost": ["a"]}
    assert route_order("a", links, ["a", "c", "b", "lost"]) == ["a", "b", "c"]
    pages = [
        {"id": "a", "next": [{"when": {"x": "y"}, "goto": "c"}, {"goto": "c"}]},
        {"id": "b"},
        {"id": "c"},
    ]
    assert unreachable_pages(pages) == ["b"]


def test_env_var_names_are_short_and_safe() -> None:
    assert env_name("report-a-pothole", "WEBHOOK_URL") == "REPORT_POTHOLE_WEBHOOK_URL"
    assert env_name("apply-for-a-pet-shop-licence", "X") == "PET_SHOP_LICENCE_X"


def test_dotted_component_names_and_section_prefixes_both_resolve() -> None:
    data = {
        "startPage": "/one",
        "pages": [
            {
                "path": "/one",
                "title": "Address",
                "components": [
                    {"type": "TextField", "name": "address.town", "title": "Town"},
                    {"type": "YesNoField", "name": "moved", "title": "Have you moved?"},
                ],
                "next": [{"path": "/two", "condition": "c"}, {"path": "/three"}],
            },
            {"path": "/two", "title": "Two", "components": [{"type": "Para", "content": "x"}]},
            {
                "path": "/three",
                "title": "Three",
                "components": [{"type": "TextField", "name": "why", "title": "Why?"}],
            },
        ],
        "conditions": [
            {
                "name": "c",
                "value": {
                    "name": "c",
                    "conditions": [
                        {
                            "field": {"name": "address.town", "type": "TextField", "display": "t"},
                            "operator": "is",
                            "value": {"type": "Value", "value": "Leeds", "display": "Leeds"},
                        },
                        {
                            "coordinator": "and",
                            "field": {"name": "sec.moved", "type": "YesNoField", "display": "m"},
                            "operator": "is",
                            "value": {"type": "Value", "value": "true", "display": "Yes"},
                        },
                    ],
                },
            }
        ],
    }
    service = XGovReader(data, "dotted").read().service
    assert service["pages"][0]["next"][0]["when"] == {
        "all": [{"address_town": "Leeds"}, {"moved": "yes"}]
    }
    assert service["pages"][0]["questions"][0]["id"] == "address_town"


def test_skipping_a_page_sends_its_routes_where_it_led() -> None:
    pages: list[dict[str, object]] = [
        {"id": "a", "next": [{"when": {"x": "y"}, "goto": "upload"}, {"goto": "c"}]},
        {"id": "b"},
        {"id": "upload", "next": [{"goto": "d"}]},
        {"id": "c"},
        {"id": "d"},
        {"id": "last-upload"},
    ]
    skip_pages(pages, {"upload", "last-upload"})
    assert [page["id"] for page in pages] == ["a", "b", "c", "d"]
    assert pages[0]["next"] == [{"when": {"x": "y"}, "goto": "d"}, {"goto": "c"}]
    assert pages[1]["next"] == [{"goto": "d"}]  # it flowed on by order into the upload page
    assert "next" not in pages[3]
