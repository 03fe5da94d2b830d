"""The route map: Mermaid and SVG say the same things as the definition."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from service_builder.definitions import load_definition
from service_builder.graph import describe, edges, mermaid, svg
from tests.conftest import FIXTURES


def service():  # type: ignore[no-untyped-def]
    result = load_definition(FIXTURES / "branching.yaml")
    assert result.service is not None
    return result.service


def test_edges_follow_next_rules_and_the_default_route() -> None:
    found = {(e.source, e.target, e.label) for e in edges(service())}
    assert ("age", "too-young", "if age is less than 16") in found
    assert ("age", "pets", "otherwise") in found
    assert ("pets", "dog-name", "") in found
    assert ("contact", "check-answers", "") in found
    assert not any(e.source == "too-young" for e in edges(service()))  # exits go nowhere


def test_mermaid_names_pages_conditions_skips_and_exits() -> None:
    text = mermaid(service())
    assert text.startswith("flowchart TD")
    assert "p_age -->|if age is less than 16| p_too_young" in text
    assert "only if pets includes dog" in text
    assert "class p_too_young exit" in text


def test_svg_is_well_formed_and_accessible() -> None:
    tree = ET.fromstring(svg(service()))
    ns = "{http://www.w3.org/2000/svg}"
    assert tree.get("role") == "img"
    assert tree.find(f"{ns}title").text == "Route map of Branching scenario"  # type: ignore[union-attr]
    assert "From age: if age is less than 16, go to too-young" in describe(service())
    assert len(tree.findall(f"{ns}rect")) == len(service().pages) + 1


def test_repeat_pages_and_count_conditions_are_drawn() -> None:
    result = load_definition(FIXTURES / "repeat.yaml")
    assert result.service is not None
    text = mermaid(result.service)
    assert "Your vehicles (repeat page: 2 to 3 items)" in text
    assert "only if the number of vehicles is 3" in text
    ET.fromstring(svg(result.service))
    assert "many is" not in describe(result.service)
