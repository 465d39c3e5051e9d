"""An SPC chart (XmR, run, p or u) as an accessible inline SVG.

Plain SVG 1.1 only — presentation attributes, no CSS, scripts or foreignObject — so that the
same markup renders in browsers and in WeasyPrint PDFs. The chart is one image to assistive
technology (``role="img"``), named by ``<title>`` and described by ``<desc>``, which carries the
plain-words summary; every point and icon also has its own ``<title>`` (a tooltip on screen).
Pages should show the same data as a table next to the chart.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from scrutiny.analysis.spc import Assurance, Chart, PointType, SpcResult, Variation

# Making Data Count colours.
IMPROVEMENT_BLUE = "#289de0"
CONCERN_ORANGE = "#fab428"
NEUTRAL_PURPLE = "#361475"
COMMON_GREY = "#7b7d7d"
TEXT = "#1b1b1b"
MUTED = "#5e5e5e"
GRID = "#e3e3e3"
TARGET_RED = "#d5281b"
FONT = "Arial, Helvetica, sans-serif"

POINT_COLOURS = {
    PointType.COMMON_CAUSE: COMMON_GREY,
    PointType.SPECIAL_CAUSE_IMPROVEMENT: IMPROVEMENT_BLUE,
    PointType.SPECIAL_CAUSE_CONCERN: CONCERN_ORANGE,
    PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: NEUTRAL_PURPLE,
    PointType.SPECIAL_CAUSE_NEUTRAL_LOW: NEUTRAL_PURPLE,
}
POINT_WORDS = {
    PointType.COMMON_CAUSE: "common cause",
    PointType.SPECIAL_CAUSE_IMPROVEMENT: "special cause improvement",
    PointType.SPECIAL_CAUSE_CONCERN: "special cause concern",
    PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: "special cause, neutral, high",
    PointType.SPECIAL_CAUSE_NEUTRAL_LOW: "special cause, neutral, low",
}
# Variation icon: colour, letter (None: a zigzag for common cause), and words.
VARIATION_ICONS: dict[Variation, tuple[str, str | None, str]] = {
    Variation.COMMON_CAUSE: (COMMON_GREY, None, "common cause variation, no significant change"),
    Variation.IMPROVEMENT_HIGH: (IMPROVEMENT_BLUE, "H", "special cause improvement, high values"),
    Variation.IMPROVEMENT_LOW: (IMPROVEMENT_BLUE, "L", "special cause improvement, low values"),
    Variation.CONCERN_HIGH: (CONCERN_ORANGE, "H", "special cause concern, high values"),
    Variation.CONCERN_LOW: (CONCERN_ORANGE, "L", "special cause concern, low values"),
    Variation.NEUTRAL_HIGH: (NEUTRAL_PURPLE, "H", "special cause, neither better nor worse, high"),
    Variation.NEUTRAL_LOW: (NEUTRAL_PURPLE, "L", "special cause, neither better nor worse, low"),
}
ASSURANCE_ICONS: dict[Assurance, tuple[str, str, str]] = {
    Assurance.CONSISTENT_PASS: (IMPROVEMENT_BLUE, "P", "the target will consistently be met"),
    Assurance.CONSISTENT_FAIL: (CONCERN_ORANGE, "F", "the target will consistently be missed"),
    Assurance.INCONSISTENT: (COMMON_GREY, "?", "the target will sometimes be met, sometimes not"),
}

MARGIN_LEFT = 64
MARGIN_RIGHT = 76
MARGIN_TOP = 48
MARGIN_BOTTOM = 40
ICON_RADIUS = 13
CHARACTER_WIDTH = 6.2  # average width of an 11px character, for thinning axis labels


@dataclass(frozen=True, slots=True)
class _Frame:
    """Plot area and scales."""

    left: float
    top: float
    width: float
    height: float
    n: int
    y_min: float
    y_max: float

    @property
    def step(self) -> float:
        return self.width / self.n

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width

    def x(self, index: float) -> float:
        return self.left + (index + 0.5) * self.step

    def edge(self, index: int) -> float:
        """The x of the boundary before point ``index``."""
        return self.left + index * self.step

    def y(self, value: float) -> float:
        return self.bottom - (value - self.y_min) / (self.y_max - self.y_min) * self.height


def spc_chart_svg(
    result: SpcResult,
    *,
    title: str,
    y_label: str,
    width: int = 720,
    height: int = 320,
    show_near_limits: bool = False,
    id_prefix: str | None = None,
    events: Sequence[ChartEvent] = (),
) -> str:
    """The chart as an ``<svg>`` element, ready to inline in HTML or a PDF template.

    ``id_prefix`` makes the ids of ``<title>`` and ``<desc>`` unique on a page; by default it
    is derived from the title and the data, so two different charts on a page never clash.
    ``events`` are marked with a line before the first point after them (an inspection report
    published, say), and named in the description.
    """
    prefix = id_prefix or _default_id(result, title)
    ticks = _y_scale(_values_on_scale(result, show_near_limits=show_near_limits))
    frame = _Frame(
        left=MARGIN_LEFT,
        top=MARGIN_TOP,
        width=max(width - MARGIN_LEFT - MARGIN_RIGHT, 10),
        height=max(height - MARGIN_TOP - MARGIN_BOTTOM, 10),
        n=len(result.points),
        y_min=ticks.values[0],
        y_max=ticks.values[-1],
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" class="spc-chart spc-chart--'
        f'{result.chart.value}" font-family="{FONT}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(_description(result, events))}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        _heading(title, width),
        _y_axis(frame, ticks, y_label),
        _group_breaks(result, frame),
        _events(events, frame),
        _lines(result, frame, show_near_limits=show_near_limits),
        _data_line(result, frame),
        _points(result, frame),
        _x_axis(result, frame),
        _icons(result, width),
        "</svg>",
    ]
    return "\n".join(part for part in parts if part)


@dataclass(frozen=True)
class ChartEvent:
    """Something that happened between two points: marked before point ``index`` (0-based)."""

    index: int
    label: str


def _description(result: SpcResult, events: Sequence[ChartEvent] = ()) -> str:
    """The summary, then the icons and the events marked, in words."""
    icons = f"Variation icon: {VARIATION_ICONS[result.variation][2]}."
    if result.assurance is not None:
        icons += f" Assurance icon: {ASSURANCE_ICONS[result.assurance][2]}."
    marked = "".join(
        f" Marked before {result.points[event.index].period}: {event.label}."
        for event in events
        if 0 < event.index < len(result.points)
    )
    return f"{result.summary} {icons}{marked}"


def _events(events: Sequence[ChartEvent], frame: _Frame) -> str:
    shown = [event for event in events if 0 < event.index < frame.n]
    if not shown:
        return ""
    parts = ['<g class="spc-events">']
    for event in shown:
        x = _n(frame.edge(event.index))
        parts.append(
            f'<line x1="{x}" y1="{_n(frame.top)}" x2="{x}" y2="{_n(frame.bottom)}" '
            f'stroke="{TEXT}" stroke-width="1" stroke-dasharray="1 2">'
            f"<title>{escape(event.label)}</title></line>"
        )
        # The label reads rightwards from the line, or leftwards when it would run off the plot.
        fits = frame.edge(event.index) + 3 + len(event.label) * 5.5 <= frame.left + frame.width
        label_x = frame.edge(event.index) + (3 if fits else -3)
        anchor = "start" if fits else "end"
        parts.append(
            f'<text x="{_n(label_x)}" y="{_n(frame.top + 22)}" text-anchor="{anchor}" '
            f'font-size="10" fill="{TEXT}">{escape(event.label)}</text>'
        )
    parts.append("</g>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Scales


def _default_id(result: SpcResult, title: str) -> str:
    digest = hashlib.sha256()
    digest.update(title.encode())
    for point in result.points:
        digest.update(f"{point.period}\x1f{point.value!r}\x1e".encode())
    return f"spc-{digest.hexdigest()[:10]}"


def _values_on_scale(result: SpcResult, *, show_near_limits: bool) -> list[float]:
    values = [value for point in result.points for value in (point.value, point.centre)]
    for point in result.points:
        limits = [point.lower, point.upper]
        if show_near_limits:
            limits += [point.near_lower, point.near_upper]
        values.extend(limit for limit in limits if limit is not None)
    if result.target is not None:
        values.append(result.target)
    return values


@dataclass(frozen=True, slots=True)
class _Ticks:
    values: list[float]
    decimals: int

    def label(self, value: float) -> str:
        text = f"{value:,.{self.decimals}f}"
        return text.removeprefix("-") if text.strip("-0.,") == "" else text


def _y_scale(values: Sequence[float]) -> _Ticks:
    """About five "nice" ticks (1, 2, 2.5 or 5 times a power of ten apart) covering the values."""
    low, high = min(values), max(values)
    if high == low:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / 5
    exponent = math.floor(math.log10(raw))
    multiple = next(m for m in (1, 2, 2.5, 5, 10) if m * 10.0**exponent >= raw)
    if multiple == 10:
        multiple, exponent = 1, exponent + 1
    step = multiple * 10.0**exponent
    ticks = [i * step for i in range(math.floor(low / step), math.ceil(high / step) + 1)]
    return _Ticks(ticks, decimals=max(0, -exponent + (1 if multiple == 2.5 else 0)))


# ---------------------------------------------------------------------------------------------
# Pieces


def _heading(title: str, width: int) -> str:
    room = int((width - 2 * (2 * ICON_RADIUS + 8) - 24) / 7)
    shown = title if len(title) <= room else title[: max(room - 1, 1)].rstrip() + "…"
    return (
        f'<text x="12" y="22" font-size="14" font-weight="bold" fill="{TEXT}">'
        f"{escape(shown)}</text>"
    )


def _y_axis(frame: _Frame, ticks: _Ticks, y_label: str) -> str:
    parts = ['<g class="spc-y-axis">']
    for tick in ticks.values:
        y = _n(frame.y(tick))
        parts.append(
            f'<line x1="{_n(frame.left)}" y1="{y}" x2="{_n(frame.right)}" y2="{y}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_n(frame.left - 6)}" y="{y}" dy="4" font-size="11" '
            f'text-anchor="end" fill="{MUTED}">{escape(ticks.label(tick))}</text>'
        )
    middle = _n(frame.top + frame.height / 2)
    parts.append(
        f'<text x="14" y="{middle}" font-size="11" text-anchor="middle" fill="{TEXT}" '
        f'transform="rotate(-90 14 {middle})">{escape(y_label)}</text>'
    )
    parts.append("</g>")
    return "\n".join(parts)


def _group_breaks(result: SpcResult, frame: _Frame) -> str:
    if len(result.groups) < 2:
        return ""
    parts = ['<g class="spc-group-breaks">']
    start = 0
    for index, group in enumerate(result.groups):
        if index:
            x = _n(frame.edge(start))
            parts.append(
                f'<line x1="{x}" y1="{_n(frame.top)}" x2="{x}" y2="{_n(frame.bottom)}" '
                f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="2 3">'
                f"<title>{escape(f'Rebased from {group.start}')}</title></line>"
            )
            parts.append(
                f'<text x="{_n(frame.edge(start) + 3)}" y="{_n(frame.top + 10)}" font-size="10" '
                f'fill="{MUTED}">Rebased</text>'
            )
        start += group.n
    parts.append("</g>")
    return "\n".join(parts)


def _lines(result: SpcResult, frame: _Frame, *, show_near_limits: bool) -> str:
    """Centre line, limits (dashed), near limits (dotted, optional) and target, with labels
    for the latest group in the right margin."""
    points = result.points
    centre_name = "Median" if result.chart is Chart.RUN else "Average"  # as the summary says
    series: list[tuple[str, str, list[float | None], str, str]] = [
        ("centre", centre_name, [point.centre for point in points], "", "1.5"),
        ("upper", "Upper limit", [point.upper for point in points], "6 4", "1.2"),
        ("lower", "Lower limit", [point.lower for point in points], "6 4", "1.2"),
    ]
    if show_near_limits:
        series += [
            ("near-upper", "Near upper", [point.near_upper for point in points], "2 3", "1"),
            ("near-lower", "Near lower", [point.near_lower for point in points], "2 3", "1"),
        ]
    parts = ['<g class="spc-lines">']
    labels: list[tuple[float, str, str]] = []
    for key, name, values, dash, stroke_width in series:
        if values[-1] is None:
            continue
        colour = TEXT if key == "centre" else MUTED
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        for start, end in _group_spans(result):
            path = _step_path(values, start, end, frame)
            if path:
                parts.append(
                    f'<path class="spc-line spc-line--{key}" d="{path}" fill="none" '
                    f'stroke="{colour}" stroke-width="{stroke_width}"{dashes}/>'
                )
        labels.append((frame.y(values[-1]), name, colour))
    if result.target is not None:
        target_y = _n(frame.y(result.target))
        parts.append(
            f'<line class="spc-line spc-line--target" x1="{_n(frame.left)}" y1="{target_y}" '
            f'x2="{_n(frame.right)}" y2="{target_y}" stroke="{TARGET_RED}" stroke-width="1.2" '
            f'stroke-dasharray="8 3 2 3"/>'
        )
        labels.append((frame.y(result.target), "Target", TARGET_RED))
    for label_y, name, colour in _spread(labels, gap=11):
        parts.append(
            f'<text x="{_n(frame.right + 6)}" y="{_n(label_y)}" dy="4" font-size="11" '
            f'fill="{colour}">{escape(name)}</text>'
        )
    parts.append("</g>")
    return "\n".join(parts)


def _spread(
    labels: Sequence[tuple[float, str, str]], *, gap: float
) -> list[tuple[float, str, str]]:
    """Line labels at least ``gap`` apart: each pushed down from the one above as needed, then
    all moved back up by half the push of the lowest, so that a crowd stays centred."""
    ordered = sorted(labels)
    placed: list[tuple[float, str, str]] = []
    for y, name, colour in ordered:
        if placed and y < placed[-1][0] + gap:
            y = placed[-1][0] + gap
        placed.append((y, name, colour))
    if placed:
        overshoot = placed[-1][0] - ordered[-1][0]
        if overshoot > 0:
            placed = [(y - overshoot / 2, name, colour) for y, name, colour in placed]
    return placed


def _group_spans(result: SpcResult) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for group in result.groups:
        spans.append((start, start + group.n))
        start += group.n
    return spans


def _step_path(values: Sequence[float | None], start: int, end: int, frame: _Frame) -> str:
    """A horizontal step across each point's slot; equal neighbours merge into one segment and
    a missing value (``None``) leaves a gap."""
    commands: list[str] = []
    previous: float | None = None
    index = start
    while index < end:
        value = values[index]
        stop = index + 1
        while stop < end and values[stop] == value:
            stop += 1
        if value is not None:
            y = _n(frame.y(value))
            move = f"M{_n(frame.edge(index))} {y}" if previous is None else f"V{y}"
            commands.append(f"{move}H{_n(frame.edge(stop))}")
        previous = value
        index = stop
    return "".join(commands)


def _data_line(result: SpcResult, frame: _Frame) -> str:
    coordinates = " ".join(
        f"{_n(frame.x(index))},{_n(frame.y(point.value))}"
        for index, point in enumerate(result.points)
    )
    return (
        f'<polyline class="spc-data-line" points="{coordinates}" fill="none" '
        f'stroke="{COMMON_GREY}" stroke-width="{1.5 if frame.step >= 6 else 0.8}" '
        'stroke-linejoin="round"/>'
    )


def _points(result: SpcResult, frame: _Frame) -> str:
    radius = _n(min(4.0, max(2.2, frame.step * 0.4)))
    parts = ['<g class="spc-points">']
    for index, point in enumerate(result.points):
        words = f"{point.period}: {_value(point.value)}, {POINT_WORDS[point.point_type]}"
        if point.rule is not None:
            words += f" ({point.rule.value.replace('_', ' ')})"
        parts.append(
            f'<circle class="spc-point spc-point--{point.point_type.value}" '
            f'cx="{_n(frame.x(index))}" cy="{_n(frame.y(point.value))}" r="{radius}" '
            f'fill="{POINT_COLOURS[point.point_type]}" stroke="#ffffff" stroke-width="0.75">'
            f"<title>{escape(words)}</title></circle>"
        )
    parts.append("</g>")
    return "\n".join(parts)


def _x_axis(result: SpcResult, frame: _Frame) -> str:
    points = result.points
    longest = max(len(point.period) for point in points)
    every = max(1, math.ceil((longest * CHARACTER_WIDTH + 12) / frame.step))
    bottom = _n(frame.bottom)
    parts = [
        '<g class="spc-x-axis">',
        f'<line x1="{_n(frame.left)}" y1="{bottom}" x2="{_n(frame.right)}" y2="{bottom}" '
        f'stroke="{MUTED}" stroke-width="1"/>',
    ]
    last = len(points) - 1
    # Count from the latest period so that it is always labelled.
    for index in range(last, -1, -every):
        x = _n(frame.x(index))
        parts.append(
            f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{_n(frame.bottom + 4)}" '
            f'stroke="{MUTED}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x}" y="{_n(frame.bottom + 16)}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}">{escape(points[index].period)}</text>'
        )
    parts.append("</g>")
    return "\n".join(parts)


def _icons(result: SpcResult, width: int) -> str:
    """The variation icon, then the assurance icon when there is one, top right."""
    icons: list[tuple[str, str, str, str | None]] = []
    colour, letter, words = VARIATION_ICONS[result.variation]
    icons.append(("variation", f"Variation: {words}", colour, letter))
    if result.assurance is not None:
        colour, assurance_letter, words = ASSURANCE_ICONS[result.assurance]
        icons.append(("assurance", f"Assurance: {words}", colour, assurance_letter))
    parts = ['<g class="spc-icons">']
    y = 8 + ICON_RADIUS
    x = width - 12 - ICON_RADIUS - (len(icons) - 1) * (2 * ICON_RADIUS + 8)
    for kind, label, colour, mark in icons:
        parts.append(
            f'<g class="spc-icon spc-icon--{kind}" role="img" aria-label="{_attribute(label)}">'
            f"<title>{escape(label)}</title>"
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{ICON_RADIUS}" fill="#ffffff" '
            f'stroke="{colour}" stroke-width="2.5"/>{_icon_mark(mark, colour, x, y)}</g>'
        )
        x += 2 * ICON_RADIUS + 8
    parts.append("</g>")
    return "\n".join(parts)


def _icon_mark(letter: str | None, colour: str, x: float, y: float) -> str:
    """A bold letter, or for common cause (``None``) a small zigzag."""
    if letter is not None:
        return (
            f'<text x="{_n(x)}" y="{_n(y)}" dy="5" font-size="14" font-weight="bold" '
            f'text-anchor="middle" fill="{colour}">{escape(letter)}</text>'
        )
    w, h = ICON_RADIUS * 0.27, ICON_RADIUS * 0.3
    return (
        f'<path d="M{_n(x - 2 * w)} {_n(y)}l{_n(w)} {_n(-h)}l{_n(w)} {_n(2 * h)}'
        f'l{_n(w)} {_n(-2 * h)}l{_n(w)} {_n(h)}" fill="none" stroke="{colour}" '
        f'stroke-width="2"/>'
    )


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _value(value: float) -> str:
    return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"


def _n(value: float) -> str:
    """A coordinate with at most two decimals."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
