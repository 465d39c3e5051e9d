from __future__ import annotations

from typing import Any

import pytest

from scrutiny.analysis.childlevel import formats
from scrutiny.indicators.catalogue import catalogue_entries, catalogue_load
from scrutiny.indicators.models import ChartType, Direction, Indicator
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def test_the_catalogue_holds_every_indicator_the_child_level_module_computes() -> None:
    keys = set(Indicator.objects.filter(partnership__isnull=True).values_list("key", flat=True))
    assert set(formats.INDICATORS) <= keys
    assert {f"cp_concern_{code}" for code in formats.CONCERN_CODES} <= keys


def test_the_catalogue_holds_the_looked_after_cube_measures() -> None:
    cube = Indicator.objects.exclude(cube_match={})
    statuses = {i.cube_match["Residential Status"] for i in cube}
    assert statuses == {
        "All",
        "At Home",
        "Foster / Prospective Adopters",
        "Other Community Placement",
        "Residential Care",
    }
    assert {i.cube_match["Measurement"] for i in cube} == {"Count", "Ratio"}


def test_every_entry_names_a_chart_a_direction_and_a_source() -> None:
    for entry in catalogue_entries():
        assert entry["chart"] in ChartType.values, entry["key"]
        assert entry["improvement"] in Direction.values, entry["key"]
        assert entry["source"] and entry["definition"], entry["key"]
        if entry["chart"] in (ChartType.P, ChartType.U):
            assert entry["denominator"], entry["key"]


def test_loading_the_catalogue_again_keeps_an_administrators_edits() -> None:
    Indicator.objects.filter(key="lac_total").update(title="Edited title")
    Indicator.objects.filter(key="cp_register").delete()
    assert catalogue_load(Indicator) == 1
    assert Indicator.objects.get(key="lac_total").title == "Edited title"
    assert Indicator.objects.filter(key="cp_register").exists()


def test_it_lets_an_administrator_change_an_indicator(cast: Cast, as_user: Any) -> None:
    indicator = Indicator.objects.get(key="lac_total")
    response = as_user(cast.admin).post(
        f"/indicators/catalogue/{indicator.key}/edit/",
        {
            "title": "Children looked after (all)",
            "theme": indicator.theme,
            "definition": indicator.definition,
            "numerator": indicator.numerator,
            "denominator": "",
            "unit": "count",
            "improvement": "decrease",
            "frequency": "yearly",
            "source": indicator.source,
            "chart": "run",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (indicator.title, indicator.improvement, indicator.chart) == (
        "Children looked after (all)",
        "decrease",
        "run",
    )


def test_the_catalogue_and_definitions_are_public(client: Any) -> None:
    page = client.get("/indicators/")
    assert page.status_code == 200
    assert "Looked after away from home, aged 11 to 15" in page.text
    definition = client.get("/indicators/catalogue/lac_away_11_15/")
    assert "A decrease is an improvement" in definition.text
