from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from scrutiny.indicators import selectors, services
from scrutiny.indicators.models import Indicator, IndicatorLink
from scrutiny.inspections.models import Status
from scrutiny.places.models import Area, ComparatorGroup, Partnership
from tests import factories
from tests.conftest import Cast
from tests.indicators.helpers import cube

pytestmark = pytest.mark.django_db


def _ratios() -> None:
    rows = []
    for year in ("2022", "2023"):
        for code, value in (
            ("S12000028", "15.0"),
            ("S12000008", "10.0"),
            ("S12000021", "20.0"),
            ("S12000018", "30.0"),
            ("S92000003", "12.1"),
        ):
            rows.append((code, year, "Ratio", value, "All"))
    services.cube_import(
        content=cube(rows), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )


def test_a_lead_saves_a_comparator_group_and_charts_compare_with_its_median(
    cast: Cast, as_user: Any
) -> None:
    _ratios()
    councils = Area.objects.filter(code__in=["S12000008", "S12000021", "S12000018"])
    response = as_user(cast.lead_a).post(
        "/indicators/p/south-ayrshire/comparators/add/",
        {"name": "Similar councils", "areas": [a.pk for a in councils]},
    )
    assert response.status_code == 302
    group = ComparatorGroup.objects.get(name="Similar councils")
    assert group.partnership.slug == "south-ayrshire"
    page = selectors.chart_page(
        partnership=group.partnership, indicator=Indicator.objects.get(key="sgs_lac_ratio_all")
    )
    assert page.chart.comparator["2023"] == 20.0
    assert page.chart.scotland["2023"] == 12.1
    assert [name for name, _ in page.comparator_rows] == [
        "South Ayrshire",
        "East Ayrshire",
        "Inverclyde",
        "North Ayrshire",
    ]
    chart = as_user(cast.lead_a).get("/indicators/p/south-ayrshire/sgs_lac_ratio_all/")
    assert "Similar councils (median)" in chart.text


def test_a_comparator_group_needs_councils_and_a_new_name(cast: Cast) -> None:
    partnership = Partnership.objects.get(slug="south-ayrshire")
    with pytest.raises(services.IndicatorError, match="at least one council"):
        services.comparator_group_save(partnership=partnership, name="Empty", areas=[])
    services.comparator_group_save(
        partnership=partnership, name="A", areas=Area.objects.filter(code="S12000008")
    )
    with pytest.raises(services.IndicatorError, match="already has a comparator group"):
        services.comparator_group_save(
            partnership=partnership, name="a", areas=Area.objects.filter(code="S12000021")
        )


def test_a_viewer_sees_comparator_groups_but_cannot_change_them(cast: Cast, as_user: Any) -> None:
    client = as_user(cast.viewer_a)
    assert client.get("/indicators/p/south-ayrshire/comparators/").status_code == 200
    response = client.post(
        "/indicators/p/south-ayrshire/comparators/add/", {"name": "X", "areas": []}
    )
    assert response.status_code == 403


def test_a_link_inspector_links_a_chart_to_an_area_for_improvement(
    cast: Cast, as_user: Any
) -> None:
    _ratios()
    inspection = factories.inspection("south-ayrshire", status=Status.PUBLISHED)
    from scrutiny.inspections.models import AreaForImprovement

    area = AreaForImprovement.objects.create(
        inspection=inspection, number=1, title="Fewer children away from home", text="X"
    )
    url = "/indicators/p/south-ayrshire/sgs_lac_ratio_all/"
    response = as_user(cast.link_a).post(f"{url}links/area/", {"area": area.pk})
    assert response.status_code == 302
    link = IndicatorLink.objects.get()
    assert link.area_for_improvement == area
    assert "Fewer children away from home" in as_user(cast.viewer_a).get(url).text
    assert list(IndicatorLink.objects.filter(area_for_improvement=area)) == [link]


def test_it_refuses_an_area_for_improvement_of_an_unpublished_inspection(cast: Cast) -> None:
    from scrutiny.inspections.models import AreaForImprovement

    draft = AreaForImprovement.objects.create(
        inspection=factories.inspection("south-ayrshire"), number=1, title="Draft", text="X"
    )
    series = services.series_ensure(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        indicator=Indicator.objects.get(key="lac_total"),
    )
    with pytest.raises(services.IndicatorError, match="not published yet"):
        services.indicator_link_area_add(series=series, area=draft, by=cast.admin)
    assert draft not in selectors.partnership_areas_for_improvement(partnership=series.partnership)


