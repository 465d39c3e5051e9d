"""Horizontal bars of percentages with their confidence intervals, as an accessible inline SVG.

One bar per answer (or per group), each with a whisker for its interval. Suppressed figures
(disclosure control) get no bar, only the word "suppressed". Plain SVG 1.1 with presentation
attributes, so the same markup works in browsers and in WeasyPrint PDFs; the chart is one image
to assistive technology, named by ``<title>`` and described by ``<desc>``. Pages show the same
figures in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

BAR = "#0065bd"
WHISKER = "#1b1b1b"
GRID = "#d8d8d8"
TEXT = "#1b1b1b"
MUTED = "#5e5e5e"
FONT = "Arial, Helvetica, sans-serif"
LABEL_WIDTH = 230
PLOT_WIDTH = 300
VALUE_WIDTH = 150
ROW = 26
TOP = 12
BOTTOM = 34
MAX_LABEL = 34


@dataclass(frozen=True)
class Bar:
    label: str
    percentage: float | None  # None: suppressed or no answers
    lower: float | None = None  # interval, in percent
    upper: float | None = None
    note: str = ""  # what to show instead of a value ("suppressed", "no answers")


def _value_text(bar: Bar) -> str:
    if bar.percentage is None:
        return bar.note or "suppressed"
    text = f"{bar.percentage:.0f}%"
    if bar.lower is not None and bar.upper is not None:
        text += f" ({bar.lower:.0f} to {bar.upper:.0f}%)"
    return text


def alt_text(bars: Sequence[Bar], *, title: str) -> str:
    parts = [f"{bar.label}: {_value_text(bar)}" for bar in bars]
    return f"{title}. Percentages with 95% confidence intervals. " + "; ".join(parts) + "."


def proportion_bars_svg(bars: Sequence[Bar], *, title: str, chart_id: str) -> str:
    """The chart; ``chart_id`` must be unique on the page (it prefixes the title and desc ids)."""
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    height = TOP + ROW * len(bars) + BOTTOM
    left = LABEL_WIDTH
    bottom = TOP + ROW * len(bars)

    def x(percent: float) -> float:
        return left + PLOT_WIDTH * max(0.0, min(100.0, percent)) / 100

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="scrutiny-chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(alt_text(bars, title=title))}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for tick in range(0, 101, 25):
        parts.append(
            f'<line x1="{x(tick):.1f}" y1="{TOP - 4}" x2="{x(tick):.1f}" y2="{bottom + 4}" '
            f'stroke="{GRID}" stroke-width="1"/>'
            f'<text x="{x(tick):.1f}" y="{bottom + 18}" font-size="11" fill="{MUTED}" '
            f'text-anchor="middle" font-family="{FONT}">{tick}%</text>'
        )
    for index, bar in enumerate(bars):
        y = TOP + index * ROW
        label = bar.label if len(bar.label) <= MAX_LABEL else bar.label[: MAX_LABEL - 1] + "…"
        parts.append(
            f'<text x="{left - 8}" y="{y + 17}" font-size="12" fill="{TEXT}" text-anchor="end" '
            f'font-family="{FONT}">{escape(label)}</text>'
        )
        if bar.percentage is not None:
            parts.append(
                f'<rect x="{left}" y="{y + 6}" width="{x(bar.percentage) - left:.1f}" '
                f'height="14" fill="{BAR}"/>'
            )
            if bar.lower is not None and bar.upper is not None:
                low, high, mid = x(bar.lower), x(bar.upper), y + 13
                parts.append(
                    f'<line x1="{low:.1f}" y1="{mid}" x2="{high:.1f}" y2="{mid}" '
                    f'stroke="{WHISKER}" stroke-width="1.5"/>'
                    f'<line x1="{low:.1f}" y1="{mid - 5}" x2="{low:.1f}" y2="{mid + 5}" '
                    f'stroke="{WHISKER}" stroke-width="1.5"/>'
                    f'<line x1="{high:.1f}" y1="{mid - 5}" x2="{high:.1f}" y2="{mid + 5}" '
                    f'stroke="{WHISKER}" stroke-width="1.5"/>'
                )
        parts.append(
            f'<text x="{left + PLOT_WIDTH + 8}" y="{y + 17}" font-size="12" '
            f'fill="{TEXT if bar.percentage is not None else MUTED}" '
            f'font-family="{FONT}">{escape(_value_text(bar))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
