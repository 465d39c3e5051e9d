"""Indicator objects for the authorisation walk: figures for partnership A, a local measure of
A, a comparator group of A, a link from A's chart to an area for improvement, new limits on that
chart from 2019, and a child-level run."""

from __future__ import annotations

from datetime import date
from typing import Any

from scrutiny.indicators import services
from scrutiny.indicators.models import ChildLevelRun, Indicator, Unit
from scrutiny.inspections.models import AreaForImprovement
from tests.indicators.helpers import national_cube

LOCAL_CSV = b"period,value\n2024-Q1,10\n2024-Q2,12\n2024-Q3,11\n2024-Q4,13\n"


def extend(world: Any) -> None:
    cast = world.cast
    services.cube_import(
        content=national_cube(),
        file_name="cube.csv",
        title="Test release",
        vintage=date(2025, 3, 1),
        by=cast.admin,
    )
    local = services.local_indicator_create(
        partnership=world.partnership_a,
        title="Visits within a week",
        definition="Visits made within a week of a request.",
        unit=Unit.COUNT,
        by=cast.lead_a,
    )
    services.local_values_upload(
        indicator=local, content=LOCAL_CSV, file_name="visits.csv", by=cast.lead_a
    )
    world.local_a = local
    world.indicator_key = "sgs_lac_count_all"
    world.series_a = services.series_ensure(
        partnership=world.partnership_a, indicator=Indicator.objects.get(key=world.indicator_key)
    )
    world.comparator_a = services.comparator_group_save(
        partnership=world.partnership_a,
        name="Neighbours",
        areas=[world.partnership_b.area],
    )
    world.published_area_a = AreaForImprovement.objects.create(
        inspection=world.published_a, number=9, title="Fewer moves", text="Fewer moves."
    )
    world.indicator_link_a = services.indicator_link_area_add(
        series=world.series_a, area=world.published_area_a, by=cast.lead_a
    )
    world.rebase_a = services.series_rebase_add(
        series=world.series_a, period="2019", reason="A new service.", by=cast.lead_a
    )
    world.run_a = ChildLevelRun.objects.create(
        title="A run",
        status=ChildLevelRun.Status.FAILED,
        message="row 1: bad",
        created_by=cast.admin,
    )
