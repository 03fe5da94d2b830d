"""Definition text to safe HTML: paragraphs, `-` lists, **bold** and [links](url); no raw HTML."""

from __future__ import annotations

import re
from itertools import groupby

from markupsafe import Markup, escape

LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
SAFE_URL = re.compile(r"^(https?://|mailto:|tel:|/|#)", re.IGNORECASE)


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
    html = str(escape(text))
    html = BOLD.sub(r"<strong>\1</strong>", html)
    html = LINK.sub(_link, html)
    return Markup(html)


def _link(match: re.Match[str]) -> str:
    label, url = match.group(1), match.group(2)
    if not SAFE_URL.match(url):
        return label
    return f'<a class="govuk-link" href="{url}">{label}</a>'


def plain_text(text: str | None) -> str:
    """The text without Markdown marks, for places that take plain text (titles, logs)."""
    if not text:
        return ""
    return BOLD.sub(r"\1", LINK.sub(r"\1", text)).strip()
