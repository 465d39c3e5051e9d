from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from scrutiny.analysis.childlevel.compute import indicators_compute
from scrutiny.analysis.childlevel.validate import ChildLevelFiles
from scrutiny.indicators import selectors, services
from scrutiny.indicators.models import Indicator, IndicatorSeries, Unit
from scrutiny.places.models import Area, Partnership
from tests.conftest import Cast
from tests.indicators.helpers import cube, national_cube

pytestmark = pytest.mark.django_db


def _store_child_level(directory: Path) -> None:
    result = indicators_compute(
        files=ChildLevelFiles(
            looked_after=directory / "looked_after.csv",
            child_protection=directory / "child_protection.csv",
            population=directory / "population.csv",
        )
    )
    services.child_level_store(
        rows=result.rows, title="Returns", vintage=date(2025, 10, 1), by=None
    )


@pytest.fixture
def all_figures(south_ayrshire_dir: Path) -> None:
    _store_child_level(south_ayrshire_dir)
    services.cube_import(
        content=national_cube(), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )


def test_it_shows_each_indicator_as_a_chart_with_icons_summary_and_figures(
    cast: Cast, as_user: Any, all_figures: None
) -> None:
    response = as_user(cast.viewer_a).get("/indicators/p/south-ayrshire/")
    assert response.status_code == 200
    text = response.text
    for indicator in Indicator.objects.filter(partnership__isnull=True, is_active=True):
        if indicator.key.startswith("sgs_") and indicator.cube_match["Residential Status"] != "All":
            continue  # the test cube has only "All"
        assert f'id="ind-{indicator.key}"' in text, indicator.key
    assert text.count('role="img"') >= 32
    assert "Variation:" in text
    assert "Figures for Looked after away from home, aged 11 to 15, South Ayrshire" in text


def test_it_hides_a_dashboard_from_another_partnership_and_anonymous_visitors(
    cast: Cast, as_user: Any, client: Any
) -> None:
    assert as_user(cast.lead_b).get("/indicators/p/south-ayrshire/").status_code == 403
    response = client.get("/indicators/p/south-ayrshire/")
    assert response.status_code == 302 and "/account/sign-in/" in response.headers["Location"]


def test_the_dashboard_needs_a_bounded_number_of_queries(
    cast: Cast, as_user: Any, all_figures: None, django_assert_max_num_queries: Any
) -> None:
    client = as_user(cast.link_a)
    services.comparator_group_save(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        name="Ayrshire",
        areas=Area.objects.filter(code__in=["S12000008", "S12000021"]),
    )
    with django_assert_max_num_queries(20):
        response = client.get("/indicators/p/south-ayrshire/")
    assert response.status_code == 200


def test_the_south_ayrshire_11_15_chart_shows_a_special_cause_improvement(
    all_figures: None,
) -> None:
    page = selectors.chart_page(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        indicator=Indicator.objects.get(key="lac_away_11_15"),
    )
    result = page.chart.result
    assert result is not None
    assert result.points[-1].point_type == "special_cause_improvement"
    assert result.variation == "improvement_low"


def test_a_chart_with_too_few_points_says_why(cast: Cast, as_user: Any) -> None:
    services.cube_import(
        content=cube([("S12000028", "2023", "Count", "300", "All")]),
        file_name="c.csv",
        title="CSWS",
        vintage=date(2025, 3, 1),
        by=None,
    )
    response = as_user(cast.lead_a).get("/indicators/p/south-ayrshire/sgs_lac_count_all/")
    assert (
        "Too few figures for a chart: 1 year with a figure, and a chart needs at least 5"
        in response.text
    )
    assert "<svg" not in response.text.split("Too few figures")[1].split("</section>")[0]


def test_suppressed_periods_do_not_count_towards_a_chart(cast: Cast, as_user: Any) -> None:
    rows = [("S12000028", str(year), "Count", "*", "All") for year in range(2015, 2024)]
    rows += [("S12000028", str(year), "Count", "30", "All") for year in (2024, 2025)]
    services.cube_import(
        content=cube(rows), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )
    page = selectors.chart_page(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        indicator=Indicator.objects.get(key="sgs_lac_count_all"),
    )
    assert page.chart.result is None
    assert page.chart.problem.startswith("Too few figures for a chart: 2 years with a figure")
    assert "9 suppressed periods not charted." in page.chart.notes


