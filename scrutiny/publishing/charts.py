"""Server-side SVG for the report's grades chart: the same chart in the web page and the PDF."""

from __future__ import annotations

import base64
import textwrap
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
    label_width, bar_width, row = 330, 300, 40
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
        parts.append(label_text(bar.label, right=label_width - 8, top=y))
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


LABEL_CHARACTERS = 44  # what fits the label column at 12px (DejaVu Sans averages about 7px)


def label_text(label: str, *, right: float, top: float) -> str:
    """SVG: a bar's label, right-aligned at ``right``, on one or two lines beside a bar whose
    row starts at ``top``."""
    lines = label_lines(label)
    first = top + (18 if len(lines) == 1 else 12)
    spans = "".join(
        f'<tspan x="{right}" y="{first + 14 * n}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<text font-size="12" fill="{TEXT}" text-anchor="end" '
        f'font-family="DejaVu Sans, Arial, sans-serif">{spans}</text>'
    )


def label_lines(label: str) -> list[str]:
    """A bar's label (a QI, an area for improvement) on at most two lines that fit the label
    column (the full label is in the chart's description and in the table beside it)."""
    lines = textwrap.wrap(label, LABEL_CHARACTERS) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARACTERS, placeholder="…")]
    return lines


def grades_alt_text(bars: Sequence[GradeBar]) -> str:
    graded = [f"{b.label}: {b.grade} ({b.grade_name})" for b in bars if b.grade]
    return "Grades on the six-point scale. " + "; ".join(graded) + "."


def as_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
