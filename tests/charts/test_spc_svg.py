"""The SPC chart as accessible, plain SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import pairwise

import pytest

from scrutiny.analysis.spc import (
    Improvement,
    PointType,
    SpcOptions,
    SpcResult,
    p_chart,
    run_chart,
    u_chart,
    xmr_chart,
)
from scrutiny.charts.spc_svg import spc_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
VALUES = [0.0, 10.0] * 5 + [4.0] * 7
PERIODS = [f"2024-{month:02d}" for month in range(1, 13)] + [
    f"2025-{month:02d}" for month in range(1, 6)
]
COLOURS = {
    "common_cause": "#7b7d7d",
    "special_cause_improvement": "#289de0",
    "special_cause_concern": "#fab428",
    "special_cause_neutral_high": "#361475",
    "special_cause_neutral_low": "#361475",
}


def xmr(options: SpcOptions | None = None) -> SpcResult:
    return xmr_chart(periods=PERIODS, values=VALUES, options=options)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314  (our own output, not untrusted input)


def render(
    result: SpcResult,
    title: str = "Children seen",
    *,
    show_near_limits: bool = False,
    id_prefix: str | None = None,
) -> ET.Element:
    return parse(
        spc_chart_svg(
            result,
            title=title,
            y_label="Days",
            show_near_limits=show_near_limits,
            id_prefix=id_prefix,
        )
    )


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def points(root: ET.Element) -> list[ET.Element]:
    return [c for c in root.iter(f"{SVG}circle") if "spc-point" in classes(c)]


def all_charts() -> list[SpcResult]:
    periods = PERIODS[:6]
    return [
        xmr(SpcOptions(improvement=Improvement.DECREASE, target=3.0)),
        run_chart(periods=PERIODS, values=VALUES),
        p_chart(periods=periods, numerators=[5, 6, 7, 8, 30, 4], denominators=[50] * 6),
        u_chart(periods=periods, numerators=[2, 3, 5, 4, 3, 9], denominators=[1, 2, 2, 1, 1, 1]),
    ]


@pytest.mark.parametrize("result", all_charts(), ids=["xmr", "run", "p", "u"])
def test_it_draws_every_chart_type_as_svg_with_one_circle_per_point(result: SpcResult) -> None:
    root = render(result)
    assert root.tag == f"{SVG}svg"
    circles = points(root)
    assert len(circles) == len(result.points)
    for circle, point in zip(circles, result.points, strict=True):
        assert f"spc-point--{point.point_type.value}" in classes(circle)
        assert circle.get("fill") == COLOURS[point.point_type.value]


def test_it_is_one_image_named_by_its_title_and_described_by_the_summary() -> None:
    result = xmr(SpcOptions(improvement=Improvement.DECREASE))
    root = render(result, title="Children seen within 10 days")
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.text == "Children seen within 10 days"
    assert desc.text is not None and desc.text.startswith(result.summary)
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_it_colours_points_by_type() -> None:
    root = render(xmr(SpcOptions(improvement=Improvement.DECREASE)))
    fills = [circle.get("fill") for circle in points(root)]
    assert fills == ["#7b7d7d"] * 10 + ["#289de0"] * 7
    concern = render(xmr(SpcOptions(improvement=Improvement.INCREASE)))
    assert [circle.get("fill") for circle in points(concern)][-1] == "#fab428"
    neutral = render(xmr())
    assert [circle.get("fill") for circle in points(neutral)][-1] == "#361475"


def test_each_point_says_its_period_value_and_type() -> None:
    root = render(xmr(SpcOptions(improvement=Improvement.DECREASE)))
    last = points(root)[-1].find(f"{SVG}title")
    assert last is not None
    assert last.text == "2025-05: 4, special cause improvement (shift)"


def test_it_escapes_text() -> None:
    periods = ["<b>&1", "2", "3"]
    result = xmr_chart(periods=periods, values=[1.0, 2.0, 3.0])
    svg = spc_chart_svg(result, title='Rate < 5 & "more"', y_label="a<b")
    root = parse(svg)
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == 'Rate < 5 & "more"'
    texts = {element.text for element in root.iter(f"{SVG}text")}
    assert {"<b>&1", "a<b"} <= texts
    assert "<b>" not in svg


def test_it_uses_only_plain_svg() -> None:
    svg = spc_chart_svg(all_charts()[0], title="t", y_label="y")
    root = parse(svg)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags <= {
        "svg",
        "title",
        "desc",
        "rect",
        "g",
        "line",
        "text",
        "path",
        "polyline",
        "circle",
    }
    assert "var(" not in svg
    assert "style" not in svg


def test_it_draws_the_centre_line_and_dashed_limits() -> None:
    root = render(xmr())
    lines: dict[str, list[ET.Element]] = {
        name: [] for name in ("centre", "upper", "lower", "near-upper")
    }
    for path in root.iter(f"{SVG}path"):
        for name in lines:
            if f"spc-line--{name}" in classes(path):
                lines[name].append(path)
    assert len(lines["centre"]) == 1 and lines["centre"][0].get("stroke-dasharray") is None
    assert lines["upper"][0].get("stroke-dasharray")
    assert lines["lower"][0].get("stroke-dasharray")
    assert lines["near-upper"] == []


def test_near_limits_are_drawn_when_asked() -> None:
    root = render(xmr(), show_near_limits=True)
    near = [p for p in root.iter(f"{SVG}path") if "spc-line--near-upper" in classes(p)]
    assert len(near) == 1


def test_a_run_chart_has_a_median_and_no_limits() -> None:
    root = render(run_chart(periods=PERIODS, values=VALUES))
    drawn = {name for path in root.iter(f"{SVG}path") for name in classes(path)}
    assert "spc-line--centre" in drawn
    assert "spc-line--upper" not in drawn
    assert "Median" in {element.text for element in root.iter(f"{SVG}text")}


def test_a_rebased_chart_shows_the_break_and_each_groups_lines() -> None:
    root = render(xmr(SpcOptions(rebase=("2024-11",))))
    breaks = root.find(f".//{SVG}g[@class='spc-group-breaks']")
    assert breaks is not None
    assert len(breaks.findall(f"{SVG}line")) == 1
    centres = [p for p in root.iter(f"{SVG}path") if "spc-line--centre" in classes(p)]
    assert len(centres) == 2


def test_a_target_is_drawn_as_a_line() -> None:
    root = render(xmr(SpcOptions(improvement=Improvement.INCREASE, target=8.0)))
    targets = [line for line in root.iter(f"{SVG}line") if "spc-line--target" in classes(line)]
    assert len(targets) == 1


def icons(root: ET.Element) -> dict[str, ET.Element]:
    found = {}
    for group in root.iter(f"{SVG}g"):
        for kind in ("variation", "assurance"):
            if f"spc-icon--{kind}" in classes(group):
                found[kind] = group
    return found


def test_the_variation_and_assurance_icons_have_text_alternatives() -> None:
    result = xmr(SpcOptions(improvement=Improvement.DECREASE, target=100.0))
    root = render(result)
    found = icons(root)
    assert set(found) == {"variation", "assurance"}
    variation = found["variation"]
    assert variation.get("aria-label") == "Variation: special cause improvement, low values"
    title = variation.find(f"{SVG}title")
    assert title is not None and title.text == variation.get("aria-label")
    assert found["assurance"].get("aria-label") == (
        "Assurance: the target will consistently be met"
    )
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert "Variation icon: special cause improvement, low values." in desc.text
    assert "Assurance icon: the target will consistently be met." in desc.text


def test_there_is_no_assurance_icon_without_a_target() -> None:
    assert set(icons(render(xmr()))) == {"variation"}


def test_it_thins_the_period_labels_but_keeps_the_latest() -> None:
    periods = [f"2000-01-{i:04d}" for i in range(400)]
    result = xmr_chart(periods=periods, values=[float(i % 7) for i in range(400)])
    root = render(result)
    axis = root.find(f".//{SVG}g[@class='spc-x-axis']")
    assert axis is not None
    labels = [element.text for element in axis.iter(f"{SVG}text")]
    assert 3 <= len(labels) <= 15
    assert labels[0] == periods[-1]


def test_it_labels_every_period_when_there_is_room() -> None:
    result = xmr_chart(periods=["Q1", "Q2", "Q3", "Q4"], values=[1.0, 2.0, 3.0, 2.0])
    axis = render(result).find(f".//{SVG}g[@class='spc-x-axis']")
    assert axis is not None
    assert sorted(element.text or "" for element in axis.iter(f"{SVG}text")) == [
        "Q1",
        "Q2",
        "Q3",
        "Q4",
    ]


def test_it_draws_nice_y_axis_ticks_covering_the_data_and_limits() -> None:
    result = xmr()
    axis = render(result).find(f".//{SVG}g[@class='spc-y-axis']")
    assert axis is not None
    ticks = [
        float((element.text or "").replace(",", ""))
        for element in axis.iter(f"{SVG}text")
        if element.get("text-anchor") == "end"
    ]
    assert len(ticks) >= 3
    upper, lower = result.groups[0].upper, result.groups[0].lower
    assert upper is not None and lower is not None
    assert min(ticks) <= lower and max(ticks) >= upper
    steps = {round(b - a, 9) for a, b in pairwise(ticks)}
    assert len(steps) == 1


def test_a_constant_series_still_has_a_y_axis() -> None:
    root = render(xmr_chart(periods=["a", "b"], values=[5.0, 5.0]))
    assert len(points(root)) == 2


def test_two_charts_on_a_page_get_different_ids() -> None:
    first = render(xmr(), title="A").get("aria-labelledby")
    second = render(xmr(), title="B").get("aria-labelledby")
    assert first != second
    assert render(xmr(), title="A", id_prefix="chart-1").get("aria-labelledby") == (
        "chart-1-title chart-1-desc"
    )


def test_the_point_type_colours_cover_every_type() -> None:
    assert set(COLOURS) == {point_type.value for point_type in PointType}


def test_y_axis_labels_have_no_floating_point_noise() -> None:
    """Mean 0.1875, AMR 0.1: limits -0.079 to 0.454, so ticks 0.2 apart from -0.2 to 0.6,
    labelled 0.6, not 0.6000000000000001."""
    result = xmr_chart(periods=["a", "b", "c", "d"], values=[0.1, 0.2, 0.15, 0.3])
    axis = render(result).find(f".//{SVG}g[@class='spc-y-axis']")
    assert axis is not None
    labels = [e.text or "" for e in axis.iter(f"{SVG}text") if e.get("text-anchor") == "end"]
    assert labels == ["-0.2", "0.0", "0.2", "0.4", "0.6"]


def test_the_centre_line_is_named_as_the_summary_names_it() -> None:
    def labels(root: ET.Element) -> set[str]:
        return {"".join(node.itertext()) for node in root.iter(f"{SVG}text")}

    assert any(text.startswith("Average") for text in labels(render(xmr())))
    assert not any(text.startswith("Mean") for text in labels(render(xmr())))
    run = run_chart(periods=PERIODS, values=VALUES)
    assert any(text.startswith("Median") for text in labels(render(run)))
