"""A partnership recalculates its chart's limits from a period (with a reason) or fixes a
baseline: the chart, the page, the refusals, the audit trail and who may do it."""

from __future__ import annotations

import statistics
from datetime import date
from typing import Any

import pytest
from auditlog.models import LogEntry

from scrutiny.indicators import selectors, services
from scrutiny.indicators.models import Indicator, IndicatorSeries, Rebase
from scrutiny.places.models import Partnership
from tests.conftest import Cast
from tests.indicators.helpers import SOUTH_AYRSHIRE, cube

pytestmark = pytest.mark.django_db

# A step down in 2017: 2010-2016 about 300, 2017-2023 about 250.
VALUES = [300, 304, 298, 301, 303, 299, 302, 251, 249, 252, 250, 248, 253, 251]
KEY = "sgs_lac_count_all"
CHART = f"/indicators/p/south-ayrshire/{KEY}/"


@pytest.fixture
def series(cast: Cast) -> IndicatorSeries:
    rows = [
        (SOUTH_AYRSHIRE, str(2010 + i), "Count", str(value), "All")
        for i, value in enumerate(VALUES)
    ]
    services.cube_import(
        content=cube(rows), file_name="c.csv", title="CSWS", vintage=date(2025, 3, 1), by=None
    )
    return services.series_ensure(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        indicator=Indicator.objects.get(key=KEY),
    )


def _groups(series: IndicatorSeries) -> list[Any]:
    page = selectors.chart_page(partnership=series.partnership, indicator=series.indicator)
    assert page.chart.result is not None, page.chart.problem
    return list(page.chart.result.groups)


def test_new_limits_from_a_period_split_the_chart_and_show_their_reason(
    series: IndicatorSeries, cast: Cast, as_user: Any
) -> None:
    assert len(_groups(series)) == 1
    client = as_user(cast.lead_a)
    response = client.post(
        f"{CHART}rebases/", {"period": "2017", "reason": "Family support service opened."}
    )
    assert response.status_code == 302
    groups = _groups(series)
    assert [(g.start, g.end) for g in groups] == [("2010", "2016"), ("2017", "2023")]
    assert groups[1].centre == pytest.approx(statistics.mean(VALUES[7:]))
    page = client.get(CHART).text
    assert "recalculated from 2017" in page
    assert "from 2017: Family support service opened." in page
    rebase = Rebase.objects.get(series=series)
    assert rebase.created_by == cast.lead_a
    entry = LogEntry.objects.get_for_object(rebase).get()
    assert entry.actor == cast.lead_a
    assert entry.additional_data == {"partnership_id": series.partnership_id}

    response = client.post(f"{CHART}rebases/{rebase.pk}/delete/")
    assert response.status_code == 302
    assert not Rebase.objects.exists()
    assert len(_groups(series)) == 1


@pytest.mark.parametrize(
    ("period", "reason", "message"),
    [
        ("2017", "  ", "Give the reason"),
        ("2030", "Why", "2030 is not one of the periods charted"),
        ("2010", "Why", "2010 is the first period charted"),
        ("2023", "Why", "2023"),  # a group of one point: XmR needs two
    ],
)
def test_new_limits_are_refused_with_the_reason(
    series: IndicatorSeries, cast: Cast, period: str, reason: str, message: str
) -> None:
    with pytest.raises(services.IndicatorError, match=message):
        services.series_rebase_add(series=series, period=period, reason=reason, by=cast.lead_a)
    assert not Rebase.objects.exists()


def test_the_same_period_cannot_be_chosen_twice(series: IndicatorSeries, cast: Cast) -> None:
    services.series_rebase_add(series=series, period="2017", reason="A", by=cast.lead_a)
    with pytest.raises(services.IndicatorError, match="already recalculated from 2017"):
        services.series_rebase_add(series=series, period="2017", reason="B", by=cast.lead_a)
    assert Rebase.objects.count() == 1


