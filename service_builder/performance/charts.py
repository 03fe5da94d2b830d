"""Bar charts as SVG drawn on the server: no JavaScript, and always shown beside a table."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from markupsafe import Markup

COLOURS = ("#1d70b8", "#0b0c0c")
"""GOV.UK blue and black: both 4.5:1 or more against white."""
ROW = 22
LABEL_WIDTH = 300
BAR_WIDTH = 360


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    unit: str = "",
) -> Markup:
    """Horizontal bars, one group per label and one bar per series, with each value written
    at the end of its bar; a value there is none of (a take-up with nothing sent) gets no
    bar and a dash, as the table says it. Screen readers get the title; the table beside it
    has the data. Drawn at its own size, smaller only on a screen too narrow for it."""
    biggest = max((v for values in series.values() for v in values if v), default=0) or 1
    group = ROW * len(series) + 8
    legend = 24 if len(series) > 1 else 0
    height = legend + group * len(labels) + 4
    width = LABEL_WIDTH + BAR_WIDTH + 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" aria-labelledby="{chart_id}-title" '
        f'focusable="false"><title id="{chart_id}-title">{escape(title)}</title>'
    ]
    for index, name in enumerate(series if legend else ()):
        x = LABEL_WIDTH + index * 160
        parts.append(
            f'<rect x="{x}" y="4" width="14" height="14" fill="{COLOURS[index % 2]}"/>'
            f'<text x="{x + 20}" y="16" font-size="14" fill="#0b0c0c">{escape(name)}</text>'
        )
    for row, label in enumerate(labels):
        top = legend + row * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{top + ROW - 6}" font-size="14" fill="#0b0c0c" '
            f'text-anchor="end">{escape(_shortened(label))}</text>'
        )
        for index, values in enumerate(series.values()):
            value = values[row]
            length = round(BAR_WIDTH * value / biggest, 1) if value is not None else 0
            y = top + index * ROW
            shown = f"{value:g}{unit}" if value is not None else "–"
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 6}" '
                f'fill="{COLOURS[index % 2]}"/>'
                f'<text x="{LABEL_WIDTH + length + 6}" y="{y + ROW - 6}" font-size="14" '
                f'fill="#0b0c0c">{escape(shown)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _shortened(label: str, most: int = 40) -> str:
    """A label that fits beside the bars: cut short with an ellipsis, which says it was (the
    table beside the chart gives it in full)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"