def test_it_refuses_an_area_for_improvement_of_another_partnership(cast: Cast) -> None:
    from scrutiny.inspections.models import AreaForImprovement

    other = AreaForImprovement.objects.create(
        inspection=factories.inspection("east-ayrshire"), number=1, title="T", text="X"
    )
    series = services.series_ensure(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        indicator=Indicator.objects.get(key="lac_total"),
    )
    with pytest.raises(services.IndicatorError, match="another partnership"):
        services.indicator_link_area_add(series=series, area=other, by=cast.admin)


def test_a_chart_linked_to_an_action_is_a_measure_on_both_pages(cast: Cast, as_user: Any) -> None:
    from scrutiny.improvement.models import Action, ActionMeasure, ActionPlan

    partnership = Partnership.objects.get(slug="south-ayrshire")
    published = factories.inspection("south-ayrshire", status=Status.PUBLISHED)
    plan = ActionPlan.objects.create(
        partnership=partnership, inspection=published, created_by=cast.lead_a
    )
    action = Action.objects.create(
        plan=plan,
        number=1,
        title="Family group decision making",
        owner_user=cast.lead_a,
        lead_agency="Council",
        start_date=date(2016, 10, 1),
        due_date=date(2030, 3, 31),
    )
    chart_url = "/indicators/p/south-ayrshire/lac_away_11_15/"
    response = as_user(cast.lead_a).post(chart_url + "links/action/", {"action": action.pk})
    assert response.status_code == 302
    measure = ActionMeasure.objects.get(action=action)
    series = services.series_ensure(
        partnership=partnership, indicator=Indicator.objects.get(key="lac_away_11_15")
    )
    assert measure.target == series
    chart = as_user(cast.lead_a).get(chart_url).text
    assert "Measures the success of" in chart and "action 1: Family group decision making" in chart
    action_page = as_user(cast.lead_a).get(f"/improvement/actions/{action.pk}/").text
    assert str(series) in action_page
    # Linked twice: refused with a message, still one measure.
    again = as_user(cast.lead_a).post(
        chart_url + "links/action/", {"action": action.pk}, follow=True
    )
    assert "already linked" in again.text and ActionMeasure.objects.count() == 1
    # A link inspector links charts to areas for improvement, not to the partnership's actions.
    assert (
        as_user(cast.link_a).post(chart_url + "links/action/", {"action": action.pk}).status_code
        == 403
    )


def test_a_comparator_median_says_how_many_councils_it_rests_on(cast: Cast, as_user: Any) -> None:
    rows = []
    for year, values in (
        ("2021", ("10.0", "20.0", "40.0")),  # all three: the median of the group
        ("2022", ("10.0", "*", "40.0")),  # two of three: shown, and says so
        ("2023", ("10.0", "*", "*")),  # one of three: no median
    ):
        for code, value in zip(("S12000008", "S12000021", "S12000018"), values, strict=True):
            rows.append((code, year, "Ratio", value, "All"))
        rows.append(("S12000028", year, "Ratio", "15.0", "All"))
    services.cube_import(
        content=cube(rows), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )
    group = ComparatorGroup.objects.create(
        partnership=Partnership.objects.get(slug="south-ayrshire"), name="Similar councils"
    )
    group.areas.set(Area.objects.filter(code__in=["S12000008", "S12000021", "S12000018"]))
    page = selectors.chart_page(
        partnership=group.partnership, indicator=Indicator.objects.get(key="sgs_lac_ratio_all")
    )
    assert page.chart.comparator == {"2021": 20.0, "2022": 25.0}
    cells = {row.period: row.comparator for row in page.chart.table}
    assert cells == {"2021": "20.0", "2022": "25.0 (2 of 3 councils)", "2023": "—"}


def test_the_dashboard_links_each_chart_with_the_chosen_comparator_group(
    cast: Cast, as_user: Any
) -> None:
    _ratios()
    partnership = Partnership.objects.get(slug="south-ayrshire")
    first = ComparatorGroup.objects.create(partnership=partnership, name="Neighbours")
    second = ComparatorGroup.objects.create(partnership=partnership, name="Family group")
    first.areas.set(Area.objects.filter(code__in=["S12000008"]))
    second.areas.set(Area.objects.filter(code__in=["S12000021", "S12000018"]))
    board = as_user(cast.lead_a).get(f"/indicators/p/south-ayrshire/?group={second.pk}").text
    assert f'/indicators/p/south-ayrshire/sgs_lac_ratio_all/?group={second.pk}"' in board
    chart = as_user(cast.lead_a).get(
        f"/indicators/p/south-ayrshire/sgs_lac_ratio_all/?group={second.pk}"
    )
    assert "Family group (median)" in chart.text and "Neighbours (median)" not in chart.text
