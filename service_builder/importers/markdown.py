"""Source HTML and Markdown in this format's safe subset: paragraphs, lists, bold and links."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

SAFE_LINK = re.compile(r"^(https?://|mailto:|/|#)", re.IGNORECASE)
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "br", "details", "summary"}


class _Converter(HTMLParser):
    """Walks HTML once, writing the Markdown the engine renders; every other tag is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current = ""
        self.links: list[str | None] = []
        self.bold = 0
        self.hidden = 0
        self.hidden_tags: list[str] = []

    def _flush(self) -> None:
        text = re.sub(r"[ \t\r\n]+", " ", self.current).strip()
        if text:
            self.blocks.append(text)
        self.current = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template") or dict(attrs).get("aria-hidden") == "true":
            self.hidden += 1
            self.hidden_tags.append(tag)
        if tag in BLOCKS or tag == "li":
            self._flush()
            if tag == "li":
                self.current = "- "
            elif tag in {"h1", "h2", "h3", "h4", "h5", "h6", "summary"}:
                self.current, self.bold = "**", self.bold + 1
        elif tag in {"strong", "b"}:
            self.current += "**"
            self.bold += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            safe = href if SAFE_LINK.match(href) else None
            self.links.append(safe)
            if safe:
                self.current += "["

    def handle_endtag(self, tag: str) -> None:
        if self.hidden_tags and tag == self.hidden_tags[-1]:
            self.hidden_tags.pop()
            self.hidden -= 1
        if tag in {"strong", "b", "h1", "h2", "h3", "h4", "h5", "h6", "summary"} and self.bold:
            self.current = self.current.rstrip() + "**"
            self.bold -= 1
        if tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self.current = self.current.rstrip() + f"]({href})"
        if tag in BLOCKS or tag == "li":
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.hidden:  # script and style text is never content
            self.current += data

    def result(self) -> str:
        self._flush()
        return _join(self.blocks)


def _join(blocks: list[str]) -> str:
    """Paragraphs apart by a blank line; the items of one list kept together."""
    out = ""
    for index, block in enumerate(blocks):
        if index:
            together = block.startswith("- ") and blocks[index - 1].startswith("- ")
            out += "\n" if together else "\n\n"
        out += block
    return out


def html_to_markdown(html: str) -> str:
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return converter.result()


def safe_markdown(text: str) -> str:
    """Markdown from another engine, cut down to what this one renders (raw HTML removed)."""
    if re.match(r"\s*<(p|ul|ol|div|h\d)\b", text, re.IGNORECASE):
        return html_to_markdown(text)
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        heading = re.match(r"^#{1,6}\s+(.*)$", stripped)
        if heading:
            line = f"**{heading.group(1).strip()}**"
        line = re.sub(r"^(\s*)(\*|\+|\d+[.)])\s+", r"\1- ", line)
        line = re.sub(r"__(.+?)__", r"**\1**", line)
        line = re.sub(r"</?(b|strong)>", "**", line, flags=re.IGNORECASE)
        line = re.sub(r"<[^>]+>", "", line)
        line = re.sub(
            r"\[([^\]]*)\]\(([^)\s]*)\)",
            lambda m: m.group(0) if SAFE_LINK.match(m.group(2)) else m.group(1),
            line,
        )
        lines.append(unescape(line.rstrip()))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def plain(text: str) -> str:
    """One line of plain text (labels, titles): tags dropped, spaces tidied."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text))).strip()
