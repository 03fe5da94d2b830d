"""The route map of a service: every page, every `next` rule in words, skips and exits.

Output as Mermaid (for docs and pull requests) or as a self-contained, accessible SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from service_builder.definitions import Service
from service_builder.definitions.schema import CHECK_ANSWERS, Page

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
BOX_W, BOX_H, GAP, LEFT, TOP, LANE = 300, 54, 46, 20, 20, 26


def svg(service: Service) -> str:
    nodes = [*service.pages]
    order = {page.id: index for index, page in enumerate(nodes)}
    order[END] = len(nodes)
    height = TOP * 2 + (len(nodes) + 1) * (BOX_H + GAP)
    jumps = [e for e in edges(service) if order[e.target] != order[e.source] + 1]
    width = LEFT + BOX_W + 60 + LANE * (len(jumps) + 1) + 380
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="graph-title '
        f'graph-desc" font-family="arial, sans-serif" font-size="14">',
        f'<title id="graph-title">Route map of {escape(service.title)}</title>',
        f'<desc id="graph-desc">{escape(describe(service))}</desc>',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" '
        'fill="#0b0c0c"/></marker></defs>',
    ]
    for index, page in enumerate([*nodes, None]):
        y = TOP + index * (BOX_H + GAP)
        title = page_label(page) if page else "Check your answers"
        colour = "#d4351c" if page is not None and page.type == "exit" else "#0b0c0c"
        dash = ' stroke-dasharray="6 4"' if page is not None and skip_note(service, page) else ""
        parts.append(
            f'<rect x="{LEFT}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="4" '
            f'fill="#ffffff" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        parts.append(
            f'<text x="{LEFT + 10}" y="{y + 22}" font-weight="bold">'
            f"{escape(_clip(title, 38))}</text>"
        )
        sub = (skip_note(service, page) if page is not None else "") or (page.id if page else "")
        parts.append(
            f'<text x="{LEFT + 10}" y="{y + 42}" fill="#505a5f">{escape(_clip(sub, 42))}</text>'
        )
    for edge in edges(service):
        start, end = order[edge.source], order[edge.target]
        y1 = TOP + start * (BOX_H + GAP) + BOX_H
        if end == start + 1:
            x = LEFT + BOX_W / 2
            parts.append(
                f'<line x1="{x}" y1="{y1}" x2="{x}" y2="{y1 + GAP}" stroke="#0b0c0c" '
                'stroke-width="2" marker-end="url(#arrow)"/>'
            )
            if edge.label:
                parts.append(
                    f'<text x="{x + 8}" y="{y1 + GAP / 2 + 5}" stroke="#ffffff" '
                    'stroke-width="4" paint-order="stroke">'
                    f"{escape(_clip(edge.label, 60))}</text>"
                )
            continue
        lane = LEFT + BOX_W + 30 + LANE * (jumps.index(edge) + 1)
        ya = TOP + start * (BOX_H + GAP) + BOX_H / 2
        yb = TOP + end * (BOX_H + GAP) + BOX_H / 2
        parts.append(
            f'<path d="M {LEFT + BOX_W} {ya} H {lane} V {yb} H {LEFT + BOX_W}" '
            'fill="none" stroke="#1d70b8" stroke-width="2" marker-end="url(#arrow)"/>'
        )
        parts.append(
            f'<text x="{LEFT + BOX_W + 60 + LANE * (len(jumps) + 1)}" y="{ya + 5}" '
            f'fill="#1d70b8">{escape(_clip(f"to {edge.target}: {edge.label}", 52))}'
            "</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


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


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
