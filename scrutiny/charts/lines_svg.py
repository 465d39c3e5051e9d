"""A comparison line chart (one line per area) as an accessible inline SVG.

Plain SVG 1.1 as in ``spc_svg``: one image to assistive technology, named by ``<title>`` and
described by ``<desc>``; lines differ by colour *and* dash pattern and marker shape, so that they
can be told apart without colour. Pages show the same figures as a table next to the chart.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

FONT = "Arial, Helvetica, sans-serif"
TEXT = "#1b1b1b"
GRID = "#e3e3e3"
# Colour, dash pattern, marker: distinguishable without colour.
STYLES: tuple[tuple[str, str, str], ...] = (
    ("#0065bd", "", "circle"),
    ("#1b1b1b", "6 4", "square"),
    ("#b3541e", "2 3", "triangle"),
    ("#5e5e5e", "10 3 2 3", "diamond"),
)
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 64, 24, 40, 64


@dataclass(frozen=True)
class Line:
    name: str
    values: Sequence[float | None]  # one per period; None is a gap


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _label(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _marker(shape: str, x: float, y: float, colour: str, tip: str) -> str:
    title = f"<title>{escape(tip)}</title>"
    if shape == "square":
        return (
            f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}">'
            f"{title}</rect>"
        )
    if shape == "triangle":
        points = f"{x:.1f},{y - 5:.1f} {x - 5:.1f},{y + 4:.1f} {x + 5:.1f},{y + 4:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    if shape == "diamond":
        points = f"{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} {x - 5:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="{colour}">{title}</polygon>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}">{title}</circle>'


def comparison_chart_svg(
    *,
    periods: Sequence[str],
    lines: Sequence[Line],
    title: str,
    y_label: str,
    description: str,
    width: int = 720,
    height: int = 300,
) -> str:
    """Lines over the periods, with a legend under the plot."""
    digest = hashlib.sha256(f"{title}\x1f{periods}\x1f{[line.values for line in lines]}".encode())
    prefix = f"cmp-{digest.hexdigest()[:10]}"
    known = [v for line in lines for v in line.values if v is not None]
    low = min([0.0, *known])
    high = max(known) if known else 1.0
    step = _nice_step(high - low)
    top_value = math.ceil(high / step) * step if high > low else low + step
    if top_value <= high:
        top_value += step
    left, top = MARGIN_LEFT, MARGIN_TOP
    plot_w = max(width - MARGIN_LEFT - MARGIN_RIGHT, 10)
    plot_h = max(height - MARGIN_TOP - MARGIN_BOTTOM, 10)
    n = max(len(periods), 1)

    def x(i: int) -> float:
        return left + (i + 0.5) * plot_w / n

    def y(v: float) -> float:
        return top + plot_h - (v - low) / (top_value - low) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" class="comparison-chart" '
        f'font-family="{FONT}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{left}" y="20" font-size="14" font-weight="bold" fill="{TEXT}">'
        f"{escape(title)}</text>",
    ]
    tick = low
    while tick <= top_value + step / 1000:
        ty = y(tick)
        parts.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{ty + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{TEXT}">{_label(tick)}</text>'
        )
        tick += step
    parts.append(
        f'<text x="14" y="{top + plot_h / 2:.1f}" font-size="11" fill="{TEXT}" '
        f'text-anchor="middle" transform="rotate(-90 14 {top + plot_h / 2:.1f})">'
        f"{escape(y_label)}</text>"
    )
    every = max(1, math.ceil(len(periods) * 44 / plot_w))
    for i, period in enumerate(periods):
        if i % every == 0:
            parts.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" font-size="11" '
                f'text-anchor="middle" fill="{TEXT}">{escape(period)}</text>'
            )
    for number, line in enumerate(lines):
        colour, dash, shape = STYLES[number % len(STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        segment: list[str] = []
        segments: list[list[str]] = []
        for i, value in enumerate(line.values):
            if value is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(value):.1f}")
        if segment:
            segments.append(segment)
        for points in segments:
            if len(points) > 1:
                parts.append(
                    f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        for i, value in enumerate(line.values):
            if value is not None:
                tip = f"{line.name}, {periods[i]}: {_label(value)}"
                parts.append(_marker(shape, x(i), y(value), colour, tip))
        legend_y = height - 30 + (number // 2) * 16
        legend_x = left + (number % 2) * (plot_w / 2)
        parts.append(
            f'<line x1="{legend_x:.1f}" y1="{legend_y}" x2="{legend_x + 28:.1f}" y2="{legend_y}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        parts.append(_marker(shape, legend_x + 14, legend_y, colour, line.name))
        parts.append(
            f'<text x="{legend_x + 34:.1f}" y="{legend_y + 4}" font-size="11" fill="{TEXT}">'
            f"{escape(line.name)}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts)
