"""Small, dependency-free SVG bar charts whose Chinese labels the browser renders as text.

Deterministic output (fixed geometry, rounded numbers) so the site stays byte-identical.
"""

from __future__ import annotations

from markupsafe import Markup, escape

# Narrow enough to be drawn at its own size on a phone (375 px less the page's margins): a wider chart either
# shrank its labels to 7 px or, scrolled sideways, cut every long bar at the screen's edge so that they all looked
# alike, their values out of sight. The longest label is seven characters (（一）予以公开), the longest value 100.0%.
WIDTH = 344
LABEL_END = 96
BAR_START = 102
BAR_AREA = 186


def bar_chart(chart_id: str, title: str, labels: list[str], values: list[int | float], unit: str = "",
              full: float | None = None) -> Markup:
    """Horizontal bars, one row per label, with the value written after each bar. ``full``: the value of a bar
    across the whole width (a rate's 100); the largest value unless given."""
    row = 26
    top = 34
    height = top + row * len(labels) + 10
    largest = full or max(values, default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gk-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" font-family="sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="#222">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(zip(labels, values)):
        y = top + index * row
        length = round(BAR_AREA * value / largest, 1)
        parts.append(f'<text x="{LABEL_END}" y="{y + 16}" text-anchor="end" fill="#222">{escape(label)}</text>')
        parts.append(f'<rect x="{BAR_START}" y="{y + 4}" width="{length}" height="16" fill="#3f51b5"/>')
        parts.append(f'<text x="{round(BAR_START + 4 + length, 1)}" y="{y + 16}" fill="#222">'
                     f'{escape(_number(value))}{escape(unit)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.1f}"
