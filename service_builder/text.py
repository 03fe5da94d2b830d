"""Definition text to safe HTML: paragraphs, `-` lists, **bold** and [links](url); no raw HTML."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby

from markupsafe import Markup, escape

LINK_START = re.compile(r"\[([^\]\n]+)\]\(")
BOLD = re.compile(r"\*\*(.+?)\*\*")
SAFE_URL = re.compile(r"^(https?://|mailto:|tel:|/|#)", re.IGNORECASE)
"""The links a page may have: web addresses, email, phone, and paths on this site."""


@dataclass(frozen=True)
class Link:
    """A Markdown link `[label](url)` found in text, by position."""

    start: int
    end: int
    label: str
    url: str

    @property
    def safe(self) -> bool:
        """Rendered as a link; anything else (`javascript:`, `help/page`) shows its label only."""
        return bool(SAFE_URL.match(self.url))


def links(text: str) -> Iterator[Link]:
    """Every `[label](url)` in the text. The URL may hold balanced parentheses, as
    Wikipedia-style addresses do (`/Parking_(permits)`); it ends at the `)` that closes it."""
    position = 0
    while match := LINK_START.search(text, position):
        depth, end = 0, match.end()
        while end < len(text) and not text[end].isspace():
            if text[end] == "(":
                depth += 1
            elif text[end] == ")":
                if depth == 0:
                    break
                depth -= 1
            end += 1
        if end < len(text) and text[end] == ")" and end > match.end():
            yield Link(match.start(), end + 1, match.group(1), text[match.end() : end])
            position = end + 1
        else:
            position = match.end()


def unsafe_links(text: str | None) -> list[Link]:
    """The links in the text that will not be rendered as links (for `lint`)."""
    return [link for link in links(text or "") if not link.safe]


def render_text(text: str | None, **values: str) -> Markup:
    """Render definition text. `values` fill placeholders such as {reference}."""
    if not text:
        return Markup("")
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    blocks = re.split(r"\n\s*\n", text.strip())
    return Markup("\n").join(_block(block) for block in blocks if block.strip())


def _block(block: str) -> Markup:
    """A block of lines: each run of `- ` lines is a list, each other run a paragraph."""
    lines = [line.strip() for line in block.strip().splitlines()]
    html: list[Markup] = []
    for is_list, run in groupby(lines, key=lambda line: line.startswith("- ")):
        items = list(run)
        if is_list:
            html.append(
                Markup('<ul class="govuk-list govuk-list--bullet">{}</ul>').format(
                    Markup("").join(Markup("<li>{}</li>").format(_inline(i[2:])) for i in items)
                )
            )
        else:
            html.append(Markup('<p class="govuk-body">{}</p>').format(_inline(" ".join(items))))
    return Markup("\n").join(html)


def _inline(text: str) -> Markup:
    html = BOLD.sub(r"<strong>\1</strong>", str(escape(text)))
    return Markup(_with_links(html, _link))  # found in the escaped text: URLs are escaped


def _with_links(text: str, shown: Callable[[Link], str]) -> str:
    """The text with each Markdown link replaced by what `shown` makes of it."""
    parts, position = [], 0
    for link in links(text):
        parts += [text[position : link.start], shown(link)]
        position = link.end
    parts.append(text[position:])
    return "".join(parts)


def _link(link: Link) -> str:
    if not link.safe:
        return link.label
    return f'<a class="govuk-link" href="{link.url}">{link.label}</a>'


def plain_text(text: str | None) -> str:
    """The text without Markdown marks, for places that take plain text (titles, logs)."""
    if not text:
        return ""
    return BOLD.sub(r"\1", _with_links(text, lambda link: link.label)).strip()
