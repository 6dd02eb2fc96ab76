"""A horizontal bar chart drawn on the server as SVG: no script, prints in WeasyPrint as vectors.

Values are percents (0–100) of each bar's maximum; a bar may carry several series (e.g. tự đánh giá
and kết quả đánh giá). Every text is escaped here, so the result may be inserted as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .numbers import points

COLOURS = ("#9aa5b1", "#1f4e79", "#c55a11")  # grey, dark blue, orange: distinct in greyscale print too


def _label_lines(text: str, width: int = 34) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines[:2] if len(lines) <= 2 else [lines[0], lines[1][: width - 1] + "…"]


def bar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
              title: str = "") -> str:
    """``series``: (name, one percent per label). A missing value draws no bar and writes '—'."""
    label_w, plot_w, value_w = 240, 330, 60
    bar_h, gap = 12, 4
    group_h = len(series) * (bar_h + 2) + 2 * gap + 6
    legend_h = 22
    height = legend_h + group_h * len(labels) + 24
    width = label_w + plot_w + value_w
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{escape(title)}" font-family="Times New Roman, Liberation Serif, serif" font-size="10">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
    x = label_w
    for i, (name, _values) in enumerate(series):  # legend
        colour = COLOURS[i % len(COLOURS)]
        out.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{colour}"/>'
                   f'<text x="{x + 14}" y="13">{escape(name)}</text>')
        x += 20 + 6 * len(name)
    axis_y = legend_h + group_h * len(labels) + 2
    for tick in range(0, 101, 25):  # the percent scale, under the bars
        tx = label_w + tick / 100 * plot_w
        out.append(f'<line x1="{tx:.1f}" y1="{legend_h}" x2="{tx:.1f}" y2="{axis_y}" stroke="#ccc" stroke-width="0.5"/>'
                   f'<text x="{tx:.1f}" y="{axis_y + 12}" text-anchor="middle">{tick}%</text>')
    y = legend_h
    for index, label in enumerate(labels):
        lines = _label_lines(label)
        mid = y + group_h / 2
        for n, line in enumerate(lines):
            dy = (n - (len(lines) - 1) / 2) * 12 + 3
            out.append(f'<text x="{label_w - 6}" y="{mid + dy:.1f}" text-anchor="end">{escape(line)}</text>')
        by = y + gap
        for i, (_name, values) in enumerate(series):
            value = values[index] if index < len(values) else None
            if value is not None:
                w = max(0.0, min(100.0, float(value))) / 100 * plot_w
                out.append(f'<rect x="{label_w}" y="{by}" width="{w:.1f}" height="{bar_h}" '
                           f'fill="{COLOURS[i % len(COLOURS)]}"/>')
            text = "—" if value is None else f"{points(value, 1)}%"
            out.append(f'<text x="{label_w + plot_w + 4}" y="{by + bar_h - 2}">{text}</text>')
            by += bar_h + 2
        y += group_h
    out.append(f'<line x1="{label_w}" y1="{legend_h}" x2="{label_w}" y2="{axis_y}" stroke="#000" stroke-width="0.5"/>')
    out.append("</svg>")
    return "".join(out)
