"""Inline SVG charts drawn on the server (no script, no CDN): a card's sparkline and a KPI's series."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

from dti.site.templatetags.dti import format_num


def _scale(values, targets, pad=0.08):
    known = [v for v in list(values) + list(targets) if v is not None]
    if not known:
        return 0.0, 100.0
    low, high = min(known), max(known)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    span = high - low
    return low - span * pad, high + span * pad


def _paths(xs, ys):
    """Polyline segments, broken where a value is missing."""
    segments, current = [], []
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((x, y))
    if current:
        segments.append(current)
    return segments


def sparkline(points, *, width: int = 160, height: int = 36) -> str:
    values = [p.value for p in points]
    targets = [p.target for p in points]
    if not any(v is not None for v in values):
        return mark_safe(f'<svg class="spark" width="{width}" height="{height}" role="img" aria-label="Chưa có số liệu"></svg>')
    low, high = _scale(values, targets)
    n = max(len(points) - 1, 1)
    xs = [2 + (width - 4) * i / n for i in range(len(points))]

    def y(v):
        return round(height - 2 - (height - 4) * (v - low) / (high - low), 1)

    parts = [f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Diễn biến {len([v for v in values if v is not None])} kỳ">']
    for segment in _paths(xs, [None if t is None else y(t) for t in targets]):
        coords = " ".join(f"{x:.1f},{yy}" for x, yy in segment)
        parts.append(f'<polyline class="target" points="{coords}" fill="none" stroke="#b45309" stroke-dasharray="3 2" stroke-width="1"/>')
    for segment in _paths(xs, [None if v is None else y(v) for v in values]):
        coords = " ".join(f"{x:.1f},{yy}" for x, yy in segment)
        if len(segment) == 1:
            parts.append(f'<circle cx="{segment[0][0]:.1f}" cy="{segment[0][1]}" r="1.8" fill="#1d4ed8"/>')
        else:
            parts.append(f'<polyline class="value" points="{coords}" fill="none" stroke="#1d4ed8" stroke-width="1.6"/>')
    last = next(((x, v) for x, v in zip(reversed(xs), reversed(values), strict=True) if v is not None), None)
    if last:
        parts.append(f'<circle cx="{last[0]:.1f}" cy="{y(last[1])}" r="2.5" fill="#1d4ed8"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def series_chart(points, *, unit: str = "%", width: int = 760, height: int = 260) -> str:
    """The KPI's values (line and dots) and its yearly target (dashed), with axis labels."""
    values = [p.value for p in points]
    targets = [p.target for p in points]
    left, right, top, bottom = 56, 12, 12, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = _scale(values, targets)
    n = max(len(points) - 1, 1)
    xs = [left + plot_w * i / n for i in range(len(points))]

    def y(v):
        return round(top + plot_h - plot_h * (v - low) / (high - low), 1)

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
             f'aria-label="Biểu đồ giá trị và chỉ tiêu theo kỳ">']
    for i in range(5):
        v = low + (high - low) * i / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(v)}" y2="{y(v)}" stroke="#e5e7eb"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4}" text-anchor="end" font-size="11" fill="#555">'
                     f'{escape(format_num(v, 1))}</text>')
    step = max(1, len(points) // 12)
    for i, point in enumerate(points):
        if i % step == 0 or i == len(points) - 1:
            parts.append(f'<text x="{xs[i]:.1f}" y="{height - 20}" text-anchor="middle" font-size="11" fill="#555">'
                         f'{escape(point.period.short)}</text>')
    for segment in _paths(xs, [None if t is None else y(t) for t in targets]):
        coords = " ".join(f"{x:.1f},{yy}" for x, yy in segment)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#b45309" stroke-dasharray="6 4" stroke-width="1.5"/>')
    for segment in _paths(xs, [None if v is None else y(v) for v in values]):
        coords = " ".join(f"{x:.1f},{yy}" for x, yy in segment)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#1d4ed8" stroke-width="2"/>')
    for x, point in zip(xs, points, strict=True):
        if point.value is not None:
            colour = "#15803d" if point.status == "met" else "#b91c1c" if point.status == "not_met" else "#1d4ed8"
            label = f"{point.period.label}: {format_num(point.value, 2)}{unit}"
            parts.append(f'<circle cx="{x:.1f}" cy="{y(point.value)}" r="3.5" fill="{colour}"><title>{escape(label)}</title></circle>')
    legend = height - 6
    parts.append(f'<g font-size="11" fill="#333"><line x1="{left}" x2="{left + 24}" y1="{legend}" y2="{legend}" '
                 f'stroke="#1d4ed8" stroke-width="2"/><text x="{left + 28}" y="{legend + 4}">Giá trị</text>'
                 f'<line x1="{left + 90}" x2="{left + 114}" y1="{legend}" y2="{legend}" stroke="#b45309" '
                 f'stroke-dasharray="6 4"/><text x="{left + 118}" y="{legend + 4}">Chỉ tiêu</text></g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