def test_a_rate_without_denominators_is_drawn_as_an_xmr_chart(cast: Cast) -> None:
    indicator = services.local_indicator_create(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        title="Rate",
        definition="A rate",
        unit=Unit.RATE_PER_1000,
        chart="u",
        numerator="Referrals",
        denominator="Children aged 0 to 17",
        by=cast.lead_a,
    )
    services.local_values_upload(  # values only: no denominators to draw a u-chart from
        indicator=indicator,
        content=b"period,value\n2024-Q1,4\n2024-Q2,5\n2024-Q3,4.5\n2024-Q4,5\n2025-Q1,4.2\n",
        file_name="r.csv",
        by=cast.lead_a,
    )
    page = selectors.chart_page(
        partnership=Partnership.objects.get(slug="south-ayrshire"), indicator=indicator
    )
    assert page.chart.result is not None and page.chart.result.chart == "xmr"
    assert "Drawn as an XmR chart" in page.chart.notes[0]


def test_suppressed_cells_are_shown_as_such_and_left_out_of_the_chart(
    cast: Cast, as_user: Any
) -> None:
    rows = [
        ("S12000028", str(y), "Count", "*" if y == 2020 else str(300 + y % 5), "All")
        for y in range(2015, 2024)
    ]
    services.cube_import(
        content=cube(rows), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )
    page = selectors.chart_page(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        indicator=Indicator.objects.get(key="sgs_lac_count_all"),
    )
    assert page.chart.result is not None
    assert "2020" not in [p.period for p in page.chart.result.points]
    assert page.chart.notes == ["1 suppressed period not charted."]
    (row,) = [r for r in page.chart.table if r.period == "2020"]
    assert (row.value, row.note) == ("*", "suppressed by the publisher")


def test_the_chart_page_has_a_stable_url_and_a_name_for_links(cast: Cast, as_user: Any) -> None:
    services.cube_import(
        content=national_cube(), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )
    series = IndicatorSeries.objects.get(
        partnership__slug="south-ayrshire", indicator__key="sgs_lac_ratio_all"
    )
    assert str(series) == (
        "Looked after (all placements) per 1,000 children, published rate — South Ayrshire (chart)"
    )
    response = as_user(cast.link_a).get(series.get_absolute_url())
    assert response.status_code == 200
    assert "Variation:" in response.text


def test_a_chart_marks_when_the_partnerships_inspection_report_was_published(
    cast: Cast, as_user: Any
) -> None:
    from scrutiny.inspections.models import Status
    from tests import factories

    rows = [
        ("S12000028", str(year), "Count", str(40 + year % 3), "All") for year in range(2012, 2022)
    ]
    services.cube_import(
        content=cube(rows), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )
    factories.inspection(
        "south-ayrshire", status=Status.PUBLISHED, publication_date=date(2016, 9, 20)
    )
    factories.inspection(
        "east-ayrshire", status=Status.PUBLISHED, publication_date=date(2018, 5, 1)
    )
    page = selectors.chart_page(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        indicator=Indicator.objects.get(key="sgs_lac_count_all"),
    )
    svg = page.chart.svg
    assert svg.count('class="spc-events"') == 1 and svg.count("<title>Inspection report") == 1
    assert "Inspection report Sep 2016" in svg  # its own inspection, not East Ayrshire's
    assert "Marked before 2017: Inspection report Sep 2016." in svg
    # Drawn on the boundary between 2016 and 2017, the fifth and sixth of ten points.
    assert [(event.index, event.label) for event in page.chart.chart_events] == [
        (5, "Inspection report Sep 2016")
    ]


def test_an_event_outside_the_charted_periods_is_not_marked() -> None:
    from scrutiny.analysis.spc import SpcOptions, xmr_chart
    from scrutiny.charts.spc_svg import ChartEvent, spc_chart_svg

    result = xmr_chart(
        periods=[str(y) for y in range(2015, 2025)],
        values=[float(v) for v in (3, 4, 3, 5, 4, 3, 4, 5, 3, 4)],
        options=SpcOptions(),
    )
    svg = spc_chart_svg(
        result,
        title="T",
        y_label="Count",
        events=[ChartEvent(0, "Before"), ChartEvent(10, "After")],
    )
    assert "spc-events" not in svg and "Marked before" not in svg
    near_end = spc_chart_svg(
        result, title="T", y_label="Count", events=[ChartEvent(9, "A long label near the end")]
    )
    assert 'text-anchor="end"' in near_end.split('class="spc-events"')[1]