def test_the_form_names_the_problem_and_saves_nothing(
    series: IndicatorSeries, cast: Cast, as_user: Any
) -> None:
    client = as_user(cast.lead_a)
    response = client.post(f"{CHART}rebases/", {"period": "2010", "reason": "Why"}, follow=True)
    assert "Recalculate the centre line and limits from: Select a valid choice" in response.text
    response = client.post(f"{CHART}rebases/", {"period": "2023", "reason": "Why"}, follow=True)
    assert "2023" in response.text and "at least 2 points" in response.text
    assert not Rebase.objects.exists()


def test_a_fixed_baseline_sets_the_limits_from_the_first_points(
    series: IndicatorSeries, cast: Cast, as_user: Any
) -> None:
    client = as_user(cast.lead_a)
    assert client.post(f"{CHART}baseline/", {"points": "5"}).status_code == 302
    (group,) = _groups(series)
    assert group.baseline == 5
    assert group.centre == pytest.approx(statistics.mean(VALUES[:5]))
    assert "fixed on its first 5 points" in client.get(CHART).text

    response = client.post(f"{CHART}baseline/", {"points": "1"}, follow=True)
    assert "at least 2" in response.text
    series.refresh_from_db()
    assert series.baseline_points == 5
    with pytest.raises(services.IndicatorError, match="at least 2 points"):
        services.series_baseline_set(series=series, points=1)

    client.post(f"{CHART}baseline/", {"points": ""})
    series.refresh_from_db()
    assert series.baseline_points is None
    (group,) = _groups(series)
    assert group.centre == pytest.approx(statistics.mean(VALUES))


def test_stored_limits_that_no_longer_fit_are_set_aside_with_a_note(
    series: IndicatorSeries,
) -> None:
    # Saved when they fitted; the figures have changed since (or the period was suppressed).
    Rebase.objects.create(series=series, period="1999", reason="Old")
    page = selectors.chart_page(partnership=series.partnership, indicator=series.indicator)
    assert "The limits were to be recalculated from 1999, which has no figure now." in (
        page.chart.notes
    )
    assert page.chart.result is not None and len(page.chart.result.groups) == 1

    Rebase.objects.create(series=series, period="2023", reason="Too late")
    page = selectors.chart_page(partnership=series.partnership, indicator=series.indicator)
    assert page.chart.result is not None and len(page.chart.result.groups) == 1
    assert any(
        note.startswith("Drawn with limits from all the points") for note in page.chart.notes
    )


def test_only_the_partnerships_editors_change_the_limits(
    series: IndicatorSeries, cast: Cast, as_user: Any
) -> None:
    rebase = services.series_rebase_add(series=series, period="2017", reason="A", by=cast.lead_a)
    for user in (cast.viewer_a, cast.lead_b, cast.link_a):
        client = as_user(user)
        assert client.post(f"{CHART}rebases/", {"period": "2015", "reason": "B"}).status_code in (
            403,
            404,
        )
        assert client.post(f"{CHART}rebases/{rebase.pk}/delete/").status_code in (403, 404)
        assert client.post(f"{CHART}baseline/", {"points": "4"}).status_code in (403, 404)
    anonymous = as_user(None)
    response = anonymous.post(f"{CHART}rebases/", {"period": "2015", "reason": "B"})
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")
    assert list(Rebase.objects.values_list("period", flat=True)) == ["2017"]
    series.refresh_from_db()
    assert series.baseline_points is None
    # Viewers see why the limits change, but not the forms.
    page = as_user(cast.viewer_a).get(CHART).text
    assert "from 2017: A" in page
    assert "Recalculate the limits" not in page


def test_another_partnerships_rebase_cannot_be_removed_through_this_chart(
    series: IndicatorSeries, cast: Cast, as_user: Any
) -> None:
    other = services.series_ensure(
        partnership=Partnership.objects.get(slug="east-ayrshire"), indicator=series.indicator
    )
    theirs = Rebase.objects.create(series=other, period="2017", reason="Theirs")
    response = as_user(cast.lead_a).post(f"{CHART}rebases/{theirs.pk}/delete/")
    assert response.status_code == 404
    assert Rebase.objects.filter(pk=theirs.pk).exists()
