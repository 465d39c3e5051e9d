"""Server-side SVG for a progress review: one bar per area for improvement, its length the
step reached on the (ordered) progress scale. The same chart goes in the web page and the PDF,
always beside a table of the same judgements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from scrutiny.publishing.charts import BAR, GRID, TEXT, label_text

FONT = "DejaVu Sans, Arial, sans-serif"
# The widest average character of the font, in ems (DejaVu Sans is about 0.6; Arial less).
JUDGEMENT_EM = 0.65


@dataclass(frozen=True)
class ProgressBar:
    label: str
    steps: int | None  # 1 (least progress) … levels (most progress); None when not judged
    judgement: str


def progress_alt_text(bars: Sequence[ProgressBar]) -> str:
    judged = [f"{b.label}: {b.judgement.lower()}" for b in bars if b.steps]
    return "Progress on each area for improvement. " + "; ".join(judged) + "."


def progress_chart_svg(bars: Sequence[ProgressBar], *, levels: Sequence[str], title: str) -> str:
    """``levels`` are the scale's labels from least to most progress."""
    label_width, bar_width, row = 330, 300, 40
    top, bottom = 30, 70
    height = top + row * len(bars) + bottom
    width = label_width + bar_width + 170
    count = max(len(levels), 1)
    unit = bar_width / count
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="progress-title '
        'progress-desc">',
        f'<title id="progress-title">{escape(title)}</title>',
        f'<desc id="progress-desc">{escape(progress_alt_text(bars))}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    for step in range(count + 1):
        x = label_width + step * unit
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - bottom + 4}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
    for step, name in enumerate(levels, 1):
        x = label_width + (step - 0.5) * unit
        y = height - bottom + 18 + (12 if step % 2 == 0 else 0)
        parts.append(
            f'<text x="{x:.1f}" y="{y}" font-size="10" fill="{TEXT}" text-anchor="middle" '
            f'font-family="{FONT}">{escape(name)}</text>'
        )
    for index, bar in enumerate(bars):
        y = top + index * row
        parts.append(label_text(bar.label, right=label_width - 8, top=y))
        if bar.steps:
            parts.append(
                f'<rect x="{label_width}" y="{y + 5}" width="{bar.steps * unit:.1f}" '
                f'height="18" fill="{BAR}"/>'
            )
            # On a white ground as wide as the words, so that no gridline runs through them.
            x = label_width + bar.steps * unit + 6
            ground = JUDGEMENT_EM * 12 * len(bar.judgement) + 6
            parts.append(
                f'<rect x="{x - 3:.1f}" y="{y + 4}" width="{ground:.1f}" height="20" '
                'fill="#ffffff"/>'
            )
            parts.append(
                f'<text x="{x:.1f}" y="{y + 18}" font-size="12" '
                f'fill="{TEXT}" font-family="{FONT}">{escape(bar.judgement)}</text>'
            )
    parts.append(
        f'<text x="{label_width + bar_width / 2:.1f}" y="{height - 6}" font-size="12" '
        f'fill="{TEXT}" text-anchor="middle" font-family="{FONT}">'
        "Progress judgement (least to most progress)</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
