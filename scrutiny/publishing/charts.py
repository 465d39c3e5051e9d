"""Server-side SVG for the report's grades chart: the same chart in the web page and the PDF."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

BAR = "#0065bd"
GRID = "#b3b3b3"
TEXT = "#333333"


@dataclass(frozen=True)
class GradeBar:
    label: str
    grade: int | None
    grade_name: str


def grades_chart_svg(bars: Sequence[GradeBar], *, title: str) -> str:
    """Horizontal bars, one per QI, on the six-point scale."""
    label_width, bar_width, row = 330, 300, 30
    top, bottom = 30, 40
    height = top + row * len(bars) + bottom
    width = label_width + bar_width + 130
    unit = bar_width / 6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="grades-title grades-desc">',
        f'<title id="grades-title">{escape(title)}</title>',
        f'<desc id="grades-desc">{escape(grades_alt_text(bars))}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for score in range(7):
        x = label_width + score * unit
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - bottom + 4}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 20}" font-size="12" fill="{TEXT}" '
            f'text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif">{score}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row
        label = bar.label if len(bar.label) <= 52 else bar.label[:50] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 18}" font-size="12" fill="{TEXT}" '
            f'text-anchor="end" font-family="DejaVu Sans, Arial, sans-serif">{escape(label)}</text>'
        )
        if bar.grade:
            parts.append(
                f'<rect x="{label_width}" y="{y + 5}" width="{bar.grade * unit:.1f}" height="18" '
                f'fill="{BAR}"/>'
            )
            parts.append(
                f'<text x="{label_width + bar.grade * unit + 6:.1f}" y="{y + 18}" font-size="12" '
                f'fill="{TEXT}" font-family="DejaVu Sans, Arial, sans-serif">'
                f"{bar.grade} {escape(bar.grade_name)}</text>"
            )
    parts.append(
        f'<text x="{label_width + bar_width / 2:.1f}" y="{height - 4}" font-size="12" '
        f'fill="{TEXT}" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif">'
        "Grade on the six-point scale</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def grades_alt_text(bars: Sequence[GradeBar]) -> str:
    graded = [f"{b.label}: {b.grade} ({b.grade_name})" for b in bars if b.grade]
    return "Grades on the six-point scale. " + "; ".join(graded) + "."


def as_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
