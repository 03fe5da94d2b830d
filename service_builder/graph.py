"""The route map of a service: every page, every `next` rule in words, skips and exits.

Output as Mermaid (for docs and pull requests) or as a self-contained, accessible SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from service_builder.definitions import Service
from service_builder.definitions.schema import CHECK_ANSWERS, Page
from service_builder.svg_text import text_width, wrap

END = CHECK_ANSWERS


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


def edges(service: Service) -> list[Edge]:
    found: list[Edge] = []
    routes = service.routes
    for page in service.pages:
        if page.type == "exit":
            continue
        rules = routes.rules.get(page.id, ())
        for rule in rules:
            label = f"if {rule.condition.describe()}" if rule.condition is not None else "otherwise"
            found.append(Edge(page.id, rule.goto, label))
        if not rules or rules[-1].condition is not None:
            found.append(Edge(page.id, routes.default_next[page.id], "otherwise" if rules else ""))
    return found


def skip_note(service: Service, page: Page) -> str:
    condition = service.routes.page_conditions.get(page.id)
    return f"only if {condition.describe()}" if condition is not None else ""


def page_label(page: Page) -> str:
    if page.repeats:
        return f"{page.heading} (repeat page: {page.fewest_items} to {page.max_items} items)"
    kind = {"exit": "exit page", "content": "content page"}.get(page.type, "")
    return page.heading + (f" ({kind})" if kind else "")


def mermaid(service: Service) -> str:
    lines = ["flowchart TD", f'    start(["{_m(service.title)}"])']
    for page in service.pages:
        text = _m(page_label(page))
        note = skip_note(service, page)
        if note:
            text += f"<br/><i>{_m(note)}</i>"
        shape = ('[/"{}"/]' if page.type == "exit" else '["{}"]').format(text)
        lines.append(f"    {_id(page.id)}{shape}")
    lines.append(f'    {_id(END)}(["Check your answers"])')
    lines.append(f"    start --> {_id(service.pages[0].id)}")
    for edge in edges(service):
        arrow = f" -->|{_m(edge.label)}| " if edge.label else " --> "
        lines.append(f"    {_id(edge.source)}{arrow}{_id(edge.target)}")
    lines += [f"    class {_id(p.id)} exit" for p in service.pages if p.type == "exit"]
    lines.append("    classDef exit stroke:#d4351c,stroke-width:3px")
    return "\n".join(lines) + "\n"


def _id(page_id: str) -> str:
    return "p_" + page_id.replace("-", "_")


def _m(text: str) -> str:
    return text.replace('"', "#quot;").replace("|", "#124;")


# -- SVG: pages in definition order down the left, jumps as arcs to the right ------------
BOX_W, GAP, LEFT, TOP, LANE = 300, 46, 20, 20, 26
SIZE, LINE = 14, 18
"""Font size and line height, in pixels."""
PAD = 10
EDGE_TEXT_W = 260
JUMP_TEXT_W = 380


def svg(service: Service) -> str:
    """The route map as SVG. Text is measured and wrapped, never cut off."""
    nodes = [*service.pages]
    order = {page.id: index for index, page in enumerate(nodes)}
    order[END] = len(nodes)
    all_edges = edges(service)
    jumps = [e for e in all_edges if order[e.target] != order[e.source] + 1]
    texts = []
    for page in [*nodes, None]:
        title = page_label(page) if page else "Check your answers"
        sub = (skip_note(service, page) if page is not None else "") or (page.id if page else "")
        texts.append(
            (wrap(title, BOX_W - 2 * PAD, SIZE, bold=True), wrap(sub, BOX_W - 2 * PAD, SIZE))
        )
    labels = {
        id(e): wrap(e.label, EDGE_TEXT_W if e not in jumps else JUMP_TEXT_W, SIZE)
        for e in all_edges
        if e.label or e in jumps
    }
    gaps = [GAP] * len(texts)
    for edge in all_edges:
        if edge not in jumps and edge.label:
            gaps[order[edge.source]] = max(
                gaps[order[edge.source]], LINE * len(labels[id(edge)]) + 16
            )
    tops, heights, y = [], [], TOP
    for index, (title_lines, sub_lines) in enumerate(texts):
        tops.append(y)
        heights.append(PAD + 8 + LINE * (len(title_lines) + len(sub_lines)))
        y += heights[-1] + gaps[index]
    jump_x = LEFT + BOX_W + 60 + LANE * (len(jumps) + 1)
    jump_lines = {id(e): wrap(f"to {e.target}: {e.label}", JUMP_TEXT_W, SIZE) for e in jumps}
    widest = max(
        [jump_x + text_width(line, SIZE) for e in jumps for line in jump_lines[id(e)]]
        + [
            LEFT + BOX_W / 2 + 8 + text_width(line, SIZE)
            for lines in labels.values()
            for line in lines
        ]
        + [LEFT + BOX_W]
    )
    parts: list[str] = []
    for index, page in enumerate([*nodes, None]):
        top = tops[index]
        colour = "#d4351c" if page is not None and page.type == "exit" else "#0b0c0c"
        dash = ' stroke-dasharray="6 4"' if page is not None and skip_note(service, page) else ""
        parts.append(
            f'<rect x="{LEFT}" y="{top}" width="{BOX_W}" height="{heights[index]}" rx="4" '
            f'fill="#ffffff" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        title_lines, sub_lines = texts[index]
        parts.append(_text(LEFT + PAD, top + 22, title_lines, ' font-weight="bold"'))
        parts.append(
            _text(LEFT + PAD, top + 22 + LINE * len(title_lines), sub_lines, ' fill="#505a5f"')
        )
    stacked: dict[str, float] = {}
    bottom: float = y - gaps[-1]
    for edge in all_edges:
        start, end = order[edge.source], order[edge.target]
        y1 = tops[start] + heights[start]
        if end == start + 1:
            x = LEFT + BOX_W / 2
            parts.append(
                f'<line x1="{x}" y1="{y1}" x2="{x}" y2="{tops[end]}" stroke="#0b0c0c" '
                'stroke-width="2" marker-end="url(#arrow)"/>'
            )
            if edge.label:
                parts.append(
                    _text(
                        x + 8,
                        y1 + 8 + SIZE,
                        labels[id(edge)],
                        ' stroke="#ffffff" stroke-width="4" paint-order="stroke"',
                    )
                )
            continue
        lane = LEFT + BOX_W + 30 + LANE * (jumps.index(edge) + 1)
        ya = tops[start] + heights[start] / 2
        yb = tops[end] + heights[end] / 2
        parts.append(
            f'<path d="M {LEFT + BOX_W} {ya} H {lane} V {yb} H {LEFT + BOX_W}" '
            'fill="none" stroke="#1d70b8" stroke-width="2" marker-end="url(#arrow)"/>'
        )
        # Labels of several jumps from one page stack below each other.
        label_y = max(ya + 5, stacked.get(edge.source, 0))
        parts.append(_text(jump_x, label_y, jump_lines[id(edge)], ' fill="#1d70b8"'))
        stacked[edge.source] = label_y + LINE * len(jump_lines[id(edge)]) + 4
        bottom = max(bottom, stacked[edge.source])
    width, height = int(widest + 20), int(bottom + TOP)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="graph-title '
        f'graph-desc" font-family="arial, sans-serif" font-size="{SIZE}">',
        f'<title id="graph-title">Route map of {escape(service.title)}</title>',
        f'<desc id="graph-desc">{escape(describe(service))}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#0b0c0c"/></marker></defs>',
    ]
    return "\n".join([*head, *parts, "</svg>"]) + "\n"


def _text(x: float, y: float, lines: list[str], attributes: str) -> str:
    """A <text> of one <tspan> per line."""
    spans = "".join(
        f'<tspan x="{x}" dy="{0 if index == 0 else LINE}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text x="{x}" y="{y}"{attributes}>{spans}</text>'


def describe(service: Service) -> str:
    """The route map in words (the SVG's description, and the admin page's text version)."""
    sentences = []
    for page in service.pages:
        skip = skip_note(service, page)
        note = f" It is shown {skip}." if skip else ""
        if page.type == "exit":
            sentences.append(f"{page.id} is an exit page: the route stops there.{note}")
            continue
        ways = [
            f"{e.label}, go to {e.target}" if e.label else f"go to {e.target}"
            for e in edges(service)
            if e.source == page.id
        ]
        sentences.append(f"From {page.id}: {'; '.join(ways)}.{note}")
    return " ".join(sentences)
