from __future__ import annotations

from typing import Any

import pytest

from scrutiny.indicators import services
from scrutiny.indicators.models import Unit
from scrutiny.indicators.selectors import latest_signals
from scrutiny.places.models import Partnership
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

# Eight quarters around 20, then eight around 5: the latest quarters are a run below the mean.
FALLING = "period,value\n" + "".join(
    f"{2022 + i // 4}-Q{i % 4 + 1},{v}\n"
    for i, v in enumerate([20, 21, 19, 22, 20, 21, 19, 20, 6, 5, 4, 6, 5, 5, 6, 4])
)


def _measure(cast: Cast, improvement: str) -> None:
    indicator = services.local_indicator_create(
        partnership=Partnership.objects.get(slug="south-ayrshire"),
        title="Missing episodes",
        definition="Episodes of going missing",
        unit=Unit.COUNT,
        improvement=improvement,
        by=cast.lead_a,
    )
    services.local_values_upload(
        indicator=indicator, content=FALLING.encode(), file_name="m.csv", by=cast.lead_a
    )


def test_latest_signals_name_a_special_cause_improvement(cast: Cast) -> None:
    _measure(cast, "decrease")
    (signal,) = latest_signals(partnership=Partnership.objects.get(slug="south-ayrshire"))
    assert signal.kind == "improvement"
    assert signal.label == "Missing episodes: special cause improvement"
    assert signal.period == "2025-Q4"
    assert signal.url.startswith("/indicators/p/south-ayrshire/")
    assert latest_signals(partnership=Partnership.objects.get(slug="east-ayrshire")) == []


def test_a_fall_where_an_increase_is_wanted_is_a_concern(cast: Cast) -> None:
    _measure(cast, "increase")
    (signal,) = latest_signals(partnership=Partnership.objects.get(slug="south-ayrshire"))
    assert signal.kind == "concern"


def test_the_workspace_panel_lists_the_latest_signals(cast: Cast, as_user: Any) -> None:
    _measure(cast, "decrease")
    page = as_user(cast.viewer_a).get("/partnerships/south-ayrshire/")
    assert "Missing episodes: special cause improvement" in page.text
    assert "All indicators for South Ayrshire" in page.text


def test_the_link_inspectors_monitoring_page_shows_indicator_signals(
    cast: Cast, as_user: Any
) -> None:
    _measure(cast, "decrease")
    page = as_user(cast.link_a).get("/improvement/partnerships/south-ayrshire/monitoring/")
    assert page.status_code == 200
    # Named by its period, as on the partnership's page, and dated by its figures.
    assert "Missing episodes: special cause improvement (2025-Q4)</a>, figures published " in (
        page.text
    )


def test_indicator_charts_are_offered_as_evidence_and_measures() -> None:
    from scrutiny.improvement.registry import EVIDENCE, MEASURE, link_sources
    from scrutiny.indicators.models import IndicatorSeries

    for purpose in (EVIDENCE, MEASURE):
        assert IndicatorSeries in {source.model for source in link_sources(purpose)}
