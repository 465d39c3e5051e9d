from __future__ import annotations

import xml.etree.ElementTree as ET

from scrutiny.charts.lines_svg import Line, comparison_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def _chart(lines: list[Line]) -> ET.Element:
    svg = comparison_chart_svg(
        periods=["2021", "2022", "2023"],
        lines=lines,
        title="Rate: comparison",
        y_label="Rate per 1,000",
        description="South Ayrshire compared with Scotland.",
    )
    return ET.fromstring(svg)  # noqa: S314  (our own output, not untrusted input)


def test_it_is_one_named_and_described_image() -> None:
    svg = _chart([Line("South Ayrshire", [1.0, 2.0, 3.0]), Line("Scotland", [2.0, 2.0, 2.0])])
    assert svg.get("role") == "img"
    title_id, desc_id = str(svg.get("aria-labelledby")).split()
    assert svg.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").get("id") == desc_id  # type: ignore[union-attr]
    assert svg.find(f"{SVG}desc").text == "South Ayrshire compared with Scotland."  # type: ignore[union-attr]


def test_lines_differ_by_dash_pattern_not_only_colour() -> None:
    svg = _chart([Line("A", [1.0, 2.0, 3.0]), Line("B", [2.0, 2.0, 2.0])])
    lines = svg.findall(f"{SVG}polyline")
    assert len(lines) == 2
    assert lines[0].get("stroke-dasharray") is None
    assert lines[1].get("stroke-dasharray")


def test_a_missing_value_breaks_the_line_and_each_point_has_a_tooltip() -> None:
    svg = _chart([Line("A", [1.0, None, 3.0])])
    assert svg.findall(f"{SVG}polyline") == []  # two one-point segments: no line drawn
    tips = [t.text for t in svg.iter(f"{SVG}title")]
    assert "A, 2021: 1" in tips and "A, 2023: 3" in tips
