"""Checks every HTML page the tests fetch: one h1, a title, unique ids, labelled controls."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

UNLABELLED_OK = {"hidden", "submit", "button", "image", "reset"}


@dataclass
class PageFacts:
    title: str = ""
    h1_count: int = 0
    ids: list[str] = field(default_factory=list)
    label_for: set[str] = field(default_factory=set)
    controls: list[tuple[str, str | None, bool]] = field(default_factory=list)
    """(tag, id, wrapped in a label) for every form control a person fills in."""
    described_by: list[str] = field(default_factory=list)
    error_links: list[str] = field(default_factory=list)
    error_messages: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts()
        self._in_title = False
        self._label_depth = 0
        self._in_summary = False
        self._in_error_message = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.facts.ids.append(a["id"] or "")
        if a.get("aria-describedby"):
            self.facts.described_by += (a["aria-describedby"] or "").split()
        classes = (a.get("class") or "").split()
        if tag == "title":
            self._in_title = True
        elif tag == "h1":
            self.facts.h1_count += 1
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.facts.label_for.add(a["for"] or "")
        elif tag in ("select", "textarea") or (
            tag == "input" and (a.get("type") or "text") not in UNLABELLED_OK
        ):
            self.facts.controls.append((tag, a.get("id"), self._label_depth > 0))
        if "govuk-error-summary__list" in classes:
            self._in_summary = True
        if self._in_summary and tag == "a":
            self.facts.error_links.append(a.get("href") or "")
        if "govuk-error-message" in classes:
            self._in_error_message += 1
            self.facts.error_messages.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._label_depth -= 1
        elif tag == "ul":
            self._in_summary = False
        elif tag == "p" and self._in_error_message:
            self._in_error_message -= 1

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.facts.title += data
        if self._in_error_message:
            self.facts.error_messages[-1] += data


def parse_page(html: str) -> PageFacts:
    parser = _Parser()
    parser.feed(html)
    facts = parser.facts
    facts.title = " ".join(facts.title.split())
    facts.error_messages = [
        " ".join(m.split()).removeprefix("Error: ") for m in facts.error_messages
    ]
    return facts


def check_page(html: str, where: str = "") -> PageFacts:
    """Assert the page's basic structure; returns what it found for further checks."""
    facts = parse_page(html)
    assert facts.title, f"{where}: no <title>"
    assert facts.h1_count == 1, f"{where}: {facts.h1_count} h1 elements"
    duplicates = [i for i, n in Counter(facts.ids).items() if n > 1]
    assert not duplicates, f"{where}: duplicate ids {duplicates}"
    for tag, control_id, wrapped in facts.controls:
        assert wrapped or (control_id and control_id in facts.label_for), (
            f"{where}: <{tag} id={control_id}> has no label"
        )
    missing = [ref for ref in facts.described_by if ref not in facts.ids]
    assert not missing, f"{where}: aria-describedby points at missing ids {missing}"
    for link in facts.error_links:
        assert link.startswith("#") and link[1:] in facts.ids, (
            f"{where}: error summary link {link} has no target"
        )
    return facts
